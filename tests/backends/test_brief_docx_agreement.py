"""The DOCX and the PDF of one real brief agree: what a reader sees in each, and in LibreOffice."""

from __future__ import annotations

import io
import re
import subprocess
import zipfile
from pathlib import Path

import docx
import pytest
from docx.oxml.ns import qn
from lxml import etree

from briefexport import load_theme, parse, render
from briefexport.backends.brief_docx.measure import measure

from conftest import FIXTURES, require_tool

BRIEF = FIXTURES / "river-basins.md"
TWO_COLUMNS = FIXTURES / "two-column.toml"
W = "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}"


@pytest.fixture(scope="module")
def brief():
    return parse(BRIEF)


@pytest.fixture(scope="module")
def outputs(brief, tmp_path_factory) -> dict[str, Path]:
    """The brief as PDF and DOCX (default and two-column), and LibreOffice's PDFs of the DOCX."""
    folder = tmp_path_factory.mktemp("agreement")
    made = {}
    for name, theme in (("default", load_theme()), ("two", load_theme(TWO_COLUMNS))):
        for fmt in ("pdf", "docx"):
            made[f"{name}.{fmt}"] = folder / f"{name}.{fmt}"
            made[f"{name}.{fmt}"].write_bytes(render(brief, fmt, theme, base_dir=FIXTURES))
    return made


@pytest.fixture(scope="module")
def libreoffice(outputs) -> dict[str, Path]:
    soffice = require_tool("soffice")
    require_tool("pdftotext")
    folder = outputs["default.docx"].parent
    converted = {}
    for name in ("default", "two"):
        out = folder / f"lo-{name}"
        subprocess.run([soffice, "--headless", "--norestore", f"-env:UserInstallation=file://{folder}/profile-{name}",
                        "--convert-to", "pdf", "--outdir", str(out), str(outputs[f"{name}.docx"])],
                       check=True, capture_output=True, timeout=300)
        converted[name] = out / f"{name}.pdf"
    return converted


def text_of(pdf: Path, *pages: str) -> str:
    return subprocess.run([require_tool("pdftotext"), *pages, str(pdf), "-"], check=True, capture_output=True,
                          text=True).stdout


def words_with_boxes(pdf: Path) -> list[tuple[int, str, float, float, float, float]]:
    """(page, word, xMin, yMin, xMax, yMax) of every word, from `pdftotext -bbox`."""
    html = subprocess.run([require_tool("pdftotext"), "-bbox", str(pdf), "-"], check=True, capture_output=True,
                          text=True).stdout
    found, page = [], 0
    for line in html.splitlines():
        if "<page " in line:
            page += 1
        match = re.search(r'xMin="([\d.]+)" yMin="([\d.]+)" xMax="([\d.]+)" yMax="([\d.]+)">([^<]*)</word>', line)
        if match:
            x0, y0, x1, y1 = map(float, match.groups()[:4])
            found.append((page, match.group(5), x0, y0, x1, y1))
    return found


def paragraphs(data: Path) -> list[tuple[str, str]]:
    document = docx.Document(str(data))
    return [(p.style.name, p.text) for p in document.paragraphs]


def squash(text: str) -> str:
    return " ".join(text.split())


# ------------------------------------------------------------ pull quote


def test_the_attribution_is_its_own_style_without_the_dash(outputs):
    found = paragraphs(outputs["default.docx"])
    assert ("Pull Quote", "Whoever controls the data controls the conversation.") in found
    assert ("Pull Quote Attribution", "Leyla Demir") in found
    assert not [t for s, t in found if s == "Pull Quote" and "Demir" in t]
    # Inside the quote's rules, as in the PDF: both paragraphs carry the same borders.
    styles = etree.fromstring(zipfile.ZipFile(outputs["default.docx"]).read("word/styles.xml"))

    def borders(style_id: str) -> bytes:
        style = styles.find(f"{W}style[@{W}styleId='{style_id}']")
        return etree.tostring(style.find(f"{W}pPr/{W}pBdr"))

    assert borders("PullQuote") == borders("PullQuoteAttribution")


# ----------------------------------------------------------------- tables


def test_a_table_is_followed_by_space_in_libreoffice(libreoffice):
    # In two columns the table and the paragraph after it share a column.
    boxes = words_with_boxes(libreoffice["two"])
    page, _, x0, _, _, last_row = next(b for b in boxes if b[1] == "Egypt")
    below = min(b[3] for b in boxes if b[0] == page and b[1] == "Flow" and b[3] > last_row)
    assert below - last_row >= 14  # a body line, as the PDF leaves


