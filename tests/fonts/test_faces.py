"""Font fallback by word: a word is drawn in one font, not patched letter by letter."""

from __future__ import annotations

import io
import string
import unicodedata
from pathlib import Path

import pytest

import briefexport
from briefexport.fonts import faces as fonts
from briefexport import load_theme
from briefexport.readers.markdown import parse

from fontmaker import ttf_font
from pdf_checks import cmap_pairs

VIETNAMESE = "Nguyễn Tấn Dũng đã nói rằng quan hệ sẽ được củng cố"
# Neither the theme's serif nor the fallback below has this letter (Cyrillic monocular O).
NOWHERE = "\ua66e"
# The fallback lacks "q": a word with "q" and a letter only the fallback has has no single font.
FALLBACK_CHARS = "".join(sorted(set(string.ascii_letters.replace("q", "") + VIETNAMESE.replace("q", "") + ".,:中国")))


@pytest.fixture(scope="module")
def theme(tmp_path_factory: pytest.TempPathFactory):
    """The default theme with a made fallback family after the serif, and no system fonts."""
    folder = tmp_path_factory.mktemp("fonts")
    faces = {style: ttf_font(folder / f"boxes-{style}.ttf", FALLBACK_CHARS, "Test Boxes", style.title())
             for style in ("regular", "bold", "italic", "bold-italic")}
    family = "\n".join(f'{style} = "{path}"' for style, path in faces.items())
    path = folder / "theme.toml"
    path.write_text(f'extends = "default"\n\n[fonts]\nbody = ["source-serif", "boxes"]\nsystem-fallback = false\n\n'
                    f"[fonts.families.boxes]\n{family}\n", encoding="utf-8")
    return load_theme(path)


def _lacks(theme, style: str) -> set[str]:
    primary = fonts.face_info(fonts.family_faces(theme.fonts.chain("body")[0])[style]).codepoints
    return {c for c in VIETNAMESE if not c.isspace() and ord(c) not in primary}


def _runs_by_word(runs: list[tuple], text: str) -> dict[str, set[tuple]]:
    """For each word of `text`, the (family, style) keys its characters were given."""
    keys: list[tuple] = [run[:-1] for run in runs for _ in run[-1]]
    assert "".join(run[-1] for run in runs) == text
    out: dict[str, set[tuple]] = {}
    start = 0
    for word in text.split(" "):
        out.setdefault(word, set()).update(keys[start:start + len(word)])
        start += len(word) + 1
    return out


def test_the_serif_italic_lacks_vietnamese_letters_it_has_upright(theme) -> None:
    # What makes the fallback happen at all (else the tests below prove nothing).
    assert _lacks(theme, "italic")
    assert not _lacks(theme, "regular")


def test_a_word_the_italic_lacks_a_letter_of_is_set_whole_in_one_fallback_face(theme) -> None:
    chain = theme.fonts.chain("body")
    lacking = _lacks(theme, "italic")
    for word, keys in _runs_by_word(fonts.split_styled_runs(VIETNAMESE, chain, "italic"), VIETNAMESE).items():
        assert len(keys) == 1, (word, keys)
        # Words the italic has stay in it; the others go whole to the fallback italic.
        expected = (1, "italic") if set(word) & lacking else (0, "italic")
        assert keys == {expected}, word
    # The same rule for the one-pager's PPTX, which picks families only.
    for word, keys in _runs_by_word(fonts.split_runs(VIETNAMESE, chain, "italic"), VIETNAMESE).items():
        assert keys == {(1,) if set(word) & lacking else (0,)}, word


