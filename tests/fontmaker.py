"""Small real fonts made on the spot, for tests that need a font a machine may lack."""

from __future__ import annotations

from pathlib import Path

from fontTools.fontBuilder import FontBuilder
from fontTools.pens.t2CharStringPen import T2CharStringPen


def _box(width: int, inset: int) -> object:
    pen = T2CharStringPen(width, None)
    pen.moveTo((inset, 0))
    pen.lineTo((inset, 700))
    pen.curveTo((inset + 100, 800), (width - inset - 100, 800), (width - inset, 700))
    pen.lineTo((width - inset, 0))
    pen.closePath()
    return pen.getCharString()


def cff_font(path: Path, chars: str, family: str = "Test CFF Sans") -> Path:
    """An OpenType font with PostScript (CFF) outlines drawing `chars` (and a space)."""
    names = [".notdef", "space"] + [f"uni{ord(c):04X}" for c in chars]
    fb = FontBuilder(1000, isTTF=False)
    fb.setupGlyphOrder(names)
    fb.setupCharacterMap({32: "space", **{ord(c): f"uni{ord(c):04X}" for c in chars}})
    empty = T2CharStringPen(500, None)
    charstrings = {".notdef": _box(500, 50), "space": empty.getCharString()}
    charstrings.update({n: _box(1000, 80) for n in names[2:]})
    fb.setupCFF(family.replace(" ", ""), {"FullName": family}, charstrings, {})
    fb.setupHorizontalMetrics({n: (1000 if n.startswith("uni") else 500, 50) for n in names})
    fb.setupHorizontalHeader(ascent=880, descent=-120)
    fb.setupNameTable({"familyName": family, "styleName": "Regular"})
    fb.setupOS2(sTypoAscender=880, sTypoDescender=-120, usWinAscent=880, usWinDescent=120, usWeightClass=400)
    fb.setupPost()
    fb.save(str(path))
    return path


def ttf_font(path: Path, chars: str, family: str = "Test TT Serif", style: str = "Regular") -> Path:
    """A TrueType font drawing `chars` (and a space) as boxes, for a fallback a PDF can embed."""
    from fontTools.pens.ttGlyphPen import TTGlyphPen

    def box() -> object:
        pen = TTGlyphPen(None)
        pen.moveTo((60, 0))
        pen.lineTo((60, 700))
        pen.lineTo((540, 700))
        pen.lineTo((540, 0))
        pen.closePath()
        return pen.glyph()

    chars = "".join(dict.fromkeys(c for c in chars if c != " "))
    names = [".notdef", "space"] + [f"uni{ord(c):04X}" for c in chars]
    fb = FontBuilder(1000, isTTF=True)
    fb.setupGlyphOrder(names)
    fb.setupCharacterMap({32: "space", **{ord(c): f"uni{ord(c):04X}" for c in chars}})
    glyphs = {name: box() for name in names}
    glyphs["space"] = TTGlyphPen(None).glyph()
    fb.setupGlyf(glyphs)
    fb.setupHorizontalMetrics({n: (300 if n == "space" else 600, 60 if n != "space" else 0) for n in names})
    fb.setupHorizontalHeader(ascent=880, descent=-120)
    fb.setupNameTable({"familyName": family, "styleName": style})
    fb.setupOS2(sTypoAscender=880, sTypoDescender=-120, usWinAscent=880, usWinDescent=120, usWeightClass=400)
    fb.setupPost()
    fb.save(str(path))
    return path
