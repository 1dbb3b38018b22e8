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


def test_remembered_word_widths_are_reportlabs_widths(monkeypatch) -> None:
    """Line breaking measures each word again at every width it tries; the
    font remembers them, and a remembered width is the one reportlab measures,
    for every word of the article at two sizes, also once the memory was emptied."""
    import briefexport
    from briefexport.backends._reportlab import shaping
    from briefexport.fonts import faces as fonts
    from reportlab.pdfbase import pdfmetrics
    from reportlab.pdfbase.ttfonts import TTFont
    from conftest import ARTICLE

    theme = briefexport.load_theme()
    path = str(fonts.face_file(fonts.family_faces(theme.fonts.chain("body")[0])["regular"]))
    ours, theirs = shaping.ShapingTTFont("bx-widths", path), TTFont("bx-widths-rl", path)
    monkeypatch.setattr(shaping, "_WIDTHS_KEPT", 50)
    words = ARTICLE.read_text(encoding="utf-8").split()
    pdfmetrics.registerFont(ours)
    for size in (9.5, 10.5):
        for word in words + words:
            assert ours.stringWidth(word, size) == theirs.stringWidth(word, size), word
            # What line breaking calls: the remembered width, in one call.
            assert shaping.paragraph_width(word, "bx-widths", size) == theirs.stringWidth(word, size), word
    assert 0 < len(ours._bx_widths) <= 50
    assert shaping.paragraph_width("x", "Helvetica", 10) == pdfmetrics.stringWidth("x", "Helvetica", 10)
    assert ours.stringWidth("", 10) == 0


def test_split_strings_are_reportlabs_chunks() -> None:
    """Drawing maps characters to subset codes by a shortcut once they have one;
    the chunks are reportlab's own: for the article's lines, a non-breaking space,
    a character the font lacks, and more characters than one subset holds."""
    import briefexport
    from briefexport.backends._reportlab import shaping
    from briefexport.fonts import faces as fonts
    from reportlab.pdfbase.pdfdoc import PDFDocument
    from reportlab.pdfbase.ttfonts import TTFont
    from conftest import ARTICLE

    theme = briefexport.load_theme()
    path = str(fonts.face_file(fonts.family_faces(theme.fonts.chain("body")[0])["regular"]))
    ours, theirs = shaping.ShapingTTFont("bx-split", path), TTFont("bx-split-rl", path)
    our_doc, their_doc = PDFDocument(), PDFDocument()
    lines = ARTICLE.read_text(encoding="utf-8").splitlines()
    wide = "".join(chr(c) for c in range(0x20, 0x2000) if c in theirs.face.charToGlyph)
    assert len(wide) > 300  # past the first subset of 256 codes
    texts = [*lines, "a\xa0b", "\ue000 lacks a glyph", *lines, wide, *lines, "", "x\xa0\ue001"]
    for text in texts + texts:
        assert ours.splitString(text, our_doc) == theirs.splitString(text, their_doc), text[:40]
