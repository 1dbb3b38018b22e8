"""The one-pager in both formats: one 16:9 page, everything fitted and said."""

from __future__ import annotations

import io
import re
import subprocess
import sys
import warnings
import zipfile
from pathlib import Path

import pytest
from pypdf import PdfReader

import briefexport
from briefexport import backends
from briefexport.backends.onepager.fit import Slide
from briefexport.backends.onepager.plan import plan
from briefexport.readers import markdown as _parser
from briefexport.errors import BriefExportWarning
from briefexport.tree import Document

from conftest import ARTICLE, FIXTURES, require_tool

STRESS = FIXTURES / "onepager"
TOLERANCE = 0.5  # pt, for comparing drawn extents with the page


def load(path: Path) -> Document:
    return _parser.parse_file(path)


def render(doc: Document, theme, fmt: str = "onepager") -> tuple[bytes, list[str]]:
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always", BriefExportWarning)
        data = backends.get(fmt).render(doc, theme, base_dir=Path(doc.source).parent)
    return data, [str(w.message) for w in caught if issubclass(w.category, BriefExportWarning)]


def pdf_text(data: bytes) -> str:
    return " ".join(PdfReader(io.BytesIO(data)).pages[0].extract_text().split())


def squash(text: str) -> str:
    return " ".join(text.split())


def shown_texts(slide: Slide) -> list[str]:
    return [p.text for box in slide.boxes for p in box.paras]


@pytest.fixture(scope="module")
def article_doc() -> Document:
    return load(ARTICLE)


@pytest.fixture(scope="module")
def article_pdf(article_doc, theme) -> tuple[bytes, list[str]]:
    return render(article_doc, theme)


# ------------------------------------------------------------- the article


def test_article_is_one_16_9_page(article_pdf) -> None:
    reader = PdfReader(io.BytesIO(article_pdf[0]))
    assert len(reader.pages) == 1
    box = reader.pages[0].mediabox
    assert abs(float(box.width) / float(box.height) / (16 / 9) - 1) < 0.005


def test_article_fits_without_leaving_anything_out(article_doc, article_pdf, theme) -> None:
    data, messages = article_pdf
    assert messages == []
    text = pdf_text(data)
    slide = plan(article_doc, theme)
    assert [p.text for p in slide.box("points").paras[1:]] == list(article_doc.meta.key_points)
    for expected in (article_doc.meta.title, *article_doc.meta.key_points, "the priority lies in the security sphere"):
        assert squash(expected) in text
    assert "Full brief: belarus-burgeoning-ties-with-russia-and-china.pdf" in text
    assert "Kremlin photo" in text
    # Two authors, two affiliations (the first holds a semicolon): marks pair them.
    assert "Huynh Tam Sang\u00b9 and Pham Do An\u00b2" in text
    assert "\u00b9 Taiwan NextGen Foundation; University" in text and "\u00b7 \u00b2 Ho Chi Minh City" in text


def test_article_metadata_and_fonts(article_doc, article_pdf) -> None:
    data, _ = article_pdf
    meta = PdfReader(io.BytesIO(data)).metadata
    assert meta.title == article_doc.meta.title
    assert meta.author == "Huynh Tam Sang, Pham Do An"
    assert meta.subject == squash(article_doc.meta.subtitle)
    assert "Lukashenko" in meta["/Keywords"]
    assert meta.creator == f"briefexport {briefexport.__version__}"  # as the brief says it
    pdffonts = require_tool("pdffonts")
    out = subprocess.run([pdffonts, "-"], input=data, capture_output=True, check=True).stdout.decode()
    rows = out.splitlines()[2:]
    assert rows, out
    for row in rows:
        assert re.search(r"\byes\s+yes\s+(yes|no)\s+\d+\s+\d+\s*$", row), f"not embedded and subset: {row}"
    assert not any("Helvetica" in row for row in rows)


def test_article_pdf_is_valid_and_byte_identical(article_doc, article_pdf, theme, tmp_path: Path) -> None:
    again, _ = render(article_doc, theme)
    assert again == article_pdf[0]
    qpdf = require_tool("qpdf")
    pdf = tmp_path / "slide.pdf"
    pdf.write_bytes(again)
    result = subprocess.run([qpdf, "--check", str(pdf)], capture_output=True, text=True)
    assert result.returncode == 0, result.stdout + result.stderr


