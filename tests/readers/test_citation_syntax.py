"""pandoc's citation syntax, attributes and table captions, as the Markdown reader reads them."""

from __future__ import annotations

import json

import pytest

from briefexport.readers.markdown import parse
from briefexport.tree import Cite, Figure, Heading, Table, Text, from_json, inline_text, to_json, walk


def cites(markdown: str) -> list[Cite]:
    return [n for n in walk(parse(markdown, source="c.md")) if isinstance(n, Cite)]


def items(markdown: str) -> list[list[tuple[str, str, str, str, str, str]]]:
    return [[(i.key, i.mode, inline_text(i.prefix), i.label, i.locator, inline_text(i.suffix)) for i in c.items]
            for c in cites(markdown)]


@pytest.mark.parametrize(("markdown", "expected"), [
    ("As shown [@smith2020].", [[("smith2020", "normal", "", "", "", "")]]),
    ("As shown [@smith2020, 23].", [[("smith2020", "normal", "", "", "23", "")]]),
    ("As shown [@smith2020, p. 23].", [[("smith2020", "normal", "", "p.", "23", "")]]),
    ("[see @a, chap. 2; @b]", [[("a", "normal", "see", "chap.", "2", ""), ("b", "normal", "", "", "", "")]]),
    ("[*see* @a, pp. 33-35, for more]", [[("a", "normal", "see", "pp.", "33-35", ", for more")]]),
    ("[-@key]", [[("key", "suppress-author", "", "", "", "")]]),
    ("@smith2020 says", [[("smith2020", "author-in-text", "", "", "", "")]]),
    ("@smith2020 [p. 4] says", [[("smith2020", "author-in-text", "", "p.", "4", "")]]),
    ("as @smith2020.", [[("smith2020", "author-in-text", "", "", "", "")]]),
    ("[@{odd key}]", [[("odd key", "normal", "", "", "", "")]]),
    ("See @fig:exports and @sec:china.", [[("fig:exports", "author-in-text", "", "", "", "")],
                                          [("sec:china", "author-in-text", "", "", "", "")]]),
])
def test_citations(markdown: str, expected: list) -> None:
    assert items(markdown) == expected


@pytest.mark.parametrize("markdown", [
    "mail me@example.org",  # an address, not a citation
    "[a; b]",
    "[see the site](https://example.org)",
    "`[@code]`",
    "Price $5 @ home",
])
def test_not_citations(markdown: str) -> None:
    assert cites(markdown) == []


def test_a_citation_keeps_its_source_text_and_line() -> None:
    doc = parse("---\ntitle: T\n---\n\nOne line,\nthen [see @a, p. 4].\n", source="c.md")
    (cite,) = [n for n in walk(doc) if isinstance(n, Cite)]
    assert cite.text == "[see @a, p. 4]"
    assert cite.line == 6


def test_a_citation_inside_a_footnote_has_the_footnote_line() -> None:
    doc = parse("Text.[^1] And [@b].\n\n[^1]: A note [@a].\n", source="c.md")
    lines = {n.items[0].key: n.line for n in walk(doc) if isinstance(n, Cite)}
    assert lines == {"a": 3, "b": 1}


def test_heading_attributes_are_read_not_printed() -> None:
    doc = parse("## China {#sec:china .unnumbered}\n\ntext\n", source="c.md")
    heading = doc.blocks[0]
    assert isinstance(heading, Heading)
    assert inline_text(heading.children) == "China"
    assert heading.attrs.id == "sec:china"
    assert heading.attrs.classes == ("unnumbered",)


def test_figure_attributes_are_kept() -> None:
    doc = parse("![Exports by partner](chart.png){#fig:exports}\n", source="c.md")
    figure = doc.blocks[0]
    assert isinstance(figure, Figure) and figure.attrs.id == "fig:exports"
    assert inline_text(figure.caption) == "Exports by partner"


@pytest.mark.parametrize("caption_first", [False, True])
def test_pipe_table_caption(caption_first: bool) -> None:
    table = "| a | b |\n|---|---|\n| 1 | 2 |\n"
    caption = "Table: Trade by partner {#tbl:trade}\n"
    doc = parse(caption + "\n" + table if caption_first else table + "\n" + caption, source="c.md")
    assert len(doc.blocks) == 1
    node = doc.blocks[0]
    assert isinstance(node, Table)
    assert inline_text(node.caption) == "Trade by partner"
    assert node.attrs.id == "tbl:trade"


def test_a_colon_caption_needs_a_table_next_to_it() -> None:
    doc = parse("Table: not a caption\n", source="c.md")
    assert inline_text(doc.blocks[0].children) == "Table: not a caption"


def test_front_matter_citation_keys() -> None:
    doc = parse(
        "---\nbibliography: [a.bib, b.json]\ncsl: apa\nlink-citations: true\n"
        "reference-section-title: Sources\nnocite: '@x, @y'\n"
        "references:\n- id: inline\n  type: book\n  title: Inline\n---\ntext\n", source="c.md")
    c = doc.meta.citations
    assert c.bibliography == ("a.bib", "b.json")
    assert (c.csl, c.link_citations, c.reference_section_title, c.nocite) == ("apa", True, "Sources", ("x", "y"))
    assert json.loads(c.references)[0]["id"] == "inline"
    assert doc.meta.extra == ()  # known keys, no warnings


def test_tree_json_round_trips_citations_and_reads_version_1() -> None:
    doc = parse("## A {#sec:a}\n\nSee [@a, p. 4] and @fig:x.\n\n![C](c.png){#fig:x}\n", source="c.md")
    assert from_json(to_json(doc)) == doc
    payload = json.loads(to_json(parse("Plain *text*.\n", source="c.md")))
    payload["version"] = 1
    for block in payload["document"]["blocks"]:
        block.pop("attrs", None)
    old = from_json(json.dumps(payload))
    assert isinstance(old.blocks[0].children[0], Text)
