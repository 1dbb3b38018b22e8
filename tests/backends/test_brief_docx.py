"""The DOCX backend, checked by reopening its output with python-docx, its XML and LibreOffice."""

from __future__ import annotations

import io
import re
import subprocess
import sys
import zipfile
from collections import Counter

import docx
import pytest
from docx.oxml.ns import qn
from docx.text.paragraph import Paragraph
from lxml import etree

from briefexport import parse
from briefexport import render
from briefexport.errors import RenderError
from briefexport.common.stamps import timestamp
from briefexport.readers.markdown import parse as parse_text
from briefexport.tree import (
    Author, Code, CodeBlock, Document, Emph, Figure, Image, Link, Meta, Note, Para, Text,
    plain_text, walk,
)

from conftest import ARTICLE, FIXTURES, ROOT, require_tool

FEATURES = FIXTURES / "docx-features.md"
W = "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}"
R_NS = "http://schemas.openxmlformats.org/officeDocument/2006/relationships"
# Every paragraph style the brief may use (python-docx's UI names).
STYLES = {
    "Title", "Subtitle", "Heading 1", "Heading 2", "Heading 3", "Body Text", "Lead", "Quote", "Pull Quote",
    "Pull Quote Attribution", "Key Takeaways", "Key Takeaways Label", "List Bullet", "List Number",
    "List Continue", "Caption", "Figure", "Table Text", "Table Heading", "footnote text", "Source Code",
    "Series Label", "Authors", "Affiliation", "Brief Date", "Image Credit", "Back Matter Heading", "Bio",
    "Publisher", "Horizontal Rule", "Definition Term", "Definition", "Header", "Footer", "Normal", "Box Title",
}


def words(text: str) -> Counter[str]:
    return Counter(w.casefold() for w in re.findall(r"\w+", text))


def part_xml(data: bytes, name: str) -> etree._Element:
    with zipfile.ZipFile(io.BytesIO(data)) as z:
        return etree.fromstring(z.read(name))


def rels(data: bytes, name: str) -> dict[str, tuple[str, str]]:
    root = part_xml(data, name)
    return {r.get("Id"): (r.get("Type").rsplit("/", 1)[-1], r.get("Target")) for r in root}


def story_text(root: etree._Element) -> str:
    """The text of every paragraph below `root`, one line each; breaks and tabs as whitespace."""
    def piece(node: etree._Element) -> str:
        if node.tag == f"{W}t":
            return node.text or ""
        return {f"{W}br": "\n", f"{W}tab": "\t"}.get(node.tag, "")

    return "\n".join("".join(piece(n) for n in p.iter(f"{W}t", f"{W}br", f"{W}tab")) for p in root.iter(f"{W}p"))


def source_words(doc: Document) -> set[str]:
    """Every word of the document's text nodes (footnotes included)."""
    found: set[str] = set()
    for node in walk(doc):
        if isinstance(node, (Text, Code, CodeBlock)):
            found |= set(words(node.text))
    return found


@pytest.fixture(scope="module")
def epoch(monkeypatch_module: pytest.MonkeyPatch) -> int:
    value = 1642118400  # 2022-01-14
    monkeypatch_module.setenv("SOURCE_DATE_EPOCH", str(value))
    return value


@pytest.fixture(scope="module")
def monkeypatch_module():
    with pytest.MonkeyPatch.context() as mp:
        yield mp


@pytest.fixture(scope="module")
def article_docx(article, theme, epoch) -> bytes:
    return render(article, "docx", theme)


@pytest.fixture(scope="module")
def features() -> Document:
    return parse(FEATURES)


@pytest.fixture(scope="module")
def features_docx(features, theme, epoch) -> bytes:
    return render(features, "docx", theme)


# ------------------------------------------------------------- the article


def test_article_reopens_with_every_paragraph_in_a_named_style(article_docx):
    document = docx.Document(io.BytesIO(article_docx))
    body = document.element.body
    paragraphs = list(body.iter(qn("w:p")))
    assert len(paragraphs) > 30
    for p in paragraphs:
        assert p.pPr is not None and p.pPr.pStyle is not None, etree.tostring(p)[:200]
        assert Paragraph(p, document._body).style.name in STYLES
    used = {Paragraph(p, document._body).style.name for p in paragraphs}
    assert {"Title", "Subtitle", "Heading 1", "Body Text", "Lead", "Pull Quote", "Key Takeaways"} <= used


