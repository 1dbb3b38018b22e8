"""Page templates: the first page's band, body columns, the running footer, outline."""

from __future__ import annotations

import contextlib
import functools
from typing import IO

from reportlab.pdfbase.pdfmetrics import stringWidth
from reportlab.pdfgen.canvas import Canvas
from reportlab.platypus import BaseDocTemplate, Flowable, Frame, PageTemplate

from ...common.display import running_title
from ...common.stamps import timestamp
from .._reportlab.canvas import PageCountCanvas, binary_streams, document_info, draw_page_of
from .._reportlab.metadata import with_metadata
from .._reportlab.text import clean
from .._reportlab.styles import color
from .._reportlab.faces import draw_text
from .._reportlab.marking import Tagger, TaggingCanvasMixin
from .context import BriefContext, note_anchor, note_ref_anchor
from .keeps import KeepWithNext
from .front import series_label
from .._reportlab.splitting import BriefParagraph as Paragraph


def column_frames(ctx: BriefContext, top: float, prefix: str) -> list[Frame]:
    """The body's frames from `top` (a y coordinate) down to the bottom margin,
    in reading order: right column first in a right-to-left document."""
    page = ctx.theme.page
    height = top - page.margin_bottom
    width = (page.frame_width - page.gutter * (page.columns - 1)) / page.columns
    order = range(page.columns - 1, -1, -1) if ctx.rtl else range(page.columns)
    return [
        Frame(page.margin_left + i * (width + page.gutter), page.margin_bottom, width, height,
              leftPadding=0, rightPadding=0, topPadding=0, bottomPadding=0, id=f"{prefix}{i}")
        for i in order
    ]


