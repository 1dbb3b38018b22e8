"""Shaped text (joined Arabic, Indic conjuncts) through reportlab and uharfbuzz.

reportlab shapes a paragraph's words with HarfBuzz when its style asks
(`shaping=1`) and `uharfbuzz` is installed.  Two gaps are closed here:

- it shapes a word with the font of its first piece only, so a word whose
  pieces use two fonts (an Arabic name in Noto Naskh followed by a note
  marker in Source Serif) gets glyph numbers of the wrong font: each run of
  one font and one direction is shaped on its own;
- a shaped glyph is named in the PDF's ToUnicode map by the first character
  the font maps to it, or by a private-use code when none does, so copying
  or extracting joined Arabic gives presentation forms or private-use
  characters: every glyph is mapped back to the source characters it was
  shaped from (`ShapingTTFont`).
"""

from __future__ import annotations

import unicodedata
from functools import cache
from itertools import groupby

from reportlab.lib.rl_accel import fp_str, instanceStringWidthTTF as _instance_width
from reportlab.pdfbase import pdfmetrics, ttfonts
from reportlab.pdfgen.textobject import PDFTextObject
from reportlab.platypus import paragraph as _rl_paragraph

_reportlab_shape = ttfonts.shapeFragWord
# Per registered font: glyph character (as reportlab encodes it) -> source text.
_SOURCE_TEXT: dict[str, dict[int, str]] = {}


@cache
def available() -> bool:
    """True when HarfBuzz can shape (reportlab found `uharfbuzz`)."""
    return ttfonts.uharfbuzz is not None


def _key(frag: object) -> tuple | None:
    if hasattr(frag, "cbDefn"):
        return None
    return (frag.fontName, frag.fontSize, getattr(frag, "bx_level", 0))


# Kerning and standard ligatures, but not reportlab's default discretionary
# ones (`dlig`): Noto Serif Hebrew would join alef and lamed as no word
# processor does.
FEATURES = {"kern": True, "liga": True}


def shape_frag_word(word, features=None, force=False):  # noqa: ANN001, ANN201
    """reportlab's `shapeFragWord`, run by run of one font and direction.

    Inline objects (anchors, images) are passed through in place: reportlab's
    shaper hands them back in a form the line breaker cannot read.
    """
    if isinstance(word, ttfonts.ShapedFragWord):
        return word
    kwargs = {"features": FEATURES if features is None else features}
    runs: list[tuple[tuple | None, list]] = []
    for item in word[1:]:
        key = _key(item[0])
        if runs and key is not None and runs[-1][0] == key:
            runs[-1][1].append(item)
        else:
            runs.append((key, [item]))
    if len(runs) == 1 and runs[0][0] is not None and not any(isinstance(s, ttfonts.ShapedStr) for _, s in word[1:]):
        return _remember(word, _reportlab_shape(word, force=force, **kwargs))
    width, items, changed = 0.0, [], False
    for key, pieces in runs:
        if key is None or any(isinstance(s, ttfonts.ShapedStr) for _, s in pieces):
            # Inline objects, and pieces of a word shaped before a paragraph split.
            items.extend(pieces)
            width += sum(_width(f, s) for f, s in pieces)
            continue
        sub = [sum(pdfmetrics.stringWidth(s, f.fontName, f.fontSize) for f, s in pieces), *pieces]
        shaped = _remember(sub, _reportlab_shape(sub, force=force, **kwargs))
        changed = changed or shaped is not sub
        width += shaped[0]
        items.extend(shaped[1:])
    if not changed:
        return word
    return ttfonts.makeShapedFragWord(word)([width, *items])


def shape_text(text: str, font_name: str, size: float) -> tuple[str, float]:
    """`text` shaped in one font, in visual order, and its width; `text`
    itself when HarfBuzz is missing or changes nothing."""
    width = pdfmetrics.stringWidth(text, font_name, size)
    if not available() or not text:
        return text, width
    frag = _Frag(font_name, size)
    shaped = shape_frag_word([width, (frag, text)])
    if shaped[0] == width and len(shaped) == 2 and shaped[1][1] == text:
        return text, width
    return "".join(s for _, s in shaped[1:]) if len(shaped) > 2 else shaped[1][1], shaped[0]


class _Frag:
    """The two attributes of a Paragraph fragment the shaper reads."""

    def __init__(self, font_name: str, size: float) -> None:
        self.fontName = font_name
        self.fontSize = size