def test_article_styles_come_from_the_theme(article_docx, theme):
    document = docx.Document(io.BytesIO(article_docx))
    body = document.styles["Body Text"]
    assert body.font.name == "Source Serif Pro"
    assert body.font.size.pt == theme.styles.body.size
    heading = document.styles["Heading 1"]
    assert heading.font.name == "Source Sans Pro"
    assert str(heading.font.color.rgb) == theme.styles.h1.color.lstrip("#")
    assert heading.paragraph_format.keep_with_next
    assert document.styles["Hyperlink"].type == docx.enum.style.WD_STYLE_TYPE.CHARACTER
    for name in ("footnote text", "footnote reference", "Brief Table", "Key Takeaways Box"):
        assert name in [s.name for s in document.styles]


def test_article_holds_every_word_of_the_body(article, article_docx):
    document_text = story_text(part_xml(article_docx, "word/document.xml"))
    expected = words(plain_text(article, notes=False))
    for point in article.meta.key_points:
        expected += words(point)
    missing = expected - words(document_text)
    assert not missing


def test_article_core_properties(article, article_docx, epoch):
    props = docx.Document(io.BytesIO(article_docx)).core_properties
    meta = article.meta
    assert props.title == meta.title
    assert props.author == "; ".join(a.name for a in meta.authors)
    assert props.subject == meta.subtitle
    assert props.keywords == ", ".join(meta.keywords)
    assert props.language == meta.lang
    expected = timestamp(meta).replace(tzinfo=None)
    assert props.created.replace(tzinfo=None) == expected == props.modified.replace(tzinfo=None)
    assert expected.year == 2022
    assert props.comments == "" and props.last_modified_by == ""


def test_no_template_leftovers(article_docx):
    with zipfile.ZipFile(io.BytesIO(article_docx)) as z:
        names = z.namelist()
        blobs = b"".join(z.read(n) for n in names)
        app = z.read("docProps/app.xml").decode()
    assert not any("thumbnail" in n or "stylesWithEffects" in n for n in names)
    # The one custom XML part is briefexport's own round-trip data, not python-docx's template's.
    assert sorted(n for n in names if "customXml" in n) == [
        "customXml/_rels/item1.xml.rels", "customXml/item1.xml", "customXml/itemProps1.xml"]
    with zipfile.ZipFile(io.BytesIO(article_docx)) as z:
        assert b'xmlns="urn:briefexport:roundtrip:1"' in z.read("customXml/item1.xml")
    assert b"python-docx" not in blobs and b"Microsoft" not in blobs
    assert "<Application>briefexport" in app


def test_footer_holds_page_fields_and_page_one_differs(article_docx):
    document = docx.Document(io.BytesIO(article_docx))
    section = document.sections[0]
    assert section.different_first_page_header_footer
    for footer in (section.footer, section.first_page_footer):
        instructions = [t.text.strip() for t in footer._element.iter(qn("w:instrText"))]
        assert instructions == ["PAGE", "NUMPAGES"]
        assert "Page" in "".join(t.text for t in footer._element.iter(qn("w:t")))
    # As in the PDF: the series and full title in the footer after page 1, no running head.
    later = "".join(t.text for t in section.footer._element.iter(qn("w:t")))
    assert later.startswith("Policy Brief  |  Belarus\u2019 Burgeoning Ties with Russia and China")
    assert "Belarus" not in "".join(t.text for t in section.first_page_footer._element.iter(qn("w:t")))
    for header in (section.header, section.first_page_header):
        assert not "".join(t.text or "" for t in header._element.iter(qn("w:t")))


def test_page_size_margins_and_language_from_the_theme(article_docx, theme):
    document = docx.Document(io.BytesIO(article_docx))
    section = document.sections[0]
    assert abs(section.page_width.pt - theme.page.width) < 0.1
    assert abs(section.page_height.pt - theme.page.height) < 0.1
    assert abs(section.left_margin.pt - theme.page.margin_left) < 0.1
    assert abs(section.bottom_margin.pt - theme.page.margin_bottom) < 0.1
    lang = part_xml(article_docx, "word/styles.xml").find(f"{W}docDefaults//{W}lang")
    assert lang.get(f"{W}val") == "en"


def test_two_renders_are_byte_identical(article, theme, article_docx, epoch):
    again = render(article, "docx", theme)
    assert again == article_docx
    with zipfile.ZipFile(io.BytesIO(again)) as z:
        assert {info.date_time[:3] for info in z.infolist()} == {(2022, 1, 14)}
        assert z.namelist()[0] == "[Content_Types].xml"


_PDF_LIBRARIES = "('reportlab', 'pptx')"


