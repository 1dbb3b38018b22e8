"""pandoc's citeproc as the citation engine, spoken to in pandoc's JSON AST.

Why pandoc: it passes the hard cases a brief meets (year-suffix
disambiguation, given-name expansion, `initialize="false"`, BibLaTeX
`@online`/`@report` with `institution` and `url`, ibid after a note citing
two works) where citeproc-py does not, and it is what Quarto users get.  The
`pypandoc-binary` wheel ships it, so nothing is downloaded at run time.

One pandoc process per document: a skeleton document holds only the
citations, each where it stands relative to the footnotes (positions such
as "first", "subsequent" and "ibid" depend on nothing else), and pandoc
returns each citation formatted plus the bibliography.  This module knows
pandoc's JSON and nothing about how the result is used.
"""

from __future__ import annotations

import importlib.util
import json
import os
import re
import shutil
import subprocess
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from ..errors import BriefExportError
from ..tree import (
    Block, Code, Emph, Inline, LineBreak, Link, Note, Para, Plain, SoftBreak, Strikeout, Strong, Text,
)


class EngineError(BriefExportError):
    """pandoc is missing or failed; `path`/`line` name the bibliography at fault."""

    def __init__(self, message: str, path: str = "", line: int = 0) -> None:
        super().__init__(message)
        self.message, self.path, self.line = message, path, line


@dataclass(frozen=True)
class Request:
    """What the engine needs: the citations in order, grouped by where they stand.

    `runs` is a sequence of `("text", [citation...])` for citations in the
    running text and `("note", [citation...])` for each footnote (an empty
    list for a footnote without citations, so notes are counted right).  A
    citation is `(items, after_text)`: items are dicts with key, mode,
    prefix, suffix (plain text, the locator written back into the suffix as
    pandoc reads it); `after_text` says that text precedes it in its
    footnote (pandoc then sets it in parentheses).
    """

    runs: tuple[tuple[str, tuple[tuple[tuple[dict[str, str], ...], bool], ...]], ...]
    bibliography: tuple[str, ...]
    csl: str
    lang: str
    link_citations: bool
    references: Any = None  # the front matter's `references:` (CSL-YAML data)
    nocite: tuple[str, ...] = ()


@dataclass(frozen=True)
class Result:
    citations: tuple[tuple[Inline, ...], ...]  # one run of inlines per citation, in order
    entries: tuple[tuple[str, tuple[Block, ...]], ...]  # (key, blocks) in bibliography order
    missing: frozenset[str]


def pandoc_binary() -> str:
    """The pandoc that pypandoc-binary ships, else BRIEFEXPORT_PANDOC, else pandoc on PATH."""
    explicit = os.environ.get("BRIEFEXPORT_PANDOC")
    if explicit:
        return explicit
    # find_spec locates the package without running its __init__ (which
    # imports more than we need).
    spec = importlib.util.find_spec("pypandoc")
    if spec and spec.submodule_search_locations:
        for folder in spec.submodule_search_locations:
            for name in ("pandoc", "pandoc.exe"):
                candidate = Path(folder) / "files" / name
                if candidate.is_file():
                    return str(candidate)
    found = shutil.which("pandoc")
    if found:
        return found
    raise EngineError("citations need pandoc: pip install pypandoc-binary")


_MODES = {"normal": "NormalCitation", "suppress-author": "SuppressAuthor", "author-in-text": "AuthorInText"}


def _str_inlines(text: str) -> list[dict[str, Any]]:
    out: list[dict[str, Any]] = []
    for i, word in enumerate(re.split(r"(\s+)", text)):
        if not word:
            continue
        out.append({"t": "Space"} if i % 2 else {"t": "Str", "c": word})
    return out


def _cite(items: tuple[dict[str, str], ...], note_num: int) -> dict[str, Any]:
    citations = [
        {
            "citationId": item["key"],
            "citationPrefix": _str_inlines(item.get("prefix", "")),
            "citationSuffix": _str_inlines(item.get("suffix", "")),
            "citationMode": {"t": _MODES[item.get("mode", "normal")]},
            "citationNoteNum": note_num,
            "citationHash": 0,
        }
        for item in items
    ]
    return {"t": "Cite", "c": [citations, [{"t": "Str", "c": "cite"}]]}


def _meta_value(value: Any) -> dict[str, Any]:
    if isinstance(value, bool):
        return {"t": "MetaBool", "c": value}
    if isinstance(value, dict):
        return {"t": "MetaMap", "c": {str(k): _meta_value(v) for k, v in value.items()}}
    if isinstance(value, list):
        return {"t": "MetaList", "c": [_meta_value(v) for v in value]}
    return {"t": "MetaString", "c": "" if value is None else str(value)}


