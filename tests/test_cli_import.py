"""`briefexport import`: output, --json, --diff (exit 0/3), --into (atomic, .orig), errors (1), usage (2)."""

from __future__ import annotations

import json
import shutil
import subprocess
import sys
import warnings

import docx
import pytest
from click.testing import CliRunner

from briefexport import render
from briefexport.cli import main
from briefexport.errors import BriefExportWarning
from briefexport.readers.markdown import parse_file
from conftest import ARTICLE, ROOT


@pytest.fixture()
def workspace(tmp_path, theme):
    source = tmp_path / "article.md"
    shutil.copy(ARTICLE, source)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", BriefExportWarning)
        data = render(parse_file(source), "docx", theme, base_dir=tmp_path)
    edited = tmp_path / "edited.docx"
    edited.write_bytes(data)
    return source, edited


def _edit(edited):
    d = docx.Document(str(edited))
    p = next(p for p in d.paragraphs if p.text == "This is a scenario that has played out before.")
    p.runs[0].text = "This scenario has played out before, twice."
    d.add_comment(p.runs, text="Check the dates", author="Alice Editor", initials="AE")
    d.save(str(edited))


def test_unchanged_docx_diff_exits_0(workspace):
    source, edited = workspace
    result = CliRunner().invoke(main, ["import", str(edited), "--diff", str(source)])
    assert result.exit_code == 0, result.output
    assert result.stdout == ""


def test_edited_docx_diff_exits_3_and_shows_the_edit(workspace):
    source, edited = workspace
    _edit(edited)
    result = CliRunner().invoke(main, ["import", str(edited), "--diff", str(source)])
    assert result.exit_code == 3, result.output
    assert "-This is a scenario that has played out before.\n" in result.stdout
    assert "+This scenario has played out before, twice.{>>Check the dates<<}\n" in result.stdout
    assert sum(line.startswith(("+", "-")) for line in result.stdout.splitlines()) == 4  # 2 headers + 2 lines


def test_into_rewrites_with_a_backup_and_json_names_the_line(workspace):
    source, edited = workspace
    _edit(edited)
    before = source.read_text(encoding="utf-8")
    result = CliRunner().invoke(main, ["import", str(edited), "--changes", "accept", "--into", str(source), "--json"])
    assert result.exit_code == 0, result.output
    assert (source.parent / "article.md.orig").read_text(encoding="utf-8") == before
    after = source.read_text(encoding="utf-8")
    assert "This scenario has played out before, twice." in after and "{>>" not in after
    changes = json.loads(result.stdout)["changes"]
    assert [(c["kind"], c["author"], c["text"]) for c in changes] == [("comment", "Alice Editor", "Check the dates")]
    assert after.splitlines()[changes[0]["line"] - 1].startswith("This scenario has played out")
    # The accepted source renders; a second import finds nothing left to change.
    again = CliRunner().invoke(main, ["import", str(edited), "--changes", "accept", "--diff", str(source)])
    assert again.exit_code == 0 and again.stdout == ""
    rendered = CliRunner().invoke(main, ["render", str(source), "--format", "pdf", "--output-dir",
                                         str(source.parent / "build")])
    assert rendered.exit_code == 0, rendered.output
    from pypdf import PdfReader

    pdf = next((source.parent / "build").glob("*.pdf"))
    text = " ".join(page.extract_text() for page in PdfReader(str(pdf)).pages)
    assert "This scenario has played out before, twice." in " ".join(text.split())


def test_markdown_to_a_file_and_to_stdout(workspace, tmp_path):
    _source, edited = workspace
    out = tmp_path / "out.md"
    result = CliRunner().invoke(main, ["import", str(edited), "-o", str(out)])
    assert result.exit_code == 0, result.output
    text = out.read_text(encoding="utf-8")
    assert text.startswith("---\ntitle: Belarus’ Burgeoning Ties with Russia and China\n")
    stdout = CliRunner().invoke(main, ["import", str(edited)]).stdout
    assert stdout == text


@pytest.mark.parametrize("content, message", [
    (b"not a zip at all", "not a DOCX"),
    (b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\0" * 512, "old Word .doc file"),
])
def test_bad_input_is_one_line_and_exit_1(tmp_path, content, message):
    bad = tmp_path / "bad.doc"
    bad.write_bytes(content)
    result = subprocess.run([sys.executable, "-m", "briefexport", "import", str(bad)], capture_output=True,
                            text=True, cwd=ROOT)
    assert result.returncode == 1
    assert result.stderr.count("\n") == 1 and result.stderr.startswith(f"Error: {bad}: ") and message in result.stderr
    assert "Traceback" not in result.stderr


def test_missing_source_for_diff_is_exit_1(workspace, tmp_path):
    _source, edited = workspace
    result = CliRunner().invoke(main, ["import", str(edited), "--diff", str(tmp_path / "nope.md")])
    assert result.exit_code == 1
    assert "nope.md: no such file" in result.stderr


def test_usage_mistakes_exit_2(workspace):
    source, edited = workspace
    runner = CliRunner()
    assert runner.invoke(main, ["import", str(edited), "--diff", str(source), "--into", str(source)]).exit_code == 2
    assert runner.invoke(main, ["import", str(edited), "--changes", "maybe"]).exit_code == 2
    assert runner.invoke(main, ["import"]).exit_code == 2


def test_an_inserted_picture_is_saved_beside_the_markdown(workspace, tmp_path):
    from conftest import FIXTURES

    _source, edited = workspace
    d = docx.Document(str(edited))
    d.add_picture(str(FIXTURES / "chart.png"))
    d.save(str(edited))
    out = tmp_path / "draft" / "draft.md"
    out.parent.mkdir()
    result = CliRunner().invoke(main, ["import", str(edited), "-o", str(out)])
    assert result.exit_code == 0, result.output
    assert "a picture briefexport did not write is saved as edited-image-1.png" in result.stderr
    assert (out.parent / "edited-image-1.png").read_bytes() == (FIXTURES / "chart.png").read_bytes()
    assert "](edited-image-1.png)" in out.read_text(encoding="utf-8")
    # The Markdown renders with the picture in it.
    rendered = CliRunner().invoke(main, ["render", str(out), "--format", "pdf", "--output-dir", str(tmp_path / "b")])
    assert rendered.exit_code == 0, rendered.output