def test_two_column_table_columns_are_never_narrower_than_their_longest_word(outputs, libreoffice):
    theme = load_theme(TWO_COLUMNS)
    table = docx.Document(str(outputs["two.docx"])).tables[-1]
    grid = [int(c.get(qn("w:w"))) / 20 for c in table._tbl.find(qn("w:tblGrid"))]
    for index, column in enumerate(zip(*[[c.text for c in row.cells] for row in table.rows])):
        # The header row in its bold style, the others in the table style; 5 pt cell margins each side.
        styles = [theme.styles.table_header] + [theme.styles.table] * (len(column) - 1)
        longest = max(measure(theme, st)(w, st.size) for st, cell in zip(styles, column) for w in cell.split())
        assert grid[index] >= longest + 10, (column[0], grid[index], longest)
    # What LibreOffice draws: every word of the table whole (a break at a dash is allowed).
    def pieces(text: str) -> set[str]:
        return {p.strip(",;.") for p in re.split(r"[\s\u2013-]+", text)} - {""}

    drawn = set().union(*(pieces(w) for _, w, *_ in words_with_boxes(libreoffice["two"])))
    for row in table.rows:
        for cell in row.cells:
            assert pieces(cell.text) <= drawn, cell.text


# ---------------------------------------------------- lists, key points


def test_nested_numbered_lists_count_alike_in_the_pdf_and_libreoffice(outputs, libreoffice):
    for pdf in (outputs["default.pdf"], libreoffice["default"]):
        text = squash(text_of(pdf))
        assert re.search(r"1\. Share data: a\. river gauges upstream and downstream; b\. reservoir levels", text), pdf
        assert re.search(r"2\. Agree on drought rules: a\. minimum flows", text), pdf


def test_a_theme_key_sets_the_numbering_of_both(brief, tmp_path):
    theme_file = tmp_path / "roman.toml"
    theme_file.write_text('extends = "default"\n[layout]\nnumber-formats = ["I", "A"]\n', encoding="utf-8")
    theme = load_theme(theme_file)
    pdf = tmp_path / "roman.pdf"
    pdf.write_bytes(render(brief, "pdf", theme, base_dir=FIXTURES))
    assert re.search(r"II\. Agree on drought rules: A\. minimum flows", squash(text_of(pdf)))
    numbering = etree.fromstring(zipfile.ZipFile(io.BytesIO(render(brief, "docx", theme, base_dir=FIXTURES)))
                                 .read("word/numbering.xml"))
    levels = [lvl.find(f"{W}numFmt").get(f"{W}val") for lvl in numbering.find(f"{W}abstractNum[@{W}abstractNumId='1']")
              .iter(f"{W}lvl")]
    assert levels[:3] == ["upperRoman", "upperLetter", "upperRoman"]


def test_key_takeaway_bullets_stand_clear_of_their_text(libreoffice):
    boxes = words_with_boxes(libreoffice["default"])
    for first in ("Upstream", "Data", "Europe"):
        word = next(b for b in boxes if b[1] == first)
        bullet = next(b for b in boxes if b[1] == "\u25a0" and abs(b[5] - word[5]) < 3)
        assert word[2] - bullet[4] >= 3, (first, word[2] - bullet[4])


# -------------------------------------------------- the back and the footer


def test_the_docx_ends_with_the_pdfs_cite_as_line(outputs):
    last = [t for s, t in paragraphs(outputs["default.docx"]) if t][-1]
    assert last.startswith("Cite as: Leyla Demir, Trần Minh Anh and Omar Haddad, \u201cThree Rivers, One Climate")
    assert last.endswith("Policy Brief, 18 March 2024.")
    assert squash(last) in squash(text_of(outputs["default.pdf"]))


def test_the_footer_after_page_one_says_what_the_pdfs_says(outputs, libreoffice):
    def footer(pdf: Path, page: int) -> list[str]:
        lines = [squash(line) for line in text_of(pdf, "-f", str(page), "-l", str(page)).splitlines()]
        return [line for line in lines if line.startswith(("Policy Brief |", "Page "))]

    expected = ["Policy Brief | Three Rivers, One Climate: Sharing the Tigris\u2013Euphrates, the Mekong and the Nile",
                "Page 2 of 2"]
    assert footer(outputs["default.pdf"], 2) == expected
    assert footer(libreoffice["default"], 2) == expected
    assert footer(outputs["default.pdf"], 1) == footer(libreoffice["default"], 1) == ["Page 1 of 2"]


# --------------------------------------------------------------- captions


def test_figure_numbers_are_word_seq_fields_with_their_value(outputs):
    document = docx.Document(str(outputs["default.docx"]))
    caption = next(p for p in document.paragraphs if p.style.name.lower() == "caption")
    assert caption.text.startswith("Figure 1\u2003Annual flow")
    instructions = [t.text.strip() for t in caption._p.iter(qn("w:instrText"))]
    assert instructions == ["SEQ Figure \\* ARABIC"]
    kinds = [c.get(qn("w:fldCharType")) for c in caption._p.iter(qn("w:fldChar"))]
    assert kinds == ["begin", "separate", "end"]
    # Filled in, so Word asks for no update when the file opens.
    settings = zipfile.ZipFile(outputs["default.docx"]).read("word/settings.xml")
    assert b"updateFields" not in settings
