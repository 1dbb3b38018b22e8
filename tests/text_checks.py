"""Helpers to compare the text of outputs with the original article."""

from __future__ import annotations

import re
from pathlib import Path

_WORD = re.compile(r"[\w’'$.%-]+")


def words(text: str) -> list[str]:
    """Words with surrounding punctuation removed; quotes and hyphenation folded."""
    text = text.replace("\u00ad", "").replace("‘", "’").replace("'", "’")
    out = []
    for raw in _WORD.findall(text):
        word = raw.strip(".-’")
        if word:
            out.append(word)
    return out


def original_body(original: Path) -> str:
    """The article body of the scraped original: from the first body paragraph to 'Written by'."""
    text = original.read_text(encoding="utf-8")
    start = text.index("While the migrant crisis")
    end = text.index("Written by")
    return text[start:end]


def original_standfirst(original: Path) -> str:
    text = original.read_text(encoding="utf-8")
    start = text.index("Increasing pressure from Western")
    return text[start : text.index("\n", start)]


def missing_in_order(expected: list[str], actual: list[str]) -> list[str]:
    """The expected words that do not appear, in order, as a subsequence of `actual`.

    Returns the first few words from where the match broke off (empty when all match).
    """
    i = 0
    for word in actual:
        if i < len(expected) and word == expected[i]:
            i += 1
    return expected[i : i + 8]
