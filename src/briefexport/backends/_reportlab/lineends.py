"""Word boundaries that survive text extraction at line ends.

reportlab draws each line as its own run and writes no space where it
broke a line, so a tagged reading of "…these\\nlines" gives "theselines".
At draw time (never for measuring) each line that ended between words gets
a trailing space glyph, which is invisible and does not move anything; a
line that ends in a hyphen reportlab added gets that hyphen as a soft
hyphen, U+00AD, which is what ISO 32000 asks for: readers show it but
join the word ("govern-" + "ment" reads "government").  A word broken
without a hyphen (a long URL) joins with nothing.

reportlab says how a line ended through the class of its last word:
`_SplitWordHY` / `_SplitFragHY` (and `...LL` when a page split falls there)
end in a hyphen it added; other split heads continue on the next line.
"""

from __future__ import annotations

from functools import lru_cache
from typing import Any

from reportlab.pdfbase import pdfmetrics
from reportlab.platypus.paragraph import (
    _InjectedFrag, _SplitFrag, _SplitFragHS, _SplitFragHY, _SplitFragLL, _SplitWord, _SplitWordEnd,
    _SplitWordHY, _SplitWordLL,
)

SPACE, JOIN, HYPHEN = "space", "join", "hyphen"


@lru_cache(maxsize=64)
def _soft_hyphen_drawn(font: str) -> bool:
    """Whether `font` draws U+00AD as a hyphen of the same width (not as a box or nothing)."""
    face = getattr(pdfmetrics.getFont(font), "face", None)
    cmap = getattr(face, "charToGlyph", None)
    if cmap is None or cmap.get(0xAD) is None:
        return False
    return abs(pdfmetrics.stringWidth("\u00ad", font, 10) - pdfmetrics.stringWidth("-", font, 10)) < 1e-6


def _word_end(word: Any) -> str:
    """How a line of a plain paragraph (kind 0) that ends with `word` meets the next."""
    if isinstance(word, (_SplitWordHY, _SplitWordLL)):
        return HYPHEN
    if isinstance(word, _SplitWord) and not isinstance(word, _SplitWordEnd):
        return JOIN
    return SPACE


def _frag_end(fragword: Any) -> str:
    """The same for a styled paragraph (kind 1), from its last fragment word."""
    if isinstance(fragword, (_SplitFragHY, _SplitFragLL)):
        return HYPHEN
    if isinstance(fragword, _SplitFrag) and not isinstance(fragword, _SplitFragHS):
        return JOIN
    return SPACE


def with_word_boundaries(para: Any, bl: Any, *, continues: bool) -> Any:
    """A copy of `para`'s broken lines `bl` with the line ends marked."""
    lines = bl.lines
    count = len(lines) if continues else len(lines) - 1
    if count <= 0:
        return bl
    new = bl.clone()
    if bl.kind == 0:
        out = list(lines)
        for i in range(count):
            space, words = lines[i]
            if not words:
                continue
            words = list(words)
            last = words[-1]
            end = _word_end(last)
            if end == SPACE:
                words[-1] = last + " "
            elif end == HYPHEN and last.endswith("-") and _soft_hyphen_drawn(bl.fontName):
                words[-1] = last[:-1] + "\u00ad"
            out[i] = (space, words)
        new.lines = out
        return new
    frags = para.frags
    out = list(lines)
    for i in range(count):
        line = lines[i]
        words = [w for w in line.words]
        if not words:
            continue
        nxt = lines[i + 1].sFW if i + 1 < len(lines) else len(frags)
        j = nxt - 1
        while j >= 0 and isinstance(frags[j], _InjectedFrag):
            j -= 1
        if getattr(line, "lineBreak", False):
            end = SPACE  # ended by <br/> (a code block's lines): a boundary whatever the word was
        else:
            end = _frag_end(frags[j]) if 0 <= j < len(frags) and hasattr(line, "sFW") else SPACE
        k = len(words) - 1
        while k >= 0 and (hasattr(words[k], "cbDefn") or not getattr(words[k], "text", "")):
            k -= 1
        if k < 0:
            continue
        frag = words[k]
        if end == SPACE:
            if frag.text.endswith(" "):
                continue
            # The space keeps the piece's link (the link area grows by an
            # invisible space) but not its underline or strike.
            words.insert(k + 1, frag.clone(text=" ", us_lines=[]))
        elif end == HYPHEN and frag.text.endswith("-") and _soft_hyphen_drawn(frag.fontName):
            words[k] = frag.clone(text=frag.text[:-1] + "\u00ad")
        clone = line.clone() if hasattr(line, "clone") else line
        clone.words = words
        out[i] = clone
    new.lines = out
    return new
