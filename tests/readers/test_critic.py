"""CriticMarkup in the source: read, shown accepted with a warning, refused under --strict."""

from __future__ import annotations

import json
import warnings

import pytest
from click.testing import CliRunner

from briefexport.cli import main
from briefexport.errors import BriefExportWarning, ParseError
from briefexport.readers.markdown import parse
from briefexport.tree import Span, Text, inline_text, walk

SOURCE = """---
title: Changes
---

Minsk {++quietly ++}received {--two--} {~~new~>fresh~~} loans.{>>Source?<<}

- kept item
- {--a deleted item--}
"""


def _parse(text: str, changes: str) -> tuple:
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always", BriefExportWarning)
        doc = parse(text, source="brief.md", changes=changes)
    return doc, [str(c.message) for c in caught]


def test_keep_reads_every_mark_as_a_span():
    doc, _ = _parse(SOURCE, "keep")
    spans = [(n.attrs.classes[0], inline_text(n.children), dict(n.attrs.kv).get("text", ""))
             for n in walk(doc) if isinstance(n, Span)]
    assert spans == [("insertion", "quietly ", ""), ("deletion", "two", ""), ("deletion", "new", ""),
                     ("insertion", "fresh", ""), ("comment", "", "Source?"), ("deletion", "a deleted item", "")]


def test_accept_shows_the_new_text_and_names_each_change():
    doc, messages = _parse(SOURCE, "accept")
    para = doc.blocks[0]
    assert para.children == (Text("Minsk quietly received  fresh loans."),)
    assert len(doc.blocks[1].items) == 1  # the deleted item is gone
    assert messages[0] == "brief.md:5: tracked-change: insertion \u201cquietly\u201d (shown accepted)"
    assert sum("tracked-change" in m for m in messages) == 6
    assert any(m.startswith("brief.md:8: tracked-change: deletion") for m in messages)


def test_reject_shows_the_old_text():
    doc, _ = _parse(SOURCE, "reject")
    assert doc.blocks[0].children == (Text("Minsk received two new loans."),)
    assert len(doc.blocks[1].items) == 2


def test_error_mode_refuses_the_first_mark():
    with pytest.raises(ParseError, match=r"brief.md:5: tracked-change: insertion .* still open \(--strict\)"):
        parse(SOURCE, source="brief.md", changes="error")


def test_braces_that_are_not_criticmarkup_stay_text():
    doc, messages = _parse("A {+ not a mark +} and {++unclosed.\n", "accept")
    assert doc.blocks[0].children == (Text("A {+ not a mark +} and {++unclosed."),)
    assert not [m for m in messages if "tracked-change" in m]


def test_render_warns_and_strict_refuses(tmp_path):
    source = tmp_path / "brief.md"
    source.write_text(SOURCE, encoding="utf-8")
    runner = CliRunner()
    result = runner.invoke(main, ["render", str(source), "--format", "docx", "--output-dir", str(tmp_path / "out")])
    assert result.exit_code == 0, result.output
    assert f"warning: {source}:5: tracked-change: insertion" in result.stderr
    strict = runner.invoke(main, ["render", str(source), "--format", "docx", "--strict",
                                  "--output-dir", str(tmp_path / "strict")])
    assert strict.exit_code == 1
    assert strict.stderr.strip().splitlines()[-1].startswith(f"Error: {source}:5: tracked-change: insertion")
    assert not (tmp_path / "strict").exists() or not any((tmp_path / "strict").iterdir())


def test_check_lists_the_open_changes(tmp_path):
    source = tmp_path / "brief.md"
    source.write_text(SOURCE, encoding="utf-8")
    result = CliRunner().invoke(main, ["check", str(source), "--json"])
    findings = json.loads(result.stdout)
    changes = [f for f in findings if f["code"] == "tracked-change"]
    assert [f["line"] for f in changes] == [5, 5, 5, 5, 5, 8]
