"""The script questions backends ask of text, against the character database itself."""

from __future__ import annotations

import sys
import unicodedata

from briefexport.common import scripts


def test_every_right_to_left_character_is_in_the_blocks_searched_first() -> None:
    # has_rtl looks only inside a few blocks; a character of class R or AL
    # outside them (a newer Unicode) would silently read as left to right.
    outside = [hex(c) for c in range(sys.maxunicode + 1)
               if unicodedata.bidirectional(chr(c)) in ("R", "AL") and not scripts._RTL_BLOCKS.match(chr(c))]
    assert outside == []


def test_has_rtl_answers_as_the_database_does() -> None:
    samples = ["policy brief", "“quoted” – dash…", "שלום", "مرحبا", "mixed עברית text", "\u200f",
               "\U0001e900", "\u0600", "\u08a0x", "\ufb1d", "digits 123 ٣", "é ñ ø", ""]
    for text in samples:
        expected = any(unicodedata.bidirectional(c) in ("R", "AL") for c in text)
        assert scripts.has_rtl(text) is expected, text


def test_needs_shaping_and_shaped_chars_follow_the_ranges() -> None:
    def shaped(c: str) -> bool:
        return any(lo <= ord(c) <= hi for lo, hi in scripts._SHAPED)

    for text in ["plain", "हिन्दी", "مرحبا مرحبا", "a\u0590b", "\ufeff", "\ufe70", "ok\u0dff"]:
        assert scripts.needs_shaping(text) is any(shaped(c) for c in text), text
        assert scripts.shaped_chars(text) == list(dict.fromkeys(c for c in text if shaped(c))), text


def test_harfbuzz_is_loaded_only_when_text_is_shaped() -> None:
    """reportlab imports uharfbuzz at once; the stand-in loads it on first use, and
    reportlab and fontTools still see it installed."""
    import subprocess
    import sys

    from conftest import ARTICLE, FIXTURES

    script = f"""
import sys
import briefexport
import briefexport.backends  # what every render imports before a backend's reportlab
from reportlab.pdfbase import ttfonts
assert ttfonts.uharfbuzz and "uharfbuzz._harfbuzz" not in sys.modules
theme = briefexport.load_theme()
briefexport.render(briefexport.parse({str(ARTICLE)!r}), "pdf", theme)
assert "uharfbuzz._harfbuzz" not in sys.modules, "loaded for text that needs no shaping"
arabic = {str(FIXTURES / "bidi" / "arabic.md")!r}
pdf = briefexport.render(briefexport.parse(arabic), "pdf", theme, base_dir=__import__("pathlib").Path(arabic).parent)
assert "uharfbuzz._harfbuzz" in sys.modules and ttfonts.uharfbuzz.Buffer
print(len(pdf))
"""
    done = subprocess.run([sys.executable, "-c", script], capture_output=True, text=True, timeout=120,
                          env={**__import__("os").environ, "BRIEFEXPORT_SYSTEM_FONTS": "off"})
    assert done.returncode == 0, done.stderr[-2000:]