def test_pdf_date_follows_source_date_epoch(article_doc, theme, monkeypatch) -> None:
    monkeypatch.setenv("SOURCE_DATE_EPOCH", "1700000000")
    data, _ = render(article_doc, theme)
    assert PdfReader(io.BytesIO(data)).metadata["/CreationDate"].startswith("D:20231114")


# ------------------------------------------------------------- stress cases

STRESS_CASES = {
    "many-points.md": ["key points 6\u201312 left out (the slide shows at most 5)", "left out to keep the slide"],
    "long-title.md": ["long-title.md:2: one-pager: title shortened to 2 lines; left out"],
    "no-points.md": [],
    "title-only.md": [],
    "markup.md": [],
}


def word_boxes(pdf: Path) -> tuple[tuple[float, float], list[tuple[str, float, float, float, float]]]:
    pdftotext = require_tool("pdftotext")
    html = subprocess.run([pdftotext, "-bbox", str(pdf), "-"], capture_output=True, check=True, text=True).stdout
    page = re.search(r'<page width="([\d.]+)" height="([\d.]+)"', html)
    assert page is not None
    pattern = r'<word xMin="([\d.-]+)" yMin="([\d.-]+)" xMax="([\d.-]+)" yMax="([\d.-]+)">([^<]*)</word>'
    words = [(w, float(a), float(b), float(c), float(d)) for a, b, c, d, w in re.findall(pattern, html)]
    return (float(page.group(1)), float(page.group(2))), words


@pytest.mark.parametrize("name", sorted(STRESS_CASES))
def test_stress_fixture_gives_one_page_with_nothing_outside(name: str, tmp_path: Path) -> None:
    # A separate process, as a user runs it: the warnings must reach stderr.
    result = subprocess.run(
        [sys.executable, "-m", "briefexport", "render", str(STRESS / name), "--format", "onepager",
         "--output-dir", str(tmp_path)],
        capture_output=True, text=True,
    )
    assert result.returncode == 0, result.stderr
    for expected in STRESS_CASES[name]:
        assert expected in result.stderr
    if not STRESS_CASES[name]:
        assert "warning" not in result.stderr
    (pdf,) = tmp_path.glob("*-onepager.pdf")
    assert len(PdfReader(pdf).pages) == 1
    (width, height), words = word_boxes(pdf)
    assert words
    for word, x0, y0, x1, y1 in words:
        assert -TOLERANCE <= x0 and x1 <= width + TOLERANCE and -TOLERANCE <= y0 and y1 <= height + TOLERANCE, word


@pytest.mark.parametrize("name", sorted(STRESS_CASES))
def test_plan_keeps_every_box_inside_the_page_and_apart(name: str, theme) -> None:
    slide = plan(load(STRESS / name), theme)
    m = theme.onepager.margin
    for box in slide.boxes:
        assert m - TOLERANCE <= box.x and box.x + box.w <= slide.width - m + TOLERANCE, box.name
        assert 0 <= box.y and box.y + box.h <= slide.height, box.name
        used = sum(p.height + (p.space_before if i else 0) for i, p in enumerate(box.paras))
        assert used <= box.h + 0.01, box.name
        for para in box.paras:  # sizes never below the theme's readable minimum
            assert para.style.size >= 12
    body = [b for b in slide.boxes if b.name in ("points", "quote", "authors", "footer")]
    for i, a in enumerate(body):
        for b in body[i + 1:]:
            apart = a.y + a.h <= b.y or b.y + b.h <= a.y or a.x + a.w <= b.x or b.x + b.w <= a.x
            assert apart, (a.name, b.name)
    band = slide.box("band")
    if band is not None:
        band_shape = next(s for s in slide.shapes if s.name == "band")
        assert band.y + band.h <= band_shape.h


def test_many_points_drop_from_the_end_at_the_minimum_size(theme) -> None:
    doc = load(STRESS / "many-points.md")
    slide = plan(doc, theme)
    points = slide.box("points").paras[1:]
    assert 1 <= len(points) < 5
    assert [p.text for p in points] == list(doc.meta.key_points[: len(points)])
    assert {p.style.size for p in points} == {theme.onepager.points_min_size}


def test_long_title_is_cut_to_its_lines_at_the_minimum_size(theme) -> None:
    slide = plan(load(STRESS / "long-title.md"), theme)
    title = slide.box("band").paras[1]
    assert title.lines == theme.onepager.title_max_lines
    assert title.style.size == theme.onepager.title_min_size
    assert title.text.endswith("\u2026")


