"""Right-to-left and shaped text, as a reader sees it in the PDF and the DOCX.

Arabic must come out joined and, like Hebrew, in right-to-left order; a
document in a right-to-left language runs right to left.  The oracle is
LibreOffice: poppler must read the same words from our PDF as from
LibreOffice's PDF of our DOCX of the same source.
"""

from __future__ import annotations

import io
import shutil
import subprocess
import sys
import unicodedata
import zipfile
from collections import Counter
from pathlib import Path

import pytest

from conftest import FIXTURES, ROOT, require_tool
from layout_checks import have_pdftotext, pages
from pdf_checks import cmap_pairs

pytestmark = pytest.mark.skipif(not have_pdftotext(), reason="pdftotext (poppler-utils) is not installed")

NAMES = FIXTURES / "bidi" / "names.md"
ARABIC = FIXTURES / "bidi" / "arabic.md"
# Direction marks poppler puts around right-to-left text.
_MARKS = dict.fromkeys(map(ord, "\u200e\u200f\u202a\u202b\u202c\u202d\u202e\u2066\u2067\u2068\u2069"), None)


def _render(source: Path, fmt: str) -> bytes:
    import briefexport

    return briefexport.render(briefexport.parse(source), fmt, briefexport.load_theme(), base_dir=source.parent)


def _arabic_font_installed() -> bool:
    import briefexport
    from briefexport.fonts.coverage import document_theme

    doc = briefexport.parse(ARABIC)
    chain = document_theme(doc, briefexport.load_theme()).fonts.chain("body")
    return any(f.name == "system-noto-naskh-arabic" for f in chain)


needs_fonts = pytest.mark.skipif(not _arabic_font_installed(),
                                 reason="Noto Naskh Arabic is not installed (fonts-noto-core; .ci/run installs it)")


def _text(pdf: bytes) -> str:
    out = subprocess.run(["pdftotext", "-", "-"], input=pdf, capture_output=True, check=True).stdout
    return unicodedata.normalize("NFC", out.decode("utf-8").translate(_MARKS))


def _words(pdf: bytes) -> list[str]:
    """The words with a letter outside ASCII: the names and the Arabic and Hebrew text."""
    return [w for w in _text(pdf).split() if any(c.isalpha() and ord(c) > 127 for c in w)]


@needs_fonts
def test_pdf_words_equal_libreoffices_words_of_the_docx(tmp_path: Path) -> None:
    soffice = require_tool("soffice")
    ours = _render(NAMES, "pdf")
    (tmp_path / "names.docx").write_bytes(_render(NAMES, "docx"))
    subprocess.run([soffice, "--headless", "--norestore", f"-env:UserInstallation=file://{tmp_path}/profile",
                    "--convert-to", "pdf", "--outdir", str(tmp_path), str(tmp_path / "names.docx")],
                   check=True, capture_output=True, timeout=180)
    theirs = (tmp_path / "names.pdf").read_bytes()
    a, b = _words(ours), _words(theirs)
    # The paragraphs in reading order (the table after them is read cell by
    # cell in an order that depends on row heights: as a multiset).
    cut_a, cut_b = _text(ours).split("River")[0], _text(theirs).split("River")[0]
    assert [w for w in cut_a.split() if w in a] == [w for w in cut_b.split() if w in b]
    assert Counter(a) == Counter(b)
    assert "الفرات" in a and "הירדן" in a and "Yıldırım" in a and "Nguyễn" in a and "王晓明" in a


@needs_fonts
def test_right_to_left_words_are_drawn_right_to_left() -> None:
    words = [w for p in pages(_render(NAMES, "pdf")) for w in p.words]

    def box(logical: str):  # poppler's boxes list a right-to-left word's letters left to right
        return next(w for w in words if w.text.strip(".,;:()«»\u060c") in (logical, logical[::-1]))

    # "רשות המים" (the Water Authority): the first word is the right one.
    assert box("רשות").x0 > box("המים").x1
    assert box("وزارة").x0 > box("المياه").x1
    # Left-to-right text around them keeps its order.
    assert box("reports").x1 < box("רשות").x0


@needs_fonts
def test_arabic_letters_are_joined() -> None:
    """A joined Arabic letter takes another glyph at the start, middle or end
    of a word: the embedded Naskh font has several glyphs for one letter,
    and each is named by that letter (not a presentation form) for copying."""
    from pypdf import PdfReader

    pdf = _render(NAMES, "pdf")
    names: dict[str, Counter] = {}
    for page in PdfReader(io.BytesIO(pdf)).pages:
        for font in page["/Resources"]["/Font"].values():
            font = font.get_object()
            if "NaskhArabic" in str(font["/BaseFont"]):
                names[str(font["/BaseFont"])] = Counter(cmap_pairs(font["/ToUnicode"].get_object().get_data()).values())
    assert names, "no Noto Naskh Arabic font in the PDF"
    glyphs_per_text = sum(names.values(), Counter())
    assert glyphs_per_text["ل"] >= 2 and glyphs_per_text["ر"] >= 1
    assert not [t for t in glyphs_per_text if any(0xFB50 <= ord(c) <= 0xFEFF or 0xE000 <= ord(c) <= 0xF8FF for c in t)]