class BriefDocTemplate(BaseDocTemplate):
    """Two page templates: "first" (band, front matter, body) and "later"."""

    def __init__(self, buffer: IO[bytes], ctx: BriefContext, band: list[Paragraph], band_height: float,
                 front_height: float, dangling: set[str]) -> None:
        page = ctx.theme.page
        meta = ctx.doc.meta
        super().__init__(
            buffer, pagesize=page.size, leftMargin=page.margin_left, rightMargin=page.margin_right,
            topMargin=page.margin_top, bottomMargin=page.margin_bottom,
            initialFontName=ctx.roles["body"].primary, keepTogetherClass=KeepWithNext, **document_info(meta),
        )
        self.ctx = ctx
        self.band = band
        self.band_height = band_height
        self.dangling = sorted(dangling)
        self._outline_keys = 0
        self._outline_level = -1
        top = page.height - band_height
        if page.columns == 1:
            first = column_frames(ctx, top, "first")
        else:
            front_height = min(front_height, top - page.margin_bottom)
            front = Frame(page.margin_left, top - front_height, page.frame_width, front_height,
                          leftPadding=0, rightPadding=0, topPadding=0, bottomPadding=0, id="front")
            first = [front, *column_frames(ctx, top - front_height, "first")]
        self.addPageTemplates([
            PageTemplate("first", first, onPage=self._first_page),
            PageTemplate("later", column_frames(ctx, page.height - page.margin_top, "later"), onPage=self._later_page),
        ])

    @binary_streams()
    def build(self, flowables: list[Flowable], *, tagged: bool = True) -> None:  # type: ignore[override]
        meta = self.ctx.doc.meta
        created = timestamp(meta)
        tagger = Tagger(self.ctx.tree, wrap_link=_link_wrapper, describe_link=_describe_link) if tagged else None
        canvasmaker = with_metadata(functools.partial(_BriefCanvas, created=created, tagger=tagger), meta, created,
                                    self.ctx.theme.output.pdf_standard)
        super().build(flowables, canvasmaker=canvasmaker)

    # ---------------------------------------------------------- decorations

    def _first_page(self, canv: Canvas, doc: BaseDocTemplate) -> None:
        ctx = self.ctx
        page = ctx.theme.page
        canv.saveState()
        canv.setFillColor(color(ctx.theme.colors.accent))
        canv.rect(0, page.height - self.band_height, page.width, self.band_height, stroke=0, fill=1)
        y = page.height - ctx.theme.layout.band_padding_top
        for index, para in enumerate(self.band):
            _, height = para.wrap(page.frame_width, page.height)
            y -= height + (para.getSpaceBefore() if index else 0)
            para.drawOn(canv, page.margin_left, y)
        canv.restoreState()
        # Links to anchors that no heading defines land at the top of the brief
        # (an undefined destination would make the whole PDF fail to build).
        for name in self.dangling:
            canv.bookmarkPage(name)
        canv.showOutline()
        self._footer(canv, first=True)

    def _later_page(self, canv: Canvas, doc: BaseDocTemplate) -> None:
        self._footer(canv, first=False)

    def _footer(self, canv: Canvas, *, first: bool) -> None:
        ctx = self.ctx
        page = ctx.theme.page
        style = ctx.text_style("footer")
        font = ctx.roles[style.font].face(style.bold, style.italic)
        fill = ctx.theme.color(style.color)
        left, right = page.margin_left, page.width - page.margin_right
        baseline = page.footer_baseline
        canv.saveState()
        canv.setStrokeColor(color(ctx.theme.colors.rule))
        canv.setLineWidth(ctx.theme.layout.hairline)
        canv.line(left, baseline + style.leading, right, baseline + style.leading)
        prefix = f"Page {canv.getPageNumber()} of "
        # The running footer is page furniture: a screen reader skips it.
        with _furniture(canv, "Footer"):
            draw_page_of(canv, prefix, right, baseline, font=font, size=style.size, fill=fill)
            if not first:
                # The title is on the band of page 1; later pages carry it here.
                room = page.frame_width - stringWidth(prefix + "99", font, style.size) - style.size * 2
                running = _fit(clean(running_title(series_label(ctx), ctx.doc.meta.title)), font, style.size, room)
                canv.setFillColor(color(fill))
                draw_text(canv, left, baseline, running, ctx.roles[style.font], style.size,
                          bold=style.bold, italic=style.italic)
        canv.restoreState()

    # -------------------------------------------------------------- outline

    def afterFlowable(self, flowable: Flowable) -> None:
        entry = getattr(flowable, "_bx_outline", None)
        if entry is None:
            return
        title, level = entry
        # An outline may deepen one level at a time (reportlab raises
        # otherwise): a document that opens with an H3 gets it at the top.
        level = min(level, self._outline_level + 1)
        self._outline_level = level
        self._outline_keys += 1
        key = f"bx-outline-{self._outline_keys}"
        self.canv.bookmarkPage(key)
        self.canv.addOutlineEntry(title, key, level=level, closed=False)


class _BriefCanvas(TaggingCanvasMixin, PageCountCanvas):
    """The brief's canvas: "Page n of N" in one pass, tagged while drawn."""

    def __init__(self, *args: object, tagger: Tagger | None, **kwargs: object) -> None:
        super().__init__(*args, **kwargs)
        if tagger is not None:
            self.set_tagger(tagger)


def _furniture(canv: Canvas, subtype: str):  # noqa: ANN202
    """Draw a pagination artifact (or, untagged, just draw)."""
    tagger = getattr(canv, "tagger", None)
    return tagger.artifact("Pagination", subtype) if tagger is not None else contextlib.nullcontext()


def _link_wrapper(href: str) -> str | None:
    """A footnote marker's link sits in a `Reference` (its note is a `Note`)."""
    return "Reference" if href.startswith("#" + note_anchor(0)[:-1]) else None


def _describe_link(href: str, text: str) -> str:
    """The link's name for a screen reader (an annotation's /Contents)."""
    if href.startswith("#" + note_anchor(0)[:-1]) or href.startswith(note_anchor(0)[:-1]):
        return f"Note {text}" if text else "Note"
    if href.lstrip("#").startswith(note_ref_anchor(0)[:-1]):
        return "Back to the text"
    return text or href


def _fit(text: str, font: str, size: float, width: float) -> str:
    """`text` cut with an ellipsis so that it is at most `width` wide."""
    if stringWidth(text, font, size) <= width:
        return text
    while text and stringWidth(text + "\u2026", font, size) > width:
        text = text[:-1]
    return text.rstrip() + "\u2026"