def test_without_points_the_quote_takes_the_width_and_without_both_the_band_grows(theme) -> None:
    doc = _parser.parse('---\ntitle: T\npull_quote: "A quote."\n---\n\nBody.\n', source="q.md")
    slide = plan(doc, theme)
    assert slide.box("points") is None
    panel = next(s for s in slide.shapes if s.name == "panel")
    assert panel.w == pytest.approx(slide.width - 2 * theme.onepager.margin)
    empty = plan(load(STRESS / "title-only.md"), theme)
    band = next(s for s in empty.shapes if s.name == "band")
    assert band.h > slide.height / 2


def test_without_a_quote_the_points_take_the_width(theme) -> None:
    slide = plan(load(STRESS / "long-title.md"), theme)
    assert slide.box("quote") is None
    assert slide.box("points").w == pytest.approx(slide.width - 2 * theme.onepager.margin)


def test_source_text_is_shown_as_text_never_obeyed_as_markup(theme) -> None:
    data, _ = render(load(STRESS / "markup.md"), theme)
    text = pdf_text(data)
    assert "AT&T <b>bold</b> & <font size=60>big</font>" in text
    assert "<a href='javascript:alert(1)'>click</a> & more" in text
    assert "Quotes with <i>tags</i> & ampersands stay text" in text
    assert "Control characters are dropped" in text
    assert b"javascript" not in data.split(b"stream")[0]  # no link annotation


def test_derived_points_are_used_when_the_front_matter_has_none(theme) -> None:
    doc = _parser.parse("# Title\n\nLead.\n\n## A\n\nAlpha first. Alpha second.\n\n## B\n\nBeta first.\n", source="d.md")
    slide = plan(doc, theme)
    assert [p.text for p in slide.box("points").paras[1:]] == ["Alpha first.", "Beta first."]


# ------------------------------------------------------------------ PPTX


@pytest.fixture(scope="module")
def article_pptx(article_doc, theme) -> bytes:
    return render(article_doc, theme, "onepager-pptx")[0]


def test_pptx_reopens_with_one_slide_of_the_same_texts(article_doc, article_pptx, theme) -> None:
    from pptx import Presentation
    from pptx.enum.shapes import MSO_SHAPE_TYPE

    prs = Presentation(io.BytesIO(article_pptx))
    assert len(prs.slides) == 1
    assert (prs.slide_width, prs.slide_height) == (960 * 12700, 540 * 12700)
    shapes = prs.slides[0].shapes
    assert not any(s.shape_type == MSO_SHAPE_TYPE.PICTURE for s in shapes)
    # The band's box is split into the title placeholder, the subtitle and the
    # series line, and the shapes stand in reading order (test_onepager_pptx_a11y.py).
    boxes = [s for s in shapes if s.shape_type in (MSO_SHAPE_TYPE.TEXT_BOX, MSO_SHAPE_TYPE.PLACEHOLDER)]
    slide = plan(article_doc, theme)
    assert [b.name for b in boxes] == ["title", "subtitle", "series", "points", "quote", "authors", "footer",
                                       "footer-right"]
    assert sorted(p.text for b in boxes for p in b.text_frame.paragraphs) == sorted(shown_texts(slide))
    points = next(b for b in boxes if b.name == "points").text_frame.paragraphs
    assert points[1].runs[0].font.size.pt == slide.box("points").paras[1].style.size
    core = prs.core_properties
    assert core.title == article_doc.meta.title
    assert core.author == "Huynh Tam Sang, Pham Do An"
    assert core.last_modified_by == "briefexport"
    assert not any("thumbnail" in n for n in zipfile.ZipFile(io.BytesIO(article_pptx)).namelist())


def test_pptx_is_byte_identical_and_warns_like_the_pdf(article_doc, article_pptx, theme) -> None:
    assert render(article_doc, theme, "onepager-pptx")[0] == article_pptx
    doc = load(STRESS / "many-points.md")
    assert render(doc, theme, "onepager-pptx")[1] == render(doc, theme)[1] != []


def test_pptx_text_is_sanitised_for_xml(theme) -> None:
    from pptx import Presentation

    data, _ = render(load(STRESS / "markup.md"), theme, "onepager-pptx")
    shapes = Presentation(io.BytesIO(data)).slides[0].shapes
    texts = " ".join(p.text for s in shapes if s.has_text_frame for p in s.text_frame.paragraphs)
    assert "Control characters are dropped" in texts and "AT&T <b>bold</b>" in texts


