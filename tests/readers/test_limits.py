"""Limits of what a source may hold: nesting depth, front-matter size and aliases, surrogates, dates."""

from __future__ import annotations

import re
import warnings

import pytest

from briefexport.errors import BriefExportWarning, ParseError
from briefexport.readers.markdown import parse
from briefexport.readers.tokens import MAX_DEPTH
from briefexport.tree import plain_text, to_json


def _words(doc, pattern: str = r"(?:level|item)\d+") -> set[str]:
    return set(re.findall(pattern, to_json(doc)))


@pytest.mark.parametrize("text", [
    "# T\n\n" + "*a " * 1000 + "x" + " b*" * 1000 + "\n",
    "# T\n\n" + "**" * 1000 + "x" + "**" * 1000 + "\n",
    "# T\n\n" + ">" * 1000 + " deep\n",
    "# T\n\n" + "- " * 1000 + "x\n",
    "# T\n\nStart[^1]\n\n" + "".join(f"[^{i}]: note {i}[^{i + 1}]\n\n" for i in range(1, 301)) + "[^301]: end\n",
])
def test_nesting_past_the_limit_is_a_parse_error_with_a_line(text: str) -> None:
    with pytest.raises(ParseError, match=f"more than {MAX_DEPTH} levels") as info:
        parse(text, source="deep.md")
    assert info.value.line > 0


@pytest.mark.parametrize(("text", "count"), [
    ("# T\n\n" + "".join(">" * i + f" level{i} word\n" + ">" * i + "\n" for i in range(1, 21)), 20),
    ("# T\n\n" + "".join("  " * i + f"- item{i}\n" for i in range(12)), 12),
    ("# T\n\n" + "".join("   " * i + f"1. item{i}\n" for i in range(12)), 12),
    ("# T\n\n" + "".join(">" * i + f" level{i} word\n" + ">" * i + "\n" for i in range(1, 49)), 48),
])
def test_deep_quotes_and_lists_within_the_limit_keep_every_word(text: str, count: int) -> None:
    # markdown-it's CommonMark preset dropped whatever lay below 20 levels.
    assert len(_words(parse(text, source="x.md"))) == count


def _bomb() -> str:
    lines = ['  a: &a ["lol", "lol", "lol", "lol", "lol", "lol", "lol", "lol", "lol"]']
    for prev, name in zip("abcdefgh", "bcdefghi"):
        lines.append(f"  {name}: &{name} [" + ", ".join([f"*{prev}"] * 9) + "]")
    return "---\ntitle: T\nbomb:\n" + "\n".join(lines) + "\n---\n\nx\n"


@pytest.mark.parametrize(("text", "message"), [
    (_bomb(), "expands to more than 100,000 values"),
    ("---\ntitle: T\nx: " + "[" * 5000 + "]" * 5000 + "\n---\n\nx\n", "nests more than 20 levels"),
    ("---\ntitle: T\nx: " + "{a: " * 3000 + "1" + "}" * 3000 + "\n---\n\nx\n", "nests more than 20 levels"),
    ("---\ntitle: T\nx: '" + "a" * 300_000 + "'\n---\n\nx\n", "at most 256,000"),
    ("---\na: &a [*a]\n---\n\nx\n", "refers to the value that contains it"),
    ("---\ntitle: !!python/object/apply:os.system ['echo pwned']\n---\n\nx\n", "could not determine a constructor"),
])
def test_hostile_front_matter_is_refused_quickly(text: str, message: str) -> None:
    with pytest.raises(ParseError, match=message) as info:
        parse(text, source="fm.md")
    assert info.value.line >= 2


def test_lone_surrogates_become_replacement_characters_with_a_warning() -> None:
    text = '---\ntitle: "A \\ud800 B"\nkey_points: ["\\ud83d\\ude00 ok", "\\udfff"]\n---\n\nx\n'
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always", BriefExportWarning)
        doc = parse(text, source="s.md")
        body = parse("# T\n\nab\ud800c\n", source="b.md")
    assert doc.meta.title == "A \ufffd B"
    assert doc.meta.key_points == ("\U0001F600 ok", "\ufffd")
    assert plain_text(body).strip().endswith("ab\ufffdc")
    messages = [str(w.message) for w in caught]
    assert any(m.startswith("s.md:2: front matter `title`: half a character") for m in messages)
    assert any(m.startswith("b.md:3: half a character") for m in messages)
    to_json(doc).encode("utf-8")  # no UnicodeEncodeError


@pytest.mark.parametrize("date", ["0001-01-01T00:00:00+05:00", "9999-12-31T23:59:59-05:00"])
def test_dates_past_the_utc_range_are_errors_at_their_line(date: str) -> None:
    with pytest.raises(ParseError, match="outside the years 1-9999") as info:
        parse(f"---\ntitle: T\ndate: {date}\n---\n\nx\n", source="d.md")
    assert info.value.line == 3


@pytest.mark.parametrize("date", ["0001-01-01", "9999-12-31", "-0001-01-01", "0001-01-01T00:00:00-05:00"])
def test_dates_at_the_edges_that_fit_are_kept(date: str) -> None:
    assert parse(f"---\ntitle: T\ndate: {date}\n---\n\nx\n", source="d.md").meta.date == date


def test_html_comments_are_dropped_and_reported_with_their_lines() -> None:
    text = ("# T\n\nText <!-- editor: remove before publishing --> more.\n\n<!-- block\ncomment -->\n\n"
            "```\n<!-- shown in code -->\n```\n\nand `<!-- in a span -->` too\n")
    comments: list[tuple[int, str]] = []
    doc = parse(text, source="c.md", comments=comments)
    shown = to_json(doc)
    assert "remove before" not in shown and "comment -->" not in shown
    assert "Text more." in shown
    assert "<!-- shown in code -->" in shown and "<!-- in a span -->" in shown
    assert comments == [(3, "<!-- editor: remove before publishing -->"), (5, "<!-- block\ncomment -->")]