def _document(request: Request) -> dict[str, Any]:
    inlines: list[dict[str, Any]] = []
    note_num = 0
    for kind, cites in request.runs:
        if kind == "note":
            note_num += 1
            body: list[dict[str, Any]] = []
            for items, after_text in cites:
                if after_text:
                    body += [{"t": "Str", "c": "text"}, {"t": "Space"}]
                body += [_cite(items, note_num), {"t": "Space"}]
            inlines.append({"t": "Note", "c": [{"t": "Para", "c": body or [{"t": "Str", "c": "note"}]}]})
        else:
            for items, _after in cites:
                note_num += 1  # in a note style each becomes a note of its own
                # A full stop after it, as a sentence has: pandoc then ends the
                # note inside closing quotes where US style wants it (“Title.”).
                inlines += [_cite(items, note_num), {"t": "Str", "c": "."}, {"t": "Space"}]
    meta: dict[str, Any] = {
        "bibliography": _meta_value(list(request.bibliography)),
        "csl": _meta_value(request.csl),
        "lang": _meta_value(request.lang),
        "link-citations": _meta_value(request.link_citations),
        "link-bibliography": _meta_value(True),
    }
    if request.references:
        meta["references"] = _meta_value(request.references)
    if request.nocite:
        items = tuple({"key": key, "mode": "normal"} for key in request.nocite)
        meta["nocite"] = {"t": "MetaInlines", "c": [_cite(items, 0)]}
    return {"pandoc-api-version": [1, 23, 1], "meta": meta, "blocks": [{"t": "Para", "c": inlines}]}


_BIB_LINE = re.compile(r"Error reading bibliography file (?P<path>.+?):\s*\(line (?P<line>\d+), column \d+\):\s*(?P<msg>.*)", re.S)
_MISSING = re.compile(r"citation (\S+) not found")


def run(request: Request, *, timeout: float = 60) -> Result:
    binary = pandoc_binary()
    payload = json.dumps(_document(request), ensure_ascii=False).encode("utf-8")
    try:
        proc = subprocess.run(
            [binary, "--citeproc", "-f", "json", "-t", "json"],
            input=payload, capture_output=True, timeout=timeout, check=False,
        )
    except FileNotFoundError:
        raise EngineError(f"citations need pandoc, and {binary} is not there: pip install pypandoc-binary") from None
    except subprocess.TimeoutExpired:
        raise EngineError(f"pandoc took longer than {timeout:.0f} s on the citations") from None
    stderr = proc.stderr.decode("utf-8", "replace")
    if proc.returncode != 0:
        raise _failure(stderr, request)
    out = json.loads(proc.stdout)
    missing = frozenset(m.group(1) for m in _MISSING.finditer(stderr))
    citations, entries = _read(out)
    if _punctuation_in_quote(request.lang):
        citations = tuple(tuple(_into_quotes(list(c))) for c in citations)
    return Result(citations, entries, missing=missing)


def _failure(stderr: str, request: Request) -> EngineError:
    text = stderr.strip()
    m = _BIB_LINE.search(text)
    if m:
        msg = " ".join(m.group("msg").split())
        return EngineError(f"bibliography: {msg}", m.group("path"), int(m.group("line")))
    m = re.search(r"Error reading bibliography file (.+?):\s*(.*)", text, re.S)
    if m:
        return EngineError(f"bibliography: {' '.join(m.group(2).split())}", m.group(1))
    m = re.search(r"Could not (?:find|fetch) locale data for (\S+)", text)
    if m:
        return EngineError(f"no citation locale for language {m.group(1)}")
    first = " ".join(text.splitlines()[:3]) if text else "no message"
    return EngineError(f"the citation engine failed: {first}", request.csl)


# ------------------------------------------------------- reading back


def _punctuation_in_quote(lang: str) -> bool:
    """US English sets a full stop or comma inside closing quotes (CSL's
    `punctuation-in-quote`); pandoc's locale for `en` is en-US."""
    return lang.lower() in ("en", "en-us")


def _into_quotes(inlines: list[Inline]) -> list[Inline]:
    """“Title”. -> “Title.” where a link around the title kept pandoc from
    moving it (pandoc does so without `link-citations`)."""
    out = list(inlines)
    for i, node in enumerate(out):
        if isinstance(node, Note):
            out[i] = Note(tuple(_into_quotes_block(b) for b in node.blocks), node.label)
        elif isinstance(node, Link) and i + 1 < len(out):
            nxt = out[i + 1]
            last = node.children[-1] if node.children else None
            if isinstance(last, Text) and last.text.endswith("\u201d") and isinstance(nxt, Text) \
                    and nxt.text[:1] in (".", ","):
                moved = Text(last.text[:-1] + nxt.text[0] + "\u201d")
                out[i] = Link((*node.children[:-1], moved), node.url, node.title)
                out[i + 1] = Text(nxt.text[1:])
    return [n for n in out if not (isinstance(n, Text) and not n.text)]


