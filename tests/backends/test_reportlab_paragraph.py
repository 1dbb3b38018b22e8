"""The shared Paragraph keeps its line breaks for a second measure at the same width."""

from __future__ import annotations

from reportlab.lib.styles import ParagraphStyle
from reportlab.platypus.paragraph import Paragraph as ReportlabParagraph

from briefexport.backends._reportlab.paragraph import Paragraph

TEXT = "Several rounds of sanctions have confined Belarus’ financing options and squeezed its economy. " * 6


def test_a_second_measure_at_the_same_width_reuses_the_lines() -> None:
    para = Paragraph(TEXT, ParagraphStyle("t", fontSize=10, leading=14))
    size = para.wrap(200, 1000)
    lines = para.blPara
    assert para.wrap(200, 500) == size and para.blPara is lines
    wider = para.wrap(300, 1000)
    assert para.blPara is not lines and wider[1] < size[1]
    plain = ReportlabParagraph(TEXT, ParagraphStyle("t", fontSize=10, leading=14))
    assert plain.wrap(300, 1000) == wider  # the same answer reportlab gives


def test_splitting_still_breaks_each_part_afresh() -> None:
    para = Paragraph(TEXT, ParagraphStyle("t", fontSize=10, leading=14))
    _, height = para.wrap(200, 1000)
    first, second = para.split(200, height / 2)
    assert isinstance(first, Paragraph) and isinstance(second, Paragraph)
    h1, h2 = first.wrap(200, 1000)[1], second.wrap(200, 1000)[1]
    assert h1 + h2 == height
