"""Citations, the bibliography and cross-references as the PDF, DOCX, one-pager
and email show them, checked with pypdf, poppler, python-docx's XML and LibreOffice.

The fixture brief is formatted once per style (one pandoc run each) and
rendered once per format for the module.
"""

from __future__ import annotations

import dataclasses
import io
import re
import subprocess
import zipfile
from email import message_from_bytes, policy
from pathlib import Path

import docx
import pytest
from lxml import etree
from pypdf import PdfReader

from briefexport import load_theme, render
from briefexport.delivery.mail import build_message, message_bytes
from briefexport.readers.markdown import parse_file
from briefexport.transforms.prepare import prepare

from conftest import FIXTURES, require_tool

BRIEF = FIXTURES / "citations" / "brief.md"
LIBRARY = FIXTURES / "citations" / "library"
W = "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}"


def parsed(csl: str = "", *, summary_only: bool = False):
    doc = parse_file(BRIEF, resource_path=[LIBRARY])
    meta = doc.meta
    if csl:
        meta = dataclasses.replace(meta, citations=dataclasses.replace(meta.citations, csl=csl))
    if summary_only:  # what the one-pager and the email derive from the body
        meta = dataclasses.replace(meta, key_points=(), subtitle="")
    return dataclasses.replace(doc, meta=meta)


@pytest.fixture(scope="module")
def chicago():
    return prepare(parsed(), load_theme())


@pytest.fixture(scope="module")
def pdf(chicago) -> bytes:
    return render(chicago, "pdf", load_theme())


@pytest.fixture(scope="module")
def docx_bytes(chicago) -> bytes:
    return render(chicago, "docx", load_theme())


@pytest.fixture(scope="module")
def pdf_path(pdf, tmp_path_factory) -> Path:
    path = tmp_path_factory.mktemp("cite") / "brief.pdf"
    path.write_bytes(pdf)
    return path


def lines(pdf_path: Path) -> list[tuple[int, float, float, str, float]]:
    """(page, xMin, yMin, text, xMax) of every line pdftotext finds (y from the top)."""
    require_tool("pdftotext")
    out = subprocess.run(["pdftotext", "-bbox-layout", str(pdf_path), "-"], capture_output=True, check=True).stdout
    root = etree.fromstring(out, etree.XMLParser(recover=True))
    found = []
    for page_no, page in enumerate(root.iter("{*}page")):
        for line in page.iter("{*}line"):
            text = " ".join(w.text or "" for w in line.iter("{*}word"))
            found.append((page_no, float(line.get("xMin")), float(line.get("yMin")), text, float(line.get("xMax"))))
    return found


# -------------------------------------------------------------------- PDF


def test_pdf_order_notes_bibliography_authors(pdf) -> None:
    text = "\n".join(p.extract_text() for p in PdfReader(io.BytesIO(pdf)).pages)
    notes, bib, about = text.index("NOTES"), text.index("BIBLIOGRAPHY"), text.index("ABOUT THE AUTHORS")
    assert notes < bib < about
    assert "1. Andrew Wilson, Belarus: The Last European Dictatorship, 2nd ed." in text
    assert "4. Ibid., 15." in text
    assert "[@" not in text and "@wilson" not in text


def test_pdf_bibliography_hangs_and_urls_are_links(pdf, pdf_path) -> None:
    found = lines(pdf_path)
    first = next(i for i, line in enumerate(found) if line[3].startswith("Jones, Mary, Peter Brown"))
    hang = found[first + 1][1] - found[first][1]
    assert abs(hang - load_theme().layout.list_indent) < 1.5, found[first:first + 2]
    reader = PdfReader(io.BytesIO(pdf))
    uris = [str(a.get_object()["/A"]["/URI"]) for page in reader.pages for a in page.get("/Annots") or []
            if "/A" in a.get_object() and "/URI" in a.get_object()["/A"]]
    assert "https://doi.org/10.1257/jep.32.4.45" in uris
    # Every line, long URLs included, stays inside the frame (they break).
    theme = load_theme()
    right = theme.page.size[0] - theme.page.margin_right + 1
    assert all(line[4] <= right for line in found), [line for line in found if line[4] > right]


def _internal_dests(pdf: bytes) -> list[tuple[int, int, float]]:
    """(page of the link, page it jumps to, y it jumps to from the top)."""
    reader = PdfReader(io.BytesIO(pdf))
    out = []
    for index, page in enumerate(reader.pages):
        height = float(page.mediabox.height)
        for ref in page.get("/Annots") or []:
            annot = ref.get_object()
            dest = annot.get("/Dest")
            if annot.get("/Subtype") == "/Link" and dest:
                y = float(dest[3]) if len(dest) > 3 and dest[3] is not None else height
                out.append((index, reader.get_page_number(dest[0].get_object()), height - y))
    return out


def test_pdf_citations_and_cross_references_jump_to_their_targets(pdf, pdf_path) -> None:
    found = lines(pdf_path)
    dests = _internal_dests(pdf)

    def lands_on(prefix: str) -> bool:
        page, _x, top, _t, _r = next(line for line in found if line[3].startswith(prefix))
        return any(to == page and abs(y - top) < 20 for _frm, to, y in dests)

    assert lands_on("Wilson, Andrew. Belarus")  # link-citations: a note leads to its entry
    assert lands_on("International Monetary Fund. Republic of Belarus")
    assert lands_on("FIGURE 1")  # @fig:exports
    assert lands_on("TABLE 1")  # @tbl:trade
    assert lands_on("Leverage")  # @sec:leverage


