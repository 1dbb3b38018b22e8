"""Nothing is drawn outside the text frame: every word's box, as poppler reads it.

Long URLs in the body, the notes and tables, and any run without a space
that is wider than its column must break inside the frame (at a slash, before
`?`, `&`, `=`, `.`, `-`, `_`, or between characters as a last resort).
Checked on the fixtures and on the shared corpus, in one and two columns.
"""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from conftest import CORPUS, FIXTURES
from layout_checks import have_pdftotext, outside, pages

pytestmark = pytest.mark.skipif(not have_pdftotext(), reason="pdftotext (poppler-utils) is not installed")

TWO_COLUMNS = FIXTURES / "two-column.toml"
URLS = """\
---
title: Long links
---

See <https://www.example.org/reports/2023/water-security/tigris-euphrates-basin-assessment-final-report.pdf?download=true&lang=en> for the report.

A path without break points: https://example.com/a/verylongpathsegmentwithoutanybreakpointswhatsoeverthatrunsonandonforever/end
and <https://data.example.org/api/v2/basins/tigris_euphrates_shatt_al_arab_transboundary_water_allocation_database_export?format=csv&year=2024>.

A word: Donaudampfschifffahrtsgesellschaftskapitänswitwenrentenversicherungsanstaltsdirektorinnenvereinigungsvorsitzende.

Text with a note.[^1]

[^1]: World Bank, https://openknowledge.worldbank.org/bitstreams/3f2a8c9e-1b2c-4d5e-8f9a-0b1c2d3e4f5a/download?filename=WaterInTheBalance_FullReport_2023.pdf, 2024.

| Basin | Country | Source |
|---|---|---|
| Mekong | Laos | https://www.mrcmekong.org/assets/Publications/State-of-the-Basin-Report-2023-final-version.pdf |
| Jordan | Jordan | [the treaty annex](https://www.gov.il/BlobFolder/generalpage/israel-jordan-peace-treaty/he/annex-ii-water-related-matters-1994.pdf) |
"""


# In two columns page 1's band and boxes span both columns, so the check for
# words crossing the gutter starts on page 2: a page of text pushes the long
# runs there.
FILLER = "\n\n".join(["Rivers that cross borders carry more than water, and the states upstream decide, "
                       "in a dry year, how much the states downstream receive."] * 24)


def _frame_problems(pdf: bytes, theme) -> list[str]:  # noqa: ANN001
    page = theme.page
    left, right = page.margin_left, page.width - page.margin_right
    width = (page.frame_width - page.gutter * (page.columns - 1)) / page.columns
    columns = tuple((left + i * (width + page.gutter), left + i * (width + page.gutter) + width)
                    for i in range(page.columns)) if page.columns > 1 else ()
    return outside(pages(pdf), left, right, columns=columns, body=(page.margin_top, page.height - page.margin_bottom))


def _render(source: Path, theme_path: Path | None, base_dir: Path, fmt: str = "pdf") -> tuple[bytes, object]:
    import briefexport

    theme = briefexport.load_theme(theme_path)
    return briefexport.render(briefexport.parse(source), fmt, theme, base_dir=base_dir), theme


@pytest.mark.parametrize("theme_path", [None, TWO_COLUMNS], ids=["one-column", "two-columns"])
def test_long_urls_and_words_break_inside_the_frame(tmp_path: Path, theme_path: Path | None) -> None:
    source = tmp_path / "urls.md"
    source.write_text(URLS.replace("\nSee <", f"\n{FILLER}\n\nSee <"), encoding="utf-8")
    pdf, theme = _render(source, theme_path, tmp_path)
    assert len(pages(pdf)) >= 2
    assert _frame_problems(pdf, theme) == []
    # Broken without a hyphen: the pieces of each URL join back into it.
    joined = "".join(w.text for p in pages(pdf) for w in p.words)
    for url in ("https://www.example.org/reports/2023/water-security/tigris-euphrates-basin-assessment-final-report"
                ".pdf?download=true&lang=en",
                "https://openknowledge.worldbank.org/bitstreams/3f2a8c9e-1b2c-4d5e-8f9a-0b1c2d3e4f5a/download?"
                "filename=WaterInTheBalance_FullReport_2023.pdf",
                "https://www.mrcmekong.org/assets/Publications/State-of-the-Basin-Report-2023-final-version.pdf"):
        assert url in joined


def test_a_broken_link_keeps_its_whole_target(tmp_path: Path) -> None:
    from pypdf import PdfReader
    import io

    source = tmp_path / "urls.md"
    source.write_text(URLS, encoding="utf-8")
    pdf, _ = _render(source, TWO_COLUMNS, tmp_path)
    targets = [a.get_object()["/A"]["/URI"] for page in PdfReader(io.BytesIO(pdf)).pages
               for a in page.get("/Annots") or [] if "/A" in a.get_object()]
    long_one = ("https://data.example.org/api/v2/basins/tigris_euphrates_shatt_al_arab_transboundary"
                "_water_allocation_database_export?format=csv&year=2024")
    # One link rectangle per line it spans, every one with the whole target.
    assert targets.count(long_one) >= 3
    assert all(t.startswith(("https://", "#", "mailto:")) for t in targets)


