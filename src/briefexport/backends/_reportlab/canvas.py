"""The PDF canvas: "Page n of N" in one pass, fixed dates, and document metadata."""

from __future__ import annotations

import contextlib
import datetime as _dt
import threading
import time
from collections.abc import Iterator
from typing import Any

from reportlab import rl_config
from reportlab.pdfgen.canvas import Canvas

from ..._version import __version__
from ...tree import Meta
from .styles import color
from .text import clean

PAGE_COUNT_FORM = "bx-page-count"

_binary_lock = threading.Lock()
_binary_depth = 0  # renders under way inside `binary_streams`
_binary_saved: Any = None  # reportlab's setting before the first of them


@contextlib.contextmanager
def binary_streams() -> Iterator[None]:
    """Page, form and image streams written as binary, Flate alone (a decorator too).

    reportlab's default also encodes every stream in ASCII85, for channels
    that only carry 7-bit text; a PDF attached to an email travels as a
    binary file anyway, so that is a quarter more bytes for each page and
    image, and time spent encoding them.  The setting is reportlab's one
    global: it is restored when the last of the renders under way ends (renders
    in several threads do not turn it back on under each other), for other
    users of reportlab in the process.
    """
    global _binary_depth, _binary_saved
    with _binary_lock:
        if _binary_depth == 0:
            _binary_saved, rl_config.useA85 = rl_config.useA85, 0
        _binary_depth += 1
    try:
        yield
    finally:
        with _binary_lock:
            _binary_depth -= 1
            if _binary_depth == 0:
                rl_config.useA85 = _binary_saved


class PageCountCanvas(Canvas):
    """A Canvas that can print "Page n of N" in a single layout pass.

    Each page places a form of its own where its "Page n of N" goes
    (`draw_page_of`); `save` defines the forms once the total is known.  A
    PDF form may be defined after its first use, so the outline and internal
    links stay right, unlike the two-pass `NumberedCanvas` recipe that
    replays every page.  The whole line is in the form, so it ends exactly
    at the right margin whatever the number of digits.

    `created` sets the document's dates (reportlab otherwise stamps
    2000-01-01 in invariant mode).
    """

    def __init__(self, *args: Any, created: _dt.datetime | None = None, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self._page_of: list[tuple[str, str, float, float, str, float, str]] = []
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
        total = str(self.getPageNumber() - 1)
        for name, prefix, right, y, font, size, fill in self._page_of:
            self.beginForm(name)
            self.setFont(font, size)
            self.setFillColor(color(fill))
            self.drawRightString(right, y, prefix + total)
            self.endForm()
        super().save()


def draw_page_of(
    canv: Canvas, prefix: str, right: float, y: float, *, font: str, size: float, fill: str
) -> None:
    """Draw `prefix` (e.g. "Page 3 of ") and the total page count, ending at `right`."""
    if not isinstance(canv, PageCountCanvas):
        raise TypeError("draw_page_of needs a PageCountCanvas (pass canvasmaker=PageCountCanvas)")
    name = f"{PAGE_COUNT_FORM}-{canv.getPageNumber()}"
    canv._page_of.append((name, prefix, right, y, font, size, fill))
    canv.saveState()
    canv.doForm(name)
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
