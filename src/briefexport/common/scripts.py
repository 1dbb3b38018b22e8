"""Which text needs more than one glyph per character drawn left to right.

Right-to-left scripts (Hebrew, Arabic, Syriac, Thaana, N'Ko...) must be
reordered for display, and some scripts must be *shaped*: Arabic letters
join and change form, Indic vowel signs move and consonants form conjuncts.
Backends ask these questions of the source text; the standard library's
character database answers them, so this module needs nothing else.
"""

from __future__ import annotations

import functools
import re
import unicodedata

_RTL_CLASSES = frozenset({"R", "AL"})
# Primary languages written right to left (BCP 47, ISO 639-1 and -3).
RTL_LANGUAGES = frozenset({"ar", "he", "iw", "fa", "ur", "ps", "sd", "ug", "yi", "dv", "ckb", "syr"})

# Scripts whose text reportlab draws wrongly without a shaping engine:
# joining scripts, and the Indic and South-East Asian abugidas.
_SHAPED = (
    (0x0590, 0x05FF),  # Hebrew (points and cantillation marks)
    (0x0600, 0x08FF),  # Arabic, Syriac, Arabic Supplement, Thaana, N'Ko, Samaritan, Mandaic, Arabic Extended
    (0x0900, 0x0DFF),  # Devanagari, Bengali, Gurmukhi, Gujarati, Oriya, Tamil, Telugu, Kannada, Malayalam, Sinhala
    (0x0F00, 0x0FFF),  # Tibetan
    (0x1000, 0x109F),  # Myanmar
    (0x1780, 0x18AF),  # Khmer, Mongolian
    (0xA8E0, 0xA8FF),  # Devanagari Extended
    (0xFB1D, 0xFDFF),  # Hebrew and Arabic presentation forms A
    (0xFE70, 0xFEFF),  # Arabic presentation forms B
)


def is_rtl_char(char: str) -> bool:
    return unicodedata.bidirectional(char) in _RTL_CLASSES


# Every character of bidi class R or AL lies in these blocks (a test checks it
# against the character database), so one regex search rules most text out
# without asking the database character by character.
_RTL_BLOCKS = re.compile("[\u0590-\u08ff\u200f\ufb1d-\ufefe\U00010800-\U00010fff\U0001e800-\U0001efff]")


def has_rtl(text: str) -> bool:
    """True when `text` holds a right-to-left letter."""
    return any(unicodedata.bidirectional(m.group()) in _RTL_CLASSES for m in _RTL_BLOCKS.finditer(text))


_SHAPED_CHARS = re.compile("[" + "".join(f"{chr(lo)}-{chr(hi)}" for lo, hi in _SHAPED) + "]")


def needs_shaping(text: str) -> bool:
    """True when `text` holds a letter of a script that must be shaped
    (Hebrew counts: its points sit on the letters, and it runs right to left)."""
    return _SHAPED_CHARS.search(text) is not None


def shaped_chars(text: str) -> list[str]:
    """The distinct characters of `text` that need shaping, in order of appearance."""
    return list(dict.fromkeys(_SHAPED_CHARS.findall(text)))


def is_rtl_language(lang: str) -> bool:
    """True for a BCP 47 tag whose language is written right to left (`ar`, `he-IL`, `fa`...)."""
    primary = lang.strip().lower().replace("_", "-").split("-")[0]
    return primary in RTL_LANGUAGES


def direction_runs(text: str) -> list[tuple[str, bool]]:
    """`text` cut into runs, each with whether it is right to left.

    A right-to-left run goes from a right-to-left letter to the last one
    before a left-to-right letter, with the spaces, marks, digits and
    punctuation between (as a word processor's run of Arabic or Hebrew).
    """
    if not has_rtl(text):
        return [(text, False)] if text else []
    out: list[tuple[str, bool]] = []
    start = 0  # where the pending left-to-right run begins
    i, n = 0, len(text)
    while i < n:
        if unicodedata.bidirectional(text[i]) not in _RTL_CLASSES:
            i += 1
            continue
        end = last = i
        while end < n and unicodedata.bidirectional(text[end]) != "L":
            if unicodedata.bidirectional(text[end]) in _RTL_CLASSES:
                last = end
            end += 1
        if i > start:
            out.append((text[start:i], False))
        out.append((text[i:last + 1], True))
        start = i = last + 1
    if start < n:
        out.append((text[start:], False))
    return out


def defer_harfbuzz() -> None:
    """Make `import uharfbuzz` free until HarfBuzz is first used.

    reportlab's TrueType module imports it at once (6 ms, in every PDF
    process), and so does fontTools' table writer, although only text that
    needs shaping (and some font cuts) ever calls it.  A stand-in module
    takes its place, with the package's spec (so both still see it is
    installed) and a module `__getattr__` (PEP 562) that imports the real
    one on the first name asked for and takes over its names.  The standard
    library's `LazyLoader` cannot serve here: on Python 3.11 the `import`
    statement itself reads the module's `__spec__`, which loads it.  Call
    before reportlab is imported.
    """
    import importlib
    import importlib.util
    import sys
    import types

    if "uharfbuzz" in sys.modules:
        return
    try:
        spec = importlib.util.find_spec("uharfbuzz")
    except (ImportError, ValueError):
        return
    if spec is None:
        return  # not installed: their own imports find that out, as before
    stand_in = types.ModuleType("uharfbuzz")
    stand_in.__spec__ = spec

    def load(name: str) -> object:
        if sys.modules.get("uharfbuzz") is stand_in:
            del sys.modules["uharfbuzz"]
        real = importlib.import_module("uharfbuzz")
        vars(stand_in).update(vars(real))  # later names are found without this function
        return getattr(real, name)

    stand_in.__getattr__ = load  # type: ignore[method-assign]
    sys.modules["uharfbuzz"] = stand_in


@functools.cache
def shaping_available() -> bool:
    """True when HarfBuzz (the `uharfbuzz` package) can shape text for the PDFs."""
    try:
        import uharfbuzz  # noqa: F401
    except ImportError:
        return False
    return True


def script_name(char: str) -> str:
    """"Arabic", "Hebrew", "Devanagari"... from the character's Unicode name."""
    return unicodedata.name(char, "UNKNOWN").split()[0].title()