def test_a_docx_render_never_imports_reportlab():
    code = (
        "import sys, briefexport\n"
        f"doc = briefexport.parse({str(ARTICLE)!r})\n"
        "data = briefexport.render(doc, 'docx')\n"
        "assert data[:2] == b'PK'\n"
        f"print(sorted(m for m in sys.modules if m.split('.')[0] in {_PDF_LIBRARIES}))\n"
    )
    result = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, cwd=ROOT, check=True)
    assert result.stdout.strip() == "[]"


def test_the_docx_command_never_imports_reportlab(tmp_path):
    # The whole command: glyph check, budget, manifest; in a fresh process.
    code = (
        "import sys\n"
        "from briefexport.cli import main\n"
        f"main(['render', {str(ARTICLE)!r}, '-f', 'docx', '-q', '-d', {str(tmp_path)!r}], standalone_mode=False)\n"
        f"print(sorted(m for m in sys.modules if m.split('.')[0] in {_PDF_LIBRARIES}))\n"
    )
    result = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, cwd=ROOT, check=True)
    assert result.stdout.strip() == "[]"
    assert any(p.suffix == ".docx" for p in tmp_path.iterdir())


# ------------------------------------------------------------- the fixture


def test_footnotes_are_real_word_footnotes(features_docx):
    notes = part_xml(features_docx, "word/footnotes.xml")
    entries = [n for n in notes.iter(f"{W}footnote") if n.get(f"{W}type") is None]
    assert [n.get(f"{W}id") for n in entries] == ["1", "2"]
    assert "The first note, with a link." in story_text(entries[0])
    assert "The second note." in story_text(entries[1])
    for entry in entries:
        assert entry.find(f".//{W}footnoteRef") is not None
        assert entry.find(f".//{W}pStyle").get(f"{W}val") == "FootnoteText"
    body = part_xml(features_docx, "word/document.xml")
    assert [r.get(f"{W}id") for r in body.iter(f"{W}footnoteReference")] == ["1", "2"]
    assert rels(features_docx, "word/_rels/document.xml.rels")
    assert ("footnotes", "footnotes.xml") in rels(features_docx, "word/_rels/document.xml.rels").values()


def test_links_external_through_relationships_internal_to_bookmarks(features_docx):
    body = part_xml(features_docx, "word/document.xml")
    doc_rels = rels(features_docx, "word/_rels/document.xml.rels")
    external = [doc_rels[h.get(f"{{{R_NS}}}id")] for h in body.iter(f"{W}hyperlink") if h.get(f"{{{R_NS}}}id")]
    assert ("hyperlink", "https://example.org/page?a=1&b=2") in external
    assert ("hyperlink", "mailto:team@example.org") in external
    assert not any("javascript" in target for _, target in doc_rels.values())
    anchors = [h.get(f"{W}anchor") for h in body.iter(f"{W}hyperlink") if h.get(f"{W}anchor")]
    marks = {b.get(f"{W}name"): b.getparent() for b in body.iter(f"{W}bookmarkStart")}
    assert len(anchors) == 1 and anchors[0] in marks
    assert story_text(marks[anchors[0]]) == "Numbers by year"
    for link in body.iter(f"{W}hyperlink"):
        assert link.find(f".//{W}rStyle").get(f"{W}val") == "Hyperlink"
    # A link inside a footnote is related from the footnotes part.
    note_rels = rels(features_docx, "word/_rels/footnotes.xml.rels")
    assert ("hyperlink", "https://example.org/source") in note_rels.values()


def test_nested_numbered_lists_restart_and_honour_start(features_docx):
    body = part_xml(features_docx, "word/document.xml")
    numbering = part_xml(features_docx, "word/numbering.xml")
    starts = {
        num.get(f"{W}numId"): (o.get(f"{W}ilvl"), o.find(f"{W}startOverride").get(f"{W}val"))
        for num in numbering.iter(f"{W}num") for o in num.iter(f"{W}lvlOverride")
    }
    items = {}
    for p in body.iter(f"{W}p"):
        num = p.find(f"{W}pPr/{W}numPr")
        if num is not None:
            items[story_text(p)] = (num.find(f"{W}numId").get(f"{W}val"), num.find(f"{W}ilvl").get(f"{W}val"))
    outer, inner, seventh = items["First step"], items["sub-step one"], items["seventh"]
    assert items["Third step"] == outer and items["sub-step two"] == inner
    assert inner[0] != outer[0] and inner[1] == "1"
    assert starts[outer[0]] == ("0", "1") and starts[inner[0]] == ("1", "1")
    assert starts[seventh[0]] == ("0", "7")
    assert items["a bullet inside"][1] == "1"