def test_characters_fall_back_one_by_one_when_no_face_has_the_whole_word(theme) -> None:
    chain = theme.fonts.chain("body")
    letter = sorted(_lacks(theme, "italic"))[0]
    # No italic has all of "q?a", but the upright serif has: the word stays in one face.
    mixed = f"q{letter}a"
    assert fonts.split_styled_runs(mixed, chain, "italic") == [(0, "regular", mixed)]
    # With a letter no face has, no face has the word: each character finds its own.
    text = f"q{letter}{NOWHERE}a 中国China"
    runs = fonts.split_styled_runs(text, chain, "italic")
    keys = [run[:2] for run in runs for _ in run[2]]
    by_char = dict(zip(text, keys))
    assert by_char["q"] == (0, "italic") and by_char[letter] == (1, "italic") and by_char["a"] == (0, "italic")
    assert by_char[NOWHERE] == (0, "italic")  # drawn by no face: left to `missing` to report
    assert fonts.missing(text, chain, "italic") == [NOWHERE]
    # Ideographs go one by one; the Latin beside them keeps the primary face.
    assert by_char["中"] == (1, "italic") and by_char["C"] == (0, "italic")


def test_apostrophes_and_combining_marks_stay_inside_their_word(theme) -> None:
    chain = theme.fonts.chain("body")
    decomposed = unicodedata.normalize("NFD", "Nguyễn")
    text = f"{decomposed}\u2019s d'Ivoire"
    pieces = [piece for piece, is_word in fonts._segments(text) if is_word]
    assert pieces == [f"{decomposed}\u2019s", "d'Ivoire"]
    runs = fonts.split_styled_runs(text, chain, "regular")
    assert "".join(r[2] for r in runs) == text


def _drawn_fonts(pdf: bytes) -> list[tuple[str, str]]:
    """(character, font name) for each character a PDF shows; a line break is ("\\n", "")."""
    from pypdf import PdfReader
    from pypdf.generic import ContentStream

    reader = PdfReader(io.BytesIO(pdf))
    out: list[tuple[str, str]] = []
    for page in reader.pages:
        resources = page["/Resources"]["/Font"]
        maps = {name: (cmap_pairs(font.get_object()["/ToUnicode"].get_object().get_data()),
                       str(font.get_object()["/BaseFont"]).split("+", 1)[-1])
                for name, font in resources.items()}
        current = ({}, "")
        for operands, op in ContentStream(page.get_contents(), reader).operations:
            if op == b"Tf":
                current = maps[operands[0]]
            elif op in (b"Tj", b"TJ", b"'", b'"'):
                for item in (operands[0] if op == b"TJ" else operands[-1:]):
                    raw = getattr(item, "original_bytes", item)
                    if isinstance(raw, bytes):
                        out.extend((current[0].get(b, "\ufffd"), current[1]) for b in raw)
            if op in (b"T*", b"Td", b"TD", b"Tm", b"BT", b"ET", b"'", b'"'):
                out.append(("\n", ""))
    return out


def test_pdf_draws_each_word_of_an_italic_vietnamese_line_in_one_font(theme) -> None:
    doc = parse(f"---\ntitle: Fallback\n---\n\n*In italics: {VIETNAMESE}.*\n", source="<fallback>")
    drawn = _drawn_fonts(briefexport.render(doc, "pdf", theme, base_dir=Path.cwd()))
    words: list[list[tuple[str, str]]] = [[]]
    for char, font in drawn:
        if char.isspace():
            words.append([])
        elif unicodedata.category(char)[0] in "LM":
            words[-1].append((char, font))
    by_word = {"".join(c for c, _ in w): {f for _, f in w} for w in words if w}
    for word in VIETNAMESE.split(" "):
        assert len(by_word[word]) == 1, (word, by_word[word])
    italic = {f for f in by_word["italics"]}
    assert by_word["Nguyễn"] != italic  # set in the fallback...
    assert by_word["quan"] == italic  # ...while a word the italic has keeps it
    assert by_word["Nguyễn"] == by_word["được"]


def test_scripts_fixture_sets_every_word_in_one_font() -> None:
    """The glyph fixture as shipped (the machine's fallback fonts): no word drawn in two fonts."""
    from conftest import FIXTURES

    doc = briefexport.parse(FIXTURES / "glyphs" / "scripts.md")
    drawn = _drawn_fonts(briefexport.render(doc, "pdf", load_theme()))
    word: list[tuple[str, str]] = []
    mixed = []
    for char, font in [*drawn, (" ", "")]:
        if unicodedata.category(char)[0] in "LM":
            word.append((char, font))
            continue
        if len({f for _, f in word}) > 1:
            mixed.append("".join(c for c, _ in word))
        word = []
    assert mixed == []


