"""Tree blocks -> Word paragraphs and tables, each paragraph in a named style.

One writer serves the document body, table cells and footnotes: it appends to
`parent` and relates hyperlinks to `part`.  Dispatch is a `match` that raises
on an unknown node: nothing is dropped silently.
"""

from __future__ import annotations

import hashlib
import io
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

from docx.opc.part import Part
from docx.shared import Emu
from lxml.etree import _Element

from ...errors import RenderError, UnsupportedNode
from ...common.images import pixel_size, prepare_image
from ...common.links import resolve_image
from ...transforms.keypoints import split_attribution
from ...tree import (
    Block, BlockQuote, BulletList, CodeBlock, DefinitionList, Div, Figure, Heading, HorizontalRule,
    Inline, OrderedList, Para, Plain, Table, Text,
)
from . import styles as S
from .inlines import Fmt, Inlines
from .numbering import BASE_NUMS, LEVELS
from .references import bibliography, caption_label
from .tables import write_table
from .xml import append_all, clean, el, paragraph, qn, run, twips

if TYPE_CHECKING:
    from .context import Context

_EMU_PER_POINT = 12700


@dataclass(frozen=True)
class _Place:
    para_style: str
    depth: int = 0


class Blocks:
    def __init__(self, ctx: Context, parent: _Element, part: Part, *, in_note: bool = False,
                 para_style: str | None = None, depth: int = 0) -> None:
        self.ctx = ctx
        self.parent = parent
        self.part = part
        self.in_note = in_note
        self.inlines = Inlines(ctx, part, in_note=in_note)
        self.place = _Place(para_style or (S.FOOTNOTE_TEXT if in_note else S.BODY), depth)

    def child(self, *, para_style: str | None = None, depth: int | None = None,
              parent: _Element | None = None) -> Blocks:
        return Blocks(self.ctx, self.parent if parent is None else parent, self.part, in_note=self.in_note,
                      para_style=para_style or self.place.para_style,
                      depth=self.place.depth if depth is None else depth)

    def write(self, blocks: tuple[Block, ...]) -> None:
        for block in blocks:
            self.block(block)

    def para(self, inlines: tuple[Inline, ...], style: str, fmt: Fmt = Fmt(), **props: _Element) -> _Element:
        p = paragraph(style, **props)
        self.inlines.write(p, inlines, fmt, style=style)
        self.parent.append(p)
        return p

    def block(self, node: Block) -> None:
        match node:
            case Para(children=c) | Plain(children=c):
                self.para(c, self.place.para_style)
            case Heading():
                self.heading(node)
            case BulletList(items=items):
                self.list(items, "bullet", 1)
            case OrderedList(items=items, start=start):
                self.list(items, "number", start)
            case DefinitionList(items=items):
                for term, definitions in items:
                    self.para(term, S.DEFINITION_TERM)
                    for definition in definitions:
                        self.child(para_style=S.DEFINITION).write(definition)
            case BlockQuote(blocks=b):
                self.child(para_style=S.QUOTE).write(b)
            case CodeBlock(text=t):
                p = paragraph(S.CODE)
                p.append(run(t.rstrip("\n")))
                self.parent.append(p)
            case HorizontalRule():
                self.parent.append(paragraph(S.RULE))
            case Table():
                self.table(node)
            case Figure():
                self.figure(node)
            case Div():
                self.div(node)
            case _:
                raise UnsupportedNode(f"block node {type(node).__name__} is not handled by the DOCX backend",
                                      self.ctx.doc.source, getattr(node, "line", 0))

    # -- headings and lists

    def heading(self, node: Heading) -> None:
        level = min(max(node.level - self.ctx.heading_shift, 1), 3)
        p = paragraph(S.HEADINGS[level - 1])
        mark = "" if self.in_note else self.ctx.bookmark_for_next_heading()
        if mark:
            mark_id = self.ctx.next_bookmark
            p.append(el("w:bookmarkStart", {"w:id": mark_id, "w:name": mark}))
            self.inlines.write(p, node.children, style=S.HEADINGS[level - 1])
            p.append(el("w:bookmarkEnd", {"w:id": mark_id}))
        else:
            self.inlines.write(p, node.children, style=S.HEADINGS[level - 1])
        if not self.in_note:
            self.ctx.next_bookmark += 1
        self.parent.append(p)

    def list(self, items: tuple[tuple[Block, ...], ...], kind: str, start: int) -> None:
        depth = min(self.place.depth, LEVELS - 1)
        if kind == "number":
            num_id, style = self.ctx.numbering.new_list("number", depth, start), S.LIST_NUMBER
        else:
            num_id, style = BASE_NUMS["bullet"], S.LIST_BULLET
        numpr = lambda: el("w:numPr", {}, el("w:ilvl", {"w:val": depth}), el("w:numId", {"w:val": num_id}))  # noqa: E731
        indent = self.ctx.theme.layout.list_indent * (depth + 1)
        for item in items:
            for i, block in enumerate(item):
                match block:
                    case Para(children=c) | Plain(children=c) if i == 0:
                        self.para(c, style, numPr=numpr())
                    case Para(children=c) | Plain(children=c):
                        self.para(c, S.LIST_CONTINUE, ind=el("w:ind", {"w:left": twips(indent)}))
                    case BulletList() | OrderedList():
                        if i == 0:
                            self.para((), style, numPr=numpr())
                        self.child(depth=depth + 1).block(block)
                    case _:
                        if i == 0:
                            self.para((), style, numPr=numpr())
                        self.child(depth=depth + 1).block(block)
            if not item:
                self.para((), style, numPr=numpr())

    # -- containers

    def div(self, node: Div) -> None:
        if node.attrs.has_class("references"):
            bibliography(self, node)
            return
        if node.kind == "note":
            self.box(node)
            return
        if node.kind != "pullquote":
            self.write(node.blocks)
            return
        blocks, attribution = split_attribution(node.blocks)
        self.child(para_style=S.PULLQUOTE).write(blocks)
        if attribution is not None:
            # As in the PDF: its own style under the quote, the dash dropped.
            self.para(attribution.children, S.PULLQUOTE_ATTRIBUTION)
            return
        kv = dict(node.attrs.kv)
        named = kv.get("attribution") or kv.get("author") or kv.get("cite") or ""
        if named:
            self.para((Text(named),), S.PULLQUOTE_ATTRIBUTION)

    def box(self, node: Div) -> None:
        """A `::: note` as a one-cell table in the "Note Box" style, its title on top."""
        width = twips(self.text_width())
        tc = el("w:tc", {}, el("w:tcPr", {}, el("w:tcW", {"w:w": width, "w:type": "dxa"})))
        title = dict(node.attrs.kv).get("title", "")
        inner = self.child(parent=tc, para_style=S.BODY if not self.in_note else S.FOOTNOTE_TEXT, depth=0)
        if title:
            inner.para((Text(title),), S.BOX_TITLE)
        inner.write(node.blocks)
        if not len(tc) or tc[-1].tag != qn("w:p"):
            tc.append(paragraph(inner.place.para_style))  # a cell must end with a paragraph
        tbl = el("w:tbl", {}, el(
            "w:tblPr", {}, el("w:tblStyle", {"w:val": S.NOTE_BOX}), el("w:tblW", {"w:w": width, "w:type": "dxa"}),
            el("w:tblLayout", {"w:type": "fixed"})),
            el("w:tblGrid", {}, el("w:gridCol", {"w:w": width})),
            el("w:tr", {}, tc))
        self.separate_tables()
        self.parent.append(tbl)
        self.parent.append(paragraph(self.place.para_style))  # space below the box

    def table(self, node: Table) -> None:
        write_table(self, node)

    def separate_tables(self) -> None:
        # Word joins two tables that touch into one: keep a paragraph between.
        if len(self.parent) and self.parent[-1].tag == qn("w:tbl"):
            self.parent.append(paragraph(self.place.para_style))

    def text_width(self) -> float:
        page = self.ctx.theme.page
        if page.columns == 2:
            return (page.frame_width - page.gutter) / 2
        return page.frame_width

    # -- figures

    def figure(self, node: Figure) -> None:
        ctx = self.ctx
        path = resolve_image(node.src, ctx.base_dir, source=ctx.doc.source, line=node.line)
        if self.in_note:
            # Footnotes hold text only here: the picture is named by its caption.
            self.para(node.caption or (Text(node.alt),), S.CAPTION)
            return
        p = paragraph(S.FIGURE)
        p.append(el("w:r", {}, el("w:drawing", {}, self.picture(path, node.alt, node.title, node.line, src=node.src))))
        self.parent.append(p)
        if node.caption:
            # Numbered as the PDF numbers them (and cross-references count): captioned figures only.
            ctx.figures += 1
            caption = paragraph(S.CAPTION)
            append_all(caption, caption_label(ctx, "figure", ctx.figures, node.attrs.id))
            caption.append(run("\u2003"))
            self.inlines.write(caption, node.caption, style=S.CAPTION)
            self.parent.append(caption)

    def picture(self, path: Path, alt: str, title: str, line: int, *, src: str = "") -> _Element:
        """A `wp:inline` picture scaled to the text width, with its alt text.

        The pixels embedded are those `prepare_image` gives for the displayed
        size: upright, and no denser than the theme's maximum DPI.
        """
        from docx.image.exceptions import UnrecognizedImageError
        from docx.image.image import Image as DocxImage

        ctx = self.ctx
        unreadable = f"image {path.name!r} cannot be embedded (not a readable image)"
        try:
            size = pixel_size(path)
        except RenderError:
            raise RenderError(unreadable, ctx.doc.source, line) from None
        page = ctx.theme.page
        max_w = self.text_width()
        max_h = (page.height - page.margin_top - page.margin_bottom) * 0.6
        scale = min(max_w / max(size.width, 1), max_h / max(size.height, 1))
        width_pt, height_pt = size.width * scale, size.height * scale
        try:
            data = prepare_image(path, width_pt, height_pt, ctx.theme.output.max_image_dpi)
            DocxImage.from_blob(data)
            # The reader maps the embedded bytes back to the source's file name.
            ctx.image_sources.append((hashlib.sha256(data).hexdigest(), src, title))
        except RenderError:
            raise RenderError(unreadable, ctx.doc.source, line) from None
        except (UnrecognizedImageError, OSError, ValueError) as exc:
            raise RenderError(f"image {path.name!r} cannot be embedded (PNG, JPEG, GIF, BMP or TIFF only): {exc}",
                              ctx.doc.source, line) from None
        inline = ctx.document.part.new_pic_inline(
            io.BytesIO(data), Emu(round(width_pt * _EMU_PER_POINT)), Emu(round(height_pt * _EMU_PER_POINT)))
        inline.docPr.set("descr", clean(alt))
        if title:
            inline.docPr.set("title", clean(title))
        return inline
