"""Installed fonts as fallbacks: discovery, the off switch, CFF conversion."""

from __future__ import annotations

import io
import shutil
from pathlib import Path

import pytest
from fontTools.ttLib import TTFont as FTFont

from briefexport.fonts import coverage, faces as fonts, system as sysfonts
from briefexport import load_theme
from briefexport.readers.markdown import parse

from fontmaker import cff_font


@pytest.fixture
def font_folder(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """A fonts folder of our own, searched instead of the machine's."""
    folder = tmp_path / "fonts"
    folder.mkdir()
    monkeypatch.setenv(sysfonts.ENV, str(folder))
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path / "cache"))
    return folder


def test_search_setting_reads_the_environment(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    monkeypatch.delenv(sysfonts.ENV, raising=False)
    assert sysfonts.search_setting() == ()
    for off in ("off", "0", "None"):
        monkeypatch.setenv(sysfonts.ENV, off)
        assert sysfonts.search_setting() is None
    monkeypatch.setenv(sysfonts.ENV, f"{tmp_path}/a{__import__('os').pathsep}{tmp_path}/b")
    assert sysfonts.search_setting() == (tmp_path / "a", tmp_path / "b")


def test_a_folder_is_searched_and_grouped_into_families(font_folder: Path) -> None:
    family = load_theme().fonts.family("source-serif")
    for face in fonts.family_faces(family).values():
        shutil.copy(face.path, font_folder)
    found = {f.name: f for f in sysfonts.families((font_folder,))}
    assert "Source Serif Pro" in found, found.keys()
    serif = found["Source Serif Pro"]
    assert {style for style, _ in serif.faces} == {"regular", "bold", "italic", "bold_italic"}
    assert serif.face("bold").weight >= 600 and serif.face("italic").italic
    assert serif.face("regular").path.name == "SourceSerifPro-Regular.ttf"
    assert not serif.face("regular").needs_conversion


def test_cff_fallback_is_converted_to_truetype_and_embeds(font_folder: Path, tmp_path: Path) -> None:
    """A PostScript-outline font (as Noto CJK is) draws what the theme lacks."""
    cff_font(font_folder / "TestCJK.otf", "一带路")
    doc = parse("---\ntitle: Test\n---\n\nThe 一带一路 initiative.\n", source=str(tmp_path / "x.md"))
    theme = load_theme()
    assert coverage.gaps(doc, theme) == []
    resolved = coverage.document_theme(doc, theme)
    added = [name for name in resolved.fonts.body if name.startswith("system-")]
    assert len(added) == 1 and "test-cff-sans" in added[0]
    converted = resolved.fonts.family(added[0]).regular.path
    font = FTFont(str(converted))
    assert "glyf" in font and "CFF " not in font
    # Only the characters the document uses (plus spaces) are kept.
    assert set(font.getBestCmap()) == {ord(" "), ord("一"), ord("带"), ord("路")}
    glyph = font["glyf"][font.getBestCmap()[ord("一")]]
    assert glyph.numberOfContours > 0

    # reportlab embeds it: the PDF's text has the characters and the
    # embedded subset has outlines for them.
    pypdf = pytest.importorskip("pypdf")
    from reportlab.platypus import Paragraph, SimpleDocTemplate

    from briefexport.backends._reportlab.markup import InlineMarkup
    from briefexport.backends._reportlab.faces import font_roles
    from briefexport.backends._reportlab.styles import paragraph_style
    from briefexport.tree import Para

    roles = font_roles(resolved)
    markup = InlineMarkup(roles["body"], link_color="#000000")
    para = next(b for b in doc.blocks if isinstance(b, Para))
    out = io.BytesIO()
    SimpleDocTemplate(out, invariant=1, initialFontName=roles["body"].primary).build(
        [Paragraph(markup(para.children), paragraph_style("b", resolved.styles.body, resolved, roles))]
    )
    reader = pypdf.PdfReader(io.BytesIO(out.getvalue()))
    assert "一带一路" in reader.pages[0].extract_text()
    names = [f["/BaseFont"] for f in reader.pages[0]["/Resources"]["/Font"].values()]
    assert any("TestCFFSans" in str(n) or "Test" in str(n) for n in names), names


def test_fallback_off_by_environment_and_by_theme(font_folder: Path, tmp_path: Path,
                                                   monkeypatch: pytest.MonkeyPatch) -> None:
    cff_font(font_folder / "TestCJK.otf", "一")
    doc = parse("Text 一.\n", source=str(tmp_path / "x.md"))
    theme = load_theme()
    assert coverage.gaps(doc, theme) == []

    themed = tmp_path / "nofallback.toml"
    themed.write_text('extends = "default"\n\n[fonts]\nsystem-fallback = false\n', encoding="utf-8")
    no_fallback = load_theme(themed)
    assert no_fallback.fonts.system_fallback is False
    assert [g.char for g in coverage.gaps(doc, no_fallback)] == ["一"]

    monkeypatch.setenv(sysfonts.ENV, "off")
    assert [g.char for g in coverage.gaps(doc, load_theme())] == ["一"]


def test_a_covered_document_uses_no_system_font(monkeypatch: pytest.MonkeyPatch) -> None:
    """Output stays independent of the machine when the theme's fonts suffice."""
    monkeypatch.delenv(sysfonts.ENV, raising=False)
    doc = parse("Plain Latin text, Łódź and Лукашэнка.\n", source="<string>")
    theme = load_theme()
    assert coverage.document_theme(doc, theme) is theme
