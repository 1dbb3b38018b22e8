"""Real Markdown nobody here wrote parses, and its tree survives JSON."""

from __future__ import annotations

import pytest

from briefexport.readers.markdown import parse
from briefexport.tree import from_json, plain_text, to_json


def test_every_commonmark_example_parses_and_round_trips(commonmark_examples) -> None:
    assert len(commonmark_examples) == 655
    for example in commonmark_examples:
        doc = parse(example["markdown"], source=f"example-{example['example']}")
        assert from_json(to_json(doc)) == doc, example["example"]


@pytest.mark.parametrize("name", ["pandoc-manual.md", "pandoc-testsuite.md", "pandoc-pipe-tables.md"])
def test_pandoc_documents_parse_and_round_trip(corpus, name: str) -> None:
    path = corpus / name
    doc = parse(path.read_text(encoding="utf-8"), source=str(path))
    assert doc.blocks
    assert from_json(to_json(doc)) == doc
    # Pandoc extensions CommonMark lacks degrade to text, never vanish.
    if name == "pandoc-manual.md":
        assert doc.meta.title  # from its YAML front matter
        assert "Pandoc User’s Guide" in doc.meta.title or "Pandoc" in doc.meta.title
        assert "pandoc" in plain_text(doc).lower()
