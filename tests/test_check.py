"""`briefexport check`: findings with the right line, exit codes, JSON."""

from __future__ import annotations

import io
import json
import os
import re
import subprocess
import sys
from pathlib import Path

import pytest
from click.testing import CliRunner

from briefexport import backends, cli, load_theme
from briefexport.fonts import system as sysfonts
from briefexport.check import check_file
from briefexport.tree import Document, plain_text

from conftest import ARTICLE, FIXTURES, ROOT

GLYPHS = FIXTURES / "glyphs"
ONEPAGER = FIXTURES / "onepager"
# Warnings the article is allowed to have (see the README's section on `check`).
ARTICLE_WARNINGS = {"missing-date", "onepager-shrink"}


def run(*args: str, env: dict[str, str] | None = None) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "briefexport", *args],
        cwd=ROOT, capture_output=True, text=True, timeout=120, env={**os.environ, **(env or {})},
    )


def _line_of(path: Path, marker: str) -> int:
    for number, row in enumerate(path.read_text(encoding="utf-8").split("\n"), 1):
        if marker in row:
            return number
    raise AssertionError(f"{marker!r} is not in {path}")


def test_article_is_clean_but_for_justified_warnings() -> None:
    findings = check_file(ARTICLE, load_theme())
    assert [f for f in findings if f.severity == "error"] == []
    assert {f.code for f in findings} <= ARTICLE_WARNINGS, findings
    result = run("check", str(ARTICLE))
    assert result.returncode == 0, result.stdout + result.stderr


