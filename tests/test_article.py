"""source/article.md is a faithful transcription of the original web text."""

from __future__ import annotations

from conftest import ARTICLE, ORIGINAL
from text_checks import missing_in_order, original_body, original_standfirst, words

from briefexport.tree import Div, Heading, plain_text


def test_every_word_of_the_body_in_order(article) -> None:
    expected = words(original_body(ORIGINAL))
    assert len(expected) > 1200
    assert missing_in_order(expected, words(plain_text(article))) == []


def test_three_section_headings(article) -> None:
    headings = [plain_text(b) for b in article.blocks if isinstance(b, Heading)]
    assert headings == ["Minsk in Distress", "Under Russia’s Wing", "A European “Gateway” for Beijing?"]
    assert all(b.level == 2 for b in article.blocks if isinstance(b, Heading))


def test_metadata(article) -> None:
    meta = article.meta
    assert meta.title == "Belarus’ Burgeoning Ties with Russia and China"
    assert words(meta.subtitle) == words(original_standfirst(ORIGINAL))
    assert [a.name for a in meta.authors] == ["Huynh Tam Sang", "Pham Do An"]
    original = ORIGINAL.read_text(encoding="utf-8")
    for author in meta.authors:
        assert author.bio and author.bio in " ".join(original.split())
        assert author.affiliation
    assert meta.lang == "en" and meta.series and meta.keywords
    assert meta.date == ""  # the source has none; none is invented
    assert meta.image is not None and meta.image.credit == "Kremlin photo" and not meta.image.src
    assert meta.image.caption in original
    assert 3 <= len(meta.key_points) <= 5


def test_pull_quotes_are_verbatim(article) -> None:
    body = " ".join(original_body(ORIGINAL).split())
    quotes = [plain_text(b) for b in article.blocks if isinstance(b, Div) and b.kind == "pullquote"]
    assert quotes
    for quote in quotes:
        assert quote in body


def test_no_web_residue() -> None:
    text = ARTICLE.read_text(encoding="utf-8")
    for residue in ("Skip to content", "huynhtamsang2", "phamdo_an", "Written by"):
        assert residue not in text
    assert "’" in text and "“" in text  # curly quotes kept