@needs_fonts
def test_a_right_to_left_document_runs_right_to_left() -> None:
    import briefexport

    theme = briefexport.load_theme()
    right = theme.page.width - theme.page.margin_right
    pdf = _render(ARABIC, "pdf")
    words = pages(pdf)[0].words

    def box(logical: str):
        return next(w for w in words if w.text.strip(".,;:()«»\u060c") in (logical, logical[::-1]))

    # Short last lines of paragraphs end at the right margin and start far from the left.
    for last_word, first_word in (("العرب", "حيث"), ("رحل", "الماء")):
        start, end = box(first_word), box(last_word)
        assert abs(start.x1 - right) < 1.5 and end.x0 > theme.page.margin_left + 100, (first_word, start, end)
    # A list is indented from the right, its bullets on the right.
    item = box("إنشاء")
    bullet = next(w for w in words if w.text == "\u2022" and abs(w.y1 - item.y1) < 6)
    assert item.x1 < right - 5 and bullet.x0 > item.x1
    # The title on the band, too.
    assert abs(box("نهر").x1 - right) < 1.5 and box("نهر").x0 > box("الفرات").x1
    assert "نهر الفرات" in _text(pdf)

    docx = zipfile.ZipFile(io.BytesIO(_render(ARABIC, "docx")))
    styles = docx.read("word/styles.xml").decode()
    document = docx.read("word/document.xml").decode()
    assert "<w:bidi/>" in styles.split("<w:pPrDefault>")[1].split("</w:pPrDefault>")[0]
    assert '<w:rPr><w:rtl/><w:cs/></w:rPr><w:t xml:space="preserve">نهر الفرات' in document


def test_docx_runs_of_arabic_and_hebrew_are_right_to_left() -> None:
    from docx import Document

    doc = Document(io.BytesIO(_render(NAMES, "docx")))
    runs = [r for p in doc.paragraphs for r in p.runs]
    rtl = [r for r in runs if r._r.rPr is not None and r._r.rPr.find(
        "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}rtl") is not None]
    assert {"الفرات", "הירדן", "רשות המים"} <= {r.text for r in rtl}
    assert not [r.text for r in rtl if any(unicodedata.bidirectional(c) == "L" for c in r.text)]
    # An LTR document keeps LTR paragraphs.
    styles = zipfile.ZipFile(io.BytesIO(_render(NAMES, "docx"))).read("word/styles.xml").decode()
    assert "<w:bidi/>" not in styles


def test_without_harfbuzz_render_and_check_say_needs_shaping(tmp_path: Path) -> None:
    """Where shaping is impossible the user is told, never left with unjoined Arabic in silence."""
    block = "import sys; sys.modules['uharfbuzz'] = None; from briefexport.cli import run; sys.argv = {!r}; run()"
    for argv, stream in ((["briefexport", "check", str(ARABIC)], "stdout"),
                         (["briefexport", "render", str(ARABIC), "--output-dir", str(tmp_path)], "stderr")):
        done = subprocess.run([sys.executable, "-c", block.format(argv)], capture_output=True, text=True, cwd=ROOT)
        assert done.returncode == 0, done.stderr
        said = getattr(done, stream)
        assert "needs shaping" in said and "arabic.md:2:" in said, said
    strict = subprocess.run([sys.executable, "-c", block.format(
        ["briefexport", "render", str(ARABIC), "--strict", "--output-dir", str(tmp_path / "strict")])],
        capture_output=True, text=True, cwd=ROOT)
    assert strict.returncode == 1 and "Error:" in strict.stderr and not (tmp_path / "strict").exists()
    # With HarfBuzz there is nothing to say.
    done = subprocess.run([sys.executable, "-m", "briefexport", "check", str(ARABIC)], capture_output=True, text=True)
    assert "needs-shaping" not in done.stdout


