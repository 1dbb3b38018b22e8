"""Themes load strictly: every mistake names the file and the key path."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from briefexport.errors import ThemeError
from briefexport.theme import builtin_path, load_theme

from conftest import ROOT


def write(tmp_path: Path, text: str, name: str = "t.toml") -> Path:
    path = tmp_path / name
    path.write_text(text, encoding="utf-8")
    return path


def test_default_theme_values(theme) -> None:
    assert builtin_path().resolve() == (ROOT / "styles" / "default.toml").resolve()
    assert theme.page.size == pytest.approx((595.28, 841.89), abs=0.01)
    assert theme.page.margin_top == pytest.approx(56.69, abs=0.01)  # 20 mm
    assert theme.colors.accent == "#0B3C5D"
    assert theme.styles.body.size == 10 and theme.styles.body.leading == 14
    assert theme.styles.title.color == "#FFFFFF"  # "on-accent" resolved
    assert theme.fonts.chain("body")[0].regular.path.is_file()
    assert theme.onepager.width / theme.onepager.height == pytest.approx(16 / 9)
    assert theme.output.max_attachment_size == 10_000_000


def test_every_backend_gets_the_same_theme_object() -> None:
    assert load_theme() is load_theme(builtin_path())


def test_extends_overrides_only_what_it_sets(tmp_path: Path) -> None:
    path = write(tmp_path, 'extends = "default"\nname = "letter"\n[page]\nsize = "Letter"\ncolumns = 2\n'
                           '[colors]\naccent = "#112233"\n[styles.h1]\nsize = "18pt"\n')
    theme = load_theme(path)
    assert theme.page.size == (612.0, 792.0) and theme.page.columns == 2
    assert theme.colors.accent == "#112233"
    assert theme.styles.h1.size == 18 and theme.styles.h1.leading == 19  # inherited
    assert theme.styles.h1.color == "#112233"  # "accent" resolves against the merged colours


@pytest.mark.parametrize(
    ("body", "fragment"),
    [
        ('extends = "default"\n[page]\nmargn-top = "1mm"\n', "page.margn-top: unknown key"),
        ('extends = "default"\n[page]\nmargin-top = "20"\n', "page.margin-top: '20' is not a length"),
        ('extends = "default"\n[page]\nmargin-top = "2 furlongs"\n', "page.margin-top"),
        ('extends = "default"\n[colors]\naccent = "blue"\n', "colors.accent: 'blue' is not a colour"),
        ('extends = "default"\n[styles.body]\ncolor = "nope"\n', "styles.body.color"),
        ('extends = "default"\n[styles.body]\nfont = "script"\n', "styles.body.font"),
        ('extends = "default"\n[fonts.families.source-serif]\nregular = "missing.ttf"\n',
         "fonts.families.source-serif.regular: font file not found"),
        ('extends = "default"\n[fonts]\nbody = ["nofamily"]\n', "fonts.body: no font family 'nofamily'"),
        ('extends = "default"\n[page]\ncolumns = 3\n', "page.columns"),
        ('extends = "default"\n[onepager]\npoints-min-size = "8pt"\n', "onepager.points-min-size"),
        ('extends = "nothere"\n', "extends: no theme named 'nothere'"),
        ('name = "x"\n', "colors.accent: missing"),
        ("[page\n", "invalid TOML"),
    ],
)
def test_errors_name_file_and_key(tmp_path: Path, body: str, fragment: str) -> None:
    path = write(tmp_path, body)
    with pytest.raises(ThemeError) as info:
        load_theme(path)
    assert info.value.path == str(path.resolve()) or info.value.path == str(path)
    assert fragment in info.value.message


def test_otf_fonts_are_refused(tmp_path: Path) -> None:
    (tmp_path / "f.otf").write_bytes(b"OTTO")
    path = write(tmp_path, 'extends = "default"\n[fonts.families.source-serif]\nregular = "f.otf"\n')
    with pytest.raises(ThemeError, match="only TrueType"):
        load_theme(path)


def test_font_paths_are_relative_to_the_theme_file(tmp_path: Path) -> None:
    serif = load_theme().fonts.chain("body")[0].regular.path
    (tmp_path / "fonts").mkdir()
    (tmp_path / "fonts" / "mine.ttf").write_bytes(serif.read_bytes())
    path = write(tmp_path, 'extends = "default"\n[fonts.families.source-serif]\nregular = "fonts/mine.ttf"\n')
    assert load_theme(path).fonts.chain("body")[0].regular.path == tmp_path / "fonts" / "mine.ttf"


@pytest.mark.parametrize(
    ("body", "fragment"),
    [
        ('extends = "default"\n[fonts.families.source-serif]\nregular = "fake.ttf"\n', "fake.ttf is not a TrueType font file"),
        ('extends = "default"\n[fonts.families.source-serif]\nregular = "cff.ttf"\n', "cff.ttf is an OpenType/CFF font"),
        ('extends = "default"\n[fonts]\nbody = []\n', "fonts.body: needs at least one font family"),
        ('extends = "default"\n[page]\nmargin-left = "150mm"\nmargin-right = "100mm"\n', "page: the margins leave no room"),
    ],
)
def test_themes_that_could_not_render_fail_when_loaded(tmp_path: Path, body: str, fragment: str) -> None:
    (tmp_path / "fake.ttf").write_bytes(b"not a font at all")
    (tmp_path / "cff.ttf").write_bytes(b"OTTO" + bytes(60))
    with pytest.raises(ThemeError, match=re.escape(fragment)):
        load_theme(write(tmp_path, body))
