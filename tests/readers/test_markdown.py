"""The parser: fixture files of `title / . / markdown / . / tree dump / .`."""

from __future__ import annotations

from pathlib import Path

import pytest

from briefexport.errors import ParseError
from briefexport.readers.markdown import parse, parse_file
from briefexport.tree import Div, Para, Text, dump, plain_text, walk

from conftest import FIXTURES


def read_fixtures(path: Path) -> list[tuple[str, str, str]]:
    """markdown-it-py's fixture layout: a title line, then `.`-separated input and expected."""
    lines = path.read_text(encoding="utf-8").split("\n")
    cases, i = [], 0
    while i < len(lines):
        if not lines[i].strip():
            i += 1
            continue
        title = lines[i]
        assert lines[i + 1] == ".", f"{path}:{i + 2}: expected '.' after the title"
        j = i + 2
        source: list[str] = []
        while lines[j] != ".":
            source.append(lines[j])
            j += 1
        k = j + 1
        expected: list[str] = []
        while lines[k] != ".":
            expected.append(lines[k])
            k += 1
        text = "\n".join(source) + ("\n" if source else "")
        cases.append((title, text, "\n".join(expected)))
        i = k + 1
    return cases


CASES = read_fixtures(FIXTURES / "parse" / "constructs.txt")


@pytest.mark.filterwarnings("ignore::briefexport.errors.BriefExportWarning")
@pytest.mark.parametrize(("title", "markdown", "expected"), CASES, ids=[c[0] for c in CASES])
def test_fixture(title: str, markdown: str, expected: str) -> None:
    assert dump(parse(markdown, source="fixture.md")) == expected


@pytest.mark.filterwarnings("ignore::briefexport.errors.BriefExportWarning")
def test_fixtures_cover_every_block_and_inline_type() -> None:
    seen = {type(node).__name__ for _, md, _ in CASES for node in walk(parse(md))}
    wanted = {
        "Para", "Plain", "Heading", "BulletList", "OrderedList", "DefinitionList", "BlockQuote",
        "CodeBlock", "HorizontalRule", "Table", "TableCell", "Figure", "Div", "Text", "Emph",
        "Strong", "Strikeout", "Code", "Link", "Image", "Note", "SoftBreak", "LineBreak", "Span",
    }
    assert wanted <= seen, f"no fixture exercises {sorted(wanted - seen)}"


def test_raw_html_is_text_not_markup() -> None:
    doc = parse("<b>bold?</b> <img src=x onerror=alert(1)>\n\n<script>\nalert(1)\n</script>\n")
    text = plain_text(doc)
    assert "<b>bold?</b>" in text
    assert "<img src=x onerror=alert(1)>" in text
    assert "<script>" in text
    assert all(isinstance(b, Para) for b in doc.blocks)


def test_front_matter_fields() -> None:
    doc = parse(
        "---\ntitle: T\nsubtitle: S\nauthors:\n  - name: A\n    affiliation: X\n    bio: B\n  - C\n"
        "date: 2022-01-14\nkeywords: a, b\nkey_points: [one, two]\nseries: Brief\nimage:\n"
        "  caption: Cap\n  credit: Cred\nslug: my-slug\npull_quote: Q\n---\nBody\n"
    )
    m = doc.meta
    assert (m.title, m.subtitle, m.date, m.series, m.slug, m.pull_quote) == ("T", "S", "2022-01-14", "Brief", "my-slug", "Q")
    assert [(a.name, a.affiliation, a.bio) for a in m.authors] == [("A", "X", "B"), ("C", "", "")]
    assert m.keywords == ("a", "b") and m.key_points == ("one", "two")
    assert m.image is not None and (m.image.caption, m.image.credit) == ("Cap", "Cred")
    assert m.line_of("date") == 9
    assert doc.blocks[0].line == 19  # the line after the closing ---