def test_bad_source_findings_carry_their_lines(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv(sysfonts.ENV, "off")
    source = GLYPHS / "bad.md"
    findings = check_file(source, load_theme())
    got = {(f.code, f.line) for f in findings}
    expected = {
        ("missing-title", 0), ("missing-authors", 0), ("missing-date", 0), ("missing-key-points", 0),
        ("image-missing", _line_of(source, "missing.png")),
        ("a11y-no-alt", _line_of(source, "missing.png")),
        ("image-outside", _line_of(source, "../outside.png")),
        ("a11y-no-alt", _line_of(source, "pixel.png")),
        ("footnote-undefined", _line_of(source, "[^nowhere]")),
        ("footnote-unused", _line_of(source, "[^unused]:")),
        ("link-scheme", _line_of(source, "ftp://")),
        ("link-scheme", _line_of(source, "tel:")),
        ("missing-glyph", _line_of(source, "一")),
    }
    assert got == expected
    assert all(f.path == str(source) for f in findings)
    errors = {f.code for f in findings if f.severity == "error"}
    assert errors == {"image-missing", "image-outside"}  # missing-title: a warning, as in render
    glyph = next(f for f in findings if f.code == "missing-glyph")
    assert "U+4E00 '一'" in glyph.message


def test_check_cli_exit_codes_and_json() -> None:
    off = {sysfonts.ENV: "off"}
    bad = run("check", str(GLYPHS / "bad.md"), "--json", env=off)
    assert bad.returncode == 1
    payload = json.loads(bad.stdout)
    assert {tuple(sorted(item)) for item in payload} == {("code", "line", "message", "path", "severity")}
    assert any(item["code"] == "image-outside" and item["severity"] == "error" for item in payload)

    clean = run("check", str(GLYPHS / "scripts.md"), env=off)
    assert clean.returncode == 0 and clean.stdout == "", clean.stdout + clean.stderr

    cjk = run("check", str(GLYPHS / "cjk.md"), env=off)
    assert cjk.returncode == 0 and "missing-glyph" in cjk.stdout  # warnings only
    assert run("check", str(GLYPHS / "cjk.md"), "--strict", env=off).returncode == 1


def test_check_reports_an_unparsable_source(tmp_path: Path) -> None:
    source = tmp_path / "broken.md"
    source.write_text("---\ntitle: [unclosed\n---\nText.\n", encoding="utf-8")
    result = run("check", str(source), "--json")
    assert result.returncode == 1
    (finding,) = json.loads(result.stdout)
    assert finding["code"] == "parse-error" and finding["path"] == str(source)


class PlainTextBackend:
    """A minimal real format (the document's text), standing in for any backend that draws text."""

    name = "text"
    suffix = ".txt"
    media_type = "text/plain"
    description = "plain text"

    def render(self, doc: Document, theme: object, *, base_dir: Path) -> bytes:
        return plain_text(doc).encode("utf-8")


@pytest.fixture
def text_format(monkeypatch: pytest.MonkeyPatch) -> None:
    real_get = backends.get
    monkeypatch.setattr(backends, "get", lambda name: PlainTextBackend() if name == "text" else real_get(name))


def test_render_warns_per_line_and_strict_writes_nothing(text_format: None, tmp_path: Path,
                                                         monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv(sysfonts.ENV, "off")
    source = GLYPHS / "cjk.md"
    cjk_lines = [i for i, row in enumerate(source.read_text(encoding="utf-8").split("\n"), 1)
                 if any(ord(c) >= 0x2E80 for c in row)]
    runner = CliRunner()
    result = runner.invoke(cli.main, ["render", str(source), "-f", "text", "-d", str(tmp_path / "out")])
    assert result.exit_code == 0, result.output
    warned = {int(row.split(":")[2]) for row in result.stderr.splitlines() if "has no glyph" in row}
    assert warned == set(cjk_lines)
    assert sorted(p.name for p in (tmp_path / "out").iterdir()) == [
        "chinas-belt-and-road.manifest.json", "chinas-belt-and-road.txt"]

    strict = runner.invoke(cli.main, ["render", str(source), "-f", "text", "-d", str(tmp_path / "strict"), "--strict"])
    assert strict.exit_code == 1
    assert "--strict" in strict.stderr and "U+4E00" in strict.stderr
    assert not (tmp_path / "strict").exists()


def test_json_format_needs_no_glyph_check(tmp_path: Path) -> None:
    result = run("render", str(GLYPHS / "cjk.md"), "-f", "json", "-d", str(tmp_path), env={sysfonts.ENV: "off"})
    assert result.returncode == 0 and "has no glyph" not in result.stderr


# ------------------------------------------------------------- one-pager


def _render_onepager(source: Path, fmt: str) -> tuple[bytes, list[str]]:
    """The slide as the backend draws it, and its warnings without the `path:line: ` prefix."""
    import warnings

    from briefexport.errors import BriefExportWarning
    from briefexport.readers.markdown import parse_file

    doc = parse_file(source)
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always", BriefExportWarning)
        data = backends.get(fmt).render(doc, load_theme(), base_dir=source.parent)
    return data, [str(w.message).split(": ", 1)[1] for w in caught if issubclass(w.category, BriefExportWarning)]


def test_check_reports_the_size_the_slide_draws_its_key_points_at() -> None:
    from pptx import Presentation

    from briefexport.readers.markdown import parse_file

    theme = load_theme()
    article = check_file(ARTICLE, theme)
    shrinks = [f for f in article if f.code == "onepager-shrink" and f.message.startswith("one-pager: key points")]
    assert len(shrinks) == 1 and shrinks[0].line == _line_of(ARTICLE, "key_points:")
    assert shrinks[0].severity == "warning" and shrinks[0].path == str(ARTICLE)
    assert not [f for f in article if f.code == "onepager-drop"]

    data, messages = _render_onepager(ARTICLE, "onepager-pptx")
    assert messages == []  # nothing left out, as check says
    op = theme.onepager
    key_points = {" ".join(p.split()) for p in parse_file(ARTICLE).meta.key_points}
    drawn = {run.font.size.pt for shape in Presentation(io.BytesIO(data)).slides[0].shapes if shape.has_text_frame
             for para in shape.text_frame.paragraphs if " ".join(para.text.split()) in key_points
             for run in para.runs}
    assert len(drawn) == 1
    (size,) = drawn
    assert size < op.points_size
    assert f"key points set at {size:g} pt instead of {op.points_size:g} pt" in shrinks[0].message


def test_check_reports_left_out_key_points_where_the_render_warns() -> None:
    source = ONEPAGER / "many-points.md"
    findings = check_file(source, load_theme())
    drops = [f for f in findings if f.code == "onepager-drop"]
    assert drops and {f.line for f in drops} == {_line_of(source, "key_points:")}
    data, messages = _render_onepager(source, "onepager")
    # The same words the render warns with, one finding per warning.
    assert sorted(f.message for f in drops) == sorted(messages)
    from pypdf import PdfReader

    shown = " ".join(PdfReader(io.BytesIO(data)).pages[0].extract_text().split())
    ranges = [re.match(r"one-pager: key points? (\d+)(?:\u2013(\d+))? left out", f.message) for f in drops]
    named = {n for m in ranges if m for n in range(int(m[1]), int(m[2] or m[1]) + 1)}
    assert named
    for number in range(1, 13):
        # Every key point is either on the slide or named as left out, never both.
        assert (f"Point {number}:" in shown) != (number in named), number


def test_a_slide_that_fits_gets_no_onepager_findings(tmp_path: Path) -> None:
    source = tmp_path / "short.md"
    source.write_text("---\ntitle: Short\nkey_points:\n  - One point.\n  - Another.\n---\n\nText.\n",
                      encoding="utf-8")
    assert [f for f in check_file(source, load_theme()) if f.code.startswith("onepager-")] == []


def test_check_json_carries_the_onepager_findings() -> None:
    source = ONEPAGER / "many-points.md"
    result = run("check", str(source), "--json")
    assert result.returncode == 0, result.stderr  # warnings only
    payload = json.loads(result.stdout)
    codes = {(item["code"], item["line"]) for item in payload if item["code"].startswith("onepager-")}
    key_points = _line_of(source, "key_points:")
    assert ("onepager-drop", key_points) in codes and ("onepager-shrink", key_points) in codes
    assert all(item["severity"] == "warning" for item in payload if item["code"].startswith("onepager-"))


def test_html_comments_are_listed(tmp_path: Path) -> None:
    source = tmp_path / "notes.md"
    source.write_text("# Notes\n\nText <!-- editor: remove before publishing --> more.\n", encoding="utf-8")
    findings = check_file(source, load_theme())
    [comment] = [f for f in findings if f.code == "html-comment"]
    assert (comment.severity, comment.line) == ("warning", 3)
    assert "editor: remove before publishing" in comment.message
