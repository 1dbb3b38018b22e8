"""Text widths for the DOCX, from the fonts' cached advance widths.

Word lays out the text itself, but a few choices are made here ahead of it
(table column widths, the footer's title): they measure with the same faces
and metrics as the PDF, without importing reportlab or fontTools.
"""

from __future__ import annotations

from collections.abc import Callable

from ...fonts.cache import facts
from ...fonts.faces import face_file, family_faces
from ...theme import TextStyle, Theme

Measure = Callable[[str, float], float]  # (text, size in points) -> width in points


def measure(theme: Theme, style: TextStyle) -> Measure:
    """The width of text set in `style`'s face (its role's first family), unkerned."""
    name = ("bold_" if style.bold else "") + ("italic" if style.italic else "")
    face = family_faces(theme.fonts.chain(style.font)[0])[name.rstrip("_") or "regular"]
    return facts(face_file(face)).text_width


def fit(text: str, width_of: Measure, size: float, width: float) -> str:
    """`text` cut at a word with an ellipsis so that it is at most `width` wide, as the PDF's footer."""
    if width_of(text, size) <= width:
        return text
    words = text.split(" ")
    while len(words) > 1 and width_of(" ".join(words) + "\u2026", size) > width:
        words.pop()
    return " ".join(words).rstrip(" |") + "\u2026"
