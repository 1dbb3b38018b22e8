"""Key points derived from sections, first sentences, and the pull quote."""

from __future__ import annotations


import pytest

from briefexport.readers import markdown as _parser
from briefexport.transforms.keypoints import derive_key_points, find_pull_quote, first_sentence
from briefexport.tree import Document, Heading, Para, plain_text

from conftest import ARTICLE


def parse(text: str) -> Document:
    return _parser.parse(text)


@pytest.fixture(scope="module")
def article() -> Document:
    return _parser.parse_file(ARTICLE)


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("One. Two.", "One."),
        ("Sino-U.S. talks resumed in May. Then they stopped.", "Sino-U.S. talks resumed in May."),
        ("Dr. Smith met Mr. Jones. Then they left.", "Dr. Smith met Mr. Jones."),
        ("He said “stop.” Then he left.", "He said “stop.”"),
        ("No full stop at all", "No full stop at all"),
        ("A loan of $1.5 billion was issued. Later more.", "A loan of $1.5 billion was issued."),
        ("  spread\nover   lines. Next", "spread over lines."),
    ],
)
def test_first_sentence(text: str, expected: str) -> None:
    assert first_sentence(text) == expected


def test_article_points_are_first_sentences_of_its_sections(article) -> None:
    points = derive_key_points(article)
    sections = [b for b in article.blocks if isinstance(b, Heading)]
    assert len(points) == len(sections) == 3
    for heading, point in zip(sections, points):
        index = article.blocks.index(heading)
        first_para = next(b for b in article.blocks[index + 1:] if isinstance(b, Para))
        assert plain_text(first_para).startswith(point)
        assert point.endswith(".")


def test_at_most_the_limit_and_only_top_level_sections() -> None:
    text = "\n\n".join(f"# S{i}\n\nFirst {i}. Second.\n\n## Sub {i}\n\nNot this {i}." for i in range(8))
    doc = parse("Lead-in sentence. More.\n\n" + text)
    # The lead-in before the first heading is not a section; level-2 sections are not top level.
    assert derive_key_points(doc) == tuple(f"First {i}." for i in range(5))
    assert len(derive_key_points(doc, limit=2)) == 2


def test_no_sections_no_points() -> None:
    assert derive_key_points(parse("Just a paragraph. Another sentence.")) == ()


def test_pull_quote_from_container_with_attribution() -> None:
    doc = parse("Text.\n\n::: pullquote\nWords *that* matter.\n\n— A. Person\n:::\n\n::: pullquote\nSecond.\n:::\n")
    quote = find_pull_quote(doc)
    assert quote is not None
    assert (quote.text, quote.attribution, quote.line) == ("Words that matter.", "A. Person", 3)


def test_pull_quote_from_front_matter_and_none() -> None:
    doc = parse('---\ntitle: T\npull_quote: "Said  well."\n---\n\nBody.\n')
    quote = find_pull_quote(doc)
    assert quote is not None and quote.text == "Said well." and quote.line == 3
    assert find_pull_quote(parse("Body only.")) is None


@pytest.mark.parametrize("dash", ["\u2014", "\u2015", "\u2013", "--"])  # "- x" would be a list
def test_a_pull_quotes_attribution_is_its_last_paragraph_after_a_dash(dash: str) -> None:
    from briefexport.transforms.keypoints import split_attribution
    from briefexport.tree import Div, Emph, Text

    doc = _parser.parse(f"::: pullquote\nWater is data.\n\n{dash} Leyla *Demir*, 2024\n:::\n", source="q.md")
    div = next(b for b in doc.blocks if isinstance(b, Div))
    blocks, attribution = split_attribution(div.blocks)
    assert [plain_text(b) for b in blocks] == ["Water is data."]
    assert attribution.children[0] == Text("Leyla ") and isinstance(attribution.children[1], Emph)
    assert plain_text(attribution) == "Leyla Demir, 2024"
    # A quote of one paragraph has no attribution, dash or not.
    assert split_attribution(div.blocks[-1:]) == (div.blocks[-1:], None)
