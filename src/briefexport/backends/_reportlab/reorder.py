"""The Unicode bidirectional algorithm (UAX #9) for reportlab's lines.

reportlab lays out a paragraph's words in the order they were written
(logical order) and draws each line from left to right.  Right-to-left text
must be drawn in *visual* order: the levels come from python-bidi's UAX #9
implementation (rules P2-I2, for the whole paragraph or line), and the
reordering of a line's pieces (rules L1, L2, L4) is done here, because
reportlab's own support needs `rlbidi`, which no package index serves.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import TypeVar

T = TypeVar("T")

_WHITESPACE = frozenset(" \u00a0\t\u2000\u2001\u2002\u2003\u2004\u2005\u2006\u2007\u2008\u2009\u200a\u202f\u205f\u3000")


def levels(text: str, base: int) -> list[int]:
    """The embedding level of each character of `text` (0 = left to right).

    `base` is the paragraph level: 0 for left-to-right documents, 1 for
    right-to-left ones.  Trailing whitespace gets the paragraph level (L1).
    """
    if not text:
        return []
    # Imported here: only text with right-to-left letters gets this far, and
    # python-bidi's module costs every render ~20 ms to import.
    from bidi import algorithm as _uax9

    storage = _uax9.get_empty_storage()
    storage["base_level"] = base
    storage["base_dir"] = ("L", "R")[base % 2]
    _uax9.get_embedding_levels(text, storage)
    _uax9.explicit_embed_and_overrides(storage)
    _uax9.resolve_weak_types(storage)
    _uax9.resolve_neutral_types(storage, False)
    _uax9.resolve_implicit_levels(storage, False)
    out = [c["level"] for c in storage["chars"]]
    if len(out) != len(text):  # astral characters are one entry each on every Python we support
        out = (out + [base] * len(text))[: len(text)]
    i = len(text) - 1
    while i >= 0 and text[i] in _WHITESPACE:
        out[i] = base
        i -= 1
    return out


def visual_order(runs: Sequence[tuple[int, T]]) -> list[tuple[int, T]]:
    """Rule L2: from the highest level down to the lowest odd one, reverse
    every maximal sequence of runs at that level or higher."""
    out = list(runs)
    if not out:
        return out
    highest = max(level for level, _ in out)
    odd = [level for level, _ in out if level % 2]
    if not odd:
        return out
    lowest_odd = min(odd)
    for level in range(highest, lowest_odd - 1, -1):
        i = 0
        while i < len(out):
            if out[i][0] >= level:
                j = i
                while j < len(out) and out[j][0] >= level:
                    j += 1
                out[i:j] = out[i:j][::-1]
                i = j
            else:
                i += 1
    return out


def mirrored(text: str) -> str:
    """`text` reversed with its brackets mirrored (rule L4), for a run set right to left."""
    from bidi.mirror import MIRRORED

    return "".join(MIRRORED.get(c, c) for c in reversed(text))
