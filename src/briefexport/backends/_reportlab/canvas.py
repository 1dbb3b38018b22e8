"""The PDF canvas: "Page n of N" in one pass, fixed dates, and document metadata."""

from __future__ import annotations

import datetime as _dt
import time
from typing import Any

from reportlab.pdfbase import pdfmetrics
from reportlab.pdfgen.canvas import Canvas

from ..._version import __version__
from ...tree import Meta
from .styles import color
from .text import clean

PAGE_COUNT_FORM = "bx-page-count"


class PageCountCanvas(Canvas):
    """A Canvas that can print "Page n of N" in a single layout pass.

    Each page draws its "Page n of " and places the form `PAGE_COUNT_FORM`
    after it (`draw_page_of`); `save` defines that form with the total once
    it is known.  A PDF form may be defined after its first use, so the
    outline and internal links stay right, unlike the two-pass
    `NumberedCanvas` recipe that replays every page.

    `created` sets the document's dates (reportlab otherwise stamps
    2000-01-01 in invariant mode).
    """

    def __init__(self, *args: Any, created: _dt.datetime | None = None, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self._page_count_style: tuple[str, float, str] | None = None
        if created is not None:
            stamp = self._doc._timeStamp
            seconds = created.timestamp()
            stamp.t = seconds
            stamp.lt = time.gmtime(seconds)
            stamp.YMDhms = tuple(stamp.lt)[:6]
            stamp.dhh = stamp.dmm = 0
            stamp.tzname = "UTC"

    def save(self) -> None:
        if self._code:
            self.showPage()
        if self._page_count_style is not None:
            font, size, fill = self._page_count_style
            self.beginForm(PAGE_COUNT_FORM)
            self.setFont(font, size)
            self.setFillColor(color(fill))
            self.drawString(0, 0, str(self.getPageNumber() - 1))
            self.endForm()
        super().save()


def draw_page_of(
    canv: Canvas, prefix: str, right: float, y: float, *, font: str, size: float, fill: str
) -> None:
    """Draw `prefix` (e.g. "Page 3 of ") and the total page count, ending near `right`.

    The total is unknown until the end, so room for two digits is kept at
    the right; a one-digit total ends one digit short of `right`.
    """
    if not isinstance(canv, PageCountCanvas):
        raise TypeError("draw_page_of needs a PageCountCanvas (pass canvasmaker=PageCountCanvas)")
    canv._page_count_style = (font, size, fill)
    slot = pdfmetrics.stringWidth("99", font, size)
    canv.saveState()
    canv.setFont(font, size)
    canv.setFillColor(color(fill))
    canv.drawRightString(right - slot, y, prefix)
    canv.translate(right - slot, y)
    canv.doForm(PAGE_COUNT_FORM)
    canv.restoreState()


def document_info(meta: Meta, *, subject: str | None = None) -> dict[str, object]:
    """`BaseDocTemplate` keywords for the PDF's metadata and reproducibility."""
    return {
        "title": clean(meta.title),
        "author": ", ".join(clean(a.name) for a in meta.authors),
        "subject": clean(meta.subtitle if subject is None else subject),
        "keywords": [clean(k) for k in meta.keywords],
        "creator": f"briefexport {__version__}",
        "lang": clean(meta.lang) or "en",
        "displayDocTitle": 1,
        "invariant": 1,
    }
