"""Every character reaches every output: the cross-backend glyph tests.

These run the real PDF brief, one-pager and DOCX backends; they need all
three registered (`briefexport formats`).
"""

from __future__ import annotations

import io
import os
import re
import subprocess
import sys
from pathlib import Path

import pytest

import briefexport
from briefexport.fonts import coverage, system as sysfonts
from briefexport import load_theme
from briefexport.readers.markdown import parse_file

from pdf_checks import drawn_characters
from conftest import FIXTURES, ROOT, noto_cjk_installed, require_tool

GLYPHS = FIXTURES / "glyphs"
_WORD = re.compile(r"\w+")


def _words(text: str) -> set[str]:
    return set(_WORD.findall(text))


def _used_characters(doc: briefexport.tree.Document) -> set[str]:
    theme = load_theme()
    return {c for p in coverage.pieces(doc, theme) for c in p.text if not c.isspace() and c.isprintable()}


@pytest.fixture(scope="module")
def scripts() -> briefexport.tree.Document:
    return parse_file(GLYPHS / "scripts.md")


@pytest.mark.parametrize("fmt", ["pdf", "onepager"])
def test_pdfs_draw_every_character_of_the_scripts_fixture(scripts, fmt: str) -> None:
    from pypdf import PdfReader

    data = briefexport.render(scripts, fmt, load_theme())
    text = "\n".join(p.extract_text() for p in PdfReader(io.BytesIO(data)).pages)
    shown = scripts.meta.title + " " + " ".join(scripts.meta.key_points)
    if fmt == "pdf":
        shown += " " + briefexport.tree.plain_text(scripts)
    missing_words = _words(shown) - _words(text)
    assert not missing_words
    used = {c for c in shown if not c.isspace() and c.isprintable()}
    if fmt == "pdf":
        used = _used_characters(scripts)
    assert used - drawn_characters(data) == set()


def test_docx_keeps_every_word_through_libreoffice(scripts, tmp_path: Path) -> None:
    soffice = require_tool("soffice")
    from pypdf import PdfReader

    docx = tmp_path / "scripts.docx"
    docx.write_bytes(briefexport.render(scripts, "docx", load_theme()))
    subprocess.run([soffice, "--headless", "--norestore", f"-env:UserInstallation=file://{tmp_path}/lo",
                    "--convert-to", "pdf", "--outdir", str(tmp_path), str(docx)],
                   check=True, capture_output=True, timeout=300)
    text = "\n".join(p.extract_text() for p in PdfReader(tmp_path / "scripts.pdf").pages)
    shown = briefexport.tree.plain_text(scripts) + " " + scripts.meta.title
    assert _words(shown) - _words(text) == set()


def _cli(*args: str, env: dict[str, str]) -> subprocess.CompletedProcess[str]:
    return subprocess.run([sys.executable, "-m", "briefexport", *args], cwd=ROOT, capture_output=True,
                          text=True, timeout=300, env={**os.environ, **env})


def test_cjk_without_a_cjk_font_warns_and_strict_writes_nothing(tmp_path: Path) -> None:
    source = GLYPHS / "cjk.md"
    cjk_lines = {i for i, row in enumerate(source.read_text(encoding="utf-8").split("\n"), 1)
                 if any(ord(c) >= 0x2E80 for c in row)}
    off = {sysfonts.ENV: "off"}
    result = _cli("render", str(source), "-f", "pdf", "-d", str(tmp_path / "out"), env=off)
    assert result.returncode == 0, result.stderr
    warned = {int(row.split(":")[2]) for row in result.stderr.splitlines() if "has no glyph" in row}
    assert warned == cjk_lines
    strict = _cli("render", str(source), "-f", "pdf", "-d", str(tmp_path / "strict"), "--strict", env=off)
    assert strict.returncode == 1 and not (tmp_path / "strict").exists()


def test_cjk_with_noto_cjk_renders_real_glyphs(monkeypatch: pytest.MonkeyPatch) -> None:

    if not noto_cjk_installed():
        pytest.skip("fonts-noto-cjk is not installed (.ci/run installs it)")
    monkeypatch.delenv(sysfonts.ENV, raising=False)
    doc = parse_file(GLYPHS / "cjk.md")
    data = briefexport.render(doc, "pdf", load_theme())
    assert _used_characters(doc) - drawn_characters(data) == set()