def _width(frag: object, text: str) -> float:
    if hasattr(frag, "cbDefn"):
        return getattr(frag.cbDefn, "width", 0)
    data = getattr(text, "__shapeData__", None)
    if data:
        return sum(d.x_advance for d in data) * frag.fontSize / 1000
    return pdfmetrics.stringWidth(text, frag.fontName, frag.fontSize)


def _remember(source: list, shaped: list) -> list:
    """Note, per font, which source characters each shaped glyph stands for."""
    if shaped is source:
        return shaped
    text = "".join(s for f, s in source[1:] if not hasattr(f, "cbDefn"))
    for frag, glyphs in shaped[1:]:
        data = getattr(glyphs, "__shapeData__", None)
        if not data or hasattr(frag, "cbDefn"):
            continue
        table = _SOURCE_TEXT.setdefault(frag.fontName, {})
        starts = sorted({d.cluster for d in data if 0 <= d.cluster < len(text)})
        ends = {c: (starts[i + 1] if i + 1 < len(starts) else len(text)) for i, c in enumerate(starts)}
        by_cluster: dict[int, list[str]] = {}
        for glyph, d in zip(glyphs, data):
            if d.cluster in ends:
                by_cluster.setdefault(d.cluster, []).append(glyph)
        for cluster, chars in by_cluster.items():
            left = text[cluster:ends[cluster]]
            unmapped = []
            for glyph in chars:
                plain = unicodedata.normalize("NFKC", glyph) if _presentation_form(glyph) else glyph
                if plain and plain in left:
                    left = left.replace(plain, "", 1)
                    if plain != glyph:
                        table.setdefault(ord(glyph), plain)
                else:
                    unmapped.append(glyph)
            if unmapped and left:
                table.setdefault(ord(unmapped[0]), left)
    return shaped


def _presentation_form(char: str) -> bool:
    code = ord(char)
    return 0xFB1D <= code <= 0xFDFF or 0xFE70 <= code <= 0xFEFF


# Widths a font remembers, at most: a batch or `watch` keeps its fonts
# registered for many documents, and a word list this long is already
# hundreds of pages of distinct words.
_WIDTHS_KEPT = 100_000


class ShapingTTFont(ttfonts.TTFont):
    """A TrueType font whose ToUnicode map names the source text of shaped glyphs,
    and that remembers the widths of the words it measured."""

    def __init__(self, *args, **kwargs) -> None:  # noqa: ANN002, ANN003
        super().__init__(*args, **kwargs)
        self._bx_widths: dict[tuple[str, float], float] = {}

    def stringWidth(self, text, size, encoding="utf8"):  # noqa: ANN001, ANN201, N802
        # Line breaking measures every word of a paragraph at each width it
        # tries, and prose repeats its words: about a tenth of a long brief's
        # time was this measuring.  Only plain `str`: reportlab's subclasses
        # (shaped, hyphenatable, split words) carry more than their characters.
        if type(text) is not str:
            return _instance_width(self, text, size, encoding)
        widths = self._bx_widths
        width = widths.get((text, size))
        if width is None:
            if len(widths) >= _WIDTHS_KEPT:
                widths.clear()
            width = widths[text, size] = _instance_width(self, text, size, encoding)
        return width

    def splitString(self, text, doc, encoding="utf-8"):  # noqa: ANN001, ANN201, N802
        # reportlab asks four questions of every character it draws, about a
        # seventh of a long brief's time; once each character has its code in
        # this document's subsets (soon: text repeats its letters), the same
        # chunks come from a lookup each, or from one `str.translate` while
        # the codes fit one subset.  A text with a character not seen yet
        # goes the long way, and its characters are learnt from it (a code,
        # once given, never changes).
        state = self.state.get(doc)
        learnt = getattr(state, "_bx_learnt", None)
        if learnt is not None and isinstance(text, str):
            if not text:
                return []
            known, table = learnt
            if known.issuperset(text):
                if state.nextCode <= 256:
                    return [(0, text.translate(table).encode("latin-1"))]
                codes = [table[c] for c in map(ord, text)]
                return [(subset, bytes(n & 0xFF for n in run)) for subset, run in groupby(codes, _subset)]
        chunks = super().splitString(text, doc, encoding)
        if isinstance(text, str):
            state = self.state[doc]
            if learnt is None:
                learnt = state._bx_learnt = (set(), {})
            _learn(learnt, text, state.assignments)
        return chunks

    def addObjects(self, doc):  # noqa: ANN001, N802
        table = _SOURCE_TEXT.get(self.fontName)
        state = self.state.get(doc) if table else None
        subsets = [list(s) for s in state.subsets] if state is not None else []
        super().addObjects(doc)
        for n, subset in enumerate(subsets):
            if not any(code in table for code in subset):
                continue
            base = b"".join((ttfonts.SUBSETN(n), b"+", self.face.name, self.face.subfontNameX)).decode("pdfdoc")
            stream = doc.idToObject["toUnicodeCMap:" + base]
            stream.content = _to_unicode(base, subset, table)