def test_table_header_repeats_and_image_has_alt_text(features_docx):
    document = docx.Document(io.BytesIO(features_docx))
    tables = [t for t in document.tables if t.style.name == "Brief Table"]
    assert len(tables) == 1 and len(tables[0].rows) == 71
    rows = tables[0]._tbl.tr_lst
    assert rows[0].find(f"{W}trPr/{W}tblHeader") is not None
    assert all(r.find(f"{W}trPr/{W}tblHeader") is None for r in rows[1:])
    pictures = list(document.element.body.iter("{http://schemas.openxmlformats.org/drawingml/2006/wordprocessingDrawing}docPr"))
    assert [p.get("descr") for p in pictures] == ["A checkered chart in the house colours"]
    assert pictures[0].get("title") == "Chart title"
    shape = document.inline_shapes[0]
    assert abs(shape.width / 12700 - docx_text_width(document)) < 1


def test_note_div_is_a_box_with_its_title(features_docx):
    document = docx.Document(io.BytesIO(features_docx))
    boxes = [t for t in document.tables if t.style.name == "Note Box"]
    assert len(boxes) == 1
    paragraphs = boxes[0].cell(0, 0).paragraphs
    assert [p.style.name for p in paragraphs] == ["Box Title", "Body Text"]
    assert paragraphs[0].text == "In brief" and paragraphs[1].text == "A boxed note with a link."


def docx_text_width(document) -> float:
    section = document.sections[0]
    return (section.page_width - section.left_margin - section.right_margin) / 12700


# ----------------------------------------------------------- LibreOffice


def test_libreoffice_converts_and_keeps_the_text(article, article_docx, features_docx, tmp_path):
    soffice = require_tool("soffice")
    require_tool("pdftotext")
    (tmp_path / "article.docx").write_bytes(article_docx)
    (tmp_path / "features.docx").write_bytes(features_docx)
    subprocess.run(
        [soffice, "--headless", "--norestore", f"-env:UserInstallation=file://{tmp_path}/lo_profile",
         "--convert-to", "pdf", "--outdir", str(tmp_path / "out"),
         str(tmp_path / "article.docx"), str(tmp_path / "features.docx")],
        check=True, capture_output=True, timeout=300,
    )

    def pdf_text(name: str, *pages: str) -> str:
        return subprocess.run(["pdftotext", *pages, str(tmp_path / "out" / name), "-"],
                              check=True, capture_output=True, text=True).stdout

    missing = words(plain_text(article, notes=False)) - words(pdf_text("article.pdf"))
    assert not missing
    text = " ".join(pdf_text("features.pdf").split())
    assert "The first note, with a link." in text and "The second note." in text
    # The 70-row table crosses a page, and its header row repeats there.
    pages = int(re.search(r"Pages:\s+(\d+)", subprocess.run(
        ["pdfinfo", str(tmp_path / "out" / "features.pdf")], capture_output=True, text=True).stdout).group(1))
    with_header = [n for n in range(1, pages + 1)
                   if re.search(r"Year\s+Region\s+Value", pdf_text("features.pdf", "-f", str(n), "-l", str(n)))]
    assert len(with_header) >= 2


# ------------------------------------------------------------ robustness


def test_xml_illegal_characters_and_lone_surrogates_are_dropped(theme, tmp_path):
    bad = "A\x00B\x07C\x0bD\x0cE\ufffeF\ud800G"
    doc = Document(
        meta=Meta(title=bad, subtitle=bad, authors=(Author(bad, bad, bad),), keywords=(bad,), key_points=(bad,),
                  series=bad, lang="en\x00"),
        blocks=(
            Para((Text(bad), Emph((Text(bad),)), Link((Text(bad),), "https://example.org/" + bad, bad),
                  Note((Para((Text(bad),)),)), Image((Text(bad),), "x.png"))),
        ),
        source="<test>",
    )
    data = render(doc, "docx", theme, base_dir=tmp_path)
    document = docx.Document(io.BytesIO(data))
    assert document.core_properties.title == "ABCDEFG"
    text = story_text(document.element.body)
    assert "ABCDEFG" in text and "\x00" not in text
    assert "ABCDEFG" in story_text(part_xml(data, "word/footnotes.xml"))


def test_images_follow_the_path_rules(theme, tmp_path):
    (tmp_path / "inside").mkdir()
    (tmp_path / "outside.png").write_bytes((FIXTURES / "chart.png").read_bytes())
    (tmp_path / "inside" / "bad.png").write_bytes(b"not an image")
    for src, message in (("../outside.png", "outside"), ("missing.png", "not found"),
                         ("https://example.org/a.png", "only local"), ("bad.png", "cannot be embedded")):
        doc = Document(blocks=(Figure(src, "alt", (), "", 7),), source=str(tmp_path / "inside" / "a.md"))
        with pytest.raises(RenderError, match=message) as info:
            render(doc, "docx", theme, base_dir=tmp_path / "inside")
        assert info.value.line == 7