@pytest.mark.parametrize(
    ("text", "line", "fragment"),
    [
        ("---\ntitle: [unclosed\n---\n", 2, "front matter"),
        ("---\ntitle: ok\nauthors: 3\n---\n", 3, "`authors`"),
        ("---\ntitle: ok\nsubtitle:\n  nested: map\n---\n", 3, "`subtitle`"),
        ("---\ntitle: x\nkey_points: {a: 1}\n---\n", 3, "`key_points`"),
        ("---\ntitle: x\n\nNo closing line.\n", 1, "never closed"),
        ("---\ntitle: x\n\tbad: tab\n---\n", 3, "front matter"),
    ],
)
def test_front_matter_errors_name_the_line(text: str, line: int, fragment: str) -> None:
    with pytest.raises(ParseError) as info:
        parse(text, source="source/x.md")
    assert info.value.path == "source/x.md"
    assert info.value.line == line
    assert fragment in info.value.message
    assert str(info.value).startswith(f"source/x.md:{line}: ")


def test_unknown_front_matter_key_is_kept_with_a_warning() -> None:
    from briefexport.errors import BriefExportWarning

    with pytest.warns(BriefExportWarning, match=r"x\.md:3: unknown front-matter key `colour`"):
        doc = parse("---\ntitle: T\ncolour: blue\n---\n", source="x.md")
    assert doc.meta.extra == (("colour", '"blue"'),)


def test_title_falls_back_to_first_heading_then_file_name(tmp_path: Path) -> None:
    assert parse("Intro\n\n# Heading One\n\ntext\n").meta.title == "Heading One"
    assert len(parse("Intro\n\n# Heading One\n").blocks) == 2  # not the first block: kept
    path = tmp_path / "my_notes.md"
    path.write_text("just text\n", encoding="utf-8")
    assert parse_file(path).meta.title == "my notes"


def test_empty_file_is_an_empty_document(tmp_path: Path) -> None:
    path = tmp_path / "empty.md"
    path.write_bytes(b"")
    doc = parse_file(path)
    assert doc.blocks == () and doc.meta.title == "empty"


def test_file_errors(tmp_path: Path) -> None:
    with pytest.raises(ParseError, match="no such file"):
        parse_file(tmp_path / "missing.md")
    with pytest.raises(ParseError, match="is a folder, not a Markdown file"):
        parse_file(tmp_path)  # a folder opens on Linux: the reader names it, not os.fdopen
    bad = tmp_path / "latin1.md"
    bad.write_bytes(b"ok\nline two caf\xe9\n")
    with pytest.raises(ParseError) as info:
        parse_file(bad)
    assert info.value.line == 2 and "UTF-8" in info.value.message


def test_container_any_name_and_nesting() -> None:
    doc = parse(":::: note\n::: pullquote\nX\n:::\n::::\n")
    outer = doc.blocks[0]
    assert isinstance(outer, Div) and outer.kind == "note"
    assert isinstance(outer.blocks[0], Div) and outer.blocks[0].kind == "pullquote"
    assert outer.blocks[0].blocks[0] == Para((Text("X"),), 3)


def test_footnote_mistakes_are_warnings_with_lines() -> None:
    from briefexport.errors import BriefExportWarning

    with pytest.warns(BriefExportWarning) as record:
        parse("Text[^a] and[^nope].\n\n[^a]: used\n\n[^orphan]: never used\n", source="n.md")
    messages = sorted(str(w.message) for w in record if "no title" not in str(w.message))
    assert messages == [
        "n.md:1: footnote reference [^nope] has no definition (shown as text)",
        "n.md:5: footnote [^orphan] is defined but never referenced",
    ]


@pytest.mark.parametrize(
    ("text", "line", "fragment"),
    [
        ("---\ntitle: x\ndate: 2024-13-45\n---\n", 3, "`date`: '2024-13-45' is not a valid date"),
        ("---\ntitle: x\nsubtitle: a\x07b\n---\n", 3, "character U+0007 is not allowed"),
    ],
)
def test_front_matter_values_yaml_would_choke_on_are_one_line_errors(text: str, line: int, fragment: str) -> None:
    with pytest.raises(ParseError) as info:
        parse(text, source="s.md")
    assert info.value.line == line and fragment in info.value.message
    assert "\n" not in str(info.value)


def test_local_image_paths_are_decoded_and_urls_are_not() -> None:
    doc = parse("![a](<my image.png>)\n\n![b](été.png)\n\n![c](https://e.org/a%20b.png)\n")
    assert [b.src for b in doc.blocks] == ["my image.png", "été.png", "https://e.org/a%20b.png"]
