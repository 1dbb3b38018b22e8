"""The one-pager as a one-page PDF: the plan drawn on a reportlab canvas."""

from __future__ import annotations

import io

from reportlab.pdfgen.canvas import Canvas

from ...common.stamps import timestamp
from ...theme import Theme
from ...tree import Document
from .fit import Box, Measure, Slide
from .._reportlab.marking import Tagger, TaggingCanvasMixin
from .._reportlab.structure import Element, StructTree
from .._reportlab.styles import color
from .._reportlab.canvas import binary_streams, document_info
from ...common.scripts import is_rtl_language
from .._reportlab.metadata import install, pdf_date
from .._reportlab.pdfa import convert as archival
from .._reportlab.tagged import tag

_HUGE = 1e6


@binary_streams()
def draw(slide: Slide, doc: Document, theme: Theme, *, tagged: bool = True) -> bytes:
    """The slide's PDF bytes; `tagged=False` leaves out the structure (to measure what tagging costs)."""
    measure = Measure(theme, rtl=is_rtl_language(doc.meta.lang))
    meta = doc.meta
    buffer = io.BytesIO()
    # initialFontName keeps an unembedded Helvetica out of the page resources.
    canvas = _SlideCanvas(
        buffer, pagesize=(slide.width, slide.height), invariant=1,
        initialFontName=measure.roles["body"].primary, lang=meta.lang or None,
    )
    created = timestamp(meta)
    stamp = pdf_date(created)
    tree = StructTree()
    if tagged:
        canvas.set_tagger(Tagger(tree))
    elements = _structure(slide, tree.root)
    canvas.setDateFormatter(lambda *_: stamp)
    # The same metadata as the brief's, from the one place that builds it.
    info = document_info(meta)
    canvas.setTitle(info["title"])
    canvas.setAuthor(info["author"])
    canvas.setSubject(info["subject"])
    canvas.setKeywords(info["keywords"])
    canvas.setCreator(info["creator"])
    install(canvas, meta, created, theme.output.pdf_standard)

    height = slide.height
    # The band, panel, bar and rule are decoration: drawn outside any element, they are artifacts.
    for shape in slide.shapes:
        canvas.setFillColor(color(shape.fill))
        canvas.rect(shape.x, height - shape.y - shape.h, shape.w, shape.h, stroke=0, fill=1)
    # Zones are painted in reading order (they never overlap), as readers
    # that follow the page rather than the tree expect.
    for box in sorted(slide.boxes, key=lambda b: _ORDER.index(b.name) if b.name in _ORDER else len(_ORDER)):
        y = box.y
        for i, para in enumerate(box.paras):
            if i:
                y += para.space_before
            element, label = elements[(box.name, i)]
            p = tag(measure.paragraph(para), element, label=label)
            _, h = p.wrap(box.w, _HUGE)
            p.drawOn(canvas, box.x, height - y - h)
            y += h
    canvas.showPage()
    canvas.save()
    return archival(buffer.getvalue(), theme.output.pdf_standard)


class _SlideCanvas(TaggingCanvasMixin, Canvas):
    """A canvas that tags the slide while it is drawn."""


# Reading order of the zones (they are drawn in another: footer and authors first).
_ORDER = ("band", "points", "quote", "authors", "footer", "footer-right")


def _structure(slide: Slide, root: Element) -> dict[tuple[str, int], tuple[Element, Element | None]]:
    """Each drawn paragraph's element (and a key point's Lbl), created in reading order.

    The band holds the series line, the title and the subtitle, each only
    when the source has it; key points are a list after their label; the
    quote and its attribution are one block quote.
    """
    c = slide.content
    out: dict[tuple[str, int], tuple[Element, Element | None]] = {}
    boxes = {box.name: box for box in slide.boxes}
    for name in _ORDER:
        box: Box | None = boxes.get(name)
        if box is None:
            continue
        if name == "band":
            roles = [r for r, shown in (("P", c.series or c.date), ("Title", c.title), ("P", c.subtitle)) if shown]
            for i, _ in enumerate(box.paras):
                out[(name, i)] = (root.add(roles[i] if i < len(roles) else "P"), None)
        elif name == "points":
            sect = root.add("Sect")
            items = sect.add("L") if any(p.bullet for p in box.paras) else None
            for i, para in enumerate(box.paras):
                if para.bullet and items is not None:
                    li = items.add("LI")
                    label = li.add("Lbl")
                    out[(name, i)] = (li.add("LBody").add("P"), label)
                else:
                    # The label goes before the list: insert it ahead of `items`.
                    out[(name, i)] = (_before(sect, items, "P"), None)
        elif name == "quote":
            quote = root.add("BlockQuote")
            for i, _ in enumerate(box.paras):
                out[(name, i)] = (quote.add("P"), None)
        else:
            for i, _ in enumerate(box.paras):
                out[(name, i)] = (root.add("P"), None)
    return out


def _before(parent: Element, sibling: Element | None, type_: str) -> Element:
    """A new child of `parent` placed before `sibling` (at the end when there is none)."""
    element = parent.add(type_)
    if sibling is not None:
        parent.kids.remove(element)
        parent.kids.insert(parent.kids.index(sibling), element)
    return element
