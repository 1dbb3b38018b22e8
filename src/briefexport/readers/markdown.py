"""Markdown (markdown-it-py tokens) and YAML front matter -> `tree.Document`.

With `tokens`, the only modules that know markdown-it-py.  CommonMark plus tables,
strikethrough, typographic replacements, footnotes, definition lists, front
matter and `:::` containers.  Raw HTML is off: `<font>` in the source is text.
"""

from __future__ import annotations

import dataclasses
import functools
import re
import warnings
from pathlib import Path
from typing import Any

from markdown_it import MarkdownIt
from mdit_py_plugins.attrs import attrs_plugin
from mdit_py_plugins.container import container_plugin
from mdit_py_plugins.deflist import deflist_plugin
from mdit_py_plugins.footnote import footnote_plugin
from mdit_py_plugins.front_matter import front_matter_plugin

from . import frontmatter
from ..errors import BriefExportWarning, MissingTitleWarning, ParseError
from ..tree import Block, Document, Heading, Meta, Text, inline_text, walk
from .citations import citation_plugin
from .comments import comments_plugin
from .critic import critic_plugin, resolve as resolve_changes
from .files import MAX_SOURCE_BYTES, read_input
from .tokens import CONTAINER, TreeBuilder

@functools.cache
def _markdown(front_matter: bool = True) -> MarkdownIt:
    # markdown-it's CommonMark preset stops at 20 levels and silently drops
    # what lies deeper (a 20-deep quote lost its last words); with 200, deeper
    # input reaches the tree builder, which refuses it past MAX_DEPTH.
    md = MarkdownIt("commonmark", {"html": False, "typographer": True, "maxNesting": 200})
    md.enable(["table", "strikethrough", "replacements", "smartquotes"])
    if front_matter:
        md.use(front_matter_plugin)
    md.use(footnote_plugin).use(deflist_plugin)
    # pandoc's bracketed spans, `[Nguyễn]{lang=vi}`; `{...}` after a link or
    # code is read as attributes too (and not shown), as pandoc does.
    md.use(attrs_plugin, spans=True)
    # One container rule that accepts any name: `::: pullquote`, `::: {.note}`.
    md.use(container_plugin, name=CONTAINER, validate=lambda params, *args: True)
    # pandoc's citations and cross-references: `[see @key, p. 4]`, `@fig:x`.
    md.use(citation_plugin)
    md.use(comments_plugin)  # `<!-- notes -->` are dropped, not printed
    # CriticMarkup, for an editor's open changes (`briefexport import` writes them).
    md.use(critic_plugin)
    return md


def _parse_inline(text: str) -> list[Any]:
    parsed = _markdown().parseInline(text)
    return (parsed[0].children or []) if parsed else []


def read_source(path: str | Path) -> bytes:
    """The bytes of a Markdown source: a regular file of at most MAX_SOURCE_BYTES (`files.read_input`)."""
    return read_input(path, kind="Markdown", role="a source", limit=MAX_SOURCE_BYTES)


def parse_file(path: str | Path, *, resource_path: "tuple[str | Path, ...] | list[str | Path]" = (),
               comments: list[tuple[int, str]] | None = None, changes: str = "accept") -> Document:
    """Parse a Markdown file; errors name the file and the line.

    `resource_path` names folders besides the file's where its bibliography
    may be (pandoc's `--resource-path`); the tree keeps them for the
    citations pass.  See `parse` for `comments`.
    """
    return parse(read_text(path), source=str(path), resource_path=resource_path, comments=comments,
                 changes=changes)


def read_text(path: str | Path) -> str:
    """A source's text (`read_source`, decoded); text that is not UTF-8 is a ParseError at its line."""
    raw = read_source(path)
    try:
        return raw.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        line = raw[: exc.start].count(b"\n") + 1
        raise ParseError("not UTF-8 text", str(path), line) from None


