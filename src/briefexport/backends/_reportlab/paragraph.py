"""reportlab's Paragraph, with right-to-left text in visual order and shaped scripts shaped.

A drop-in for `reportlab.platypus.Paragraph`: text without right-to-left
letters or scripts that need shaping is laid out and drawn exactly as
reportlab does.  Otherwise

- the style is copied with `shaping=1`, so HarfBuzz joins Arabic and forms
  Indic conjuncts (see `shaping`);
- the text is cut into pieces of one bidi level before line breaking, so
  each piece is shaped in its own direction;
- each line is reordered for drawing (UAX #9 rules L1-L4, see `reorder`);
  line breaking and splitting still see the logical order.

The paragraph direction is the style's: `wordWrap="RTL"` (set for documents
in a right-to-left language) makes it right to left, which reportlab also
uses to align a justified paragraph's last line and its bullets right.
URLs and over-long runs break at sensible points (`linebreaks`).
"""

from __future__ import annotations

import copy
import io
from typing import Any

from reportlab.lib.fonts import ps2tt, tt2ps
from reportlab.lib.styles import ParagraphStyle
from reportlab.lib.utils import ImageReader
from reportlab.platypus import paragraph as _rl_paragraph
from reportlab.platypus.paraparser import ParaFrag

from ...common.images import prepare_image
from ...common.scripts import has_rtl, is_rtl_char, needs_shaping
from . import linebreaks, shaping
from .reorder import levels, mirrored, visual_order

linebreaks.install()
shaping.install()

def _with_shaping(style: ParagraphStyle) -> ParagraphStyle:
    shaped = copy.copy(style)
    shaped.shaping = 1
    return shaped


class Paragraph(_rl_paragraph.Paragraph):
    def __init__(self, text: str, style: ParagraphStyle | None = None, *args: Any, **kwargs: Any) -> None:
        self._bx_bidi = False
        if style is not None and isinstance(text, str) and needs_shaping(text) and shaping.available():
            style = _with_shaping(style)
        super().__init__(text, style, *args, **kwargs)

    @property
    def _bx_base(self) -> int:
        return 1 if getattr(self.style, "wordWrap", None) == "RTL" else 0

    def _setup(self, text, style, bulletText, frags, cleaner):  # noqa: ANN001, ANN202
        parsed = frags is None
        if parsed and isinstance(text, str):
            cleaned = cleaner(text)
            frags = _plain_frags(cleaned, style)
            if frags is not None:  # else the parser cleans `text` itself, once
                text = cleaned
                _rl_paragraph.textTransformFrags(frags, style)
        super()._setup(text, style, bulletText, frags, cleaner)
        if parsed and "<img" in (text or ""):
            _print_size_images(self.frags, getattr(style, "bxMaxImageDpi", None))
        if parsed and not _rl_paragraph._processed_frags(self.frags):
            split = _split_by_level(self.frags, 1 if getattr(style, "wordWrap", None) == "RTL" else 0)
            if split is not None:
                self.frags = split
                self._bx_bidi = True
        elif not parsed:
            # A piece of a split paragraph: its words carry their levels already.
            self._bx_bidi = any(getattr(f, "bx_level", 0) for w in frags if isinstance(w, list)
                                for f, _ in w[1:]) or getattr(style, "wordWrap", None) == "RTL"

    def split(self, availWidth, availHeight):  # noqa: ANN001, ANN201, N803
        parts = super().split(availWidth, availHeight)
        for part in parts:
            if isinstance(part, Paragraph):
                part._bx_bidi = part._bx_bidi or self._bx_bidi
        return parts

    def beginText(self, x, y):  # noqa: ANN001, ANN201, N802
        if not self._bx_bidi and not getattr(self.style, "shaping", 0):
            return super().beginText(x, y)
        return shaping.text_object(self.canv, x, y)

    def drawPara(self, debug=0):  # noqa: ANN001, ANN201, N802
        lines = getattr(self.blPara, "lines", None)
        if not self._bx_bidi or getattr(self.blPara, "kind", 0) != 1 or not lines:
            return super().drawPara(debug)
        base = self._bx_base
        # reportlab draws the pieces of a right-to-left paragraph's lines in
        # reverse: hand it the visual order reversed.
        self.blPara.lines = [_visual_line(line, base, reverse=bool(base)) for line in lines]
        try:
            return super().drawPara(debug)
        finally:
            self.blPara.lines = lines


