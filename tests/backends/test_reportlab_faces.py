"""Fonts registered with reportlab stay the fonts they were made from."""

from __future__ import annotations

import shutil

import pytest

from conftest import FIXTURES
from pdf_checks import drawn_characters


def test_two_documents_cuts_of_one_system_font_do_not_share_glyphs(tmp_path) -> None:
    """Each document gets Noto CJK cut to its own characters; reportlab gave a
    second cut with the same PostScript name the first one's glyphs, so the
    second document's ideographs were empty boxes (a batch, the API, tests)."""
    import briefexport
    from briefexport.fonts.coverage import document_theme

    if shutil.which("fc-list") is None:
        pytest.skip("fontconfig's fc-list is not installed")
    first = briefexport.parse(FIXTURES / "rivers-brief.md")
    second = briefexport.parse(FIXTURES / "glyphs" / "cjk.md")
    theme = briefexport.load_theme()
    if not any("cjk" in f.name for f in document_theme(second, theme).fonts.chain("body")):
        pytest.skip("fonts-noto-cjk is not installed (.ci/run installs it)")
    briefexport.render(first, "pdf", theme, base_dir=FIXTURES)
    pdf = briefexport.render(second, "pdf", theme, base_dir=FIXTURES / "glyphs")
    wanted = {c for c in "一带一路海上丝绸之路世纪" if c in (FIXTURES / "glyphs" / "cjk.md").read_text(encoding="utf-8")}
    assert wanted and wanted <= drawn_characters(pdf)
