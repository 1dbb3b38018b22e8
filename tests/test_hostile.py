"""Hostile and broken sources: a clean output or one clean error line, in every format.

`tests/fixtures/hostile/` holds one file per class of trouble with its
expected result in `expected.json`; a hypothesis generator builds more from
nasty pieces (bounded here; `make fuzz` runs it longer).
"""

from __future__ import annotations

import json
import os
import time
from pathlib import Path

import pytest
from click.testing import CliRunner
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from briefexport.cli import main

HOSTILE = Path(__file__).parent / "fixtures" / "hostile"
EXPECTED = json.loads((HOSTILE / "expected.json").read_text(encoding="utf-8"))
FORMATS = ["-f", "pdf", "-f", "docx", "-f", "onepager", "-f", "onepager-pptx", "-f", "json"]
FUZZ_EXAMPLES = int(os.environ.get("BRIEFEXPORT_FUZZ_EXAMPLES", "12"))


def _clean(result, out: Path) -> None:
    """No traceback; every stderr line is an error or a warning; a failure leaves no file."""
    assert result.exit_code in (0, 1), result.output
    assert "Traceback" not in result.output
    errors = [line for line in result.stderr.splitlines() if line.startswith("Error: ")]
    for line in result.stderr.splitlines():
        assert line.startswith(("Error: ", "warning: ")), line
    if result.exit_code == 1:
        assert len(errors) == 1, result.stderr
        assert not out.exists() or not any(out.iterdir())


@pytest.mark.parametrize("name", sorted(EXPECTED))
def test_each_hostile_fixture_ends_as_expected(name: str, tmp_path: Path) -> None:
    expected = EXPECTED[name]
    out = tmp_path / "out"
    start = time.monotonic()
    result = CliRunner().invoke(main, ["render", str(HOSTILE / name), *FORMATS, "-d", str(out), "-j", "1"])
    assert time.monotonic() - start < 30
    _clean(result, out)
    assert result.exit_code == expected["exit"], result.output
    assert expected["stderr"] in result.stderr
    check = CliRunner().invoke(main, ["check", str(HOSTILE / name)])
    assert check.exit_code in (0, 1) and "Traceback" not in check.output


# ------------------------------------------------------------ the generator

_PIECES = st.sampled_from([
    "*", "**", "_", "`", "[", "]", "(", ")", "![", "](x.png)", "[^1]", "[^1]: note\n", "<!-- c -->", "<b>", "&amp;",
    "&#xD800;", "\\", ":::", "::: note\n", "> ", "- ", "1. ", "    code", "```\n", "|a|b|\n|-|-|\n", "\n", "\n\n",
    "\x00", "\x07", "\x1b", "\u202e", "\u2066", "\u200b", "\ufeff", "\ufffe", "\ud7ff", "𝔘", "中文", "ﷺ", "e\u0301",
    "{lang=vi}", "{#id .class}", "<font size=72>", "]]>", "$$", "---\n", "http://x.org", "javascript:alert(1)",
])
_VALUES = st.one_of(
    st.none(), st.booleans(), st.integers(-10**30, 10**30), st.floats(allow_nan=True), st.text(max_size=40),
    st.lists(st.text(max_size=10), max_size=5), st.dictionaries(st.text(max_size=8), st.text(max_size=8), max_size=3),
    st.sampled_from(["9999-12-31T23:59:59-05:00", "0001-01-01", "2024-02-30", "*alias", "&a [*a]", "!!binary x",
                     "\\ud800", "=?utf-8?q?a=0D=0ABcc:_x@y.org?="]),
)
_KEYS = st.sampled_from(["title", "subtitle", "authors", "date", "lang", "keywords", "series", "key_points",
                         "image", "slug", "pull_quote", "unknown"])


@st.composite
def _sources(draw: st.DrawFn) -> str:
    meta = draw(st.dictionaries(_KEYS, _VALUES, max_size=5))
    front = ""
    if meta or draw(st.booleans()):
        ascii_only = draw(st.booleans())  # \u escapes reach YAML's own decoding (surrogates too)
        front = "---\n" + "".join(f"{k}: {json.dumps(v, ensure_ascii=ascii_only, default=str)}\n"
                                   for k, v in meta.items())
        # Now and then never closed (hypothesis favours 0, so 0 means closed).
        front += "---\n\n" if draw(st.integers(0, 9)) < 9 else ""
    body = "".join(draw(st.lists(st.one_of(_PIECES, st.text(max_size=20)), max_size=40)))
    if draw(st.integers(0, 9)) == 9:  # sometimes deep
        body += draw(st.sampled_from(["*", ">", "- ", "["])) * draw(st.integers(20, 300)) + "x"
    return front + body


@settings(max_examples=FUZZ_EXAMPLES, deadline=None, suppress_health_check=[HealthCheck.too_slow,
                                                                             HealthCheck.function_scoped_fixture])
@given(text=_sources())
def test_generated_hostile_sources_end_cleanly(text: str, tmp_path_factory: pytest.TempPathFactory) -> None:
    folder = tmp_path_factory.mktemp("fuzz")
    source = folder / "source.md"
    source.write_text(text, encoding="utf-8", errors="surrogatepass")
    (folder / "x.png").write_bytes((HOSTILE / "truncated.png").read_bytes())
    out = folder / "out"
    start = time.monotonic()
    result = CliRunner().invoke(main, ["render", str(source), *FORMATS, "-d", str(out), "-j", "1"])
    assert time.monotonic() - start < 60
    _clean(result, out)
    for command in (["check", str(source)], ["tree", str(source)]):
        other = CliRunner().invoke(main, command)
        assert other.exit_code in (0, 1) and "Traceback" not in other.output, other.output


def test_html_comments_reach_no_output(tmp_path: Path) -> None:
    import docx
    from pypdf import PdfReader

    source = tmp_path / "notes.md"
    source.write_text("# Notes\n\nText <!-- editor: remove before publishing --> more.\n\n<!-- a\nblock -->\n\nEnd.\n",
                      encoding="utf-8")
    result = CliRunner().invoke(main, ["render", str(source), "-f", "pdf", "-f", "docx", "-d", str(tmp_path / "o")])
    assert result.exit_code == 0, result.output
    pdf_text = "".join(page.extract_text() for page in PdfReader(tmp_path / "o" / "notes.pdf").pages)
    docx_text = " ".join(p.text for p in docx.Document(str(tmp_path / "o" / "notes.docx")).paragraphs)
    for text in (pdf_text, docx_text):
        assert "Text more." in text and "End." in text
        assert "remove before" not in text and "<!--" not in text and "block -->" not in text
