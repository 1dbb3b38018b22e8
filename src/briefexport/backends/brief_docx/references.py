"""Bibliography and cross-references in Word's own terms.

Figure and table numbers are `SEQ` fields, bookmarked when the figure or
table has an id; a reference to one (`@fig:x`) is a `REF` field to that
bookmark, so Word renumbers both when an editor moves a figure and updates
fields.  Each field carries the value the brief prints, so the document reads
right before any update.  Bibliography entries are paragraphs in the
"Bibliography" style (hanging indent), each bookmarked, so linked citations
jump to them.  (The writer and context come in untyped: this module sits
below both.)
"""

from __future__ import annotations

import re
import unicodedata
from typing import Any

from lxml.etree import _Element

from ...common.labels import capitalised, labels_for
from ...transforms.crossref import targets
from ...tree import Div, Document, Para, Plain, walk
from . import styles as S
from .xml import el, field, paragraph, rpr, run, seq_field

# Ids of these bookmarks start far above the headings' (one per heading).
_FIRST_ID = 100_000


def has_bibliography(doc: Document) -> bool:
    return any(isinstance(n, Div) and n.attrs.has_class("references") for n in walk(doc))


def label_word(ctx: Any, kind: str) -> str:
    """"Figure" or "Table" in the brief's language, or as the theme's `[labels]` say."""
    return capitalised(labels_for(ctx.doc.meta.lang, ctx.theme.labels.words())[kind])


def _mark(prefix: str, number: int, ident: str) -> str:
    # Word: at most 40 characters, a letter first, letters/digits/underscores.
    ascii_ident = unicodedata.normalize("NFKD", ident).encode("ascii", "ignore").decode("ascii")
    safe = re.sub(r"[^A-Za-z0-9]+", "_", ascii_ident).strip("_")
    return f"{prefix}{number}_{safe}"[:40].rstrip("_")


def index_targets(ctx: Any) -> None:
    """Bookmark names for figure, table and bibliography ids, so links find them."""
    for ident, target in targets(ctx.doc).items():
        if target.kind in ("fig", "tbl"):
            ctx.marks.setdefault(ident, _mark(target.kind, len(ctx.marks) + 1, ident))
    for node in walk(ctx.doc):
        if isinstance(node, Div) and node.attrs.has_class("references"):
            for n, entry in enumerate(node.blocks, 1):
                if isinstance(entry, Div) and entry.attrs.id:
                    ctx.marks.setdefault(entry.attrs.id, _mark("ref", n, entry.attrs.id.removeprefix("ref-")))
    for ident, mark in ctx.marks.items():
        ctx.anchors.setdefault(ident, mark)


def _bookmarked(ctx: Any, mark: str, content: list[_Element]) -> list[_Element]:
    ident = _FIRST_ID + len(ctx.bookmarks_written)
    ctx.bookmarks_written.append(mark)
    return [el("w:bookmarkStart", {"w:id": ident, "w:name": mark}), *content, el("w:bookmarkEnd", {"w:id": ident})]


def caption_label(ctx: Any, kind: str, number: int, ident: str) -> list[_Element]:
    """"Figure 1" as Word's own captions are (`kind` is "figure" or "table"):
    the word, then a `SEQ Figure` field, bookmarked when the figure has an id,
    for the REF fields that name it.  The sequence is named by the kind,
    whatever the theme's label words."""
    def props() -> _Element:
        return rpr(rStyle=el("w:rStyle", {"w:val": S.FIGURE_LABEL}))

    word = label_word(ctx, kind)
    seq = seq_field(kind.capitalize(), number, props())
    mark = ctx.marks.get(ident) if ident else None
    return [run(f"{word} ", props()), *(_bookmarked(ctx, mark, seq) if mark else seq)]


def crossref(ctx: Any, target: _Element, attrs: dict[str, str], props: _Element) -> bool:
    """A `crossref` span as its word and a REF field; False when it cannot be one
    (a section, or a target without a bookmark): then it stays a link."""
    mark = ctx.marks.get(attrs.get("target", ""))
    if attrs.get("kind") not in ("fig", "tbl") or not mark:
        return False
    target.append(run(f"{attrs.get('label', '')}\u00a0", props))
    for element in field(f"REF {mark} \\h", attrs.get("number", ""), props):
        target.append(element)
    return True


def bibliography(writer: Any, refs: Div) -> None:
    """The entries, one "Bibliography" paragraph each, bookmarked by id."""
    for entry in refs.blocks:
        ident = entry.attrs.id if isinstance(entry, Div) else ""
        for i, block in enumerate(entry.blocks if isinstance(entry, Div) else (entry,)):
            if not isinstance(block, (Para, Plain)):
                writer.block(block)
                continue
            p = paragraph(S.BIBLIOGRAPHY)
            properties = [c for c in p if c.tag.endswith("}pPr")]
            writer.inlines.write(p, block.children)
            mark = writer.ctx.marks.get(ident) if i == 0 and ident else None
            if mark:
                content = [c for c in p if c not in properties]
                for child in content:
                    p.remove(child)
                for child in _bookmarked(writer.ctx, mark, content):
                    p.append(child)
            writer.parent.append(p)
