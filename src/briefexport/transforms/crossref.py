"""Cross-references: `@fig:x`, `@tbl:x`, `@sec:x` -> "Figure 2", "Table 1", "section 3".

The numbers are those the backends print: figures and tables that have a
caption, counted in reading order outside footnotes; headings numbered by
level under the document's top level (3, 3.1, 3.2...).  Each reference
becomes a link to the target's id inside a `Span` of class `crossref` whose
attributes (`target`, `kind`, `number`) let a backend write it as a field
(DOCX REF) rather than as frozen text.  An id nothing carries is a warning
with the citation's line, and the reference reads "Figure ??".
"""

from __future__ import annotations

import warnings
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from ..errors import BriefExportWarning
from ..tree import (
    Attrs, BlockQuote, BulletList, Cite, DefinitionList, Div, Document, Figure, Heading, Inline,
    Link, OrderedList, Span, Table, Text, walk,
)
from .rebuild import map_inlines

KINDS = {"fig": "figure", "tbl": "table", "sec": "section"}


@dataclass(frozen=True)
class Target:
    kind: str  # fig, tbl, sec
    number: str


def is_crossref(key: str) -> bool:
    prefix, sep, rest = key.partition(":")
    return bool(sep and rest) and prefix in KINDS


def targets(doc: Document) -> dict[str, Target]:
    """Every id a cross-reference can name, with its kind and number."""
    found: dict[str, Target] = {}
    counts = {"fig": 0, "tbl": 0}
    headings = [b for b in _outside_notes(doc.blocks) if isinstance(b, Heading)]
    top = min((h.level for h in headings), default=1)
    section: list[int] = []
    for block in _outside_notes(doc.blocks):
        if isinstance(block, Figure) and block.caption:
            counts["fig"] += 1
            if block.attrs.id:
                found.setdefault(block.attrs.id, Target("fig", str(counts["fig"])))
        elif isinstance(block, Table) and block.caption:
            counts["tbl"] += 1
            if block.attrs.id:
                found.setdefault(block.attrs.id, Target("tbl", str(counts["tbl"])))
        elif isinstance(block, Heading):
            depth = block.level - top + 1
            del section[depth:]
            section.extend([0] * (depth - len(section)))
            section[depth - 1] += 1
            if block.attrs.id:
                found.setdefault(block.attrs.id, Target("sec", ".".join(str(n or 1) for n in section)))
    return found


def _outside_notes(blocks: tuple[Any, ...]) -> list[Any]:
    """The blocks in reading order, nested ones included, footnotes left out."""
    out: list[Any] = []
    for block in blocks:
        out.append(block)
        match block:
            case BlockQuote() | Div():
                out.extend(_outside_notes(block.blocks))
            case BulletList() | OrderedList():
                for item in block.items:
                    out.extend(_outside_notes(item))
            case DefinitionList():
                for _term, defs in block.items:
                    for d in defs:
                        out.extend(_outside_notes(d))
    return out


def resolve_crossrefs(doc: Document, labels: Mapping[str, str]) -> Document:
    """`doc` with every citation of a `fig:`/`tbl:`/`sec:` id replaced by its reference."""
    if not any(isinstance(n, Cite) and all(is_crossref(i.key) for i in n.items) for n in walk(doc)):
        return doc
    known = targets(doc)

    def on_inline(inline: Any, in_note: bool, before: tuple[Inline, ...]) -> tuple[Inline, ...] | None:
        if not isinstance(inline, Cite) or not all(is_crossref(i.key) for i in inline.items):
            return None
        out: list[Inline] = []
        for n, item in enumerate(inline.items):
            if n:
                out.append(Text(", "))
            out.extend(item.prefix)
            if item.prefix:
                out.append(Text(" "))
            out.append(_reference(item.key, known, labels, doc.source, inline.line))
            out.extend(item.suffix)
        return tuple(out)

    return map_inlines(doc, on_inline)


def _reference(key: str, known: dict[str, Target], labels: Mapping[str, str], source: str, line: int) -> Inline:
    kind = key.partition(":")[0]
    word = labels[KINDS[kind]]
    target = known.get(key)
    if target is None or target.kind != kind:
        where = f"{source}:{line}" if line else source
        warnings.warn(f"{where}: cross-reference @{key}: no {KINDS[kind]} has the id `{key}` (shown as “{word} ??”)",
                      BriefExportWarning, stacklevel=4)
        return Text(f"{word} ??")
    attrs = Attrs("", ("crossref",), (("target", key), ("kind", kind), ("number", target.number), ("label", word)))
    return Span((Link((Text(f"{word}\u00a0{target.number}"),), f"#{key}"),), attrs)