@pytest.mark.parametrize("name", ["article", "many-points.md"])
def test_libreoffice_converts_the_pptx_to_one_page(name: str, tmp_path: Path, theme) -> None:
    soffice = require_tool("soffice")
    doc = load(ARTICLE if name == "article" else STRESS / name)
    pptx = tmp_path / "slide.pptx"
    pptx.write_bytes(render(doc, theme, "onepager-pptx")[0])
    subprocess.run(
        [soffice, "--headless", "--norestore", f"-env:UserInstallation=file://{tmp_path}/lo_profile",
         "--convert-to", "pdf", "--outdir", str(tmp_path), str(pptx)],
        capture_output=True, check=True, timeout=300,
    )
    reader = PdfReader(tmp_path / "slide.pdf")
    assert len(reader.pages) == 1
    text = " ".join(reader.pages[0].extract_text().split())
    assert squash(doc.meta.title) in text


# --------------------------------------------------------------- import cost


def test_listing_the_formats_loads_neither_reportlab_nor_python_pptx() -> None:
    code = (
        "import sys; from briefexport import backends; "
        "[backends.get(n) for n in ('onepager', 'onepager-pptx')]; "
        "print(sorted(m for m in sys.modules if m.split('.')[0] in ('reportlab', 'pptx')))"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True).stdout
    assert out.strip() == "[]"


# ------------------------------------------------------------------ corpus


@pytest.mark.parametrize("name", ["pandoc-manual.md", "pandoc-testsuite.md", "pandoc-pipe-tables.md"])
def test_corpus_documents_give_one_page_in_both_formats(name: str, corpus: Path, theme) -> None:
    from pptx import Presentation

    doc = load(corpus / name)
    pdf, _ = render(doc, theme)
    assert len(PdfReader(io.BytesIO(pdf)).pages) == 1
    assert squash(doc.meta.title)[:20] in pdf_text(pdf)
    pptx, _ = render(doc, theme, "onepager-pptx")
    assert len(Presentation(io.BytesIO(pptx)).slides) == 1


def test_every_commonmark_example_fits_the_slide(commonmark_examples, theme) -> None:
    for example in commonmark_examples:
        doc = _parser.parse(example["markdown"], source=f"example-{example['example']}.md")
        with warnings.catch_warnings():
            warnings.simplefilter("ignore", BriefExportWarning)
            slide = plan(doc, theme)
        for box in slide.boxes:
            assert 0 <= box.y and box.y + box.h <= slide.height, (example["example"], box.name)


# ---------------------------------------------------------------- authors


def test_each_author_is_paired_with_their_affiliation(theme) -> None:
    from pptx import Presentation

    doc = load(FIXTURES / "river-basins.md")
    data, warned = render(doc, theme)
    assert not warned
    text = pdf_text(data)
    # Marks in both formats, numbered by affiliation, so no one wonders whose is whose.
    assert "Leyla Demir\u00b9, Trần Minh Anh\u00b2 and Omar Haddad\u00b3" in text
    assert ("\u00b9 Istanbul Policy Centre \u00b7 \u00b2 Mekong Delta Research Institute, Cần Thơ \u00b7 "
            "\u00b3 Nile Basin Forum") in text
    pptx, _ = render(doc, theme, "onepager-pptx")
    shown = [p.text for s in Presentation(io.BytesIO(pptx)).slides[0].shapes if s.has_text_frame
             for p in s.text_frame.paragraphs]
    assert "Leyla Demir\u00b9, Trần Minh Anh\u00b2 and Omar Haddad\u00b3" in shown


def test_authors_sharing_one_affiliation_carry_no_marks(theme) -> None:
    doc = _parser.parse(
        "---\ntitle: T\nauthors:\n  - {name: Ann Lee, affiliation: Same Institute}\n"
        "  - {name: Bo Chen, affiliation: Same Institute}\nkey_points: [One point.]\n---\n\nBody.\n", source="x.md")
    text = pdf_text(render(doc, theme)[0])
    assert "Ann Lee and Bo Chen Same Institute" in text
    # One author without an affiliation beside one with: the marks say who has it.
    doc = _parser.parse(
        "---\ntitle: T\nauthors:\n  - {name: Ann Lee, affiliation: An Institute}\n  - Bo Chen\n"
        "key_points: [One point.]\n---\n\nBody.\n", source="x.md")
    assert "Ann Lee\u00b9 and Bo Chen \u00b9 An Institute" in pdf_text(render(doc, theme)[0])
