"""Output file names: an ASCII slug of the title, or of the source's name."""

from __future__ import annotations

import re
import unicodedata
from pathlib import Path

from ..tree import Meta

_SLUG_MAX = 80


# Dashes and slashes between words become hyphens ("Tigris–Euphrates" ->
# "tigris-euphrates"), not nothing.
_DASHES = re.compile("[\u2010-\u2015\u2212\u2e3a\u2e3b\ufe58\ufe63\uff0d/]")
# Letters NFKD does not take apart into an ASCII letter and a mark.
_LETTERS = str.maketrans({"Ł": "L", "ł": "l", "Đ": "D", "đ": "d", "Ø": "O", "ø": "o", "ß": "ss", "Æ": "AE",
                          "æ": "ae", "Œ": "OE", "œ": "oe", "Þ": "Th", "þ": "th", "ı": "i", "Ħ": "H", "ħ": "h"})
# A slug cut short does not end on one of these ("...-russia-and").
_STOP_WORDS = frozenset(
    "a an and or nor but the of in on at to for from by with without into onto over under about after before "
    "between among as than vs via its their his her our your is are was were be".split()
)


def slugify(text: str) -> str:
    """An ASCII file stem: 'Belarus’ Ties' -> 'belarus-ties'.

    At most 80 characters, cut between words and never after a stop word.
    """
    text = _DASHES.sub("-", re.sub(r"['’‘`]", "", text)).translate(_LETTERS)
    ascii_text = unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode("ascii")
    slug = re.sub(r"[^a-z0-9]+", "-", ascii_text.lower()).strip("-")
    if len(slug) <= _SLUG_MAX:
        return slug
    words: list[str] = []
    for word in slug.split("-"):
        if len("-".join([*words, word])) > _SLUG_MAX:
            break
        words.append(word)
    while len(words) > 1 and words[-1] in _STOP_WORDS:
        words.pop()
    return "-".join(words) or slug[:_SLUG_MAX]


def stem_for(meta: Meta, source: str | Path) -> str:
    """The output file stem: `slug`, else the title's slug, else the source's stem."""
    for candidate in (meta.slug, meta.title):
        slug = slugify(candidate)
        if slug:
            return slug
    return slugify(Path(source).stem) or "document"