def _learn(learnt: tuple[set[str], dict[int, int]], text: str, assigned: dict[int, int]) -> None:
    """Add the characters of `text` that have a code to `learnt` (characters, translate table)."""
    known, table = learnt
    for char in set(text) - known:
        code = 32 if char == "\xa0" else ord(char)  # nbsp is drawn as a space
        n = assigned.get(code)
        if n is not None:  # a character without a glyph has none, and goes the long way each time
            known.add(char)
            table[ord(char)] = n


def _subset(code: int) -> int:
    return code >> 8


def _to_unicode(base: str, subset: list[int], table: dict[int, str]) -> str:
    """reportlab's ToUnicode CMap for a subset, with shaped glyphs named by their source text."""
    cmap = ttfonts.makeToUnicodeCMap(base, subset)
    head, _, rest = cmap.partition(f"{len(subset)} beginbfchar")
    _, _, tail = rest.partition("endbfchar")
    lines = [f"<{i:02X}> <{_utf16_hex(table.get(code, chr(code)))}>" for i, code in enumerate(subset)]
    return f"{head}{len(subset)} beginbfchar\n" + "\n".join(lines) + "\nendbfchar" + tail


def _utf16_hex(text: str) -> str:
    return text.encode("utf-16-be").hex().upper()


def install() -> None:
    """Let reportlab's paragraphs shape run by run, and measure words in one call (idempotent)."""
    _rl_paragraph.shapeFragWord = shape_frag_word
    _rl_paragraph.stringWidth = paragraph_width


_registered = pdfmetrics._fonts  # reportlab's registry: changed in place, never rebound
_reportlab_width = pdfmetrics.stringWidth


def paragraph_width(text, fontName, fontSize, encoding="utf8"):  # noqa: ANN001, ANN201, N803
    """`pdfmetrics.stringWidth` for line breaking: a width the font remembers
    (`ShapingTTFont.stringWidth`) in one call instead of three, for the
    hundreds of thousands of words a long brief measures."""
    font = _registered.get(fontName)
    if font is not None and type(text) is str:
        widths = getattr(font, "_bx_widths", None)
        if widths is not None:
            width = widths.get((text, fontSize))
            if width is not None:
                return width
    return _reportlab_width(text, fontName, fontSize, encoding)


def source_text(font_name: str) -> dict[int, str]:
    """Glyph character -> source text, for the glyphs shaped so far in `font_name`."""
    return _SOURCE_TEXT.get(font_name, {})


class TextObject(PDFTextObject):
    """reportlab's text object, able to start a shaped string with a raised glyph.

    A shaped string whose first glyph is moved up or down (an Arabic mark
    such as the tanwin of مالحاً, drawn first from the left) makes reportlab
    look at the previous operator of an empty buffer and fail (IndexError)
    when the font is already selected.
    """

    def setRise(self, rise):  # noqa: ANN001, N802
        if not self._code:
            self._rise = rise
            self._y -= rise
            self._code.append(f"{fp_str(rise)} Ts")
            return
        super().setRise(rise)


_FIXED: dict[type, type] = {}


def text_object(canv: object, x: float, y: float) -> PDFTextObject:
    """The canvas's own text object (a tagging canvas marks its content), made
    able to start a shaped string with a raised glyph (see `TextObject`)."""
    tx = canv.beginText(x, y)  # type: ignore[attr-defined]
    cls = type(tx)
    if not issubclass(cls, TextObject):
        fixed = _FIXED.get(cls)
        if fixed is None:
            fixed = _FIXED[cls] = type(cls.__name__, (TextObject, cls) if cls is not PDFTextObject else (TextObject,), {})
        tx.__class__ = fixed
    return tx