def _into_quotes_block(block: Block) -> Block:
    if isinstance(block, (Para, Plain)):
        return type(block)(tuple(_into_quotes(list(block.children))), block.line)
    return block


def _read(doc: dict[str, Any]) -> tuple[tuple[tuple[Inline, ...], ...], tuple[tuple[str, tuple[Block, ...]], ...]]:
    citations: list[tuple[Inline, ...]] = []
    entries: list[tuple[str, tuple[Block, ...]]] = []
    for block in doc.get("blocks", []):
        if block["t"] == "Para":
            for inline in block["c"]:
                if inline["t"] == "Cite":
                    citations.append(tuple(_inlines(_without_moved_stop(inline["c"][1]))))
                elif inline["t"] == "Note":
                    for note_block in inline["c"]:
                        for item in note_block.get("c", []) if note_block["t"] in ("Para", "Plain") else []:
                            if isinstance(item, dict) and item.get("t") == "Cite":
                                citations.append(tuple(_inlines(item["c"][1])))
        elif block["t"] == "Div":
            (ident, _classes, _kv), children = block["c"]
            if ident == "refs":
                for child in children:
                    if child["t"] != "Div":
                        continue
                    (cid, _c, _k), body = child["c"]
                    entries.append((cid.removeprefix("ref-"), tuple(_blocks(body))))
    return tuple(citations), tuple(entries)


def _without_moved_stop(inlines: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """pandoc moves the skeleton's full stop in front of a note ("Smith.¹"):
    the brief's own punctuation is placed later, so that stop goes."""
    return [x for i, x in enumerate(inlines)
            if not (x == {"t": "Str", "c": "."} and i + 1 < len(inlines) and inlines[i + 1]["t"] == "Note")]


def _blocks(blocks: list[dict[str, Any]]) -> list[Block]:
    out: list[Block] = []
    for block in blocks:
        t = block["t"]
        if t == "Para":
            out.append(Para(tuple(_inlines(block["c"]))))
        elif t == "Plain":
            out.append(Plain(tuple(_inlines(block["c"]))))
        elif t == "Div":
            out.extend(_blocks(block["c"][1]))
        else:
            raise EngineError(f"unexpected block {t} from the citation engine")
    return out


_QUOTES = {"DoubleQuote": ("“", "”"), "SingleQuote": ("‘", "’")}


def _inlines(inlines: list[dict[str, Any]]) -> list[Inline]:
    out: list[Inline] = []

    def text(s: str) -> None:
        if not s:
            return
        if out and isinstance(out[-1], Text):
            out[-1] = Text(out[-1].text + s)
        else:
            out.append(Text(s))

    for node in inlines:
        t, c = node["t"], node.get("c")
        if t == "Str":
            text(c)
        elif t == "Space":
            text(" ")
        elif t == "SoftBreak":
            out.append(SoftBreak())
        elif t == "LineBreak":
            out.append(LineBreak())
        elif t == "Emph":
            out.append(Emph(tuple(_inlines(c))))
        elif t == "Strong":
            out.append(Strong(tuple(_inlines(c))))
        elif t == "Strikeout":
            out.append(Strikeout(tuple(_inlines(c))))
        elif t in ("Underline", "SmallCaps", "Superscript", "Subscript"):
            for child in _inlines(c):
                text(child.text) if isinstance(child, Text) else out.append(child)
        elif t == "Quoted":
            open_, close = _QUOTES[c[0]["t"]]
            text(open_)
            for child in _inlines(c[1]):
                text(child.text) if isinstance(child, Text) else out.append(child)
            text(close)
        elif t == "Span":
            for child in _inlines(c[1]):
                text(child.text) if isinstance(child, Text) else out.append(child)
        elif t == "Code":
            out.append(Code(c[1]))
        elif t in ("Math", "RawInline"):
            text(c[1])
        elif t == "Link":
            out.extend(_link(_inlines(c[1]), c[2][0]))
        elif t == "Note":
            out.append(Note(tuple(_blocks(c)), "citation"))
        elif t == "Cite":
            out.extend(_inlines(c[1]))
        else:
            raise EngineError(f"unexpected inline {t} from the citation engine")
    return out


def _link(children: list[Inline], url: str) -> list[Inline]:
    """A link to a bibliography entry around a note that holds a URL: no link
    may hold another, so the outer one is split around the inner ones."""
    if not any(isinstance(c, Link) for c in children):
        return [Link(tuple(children), url)]
    out: list[Inline] = []
    run: list[Inline] = []
    for child in children:
        if isinstance(child, Link):
            if run:
                out.append(Link(tuple(run), url))
                run = []
            out.append(child)
        else:
            run.append(child)
    if run:
        out.append(Link(tuple(run), url))
    return out