def _plain_frags(text: str, style: ParagraphStyle) -> list[ParaFrag] | None:
    """The fragments reportlab's parser makes of `text` (cleaned) when it is
    plain text, with no tag and no entity; None for anything else.

    Most of a brief's paragraphs are plain, and the parser (an HTMLParser
    in Python) was a tenth of a long brief's time.  The fragment is built
    as `ParaParser._initial_frag` and `handle_data` build it, attribute for
    attribute; a test holds it to the parser's for the article's paragraphs.
    """
    if not text or "<" in text or "&" in text:
        return None
    frag = ParaFrag()
    frag.rise = 0
    frag.greek = 0
    frag.link = []
    try:
        frag.fontName, frag.bold, frag.italic = ps2tt(style.fontName)
        frag.fontName = tt2ps(frag.fontName, frag.bold, frag.italic)
    except ValueError:
        return None  # the parser names the unknown font
    frag.fontSize = style.fontSize
    frag.textColor = style.textColor
    frag.us_lines = []
    frag.__tag__ = "para"
    frag.text = text
    return [frag]


def _print_size_images(frags: list, max_dpi: float | None) -> None:
    """Inline images embedded at the size they are drawn (`common.images.prepare_image`),
    not as the whole file reportlab read."""
    if not max_dpi:
        return
    for frag in frags:
        defn = getattr(frag, "cbDefn", None)
        if getattr(defn, "kind", None) == "img" and isinstance(defn.src, str):
            data = prepare_image(defn.src, float(defn.width), float(defn.height), max_dpi)
            defn.image = ImageReader(io.BytesIO(data))


def _text_frags(frags: list) -> list:
    return [f for f in frags if hasattr(f, "text") and not hasattr(f, "cbDefn")]


def _split_by_level(frags: list, base: int) -> list | None:
    """`frags` cut where the bidi level changes, each piece marked with its level
    (`bx_level`); None when the paragraph has nothing to reorder."""
    text = "".join(f.text for f in _text_frags(frags))
    if base == 0 and not has_rtl(text):
        return None
    found = levels(text, base)
    out, at = [], 0
    for frag in frags:
        if not hasattr(frag, "text") or hasattr(frag, "cbDefn"):
            out.append(frag)
            continue
        own = found[at:at + len(frag.text)]
        at += len(frag.text)
        start = 0
        for i in range(1, len(frag.text) + 1):
            if i == len(frag.text) or own[i] != own[start]:
                piece = frag.clone()
                piece.text = frag.text[start:i]
                piece.bx_level = own[start]
                out.append(piece)
                start = i
        if not frag.text:
            out.append(frag)
    if len(out) == 1:
        # reportlab lays out a single fragment as plain words, which this
        # module does not reorder: an empty second fragment keeps it general.
        empty = out[0].clone()
        empty.text = ""
        out.append(empty)
    return out


def _visual_line(line: Any, base: int, *, reverse: bool = False) -> Any:
    """A copy of a laid-out line (reportlab's FragLine) with its pieces in visual order."""
    logical = "".join(_source(g) for g in line.words if not hasattr(g, "cbDefn"))
    found = levels(logical, base)
    runs: list[tuple[int, Any]] = []
    at = 0
    for g in line.words:
        if hasattr(g, "cbDefn"):
            runs.append((runs[-1][0] if runs else base, g))
            continue
        text = g.text
        own = found[at:at + len(text)]
        at += len(text)
        start = 0
        for i in range(1, len(text) + 1):
            if i == len(text) or own[i] != own[start] or (text[i] == " ") != (text[start] == " "):
                piece = g.clone()
                piece.text = text[start:i]
                runs.append((own[start], piece))
                start = i
    ordered = []
    for level, piece in visual_order(runs):
        if level % 2 and not hasattr(piece, "cbDefn") and not _shaped_right_to_left(piece.text):
            piece.text = mirrored(piece.text)
        ordered.append(piece)
    new = copy.copy(line)
    new.words = ordered[::-1] if reverse else ordered
    return new


def _source(frag: Any) -> str:
    """The frag's text with each shaped glyph replaced by one character of its source,
    so that bidi classes (and so levels) line up with the glyphs drawn."""
    table = shaping.source_text(frag.fontName)
    if not table:
        return frag.text
    return "".join((table.get(ord(c)) or c)[0] for c in frag.text)


def _shaped_right_to_left(text: str) -> bool:
    """HarfBuzz has already put this piece in visual order (it shapes runs of a
    right-to-left script right to left); other pieces at an odd level are reversed here."""
    return bool(getattr(text, "__shapeData__", None)) and any(
        is_rtl_char(c) or 0xE000 <= ord(c) <= 0xF8FF for c in text)
