"""Pages and columns end full: keep-with-next keeps a heading with the first
lines of its text, not with the whole block, so no page or column but the
last ends more than about 15 % short of its frame, unless the next frame
starts with a figure taller than the space that was left.

Measured as a reader sees it: the lowest word of every column of every page
(`pdftotext -bbox`) and the images' boxes (`pdftohtml -xml`).
"""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from conftest import CORPUS, FIXTURES, ROOT, require_tool
from layout_checks import column_ends, have_pdftotext, image_boxes, pages

pytestmark = pytest.mark.skipif(not have_pdftotext(), reason="pdftotext (poppler-utils) is not installed")

TWO = FIXTURES / "two-column.toml"
MAX_SHORT = 0.15
# A figure "starts" a frame when at most a heading and its space stand above it.
HEADING_ROOM = 60.0
# What a frame's top swallows of the block (the heading's space before) and
# the gaps around its parts that word boxes do not show.
SPACING = 24.0


def _geometry(theme):  # noqa: ANN001, ANN202
    page = theme.page
    width = (page.frame_width - page.gutter * (page.columns - 1)) / page.columns
    columns = tuple((page.margin_left + i * (width + page.gutter), page.margin_left + i * (width + page.gutter) + width)
                    for i in range(page.columns))
    return columns, page.margin_top, page.height - page.margin_bottom


def short_frames(pdf: bytes, theme, scratch: Path) -> list[str]:  # noqa: ANN001
    """Frames (but the last) that end more than MAX_SHORT short without a figure to blame."""
    columns, top, bottom = _geometry(theme)
    height = bottom - top
    found = pages(pdf)
    ends = column_ends(found, columns, bottom)
    images = image_boxes(pdf, scratch)
    problems = []
    for (page, column, y), (next_page, next_column, _) in zip(ends, ends[1:]):
        left = bottom - y
        if left <= MAX_SHORT * height:
            continue
        a, b = columns[next_column]
        in_column = [box for box in images.get(next_page, []) if a - 1 <= box[0] and box[2] <= b + 1]
        words = [w for w in found[next_page - 1].words if a - 1 <= w.x0 and w.x1 <= b + 1]
        start = min([*(w.y0 for w in words), *(box[1] for box in in_column)])

        def block_height(box: tuple[float, float, float, float]) -> float:
            # The picture with the heading above it and the caption under it.
            caption = [w.y1 for w in words if box[3] <= w.y0 <= box[3] + 12]
            return max([box[3], *caption]) - start + SPACING

        # Blameless: the next frame opens (after at most a heading) with a
        # figure taller than the space this one had left.
        if not any(box[1] <= start + HEADING_ROOM and block_height(box) > left for box in in_column):
            problems.append(f"page {page} column {column + 1} ends {left / height:.0%} short")
    return problems


def _render(source: Path, theme_path: Path | None) -> tuple[bytes, object]:
    import briefexport

    theme = briefexport.load_theme(theme_path)
    return briefexport.render(briefexport.parse(source), "pdf", theme, base_dir=source.parent), theme


CASES = [(ROOT / "source" / "article.md", t) for t in (None, TWO)] + [
    (FIXTURES / name, t) for name in ("rivers-brief.md", "docx-features.md") for t in (None, TWO)]


@pytest.mark.parametrize(("source", "theme_path"), CASES,
                         ids=[f"{s.stem}-{'two' if t else 'one'}" for s, t in CASES])
def test_no_page_or_column_ends_short(tmp_path: Path, source: Path, theme_path: Path | None) -> None:
    require_tool("pdftohtml")
    pdf, theme = _render(source, theme_path)
    assert short_frames(pdf, theme, tmp_path) == []


@pytest.mark.parametrize("name", ["pandoc-testsuite.md", "constructs.md"])
def test_corpus_pages_end_full(tmp_path: Path, name: str) -> None:
    require_tool("pdftohtml")
    if not CORPUS.is_dir():
        pytest.skip(f"the shared corpus is missing at {CORPUS}")
    for asset in CORPUS.glob("*.jpg"):
        shutil.copy(asset, tmp_path / asset.name)
    source = tmp_path / name
    shutil.copy(CORPUS / name if (CORPUS / name).exists() else FIXTURES / name, source)
    for theme_path in (None, TWO):
        pdf, theme = _render(source, theme_path)
        assert short_frames(pdf, theme, tmp_path) == [], theme_path


FILLER = "Rivers that cross borders carry more than water, and the states upstream decide how much flows on."


def test_a_heading_keeps_the_first_lines_not_the_whole_paragraph(tmp_path: Path) -> None:
    """The case a real brief showed: a heading, a sub-heading and a long
    paragraph at the foot of page 1 moved as one block, leaving a fifth of
    the page empty.  Now the headings and the paragraph's first lines stay."""
    long_paragraph = " ".join(["Upstream storage now exceeds a year of natural flow in dry years."] * 12)
    body = "\n\n".join([FILLER * 3] * 11)
    source = tmp_path / "brief.md"
    source.write_text(f"---\ntitle: Keeps\n---\n\n{body}\n\n## Three basins\n\n### The Jordan\n\n"
                      f"Opening words {long_paragraph} closing words.\n", encoding="utf-8")
    pdf, theme = _render(source, None)
    first, second = pages(pdf)[:2]
    on_first = " ".join(w.text for w in first.words)
    assert "basins" in on_first and "Jordan" in on_first
    assert "Opening words" in on_first and "closing" not in on_first
    assert "closing words." in " ".join(w.text for w in second.words)
    assert short_frames(pdf, theme, tmp_path) == []
    # The heading is followed by at least two lines of its text on page 1.
    heading_y = max(w.y1 for w in first.words if w.text == "Jordan")
    lines_after = {round(w.y1) for w in first.words if w.y1 > heading_y + 1 and w.y1 < theme.page.height - theme.page.margin_bottom}
    assert len(lines_after) >= 2
