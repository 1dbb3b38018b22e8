"""Helpers that read what a PDF really draws, for tests of any backend."""

from __future__ import annotations

import io
import re


def cmap_pairs(stream: bytes) -> dict[int, str]:
    """A ToUnicode CMap's code -> text (bfchar and bfrange)."""
    text = stream.decode("latin-1")
    out: dict[int, str] = {}
    for block in re.findall(r"beginbfchar(.*?)endbfchar", text, re.S):
        for code, uni in re.findall(r"<([0-9A-Fa-f]+)>\s*<([0-9A-Fa-f]+)>", block):
            out[int(code, 16)] = bytes.fromhex(uni).decode("utf-16-be")
    for block in re.findall(r"beginbfrange(.*?)endbfrange", text, re.S):
        for lo, hi, uni in re.findall(r"<([0-9A-Fa-f]+)>\s*<([0-9A-Fa-f]+)>\s*<([0-9A-Fa-f]+)>", block):
            start = int.from_bytes(bytes.fromhex(uni), "big")
            for i, code in enumerate(range(int(lo, 16), int(hi, 16) + 1)):
                out[code] = chr(start + i)
    return out


def drawn_characters(pdf: bytes) -> set[str]:
    """Characters some embedded font of `pdf` draws with a real glyph (not .notdef, not empty)."""
    from fontTools.ttLib import TTFont
    from pypdf import PdfReader

    drawn: set[str] = set()
    for page in PdfReader(io.BytesIO(pdf)).pages:
        for font in page["/Resources"]["/Font"].values():
            font = font.get_object()
            descendants = font.get("/DescendantFonts")
            descriptor = (descendants[0].get_object() if descendants else font).get("/FontDescriptor")
            if descriptor is None or "/FontFile2" not in descriptor.get_object() or "/ToUnicode" not in font:
                continue
            ttf = TTFont(io.BytesIO(descriptor.get_object()["/FontFile2"].get_object().get_data()))
            code_to_glyph = {}
            for table in ttf["cmap"].tables:
                code_to_glyph.update(table.cmap)
            glyf = ttf["glyf"]
            for code, text in cmap_pairs(font["/ToUnicode"].get_object().get_data()).items():
                name = code_to_glyph.get(code)
                if name and name != ".notdef" and ttf.getGlyphID(name) != 0:
                    glyph = glyf[name]
                    if text.isspace() or glyph.numberOfContours != 0:
                        drawn.add(text)
    return drawn