def parse(text: str, *, source: str = "<string>",
          resource_path: "tuple[str | Path, ...] | list[str | Path]" = (),
          comments: list[tuple[int, str]] | None = None, changes: str = "accept") -> Document:
    """Parse Markdown text.  `source` names it in errors and the tree.

    HTML comments are left out of the tree; given a list, `comments`
    receives (line, text) for each of them (`check` lists them).  CriticMarkup
    marks are shown accepted (`changes="accept"`), rejected, kept as spans
    (`"keep"`), or refused (`"error"`), each named in a warning.
    """
    text = text.replace("\r\n", "\n").replace("\r", "\n")
    text = _without_surrogates(text, source)
    env: dict[str, Any] = {}
    tokens = _markdown().parse(text, env)
    meta_token = tokens[0] if tokens and tokens[0].type == "front_matter" else None
    if meta_token is not None and not _looks_like_mapping(meta_token.content):
        # `---\nFoo\n---` is a rule and a setext heading in CommonMark, not metadata.
        env = {}
        tokens = _markdown(front_matter=False).parse(text, env)
        meta_token = None
    elif meta_token is None and _opens_front_matter(text):
        raise ParseError("front matter opened with '---' is never closed by '---' or '...'", source, 1)
    meta = frontmatter.read(meta_token.content if meta_token else "", source, first_line=2)
    builder = TreeBuilder(source, _parse_inline)
    blocks = builder.blocks(tokens, 1 if meta_token else 0, len(tokens))
    if comments is not None:
        comments.extend(builder.comments)
    for label, line in _unused_definitions(env, text):
        _warn(source, line, f"footnote [^{label}] is defined but never referenced")
    # `[^x]` reaches a text node only from a caret or an entity in the source.
    for label, line in _undefined_references(blocks) if "^" in text or "&" in text else ():
        _warn(source, line, f"footnote reference [^{label}] has no definition (shown as text)")
    blocks = resolve_changes(blocks, changes, source)
    meta, blocks = _default_title(meta, blocks, source)
    return Document(meta=meta, blocks=tuple(blocks), source=source,
                    resource_path=tuple(str(p) for p in resource_path))


_SURROGATE = re.compile("[\ud800-\udfff]")


def _without_surrogates(text: str, source: str) -> str:
    """Text handed in from Python may hold lone surrogates (a file read as UTF-8 cannot): U+FFFD."""
    try:
        text.encode("utf-8")
        return text
    except UnicodeEncodeError:
        pass
    for m in _SURROGATE.finditer(text):
        _warn(source, text.count("\n", 0, m.start()) + 1, f"half a character (lone surrogate U+{ord(m.group()):04X}) "
              "replaced by U+FFFD")
    return _SURROGATE.sub("\ufffd", text)


_KEY_LINE = re.compile(r"^[A-Za-z_][\w-]*\s*:", re.MULTILINE)


def _looks_like_mapping(text: str) -> bool:
    return not text.strip() or bool(_KEY_LINE.search(text)) or text.lstrip().startswith("{")


def _opens_front_matter(text: str) -> bool:
    first, _, rest = text.partition("\n")
    # A '---' line followed by a `key:` line is meant as front matter, not a rule.
    return first.rstrip() == "---" and bool(_KEY_LINE.match(rest))


def _default_title(meta: Meta, blocks: list[Block], source: str) -> tuple[Meta, list[Block]]:
    if meta.title:
        return meta, blocks
    for i, block in enumerate(blocks):
        if isinstance(block, Heading) and block.level == 1:
            title = inline_text(block.children).strip()
            # The title goes in the header band: a leading H1 would repeat it.
            if i == 0:
                blocks = blocks[1:]
            return _replace(meta, title=title), blocks
    stem = Path(source).stem if source and not source.startswith("<") else ""
    title = stem.replace("-", " ").replace("_", " ").strip()
    if title:  # one rule for render and check: a warning, an error under --strict
        where = f"{source}:1" if meta.lines else source
        warnings.warn(f"{where}: no title (set `title:` in the front matter or start with a # heading); "
                      f"the file name {title!r} stands in", MissingTitleWarning, stacklevel=3)
    return _replace(meta, title=title), blocks


def _replace(meta: Meta, **changes: Any) -> Meta:
    return dataclasses.replace(meta, **changes)


_NOTE_REF = re.compile(r"\[\^([^\]\s]+)\]")


def _unused_definitions(env: dict[str, Any], text: str) -> list[tuple[str, int]]:
    """Footnote definitions nothing refers to (markdown-it drops them silently)."""
    refs = env.get("footnotes", {}).get("refs", {})
    unused = []
    for key, note_id in refs.items():
        if note_id == -1:
            label = key[1:]
            m = re.search(rf"^ {{0,3}}\[\^{re.escape(label)}\]:", text, re.MULTILINE | re.IGNORECASE)
            unused.append((label, text.count("\n", 0, m.start()) + 1 if m else 0))
    return unused


def _undefined_references(blocks: list[Block]) -> list[tuple[str, int]]:
    """`[^label]` left as text: markdown-it found no definition for it."""
    found: list[tuple[str, int]] = []
    for block in blocks:
        for node in walk(block):
            line = getattr(node, "line", 0) or block.line
            if isinstance(node, Text):
                found.extend((m.group(1), line) for m in _NOTE_REF.finditer(node.text))
    return found


def _warn(source: str, line: int, message: str) -> None:
    where = f"{source}:{line}" if line else source
    warnings.warn(f"{where}: {message}", BriefExportWarning, stacklevel=3)


__all__ = ["parse", "parse_file", "read_text", "ParseError"]