def test_a_cut_instance_keeps_the_source_fonts_date(tmp_path, monkeypatch) -> None:
    # The PDF embeds the instance's `head` table: a date of cutting would make
    # every machine, and every cold cache, write other bytes.
    from fontTools.ttLib import TTFont

    mono = next(f for f in fonts.family_faces(load_theme().fonts.chain("mono")[0]).values() if f.variations)
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path))
    fonts.face_file.cache_clear()
    try:
        cut = fonts.face_file(mono)
        assert tmp_path in cut.parents
        assert TTFont(cut)["head"].modified == TTFont(mono.path)["head"].modified
    finally:
        fonts.face_file.cache_clear()


def test_variable_font_instances_are_named_for_their_weight(tmp_path) -> None:
    """The cut Source Code Pro instances say Regular and SemiBold, not the default instance's ExtraLight."""
    import subprocess

    from fontTools.ttLib import TTFont

    from briefexport.fonts.cache import facts
    from conftest import require_tool

    theme = load_theme()
    code = next(f for f in theme.fonts.families if f.name == "source-code")
    faces = fonts.family_faces(code)

    def name(style: str, name_id: int) -> str:
        return TTFont(str(fonts.face_file(faces[style])), lazy=True)["name"].getDebugName(name_id)

    assert name("regular", 1) == "Source Code Pro" and name("regular", 2) == "Regular"
    assert name("bold", 16) == "Source Code Pro" and name("bold", 17) == "SemiBold"
    assert name("bold", 1) == "Source Code Pro SemiBold"
    assert name("italic", 2) == "Italic" and "ExtraLight" not in name("bold_italic", 4)
    assert all(facts(fonts.face_file(f)).word_family == "Source Code Pro" for f in faces.values())
    # What a reader's PDF viewer lists.
    pdf = tmp_path / "code.pdf"
    pdf.write_bytes(briefexport.render(parse("---\ntitle: T\n---\n\n`code` and **`bold code`**\n"), "pdf", theme))
    listed = subprocess.run([require_tool("pdffonts"), str(pdf)], capture_output=True, text=True, check=True).stdout
    assert "SourceCodePro-Regular" in listed and "SourceCodePro-SemiBold" in listed
    assert "ExtraLight" not in listed


def test_an_instance_cut_by_another_install_of_its_tools_is_cut_again(tmp_path, monkeypatch) -> None:
    """fontTools writes the instance, and packs its layout tables with HarfBuzz
    when uharfbuzz is there: an instance cut before either was installed again
    (or at all) has other bytes, so it must not be what a later run embeds."""
    import os
    import sys

    from briefexport.fonts import paths

    tool = tmp_path / "tools" / "bx_font_writer"
    tool.mkdir(parents=True)
    (tool / "__init__.py").write_text("version = 1\n", encoding="utf-8")
    monkeypatch.syspath_prepend(str(tmp_path / "tools"))
    monkeypatch.setattr(paths, "_FONT_WRITERS", ("bx_font_writer", "bx_not_installed"))
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path / "cache"))
    mono = next(f for f in fonts.family_faces(load_theme().fonts.chain("mono")[0]).values() if f.variations)
    cuts = []
    try:
        for version in (1, 2):
            (tool / "__init__.py").write_text(f"version = {version}\n", encoding="utf-8")
            os.utime(tool / "__init__.py", ns=(version * 10**18, version * 10**18))
            paths.font_writers.cache_clear()
            fonts.face_file.cache_clear()
            cuts.append(fonts.face_file(mono))
    finally:
        paths.font_writers.cache_clear()
        fonts.face_file.cache_clear()
        sys.modules.pop("bx_font_writer", None)
    assert cuts[0] != cuts[1] and all(c.exists() for c in cuts)
    assert "bx_not_installed:-" in paths.font_writers.__wrapped__()
