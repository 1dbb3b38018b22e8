"""The one-pager as a one-page PDF: the plan drawn on a reportlab canvas."""

from __future__ import annotations

import io

from reportlab.pdfgen.canvas import Canvas

from ...common.stamps import timestamp
from ...theme import Theme
from ...tree import Document
from .fit import Measure, Slide
from .._reportlab.styles import color
from .._reportlab.canvas import document_info
from .._reportlab.metadata import install, pdf_date
from .._reportlab.pdfa import convert as archival

_HUGE = 1e6


def draw(slide: Slide, doc: Document, theme: Theme) -> bytes:
    measure = Measure(theme)
    meta = doc.meta
    buffer = io.BytesIO()
    # initialFontName keeps an unembedded Helvetica out of the page resources.
    canvas = Canvas(
        buffer, pagesize=(slide.width, slide.height), invariant=1,
        initialFontName=measure.roles["body"].primary, lang=meta.lang or None,
    )
    created = timestamp(meta)
    stamp = pdf_date(created)
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
    for shape in slide.shapes:
        canvas.setFillColor(color(shape.fill))
        canvas.rect(shape.x, height - shape.y - shape.h, shape.w, shape.h, stroke=0, fill=1)
    for box in slide.boxes:
        y = box.y
        for i, para in enumerate(box.paras):
            if i:
                y += para.space_before
            p = measure.paragraph(para)
            _, h = p.wrap(box.w, _HUGE)
            p.drawOn(canvas, box.x, height - y - h)
            y += h
    canvas.showPage()
    canvas.save()
    return archival(buffer.getvalue(), theme.output.pdf_standard)
