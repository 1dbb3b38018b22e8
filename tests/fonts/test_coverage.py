"""Glyph coverage: every character checked against its role's font chain."""

from __future__ import annotations


import pytest

from briefexport.fonts import coverage, faces as fonts, system as sysfonts
from briefexport import load_theme
from briefexport.readers.markdown import parse, parse_file

from conftest import FIXTURES, noto_cjk_installed

GLYPHS = FIXTURES / "glyphs"


@pytest.fixture
def no_system_fonts(monkeypatch: pytest.MonkeyPatch) -> None:
    """A machine with only the theme's bundled fonts."""
    monkeypatch.setenv(sysfonts.ENV, "off")


def _cjk(char: str) -> bool:
    # CJK ideographs, kana and Hangul: what the bundled Source fonts lack.
    return ord(char) >= 0x2E80


def test_scripts_fixture_needs_no_system_font(no_system_fonts: None) -> None:
    """Vietnamese, Polish, Lithuanian, Cyrillic and Greek: the default chain has them all."""
    doc = parse_file(GLYPHS / "scripts.md")
    theme = load_theme()
    assert coverage.gaps(doc, theme) == []
    text = "".join(p.text for p in coverage.pieces(doc, theme))
    for word in ("Nguyễn", "Łukasz", "Klaipėda", "Лукашэнка", "Θεσσαλονίκη", "Šiauliai", "ґанок"):
        assert word in text


def test_cjk_without_a_cjk_font_is_reported_per_character_and_line(no_system_fonts: None) -> None:
    source = GLYPHS / "cjk.md"
    doc = parse_file(source)
    found = coverage.gaps(doc, load_theme())
    lines = source.read_text(encoding="utf-8").split("\n")
    expected = {(i, c) for i, row in enumerate(lines, 1) for c in row if _cjk(c)}
    assert {(g.line, g.char) for g in found} == expected
    assert len(found) == len(expected)  # one report per character per line
    heading_line = next(i for i, row in enumerate(lines, 1) if row.startswith("## "))
    for gap in found:
        assert gap.source == str(source)
        assert gap.roles == (("heading",) if gap.line == heading_line else ("body",))
        assert str(gap) == (f"{source}:{gap.line}: U+{ord(gap.char):04X} '{gap.char}' "
                            f"has no glyph in any font of the {gap.roles[0]} chain")


def test_roles_follow_how_the_text_is_set(no_system_fonts: None) -> None:
    text = "---\ntitle: Title 一\n---\n\n## Heading 二\n\nBody 三 and `code 四`.\n\n```\nblock 五\n```\n"
    doc = parse(text, source="<string>")
    roles = {g.char: g.roles for g in coverage.gaps(doc, load_theme(), source_text=text)}
    assert roles == {"一": ("heading",), "二": ("heading",), "三": ("body",), "四": ("mono",), "五": ("mono",)}
    lines = {g.char: g.line for g in coverage.gaps(doc, load_theme(), source_text=text)}
    assert lines == {"一": 2, "二": 5, "三": 7, "四": 7, "五": 10}


def test_an_italic_without_a_script_falls_back_per_character() -> None:
    chain = load_theme().fonts.chain("body")
    italic = fonts.family_faces(chain[0])["italic"]
    assert ord("Ж") not in fonts.face_info(italic).codepoints  # the premise: Source Serif Italic lacks Cyrillic
    runs = fonts.split_styled_runs("Minsk Мінск", chain, "italic")
    assert runs == [(0, "italic", "Minsk "), (0, "regular", "Мінск")]
    assert fonts.missing("Мінск", chain, "italic") == []
    assert fonts.missing("Мінск 一", chain, "bold_italic") == ["一"]


def test_cjk_with_noto_cjk_installed_has_no_gap(monkeypatch: pytest.MonkeyPatch) -> None:
    if not noto_cjk_installed():
        pytest.skip("fonts-noto-cjk is not installed (.ci/run installs it)")
    monkeypatch.delenv(sysfonts.ENV, raising=False)
    doc = parse_file(GLYPHS / "cjk.md")
    theme = load_theme()
    assert coverage.gaps(doc, theme) == []
    resolved = coverage.document_theme(doc, theme)
    for role in ("body", "heading"):
        names = [fonts.family_name(f) for f in resolved.fonts.chain(role)]
        assert any("CJK" in n for n in names), names
    # The converted faces are TrueType subsets that draw every CJK character used.
    used = {c for p in coverage.pieces(doc, theme) for c in p.text if ord(c) >= 0x2E80}
    body = resolved.fonts.chain("body")
    drawn = set().union(*(fonts.face_info(f.regular).codepoints for f in body))
    assert {ord(c) for c in used} <= drawn


@pytest.mark.parametrize("name", ["bad.md", "cjk.md", "scripts.md"])
def test_the_union_check_finds_what_a_piece_by_piece_check_finds(name: str, no_system_fonts: None) -> None:
    # gaps() checks each role's characters at once and walks the pieces only
    # for what is missing; the slow way, every piece on its own, must agree.
    doc = parse_file(GLYPHS / name)
    theme = load_theme()
    resolved = coverage.document_theme(doc, theme)
    lines = coverage._source_lines(doc, None)
    slow: dict[tuple[int, str], list[str]] = {}
    for piece in coverage.pieces(doc, theme):
        for char in fonts.missing(piece.text, resolved.fonts.chain(piece.role), piece.style):
            for line in coverage._lines_of(char, piece, lines):
                roles = slow.setdefault((line, char), [])
                if piece.role not in roles:
                    roles.append(piece.role)
    expected = [(line, char, tuple(roles)) for (line, char), roles in
                sorted(slow.items(), key=lambda kv: (kv[0][0], ord(kv[0][1])))]
    assert [(g.line, g.char, g.roles) for g in coverage.gaps(doc, theme)] == expected
    if name != "scripts.md":
        assert expected  # these fixtures do lack glyphs
