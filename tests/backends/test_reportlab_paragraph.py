"""Our Paragraph's shortcut past reportlab's markup parser makes the parser's fragments."""

from __future__ import annotations

import pytest

from conftest import ARTICLE, FIXTURES


def _render_comparing(source, monkeypatch) -> dict[str, int]:
    """Render `source` as a PDF and one-pager with every plain paragraph also parsed
    by reportlab; returns how often each way was taken."""
    import briefexport
    from briefexport.backends._reportlab import paragraph
    from reportlab.platypus.paraparser import ParaParser

    shortcut = paragraph._plain_frags
    seen = {"plain": 0, "markup": 0}

    def compared(text, style):
        ours = shortcut(text, style)
        seen["markup" if ours is None else "plain"] += 1
        if ours is not None:
            _style, theirs, bullets = ParaParser().parse(text, style)
            assert bullets is None
            assert [vars(f) for f in ours] == [vars(f) for f in theirs], text[:60]
            assert [list(vars(f)) for f in ours] == [list(vars(f)) for f in theirs]
        return ours

    monkeypatch.setattr(paragraph, "_plain_frags", compared)
    doc = briefexport.parse(source)
    theme = briefexport.load_theme()
    for fmt in ("pdf", "onepager"):
        briefexport.render(doc, fmt, theme, base_dir=source.parent)
    return seen


@pytest.mark.parametrize("source", [ARTICLE, FIXTURES / "rivers-brief.md", FIXTURES / "constructs.md",
                                    FIXTURES / "bidi" / "arabic.md", FIXTURES / "glyphs" / "scripts.md"],
                         ids=lambda p: p.name)
def test_plain_paragraphs_get_the_parsers_fragments(source, monkeypatch) -> None:
    seen = _render_comparing(source, monkeypatch)
    assert seen["plain"] > 0 and seen["markup"] > 0, seen


@pytest.mark.parametrize("text", ["", "a &amp; b", "<b>bold</b>", "x &lt; y", "caf&#233;"])
def test_markup_and_entities_go_to_the_parser(text) -> None:
    from briefexport.backends._reportlab.paragraph import _plain_frags
    from reportlab.lib.styles import ParagraphStyle

    assert _plain_frags(text, ParagraphStyle("p")) is None


def test_markup_spanning_lines_is_cleaned_once_as_reportlab_does() -> None:
    """reportlab's cleaner is not idempotent across lines: a paragraph that goes to
    the parser gets its text as given, not cleaned twice."""
    from briefexport.backends._reportlab.paragraph import Paragraph
    from reportlab.lib.styles import ParagraphStyle
    from reportlab.platypus import Paragraph as ReportlabParagraph

    text, style = "x\xa0y &amp;\na\u200bb", ParagraphStyle("p")
    ours, theirs = Paragraph(text, style), ReportlabParagraph(text, style)
    assert ours.text == theirs.text
    assert [vars(f) for f in ours.frags] == [vars(f) for f in theirs.frags]