def test_pdf_table_caption_above_the_table(pdf_path) -> None:
    found = lines(pdf_path)
    caption = next(line for line in found if line[3].startswith("TABLE 1 Trade by partner"))
    header = next(line for line in found if line[3].startswith("Partner"))
    assert caption[0] == header[0] and caption[2] < header[2]


# ------------------------------------------------------------------- DOCX


def part(data: bytes, name: str) -> etree._Element:
    with zipfile.ZipFile(io.BytesIO(data)) as z:
        return etree.fromstring(z.read(name))


def text_of(node: etree._Element) -> str:
    return "".join(t.text or "" for t in node.iter(f"{W}t"))


def test_docx_citation_notes_are_word_footnotes(docx_bytes) -> None:
    notes = [n for n in part(docx_bytes, "word/footnotes.xml").iter(f"{W}footnote") if int(n.get(f"{W}id")) > 0]
    assert len(notes) == 25
    assert text_of(notes[0]).strip().startswith("Andrew Wilson, Belarus: The Last European Dictatorship")
    assert text_of(notes[3]).strip() == "Ibid., 15."
    refs = part(docx_bytes, "word/document.xml").findall(f".//{W}footnoteReference")
    assert len(refs) == 25


def test_docx_bibliography_style_bookmarks_and_links(docx_bytes) -> None:
    styles = part(docx_bytes, "word/styles.xml")
    style = next(s for s in styles.iter(f"{W}style") if s.get(f"{W}styleId") == "Bibliography")
    ind = style.find(f"{W}pPr/{W}ind")
    assert int(ind.get(f"{W}hanging")) == int(ind.get(f"{W}left")) > 0
    body = part(docx_bytes, "word/document.xml")
    entries = [p for p in body.iter(f"{W}p")
               if p.find(f"{W}pPr/{W}pStyle") is not None and p.find(f"{W}pPr/{W}pStyle").get(f"{W}val") == "Bibliography"]
    assert len(entries) == 13
    assert text_of(entries[6]).startswith("Nguyễn, Thị Lan, and Stanisław Żółkiewski.")
    marks = {b.get(f"{W}name") for p in entries for b in p.iter(f"{W}bookmarkStart")}
    assert len(marks) == 13
    # Linked citations in the footnotes jump to those bookmarks.
    anchors = {h.get(f"{W}anchor") for h in part(docx_bytes, "word/footnotes.xml").iter(f"{W}hyperlink")}
    assert any(a and a.endswith("_wilson2021") for a in anchors)
    assert {a for a in anchors if a} <= marks
    document = docx.Document(io.BytesIO(docx_bytes))  # python-docx opens it
    assert any(p.style.name == "Bibliography" for p in document.paragraphs)


def test_docx_numbers_are_seq_fields_and_references_ref_fields(docx_bytes) -> None:
    body = part(docx_bytes, "word/document.xml")
    instructions = [" ".join((t.text or "").split()) for t in body.iter(f"{W}instrText")]
    assert "SEQ Figure \\* ARABIC" in instructions and "SEQ Table \\* ARABIC" in instructions
    refs = [i for i in instructions if i.startswith("REF ")]
    assert len(refs) == 2 and all(i.endswith("\\h") for i in refs)
    figure_mark = refs[0].split()[1]
    starts = {b.get(f"{W}name"): b for b in body.iter(f"{W}bookmarkStart")}
    assert figure_mark in starts
    # The REF field's shown value is the number the SEQ field shows.
    para = next(p for p in body.iter(f"{W}p") if any(figure_mark in (t.text or "") for t in p.iter(f"{W}instrText")))
    assert "See Figure\u00a01 and Table\u00a01" in text_of(para)
    caption = next(p for p in body.iter(f"{W}p") if text_of(p).startswith("Table 1"))
    following = caption.getnext()
    assert following is not None and following.tag == f"{W}tbl"  # the caption sits above its table


def test_docx_in_libreoffice(docx_bytes, tmp_path: Path) -> None:
    soffice = require_tool("soffice")
    source = tmp_path / "brief.docx"
    source.write_bytes(docx_bytes)
    subprocess.run([soffice, "--headless", "--norestore", f"-env:UserInstallation=file://{tmp_path}/lo",
                    "--convert-to", "pdf", "--outdir", str(tmp_path), str(source)],
                   check=True, capture_output=True, timeout=180)
    text = "\n".join(p.extract_text() for p in PdfReader(tmp_path / "brief.pdf").pages)
    assert "Ibid., 15." in text and "Wilson, Andrew. Belarus" in text
    assert re.search(r"See Figure\s1 and Table\s1", text)


# --------------------------------------------------------- one-pager, email


@pytest.fixture(scope="module")
def apa_summary():
    """APA (citations in the running text), without key points or standfirst,
    so both summaries take their text from the body."""
    return prepare(parsed("apa", summary_only=True), load_theme())


def test_onepager_draws_no_citation(apa_summary) -> None:
    data = render(apa_summary, "onepager", load_theme())
    text = " ".join(PdfReader(io.BytesIO(data)).pages[0].extract_text().split())
    assert "dictatorship" in text
    assert "Wilson, 2021" not in text and "[@" not in text and "()" not in text


def test_email_body_shows_no_citation() -> None:
    doc = parsed("apa", summary_only=True)  # unformatted: the email formats and strips itself
    message = message_from_bytes(message_bytes(build_message(doc, [], load_theme(), to=())), policy=policy.default)
    for part_ in message.walk():
        if part_.get_content_type() in ("text/plain", "text/html"):
            body = part_.get_content()
            assert "[@" not in body and "@wilson" not in body and "Wilson, 2021" not in body
            assert "dictatorship." in body