@needs_fonts
def test_the_running_footer_shapes_and_orders_an_arabic_title(tmp_path: Path) -> None:
    import briefexport

    filler = "\n\n".join(["نهر الفرات هو أطول نهر في غرب آسيا، ويمر عبر تركيا وسوريا والعراق."] * 40)
    source = tmp_path / "long.md"
    source.write_text(ARABIC.read_text(encoding="utf-8") + "\n" + filler + "\n", encoding="utf-8")
    theme = briefexport.load_theme()
    pdf = briefexport.render(briefexport.parse(source), "pdf", theme, base_dir=tmp_path)
    second = pages(pdf)[1]
    footer = [w for w in second.words if w.y0 > theme.page.height - theme.page.margin_bottom]
    title = [w for w in footer if w.text in ("رهن", "تارفلا")]  # poppler lists the letters left to right
    assert [w.text for w in sorted(title, key=lambda w: w.x0)] == ["تارفلا", "رهن"]
    assert "نهر الفرات |" in _text(pdf)


@needs_fonts
def test_the_one_pager_of_a_right_to_left_document_runs_right_to_left() -> None:
    pdf = _render(ARABIC, "onepager")
    words = pages(pdf)[0].words
    first, last = (next(w for w in words if w.text.strip(".") in (t, t[::-1])) for t in ("التخزين", "كاملة"))
    line = [w for w in words if abs(w.y1 - first.y1) < 12]
    title, river = (next(w for w in words if w.text in (t, t[::-1])) for t in ("نهر", "الفرات"))
    # A key point starts at the right (its bullet beyond it) and ends at the left.
    assert first.x1 == max(w.x1 for w in line) > 0.8 * 960 and last.x0 == min(w.x0 for w in line)
    assert title.x0 > river.x1  # "نهر الفرات": the first word on the right
    assert "نهر الفرات" in _text(pdf)


@pytest.mark.skipif(not shutil.which("fc-list"), reason="fontconfig's fc-list is not installed")
def test_devanagari_is_shaped(tmp_path: Path) -> None:
    """Conjuncts and vowel signs: क्ष is one glyph, named by its three letters,
    and the sign ि of हिन्दी is drawn before its consonant."""
    import briefexport
    from pypdf import PdfReader

    source = tmp_path / "hi.md"
    source.write_text("---\ntitle: Devanagari\n---\n\nगंगा नदी, हिन्दी भाषा और क्षेत्र।\n", encoding="utf-8")
    doc = briefexport.parse(source)
    from briefexport.fonts.coverage import document_theme

    if not any("devanagari" in f.name for f in document_theme(doc, briefexport.load_theme()).fonts.chain("body")):
        pytest.skip("no Devanagari font is installed (fonts-noto-core; .ci/run installs it)")
    pdf = briefexport.render(doc, "pdf", briefexport.load_theme(), base_dir=tmp_path)
    texts: set[str] = set()
    for page in PdfReader(io.BytesIO(pdf)).pages:
        for font in page["/Resources"]["/Font"].values():
            font = font.get_object()
            if "Devanagari" in str(font["/BaseFont"]):
                texts |= set(cmap_pairs(font["/ToUnicode"].get_object().get_data()).values())
    assert "क्ष" in texts or "क्षे" in texts  # a conjunct glyph stands for its letters
    # Unshaped, poppler would read हिन्दी letter by letter; shaped, the sign comes first.
    assert "िहन्दी" in _text(pdf)


@needs_fonts
def test_two_columns_of_a_right_to_left_document_start_on_the_right(tmp_path: Path) -> None:
    import briefexport

    filler = "\n\n".join(["نهر الفرات هو أطول نهر في غرب آسيا، ويمر عبر تركيا وسوريا والعراق."] * 30)
    source = tmp_path / "long.md"
    source.write_text(ARABIC.read_text(encoding="utf-8") + "\n" + filler + "\nآخر كلمة.\n", encoding="utf-8")
    theme = briefexport.load_theme(FIXTURES / "two-column.toml")
    pdf = briefexport.render(briefexport.parse(source), "pdf", theme, base_dir=tmp_path)
    last = pages(pdf)[-1]
    middle = theme.page.width / 2
    body = [w for w in last.words if w.y1 < theme.page.height - theme.page.margin_bottom]
    right = [w for w in body if w.x0 > middle]
    left = [w for w in body if w.x1 < middle]
    # The page's text starts at the top of the right column; the left one holds what comes after.
    assert right and min(w.y0 for w in right) <= min([w.y0 for w in left] or [1e9])
    assert not left or max(w.y1 for w in right) > theme.page.height / 2


@needs_fonts
def test_paragraphs_with_right_to_left_text_are_tagged(tmp_path: Path) -> None:
    """A shaped paragraph draws through the tagging canvas's text objects, so
    its text belongs to its structure element like any other paragraph's."""
    require_tool("pdfinfo")
    pdf = tmp_path / "names.pdf"
    pdf.write_bytes(_render(NAMES, "pdf"))
    tree = subprocess.run(["pdfinfo", "-struct-text", str(pdf)], capture_output=True, text=True, check=True).stdout
    assert "Joint Water Committee" in tree and "the Water Authority" in tree