def test_two_columns_theme_flows_the_body_in_two_columns(article, tmp_path):
    from briefexport import load_theme

    (tmp_path / "two.toml").write_text('extends = "default"\n[page]\ncolumns = 2\n', encoding="utf-8")
    data = render(article, "docx", load_theme(tmp_path / "two.toml"))
    body = part_xml(data, "word/document.xml").find(f"{W}body")
    final = body[-1]
    assert final.tag == f"{W}sectPr" and final.find(f"{W}cols").get(f"{W}num") == "2"
    assert final.find(f"{W}type").get(f"{W}val") == "continuous"
    assert len(list(body.iter(f"{W}sectPr"))) == 2


def test_every_commonmark_example_renders(commonmark_examples, theme, tmp_path):
    failures = []
    for example in commonmark_examples:
        doc = parse_text(example["markdown"], source=f"<example {example['example']}>")
        try:
            data = render(doc, "docx", theme, base_dir=tmp_path)
        except RenderError as exc:
            # Only the image path rules may refuse a document (remote or missing files).
            if not any(isinstance(n, Figure) for n in _blocks(doc)):
                failures.append((example["example"], str(exc)))
            continue
        except Exception as exc:  # noqa: BLE001 - collect, then report them all
            failures.append((example["example"], repr(exc)))
            continue
        if data[:2] != b"PK":
            failures.append((example["example"], "not a zip"))
    assert not failures


def _blocks(doc: Document):
    return list(walk(doc))


@pytest.mark.parametrize("name", ["pandoc-testsuite.md", "pandoc-manual.md"])
def test_corpus_documents_render_with_all_their_words(corpus, theme, name):
    doc = parse(corpus / name)
    data = render(doc, "docx", theme)
    document = docx.Document(io.BytesIO(data))
    text = story_text(document.element.body) + story_text(part_xml(data, "word/footnotes.xml"))
    assert source_words(doc) - set(words(text)) == set()


def test_a_span_marked_with_a_language_sets_w_lang_on_its_runs(theme) -> None:
    doc = parse_text("---\ntitle: T\nlang: en-GB\n---\nThe leader [Nguyễn Phú Trọng]{lang=vi} spoke.\n", source="x.md")
    body = part_xml(render(doc, "docx", theme), "word/document.xml")
    w = "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}"
    tagged = {
        "".join(t.text for t in r.iter(f"{w}t")): r.find(f"{w}rPr/{w}lang")
        for r in body.iter(f"{w}r")
    }
    lang = tagged["Nguyễn Phú Trọng"]
    assert lang is not None and lang.get(f"{w}val") == "vi" and lang.get(f"{w}eastAsia") == "vi"
    assert tagged[" spoke."] is None  # the rest keeps the document's language from the styles
    styles = part_xml(render(doc, "docx", theme), "word/styles.xml")
    assert styles.find(f".//{w}docDefaults//{w}lang").get(f"{w}val") == "en-GB"


def test_east_asian_text_names_a_cjk_font_from_the_chain(theme) -> None:
    from briefexport.fonts import system as sysfonts

    if not any("CJK" in f.name for f in sysfonts.families()):
        pytest.skip("no CJK font on this machine: fonts-noto-cjk is not installed (.ci/run installs it)")
    doc = parse_text("---\ntitle: 一带一路\n---\nChina’s Belt and Road (一带一路) initiative.\n", source="x.md")
    styles = part_xml(render(doc, "docx", theme), "word/styles.xml")
    w = "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}"
    fonts = styles.find(f".//{w}docDefaults//{w}rFonts")
    assert fonts.get(f"{w}ascii") == "Source Serif Pro"
    assert "CJK" in fonts.get(f"{w}eastAsia")


def test_a_link_to_a_non_ascii_heading_is_an_internal_hyperlink(theme) -> None:
    doc = parse_text("---\ntitle: T\n---\nSee [summer](#été).\n\n## Été\n\nText.\n", source="x.md")
    body = part_xml(render(doc, "docx", theme), "word/document.xml")
    w = "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}"
    anchors = [h.get(f"{w}anchor") for h in body.iter(f"{w}hyperlink")]
    bookmarks = {b.get(f"{w}name") for b in body.iter(f"{w}bookmarkStart")}
    assert len(anchors) == 1 and anchors[0] in bookmarks
