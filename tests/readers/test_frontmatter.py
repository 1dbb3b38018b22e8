"""Front matter read with libyaml when present: the same data, lines and errors as before."""

from __future__ import annotations

import re

import pytest
import yaml
from hypothesis import example, given, settings
from hypothesis import strategies as st

from briefexport.errors import ParseError
from briefexport.readers import frontmatter

from conftest import ROOT

pytestmark = pytest.mark.skipif(frontmatter._FastLoader is None, reason="PyYAML was built without libyaml")


def _both(text: str, *, as_read: bool = False) -> tuple[object, object]:
    """(data, key lines) from the libyaml loader and from the pure-Python one, or the error type.

    `as_read`: the first is the reader's own choice of loader (`_load`: libyaml, but the pure
    loader for a text with a tab, where the two scanners differ).
    """
    out = []
    for loader in (frontmatter._FastLoader, frontmatter._Loader):
        try:
            if as_read and loader is frontmatter._FastLoader:
                node, data = frontmatter._load(text, "<front matter>", 1)
            else:
                node, data = frontmatter._load_with(loader, text)
        except (yaml.YAMLError, ValueError, ParseError) as exc:  # ParseError: over the hardening's limits
            out.append(("error", type(exc).__name__ if loader is frontmatter._Loader else "error"))
            continue
        lines = [(k.value, k.start_mark.line) for k, _ in node.value] if isinstance(node, yaml.MappingNode) else []
        out.append((data, lines))
    return out[0], out[1]


def _front_matters() -> list[str]:
    found = []
    for path in sorted((ROOT / "source").glob("*.md")) + sorted((ROOT / "tests" / "fixtures").rglob("*.md")):
        text = path.read_text(encoding="utf-8")
        if text.startswith("---\n") and "\n---\n" in text[4:]:
            found.append(text[4:text.index("\n---\n", 4) + 1])
    return found


@pytest.mark.parametrize("text", _front_matters())
def test_the_fixtures_read_alike(text: str) -> None:
    fast, pure = _both(text)
    if pure[0] == "error":  # a hostile fixture both refuse (the error's words are tested below)
        assert fast[0] == "error"
        return
    if fast[0] == "error" and pure[0] != "error":
        # libyaml refuses a few texts the pure loader reads (a lone surrogate
        # escape in the hostile fixtures): read() then uses the pure loader.
        import warnings

        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            title = frontmatter.read(text, "x.md", first_line=2).title  # lone surrogates become U+FFFD
            assert title == re.sub("[\ud800-\udfff]", "\ufffd", pure[0].get("title", ""))
        return
    assert fast == pure


@settings(max_examples=150, deadline=None)
@given(st.lists(st.tuples(st.sampled_from(["title", "date", "authors", "key_points", "x", "- a", "  b"]),
                          st.sampled_from([": ", ":", " - ", ": [", ": '", ": >-\n  ", ": 2024-13-45", ": {a: "]),
                          st.text(max_size=12)), max_size=6))
# Found by this test: libyaml reads a trailing tab as null, the pure loader refuses it.
@example([("title", ": ", "\t")])
def test_any_text_reads_alike_or_fails_alike(parts: list[tuple[str, str, str]]) -> None:
    text = "".join(f"{key}{sep}{value}\n" for key, sep, value in parts)
    fast, pure = _both(text, as_read=True)
    if pure[0] == "error":
        assert fast[0] == "error"  # what the pure loader refuses, libyaml refuses too
    elif fast[0] != "error":
        assert fast == pure
    # (libyaml refusing what the pure loader reads is harmless: read() then uses the pure loader)


@pytest.mark.parametrize("text", ["title: x\nkeywords: [unclosed\n", "a: b\n c: d\n", "title: \"x\n", "k: \x07\n"])
def test_an_error_is_the_pure_loaders_error(text: str, monkeypatch: pytest.MonkeyPatch) -> None:
    errors = []
    for fast in (frontmatter._FastLoader, None):
        monkeypatch.setattr(frontmatter, "_FastLoader", fast)
        with pytest.raises(ParseError) as info:
            frontmatter.read(text, "x.md", first_line=2)
        errors.append((str(info.value), info.value.line))
    assert errors[0] == errors[1]
