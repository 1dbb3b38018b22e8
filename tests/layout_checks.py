"""Where a PDF's words and lines really are, read with poppler's `pdftotext -bbox`.

For tests of layout as a reader sees it: every word inside the text frame,
how full each page is.  Coordinates are poppler's: points from the top-left
corner of the page.
"""

from __future__ import annotations

import html
import re
import shutil
import subprocess
from dataclasses import dataclass
from pathlib import Path

_PAGE = re.compile(r'<page width="([\d.]+)" height="([\d.]+)">(.*?)</page>', re.S)
_WORD = re.compile(r'<word xMin="([\d.-]+)" yMin="([\d.-]+)" xMax="([\d.-]+)" yMax="([\d.-]+)">(.*?)</word>', re.S)


@dataclass(frozen=True)
class Word:
    x0: float
    y0: float
    x1: float
    y1: float
    text: str


@dataclass(frozen=True)
class Page:
    number: int
    width: float
    height: float
    words: tuple[Word, ...]


def have_pdftotext() -> bool:
    return shutil.which("pdftotext") is not None


def pages(pdf: Path | bytes) -> list[Page]:
    """The words of every page of `pdf` (a file or its bytes) with their boxes."""
    data = pdf.read_bytes() if isinstance(pdf, Path) else pdf
    out = subprocess.run(["pdftotext", "-bbox", "-", "-"], input=data, capture_output=True, check=True).stdout
    found = []
    for number, (w, h, body) in enumerate(_PAGE.findall(out.decode("utf-8")), start=1):
        words = tuple(Word(float(a), float(b), float(c), float(d), html.unescape(t)) for a, b, c, d, t in _WORD.findall(body))
        found.append(Page(number, float(w), float(h), words))
    return found


def outside(pdf_pages: list[Page], left: float, right: float, *, columns: tuple[tuple[float, float], ...] = (),
            body: tuple[float, float] | None = None, first_body_page: int = 2, tolerance: float = 0.5) -> list[str]:
    """Words drawn outside the text frame `left`..`right` (points from the left edge).

    With `columns`, a word in the body area (`body`: top and bottom, from
    the top edge) of a page from `first_body_page` on must lie inside one
    column: a word that runs into the gutter has left its frame.
    """
    problems = []
    for page in pdf_pages:
        for word in page.words:
            where = f"page {page.number}: {word.text!r} at x {word.x0:.1f}..{word.x1:.1f}"
            if word.x0 < left - tolerance or word.x1 > right + tolerance:
                problems.append(f"{where}, frame {left:.1f}..{right:.1f}")
            elif word.y0 < -tolerance or word.y1 > page.height + tolerance:
                problems.append(f"{where}: off the paper at y {word.y0:.1f}..{word.y1:.1f}")
            elif columns and body and page.number >= first_body_page and body[0] <= word.y0 and word.y1 <= body[1]:
                if not any(a - tolerance <= word.x0 and word.x1 <= b + tolerance for a, b in columns):
                    problems.append(f"{where}: crosses the gutter")
    return problems


def column_ends(pdf_pages: list[Page], columns: tuple[tuple[float, float], ...], bottom: float,
                tolerance: float = 0.5) -> list[tuple[int, int, float]]:
    """(page, column, y) of the lowest word of each column of each page.

    `columns` are the columns' left and right edges and `bottom` the frame's
    bottom (from the top edge): words below it (the footer) do not count.
    A column with no word is left out.
    """
    out = []
    for page in pdf_pages:
        for index, (a, b) in enumerate(columns):
            ys = [w.y1 for w in page.words if w.y1 <= bottom + tolerance
                  and a - tolerance <= w.x0 and w.x1 <= b + tolerance]
            if ys:
                out.append((page.number, index, max(ys)))
    return out


_IMAGE = re.compile(r'<image top="([\d.-]+)" left="([\d.-]+)" width="([\d.-]+)" height="([\d.-]+)"')
_XML_PAGE = re.compile(r'<page number="(\d+)"[^>]*>(.*?)</page>', re.S)


def image_boxes(pdf: bytes, scratch: Path) -> dict[int, list[tuple[float, float, float, float]]]:
    """page -> (x0, y0, x1, y1) of each image drawn on it, read with poppler's `pdftohtml -xml`."""
    source = scratch / "images.pdf"
    source.write_bytes(pdf)
    out = subprocess.run(["pdftohtml", "-xml", "-zoom", "1", "-q", "-stdout", str(source), str(scratch / "img")],
                         capture_output=True, check=True, cwd=scratch).stdout.decode("utf-8", "replace")
    found: dict[int, list[tuple[float, float, float, float]]] = {}
    for number, body in _XML_PAGE.findall(out):
        for top, left, width, height in _IMAGE.findall(body):
            x0, y0 = float(left), float(top)
            found.setdefault(int(number), []).append((x0, y0, x0 + float(width), y0 + float(height)))
    return found