FIXTURE_CASES = [
    ("rivers-brief.md", None), ("rivers-brief.md", TWO_COLUMNS),
    ("docx-features.md", None), ("docx-features.md", TWO_COLUMNS),
    ("glyphs/scripts.md", None), ("glyphs/cjk.md", TWO_COLUMNS),
]


@pytest.mark.parametrize(("name", "theme_path"), FIXTURE_CASES,
                         ids=[f"{n}-{'two' if t else 'one'}" for n, t in FIXTURE_CASES])
def test_fixtures_stay_inside_the_frame(name: str, theme_path: Path | None) -> None:
    source = FIXTURES / name
    pdf, theme = _render(source, theme_path, source.parent)
    assert _frame_problems(pdf, theme) == []


CORPUS_CASES = [("pandoc-manual.md", None), ("pandoc-testsuite.md", None), ("pandoc-testsuite.md", TWO_COLUMNS),
                ("pandoc-pipe-tables.md", None), ("pandoc-pipe-tables.md", TWO_COLUMNS)]


@pytest.mark.parametrize(("name", "theme_path"), CORPUS_CASES,
                         ids=[f"{n}-{'two' if t else 'one'}" for n, t in CORPUS_CASES])
def test_corpus_stays_inside_the_frame(tmp_path: Path, name: str, theme_path: Path | None) -> None:
    if not CORPUS.is_dir():
        pytest.skip(f"the shared corpus is missing at {CORPUS}")
    for asset in CORPUS.glob("*.jpg"):
        shutil.copy(asset, tmp_path / asset.name)
    source = tmp_path / name
    shutil.copy(CORPUS / name, source)
    pdf, theme = _render(source, theme_path, tmp_path)
    assert _frame_problems(pdf, theme) == []


def test_constructs_stay_inside_the_frame(tmp_path: Path) -> None:
    if not (CORPUS / "lalune.jpg").is_file():
        pytest.skip(f"the shared corpus (its lalune.jpg) is missing at {CORPUS}")
    shutil.copy(CORPUS / "lalune.jpg", tmp_path / "lalune.jpg")
    source = tmp_path / "constructs.md"
    shutil.copy(FIXTURES / "constructs.md", source)
    for theme_path in (None, TWO_COLUMNS):
        pdf, theme = _render(source, theme_path, tmp_path)
        assert _frame_problems(pdf, theme) == [], theme_path


def test_inline_images_are_drawn_at_text_size(tmp_path: Path) -> None:
    """An image inside running text is drawn on the line, as tall as the text,
    embedded at print size (not replaced by its alt text)."""
    import subprocess

    require = shutil.which("pdfimages")
    if require is None:
        pytest.skip("pdfimages (poppler-utils) is not installed")
    shutil.copy(FIXTURES / "chart.png", tmp_path / "chart.png")
    source = tmp_path / "inline.md"
    source.write_text("---\ntitle: Inline\n---\n\nA lead-in.\n\nThe gauge ![a gauge](chart.png) reads high today.\n", encoding="utf-8")
    pdf, theme = _render(source, None, tmp_path)
    words = pages(pdf)[0].words
    text = [w.text for w in words]
    assert "a" not in text[text.index("gauge"):text.index("reads")]  # the alt text is not drawn
    (tmp_path / "out.pdf").write_bytes(pdf)
    listing = subprocess.run(["pdfimages", "-list", str(tmp_path / "out.pdf")], capture_output=True, text=True,
                             check=True).stdout.splitlines()[2:]
    assert len(listing) == 1
    height_px, ppi = int(listing[0].split()[4]), int(listing[0].split()[12])
    body = theme.styles.body
    # As tall as the text (its font size), at no more than the theme's resolution.
    assert abs(height_px / ppi * 72 - body.size) < 1 and ppi <= theme.output.max_image_dpi + 2
    gauge, reads = (next(w for w in words if w.text == t) for t in ("gauge", "reads"))
    assert reads.x0 - gauge.x1 > body.size  # the picture stands between the words, on their line


def test_one_pager_breaks_long_urls_inside_its_margins(tmp_path: Path) -> None:
    source = tmp_path / "slide.md"
    source.write_text(
        "---\ntitle: Long links on a slide\nkey_points:\n"
        "  - \"Data: https://portal.mrcmekong.org/monitoring/river-monitoring-telemetry?station=kratie&parameter=water-level&period=dry-season-2019-2020&format=csv&resolution=hourly\"\n"
        "  - \"Reservoirs: https://www.globaldamwatch.org/directory/grand-global-reservoir-and-dam-database-release-notes\"\n"
        "---\n\nBody.\n", encoding="utf-8")
    pdf, _ = _render(source, None, tmp_path, fmt="onepager")
    slide = pages(pdf)
    assert len(slide) == 1
    margin = 36.0  # the slide's side margins (BRIEF-LAYOUT.md)
    assert outside(slide, margin, slide[0].width - margin) == []
    joined = "".join(w.text for w in slide[0].words)
    assert "river-monitoring-telemetry?station=kratie&parameter=water-level" in joined
