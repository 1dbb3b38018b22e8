"""The PPTX one-pager for screen readers: title placeholder, reading order,
decorative shapes, language.  Reopened with python-pptx and read as XML."""

from __future__ import annotations

import io
import subprocess
from pathlib import Path

import pytest
from pptx import Presentation
from pptx.enum.shapes import MSO_SHAPE_TYPE, PP_PLACEHOLDER
from pptx.oxml.ns import qn

import briefexport
from briefexport.backends.onepager.plan import plan
from briefexport.readers.markdown import parse
from briefexport.theme import load_theme
from conftest import ARTICLE, FIXTURES, require_tool

ADEC = "{http://schemas.microsoft.com/office/drawing/2017/decorative}decorative"
READING_ORDER = ["title", "subtitle", "series", "points", "quote", "authors", "footer", "footer-right"]
DECORATIONS = {"band", "rule", "panel", "bar"}


def slide_of(doc) -> object:
    return Presentation(io.BytesIO(briefexport.render(doc, "onepager-pptx"))).slides[0]


def decorative(shape) -> bool:
    c_nv_pr = shape._element.find(f".//{qn('p:cNvPr')}")
    flags = c_nv_pr.findall(f"{qn('a:extLst')}/{qn('a:ext')}/{ADEC}")
    return bool(flags) and all(f.get("val") == "1" for f in flags)


@pytest.fixture(scope="module")
def article():
    return briefexport.parse(ARTICLE)


@pytest.fixture(scope="module")
def article_slide(article):
    return slide_of(article)


def test_the_title_is_the_title_placeholder(article, article_slide) -> None:
    title = article_slide.shapes.title
    assert title is not None and title.is_placeholder
    assert title.placeholder_format.type == PP_PLACEHOLDER.TITLE
    assert title.text_frame.text == article.meta.title
    assert article_slide.slide_layout.name == "Title Only"
    # Where the plan set the title: below the series line, at the title's measured height.
    band = plan(article, load_theme()).box("band")
    series, heading = band.paras[0], band.paras[1]
    assert title.top == round((band.y + series.height + heading.space_before) * 12700)
    assert title.height == round(heading.height * 12700)
    assert title.left == round(band.x * 12700) and title.width == round(band.w * 12700)
    # Exactly one title placeholder and no other placeholder left from the layout.
    assert [s.name for s in article_slide.placeholders] == ["title"]


def test_shapes_stand_in_reading_order_decorations_first(article_slide) -> None:
    names = [s.name for s in article_slide.shapes]
    text = [n for n in names if n not in DECORATIONS]
    assert text == READING_ORDER
    # Decorations are drawn first (behind the text) and marked decorative; text is not.
    assert set(names[:len(DECORATIONS)]) == DECORATIONS
    for shape in article_slide.shapes:
        assert decorative(shape) == (shape.name in DECORATIONS), shape.name


def test_no_picture_lacks_alt_text(article_slide) -> None:
    # The slide draws no picture (the image credit is text); one added later must carry alt text.
    pictures = article_slide._element.findall(f".//{qn('p:pic')}")
    assert all(p.find(f".//{qn('p:cNvPr')}").get("descr") for p in pictures)
    assert not any(s.shape_type == MSO_SHAPE_TYPE.PICTURE for s in article_slide.shapes)


def test_the_presentation_language_is_the_documents() -> None:
    doc = parse("---\ntitle: Quan hệ Việt Nam\nlang: vi\nkey_points: [Một điểm.]\n---\n\nNội dung.\n")
    data = briefexport.render(doc, "onepager-pptx")
    prs = Presentation(io.BytesIO(data))
    assert prs.core_properties.language == "vi"
    style = prs.part._element.find(qn("p:defaultTextStyle"))
    langs = {rpr.get("lang") for rpr in style.iter(qn("a:defRPr"))}
    assert langs == {"vi"}
    runs = [r for s in prs.slides[0].shapes if s.has_text_frame for p in s.text_frame.paragraphs for r in p.runs]
    assert runs and {r.font._rPr.get("lang") for r in runs} == {"vi"}


def test_a_title_only_slide_keeps_its_title_placeholder() -> None:
    only = slide_of(briefexport.parse(FIXTURES / "onepager" / "title-only.md"))
    assert only.shapes.title is not None and only.shapes.title.text_frame.text == "Only a Title"
    assert [s.name for s in only.shapes if s.name not in DECORATIONS] == ["title", "series", "footer"]


def test_libreoffice_reads_the_title_as_a_heading_and_keeps_the_order(tmp_path: Path, article) -> None:
    """LibreOffice's tagged PDF export, read by poppler: an independent reading of the slide.

    LibreOffice 7.4 tags the title placeholder as a heading and follows the
    shape order; it does not know Office's decorative flag yet, so it still
    tags the rectangles as (empty) figures.
    """
    soffice, pdfinfo = require_tool("soffice"), require_tool("pdfinfo")
    path = tmp_path / "slide.pptx"
    path.write_bytes(briefexport.render(article, "onepager-pptx"))
    export = 'pdf:impress_pdf_Export:{"UseTaggedPDF":{"type":"boolean","value":"true"}}'
    subprocess.run([soffice, "--headless", "--norestore", f"-env:UserInstallation=file://{tmp_path}/lo",
                    "--convert-to", export, "--outdir", str(tmp_path), str(path)],
                   check=True, capture_output=True, timeout=180)
    tree = subprocess.run([pdfinfo, "-struct-text", str(tmp_path / "slide.pdf")], capture_output=True,
                          text=True, check=True).stdout.splitlines()
    texts = [row.strip().strip('"') for row in tree if row.strip().startswith('"') and row.strip() != '""']
    meta = article.meta
    assert texts[:4] == [meta.title, meta.subtitle, "POLICY BRIEF", "KEY POINTS"]
    heading = next(i for i, row in enumerate(tree) if row.startswith("H "))
    assert meta.title in tree[heading + 3]  # H, /Placement, P, the text
