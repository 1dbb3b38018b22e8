"""Citations from the command line: --resource-path, errors, `check` and `tree`."""

from __future__ import annotations

import json
from pathlib import Path

from conftest import FIXTURES
from test_cli import run

BRIEF = FIXTURES / "citations" / "brief.md"
LIBRARY = FIXTURES / "citations" / "library"


def test_render_finds_the_bibliography_on_the_resource_path(tmp_path: Path) -> None:
    result = run("render", str(BRIEF), "-f", "docx", "-d", str(tmp_path), "--resource-path", str(LIBRARY))
    assert result.returncode == 0, result.stderr
    assert (tmp_path / "belarus-between-moscow-and-beijing.docx").is_file()
    assert result.stderr == ""


def test_without_it_one_error_line_and_nothing_written(tmp_path: Path) -> None:
    result = run("render", str(BRIEF), "-f", "pdf", "-d", str(tmp_path))
    assert result.returncode == 1
    assert result.stderr.startswith(f"Error: {BRIEF}:13: `bibliography`: sources.bib not found")
    assert len(result.stderr.strip().splitlines()) == 1 and "Traceback" not in result.stderr
    assert list(tmp_path.iterdir()) == []


def test_a_broken_bib_is_one_error_line(tmp_path: Path) -> None:
    (tmp_path / "bad.bib").write_text("@book{a,\n  title = {X},\n  year = 2020\n\n@book{b, title={Y}}\n")
    source = tmp_path / "b.md"
    source.write_text("---\ntitle: T\nbibliography: bad.bib\n---\nText [@a].\n")
    result = run("render", str(source), "-f", "docx", "-d", str(tmp_path / "out"))
    assert result.returncode == 1
    assert f"{tmp_path / 'bad.bib'}:5: bibliography: unexpected" in result.stderr
    assert len(result.stderr.strip().splitlines()) == 1
    assert not (tmp_path / "out").exists()


def test_check_reports_citation_findings(tmp_path: Path) -> None:
    (tmp_path / "refs.yaml").write_text("- id: doe\n  type: book\n  title: A Book\n  issued: 2001\n")
    source = tmp_path / "b.md"
    source.write_text("---\ntitle: T\nbibliography: refs.yaml\n---\n\nKnown [@doe].\n\nGone [@nobody] and @fig:none.\n")
    result = run("check", str(source), "--json")
    findings = {(f["code"], f["line"]) for f in json.loads(result.stdout)}
    assert {("citation-missing", 8), ("crossref-unknown", 8)} <= findings
    assert result.returncode == 0  # warnings only

    result = run("check", str(BRIEF), "--json")
    errors = [f for f in json.loads(result.stdout) if f["severity"] == "error"]
    assert [(f["code"], f["line"]) for f in errors] == [("bibliography-error", 13)]
    assert result.returncode == 1
    result = run("check", str(BRIEF), "--json", "--resource-path", str(LIBRARY))
    assert json.loads(result.stdout) == [] and result.returncode == 0


def test_tree_shows_citations_as_written_and_resolved() -> None:
    written = run("tree", str(BRIEF))
    assert written.returncode == 0, written.stderr
    assert '"t": "Cite"' in written.stdout and '"version": 2' in written.stdout
    resolved = run("tree", str(BRIEF), "--resolved", "--resource-path", str(LIBRARY))
    assert resolved.returncode == 0, resolved.stderr
    assert '"t": "Cite"' not in resolved.stdout and '"ref-wilson2021"' in resolved.stdout


def test_a_brief_without_citations_loads_no_citation_code() -> None:
    import subprocess
    import sys

    from conftest import ARTICLE, ROOT

    code = ("import sys, briefexport\n"
            f"doc = briefexport.parse({str(ARTICLE)!r})\n"
            "briefexport.render(doc, 'docx')\n"
            "print(sorted(m for m in sys.modules if m.startswith(('briefexport.transforms.cit', 'pypandoc'))))\n")
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, cwd=ROOT, check=True)
    assert out.stdout.strip() == "[]"
