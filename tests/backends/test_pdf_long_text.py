"""Long paragraphs and code blocks break their lines once; hyphenated words keep their hyphen."""

from __future__ import annotations

import random
import re
import shutil
import subprocess
from pathlib import Path

import pytest
from reportlab.lib.styles import ParagraphStyle
from reportlab.platypus import paragraph as rl_paragraph

from briefexport import load_theme, render
from briefexport.backends._reportlab.splitting import BriefParagraph
from briefexport.readers.markdown import parse

WORDS = "the policy of regional cooperation and self-contained economic development remains uncertain".split()
TEXT = ("element present in the generated <i>EPUB</i>, and include it in the EPUB container, yielding a "
        "completely self-contained EPUB. If you want to link to external media resources instead")


def _lines(p: rl_paragraph.Paragraph) -> list[str]:
    # reportlab labels a split head kind 1 even when its lines are kind 0 (tuples).
    return [" ".join(line[1]) if isinstance(line, tuple) else "".join(getattr(f, "text", "") for f in line.words)
            for line in p.blPara.lines]


def test_a_second_wrap_keeps_the_hyphen_of_a_word_broken_at_it() -> None:
    style = ParagraphStyle("x", fontName="Helvetica", fontSize=10, leading=12, embeddedHyphenation=1)
    lost = {"reportlab": 0, "ours": 0}
    for cls, key in ((rl_paragraph.Paragraph, "reportlab"), (BriefParagraph, "ours")):
        for first in range(150, 500, 5):
            p = cls(TEXT, style)
            p.wrap(first, 5000)
            for second in (171, 260, 333, 480):
                p.wrap(second, 5000)
                text = "".join(_lines(p))
                lost[key] += "selfcontained" in text
                assert key == "reportlab" or "self-" in text
    assert lost["reportlab"] > 0  # the fault this class works around is still there
    assert lost["ours"] == 0


@pytest.mark.parametrize("kind", ["paragraph", "code"])
def test_a_hundred_pages_break_their_lines_a_few_times_not_once_per_page(kind: str, monkeypatch) -> None:
    random.seed(7)
    if kind == "paragraph":
        body = " ".join(random.choice(WORDS) for _ in range(40_000))
    else:
        body = "```\n" + "\n".join(f"line {i} = compute(x, y) + other * {i}" for i in range(5000)) + "\n```"
    doc = parse(f"# Long\n\nLead.\n\n{body}\n", source="<long>")
    calls = []
    original = rl_paragraph.Paragraph.breakLines

    def counting(self, width):  # noqa: ANN001, ANN202 - counts, then does reportlab's own work
        calls.append(len(self.frags))
        return original(self, width)

    monkeypatch.setattr(rl_paragraph.Paragraph, "breakLines", counting)
    pdf = render(doc, "pdf", load_theme())
    pages = int(re.search(rb"/Count (\d+)", pdf).group(1))
    assert pages > 60
    assert len(calls) < 20, f"{len(calls)} line breaks for {pages} pages"


@pytest.mark.skipif(shutil.which("pdftotext") is None, reason="needs pdftotext (poppler-utils)")
def test_every_word_of_a_long_code_block_is_printed(tmp_path: Path) -> None:
    lines = [f"line {i} = compute(x)" for i in range(600)]
    doc = parse("# Code\n\n```\n" + "\n".join(lines) + "\n```\n", source="<code>")
    out = tmp_path / "code.pdf"
    out.write_bytes(render(doc, "pdf", load_theme()))
    text = subprocess.run(["pdftotext", "-layout", str(out), "-"], capture_output=True, text=True,
                          check=True).stdout
    found = re.findall(r"line (\d+) = compute", text)
    assert [int(n) for n in found] == list(range(600))


@pytest.mark.parametrize("markup", [" ".join(WORDS * 30), " ".join(WORDS * 15) + " <i>" + " ".join(WORDS * 15) + "</i>"])
def test_a_remainder_wrapped_at_another_width_has_the_same_lines_as_reportlabs(markup: str) -> None:
    style = ParagraphStyle("x", fontName="Helvetica", fontSize=10, leading=12)
    pieces = {}
    for cls in (rl_paragraph.Paragraph, BriefParagraph):
        p = cls(markup, style)
        p.wrap(300, 10_000)
        head, rest = p.split(300, 60)
        rest.wrap(200, 10_000)  # the next frame is narrower: the carried lines do not fit it
        pieces[cls] = (_lines(head), _lines(rest))
    assert pieces[BriefParagraph] == pieces[rl_paragraph.Paragraph]
    assert "".join(pieces[BriefParagraph][1]).replace(" ", "")


def test_a_paragraph_over_the_limit_is_set_in_pieces_with_every_character_and_a_warning() -> None:
    from briefexport.backends.brief_pdf.long import PARA_CHARS, para_pieces
    from briefexport.errors import BriefExportWarning
    from briefexport.tree import Emph, Text, inline_text

    random.seed(3)
    text = ". ".join(" ".join(random.choice(WORDS) for _ in range(12)) for _ in range(3000))
    inlines = (Text(text[:150_000]), Emph((Text("emphasised words"),)), Text(text[150_000:]))
    with pytest.warns(BriefExportWarning, match=r"x\.md:4: a paragraph of .* characters is set as \d+ paragraphs"):
        pieces = para_pieces(inlines, source="x.md", line=4)
    assert len(pieces) > 2
    assert all(len(inline_text(p)) <= PARA_CHARS for p in pieces)
    joined = " ".join(inline_text(p) for p in pieces)
    assert joined.split() == inline_text(inlines).split()
    assert any(isinstance(n, Emph) for p in pieces for n in p)
    assert para_pieces((Text("short"),), source="x.md", line=1) == [(Text("short"),)]
