"""The `pdf` format: the policy brief, checked by opening the PDF it makes."""

from __future__ import annotations

import io
import os
import re
import shutil
import subprocess
import sys
import warnings
from pathlib import Path

import pytest
from pypdf import PdfReader

import briefexport
from briefexport import backends
from briefexport.errors import RenderError
from briefexport.readers.markdown import parse, parse_file
from briefexport.theme import load_theme
from briefexport.tree import Document, Heading, inline_text, plain_text
from conftest import ARTICLE, FIXTURES, require_tool

CONSTRUCTS = FIXTURES / "constructs.md"
TWO_COLUMN = FIXTURES / "two-column.toml"


def render(doc, theme=None, base_dir: Path | None = None) -> bytes:
    return briefexport.render(doc, "pdf", theme, base_dir=base_dir)


def pages_text(data: bytes) -> list[str]:
    return [page.extract_text() for page in PdfReader(io.BytesIO(data)).pages]


def words(text: str) -> set[str]:
    return set(re.findall(r"\w+", text))


def link_annotations(data: bytes) -> list[dict]:
    out = []
    for page in PdfReader(io.BytesIO(data)).pages:
        for ref in page.get("/Annots") or []:
            annot = ref.get_object()
            if annot.get("/Subtype") == "/Link":
                out.append(annot)
    return out


def uris(data: bytes) -> list[str]:
    return [str(a["/A"]["/URI"]) for a in link_annotations(data) if "/A" in a and "/URI" in a["/A"]]


def internal_links(data: bytes) -> list[tuple[int, int]]:
    """(page the link is on, page it jumps to) for each in-document link."""
    reader = PdfReader(io.BytesIO(data))
    out = []
    for index, page in enumerate(reader.pages):
        for ref in page.get("/Annots") or []:
            annot = ref.get_object()
            if annot.get("/Subtype") == "/Link" and "/Dest" in annot:
                out.append((index, reader.get_page_number(annot["/Dest"][0].get_object())))
    return out


def words_outside_frame(path: Path, theme) -> list[str]:
    """Words whose box pdftotext finds beyond the left or right margin."""
    require_tool("pdftotext")
    html = subprocess.run(["pdftotext", "-bbox", str(path), "-"], capture_output=True, text=True, check=True).stdout
    left = theme.page.margin_left - 1
    right = theme.page.width - theme.page.margin_right + 1
    outside = []
    for m in re.finditer(r'<word xMin="([\d.]+)" yMin="[\d.]+" xMax="([\d.]+)" yMax="[\d.]+">([^<]*)</word>', html):
        if float(m.group(1)) < left or float(m.group(2)) > right:
            outside.append(m.group(3))
    return outside


# ------------------------------------------------------------------ registry


def test_pdf_is_registered():
    backend = backends.get("pdf")
    assert (backend.name, backend.suffix, backend.media_type) == ("pdf", ".pdf", "application/pdf")


def test_entry_point_module_does_not_import_reportlab():
    code = "import sys, briefexport.backends.brief_pdf; print('reportlab' in sys.modules)"
    result = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert result.stdout.strip() == "False"


# ------------------------------------------------------------------ article


@pytest.fixture(scope="module")
def article_pdf(article, theme) -> bytes:
    return render(article, theme)


@pytest.fixture(scope="module")
def article_file(article_pdf, tmp_path_factory) -> Path:
    path = tmp_path_factory.mktemp("article") / "article.pdf"
    path.write_bytes(article_pdf)
    return path


def test_article_is_two_to_six_a4_pages(article_pdf):
    reader = PdfReader(io.BytesIO(article_pdf))
    assert 2 <= len(reader.pages) <= 6
    for page in reader.pages:
        assert [round(float(v)) for v in page.mediabox] == [0, 0, 595, 842]


def test_every_word_of_the_article_body_is_in_the_pdf(article, article_pdf):
    expected = words(plain_text(Document(blocks=article.blocks), notes=False))
    found = words(" ".join(pages_text(article_pdf)))
    assert len(expected) > 500
    assert expected - found == set()


def test_first_page_has_band_authors_takeaways_and_image_credit(article, article_pdf):
    first = " ".join(pages_text(article_pdf)[0].split())
    meta = article.meta
    assert "POLICY BRIEF" in first
    for text in (meta.title, *(a.name for a in meta.authors), meta.image.caption, meta.image.credit, "KEY TAKEAWAYS"):
        assert " ".join(text.split()) in first, text
    for point in meta.key_points:
        assert point in first


def test_metadata(article, article_pdf):
    reader = PdfReader(io.BytesIO(article_pdf))
    info = reader.metadata
    assert info.title == article.meta.title
    assert info.author == "Huynh Tam Sang, Pham Do An"
    assert info.subject == article.meta.subtitle
    assert "Belt and Road Initiative" in info["/Keywords"]
    assert info.creator == f"briefexport {briefexport.__version__}"
    root = reader.trailer["/Root"]
    assert root["/Lang"] == "en"
    assert root["/ViewerPreferences"]["/DisplayDocTitle"]


def test_outline_has_each_section_on_its_page(article, article_pdf):
    reader = PdfReader(io.BytesIO(article_pdf))
    texts = pages_text(article_pdf)
    headings = [inline_text(b.children) for b in article.blocks if isinstance(b, Heading)]
    entries = [e for e in reader.outline if not isinstance(e, list)]
    titles = [e.title for e in entries]
    assert len(headings) >= 3
    assert titles[: len(headings)] == headings
    assert "About the authors" in titles
    for entry in entries:
        page = reader.get_destination_page_number(entry)
        assert " ".join(entry.title.split()).upper() in " ".join(texts[page].split()).upper(), entry.title


def test_headings_are_followed_by_text_on_their_page(article, article_pdf):
    texts = [" ".join(t.split()) for t in pages_text(article_pdf)]
    for block in article.blocks:
        if isinstance(block, Heading):
            title = inline_text(block.children)
            page = next(t for t in texts if title in t)
            after = re.sub(r"Page \d+ of \d+", "", page.split(title, 1)[1])
            assert len(after.strip()) > 80, f"{title!r} is left alone at the foot of a page"


def test_every_page_says_page_n_of_total(article_pdf):
    texts = [" ".join(t.split()) for t in pages_text(article_pdf)]
    for number, text in enumerate(texts, start=1):
        assert f"Page {number} of {len(texts)}" in text
    # Later pages carry the running title.
    assert all("Policy Brief" in t for t in texts[1:])


def test_fonts_are_embedded_subsets_with_real_bold_and_italic(article_file):
    pdffonts = require_tool("pdffonts")
    out = subprocess.run([pdffonts, str(article_file)], capture_output=True, text=True, check=True).stdout
    rows = [line.split() for line in out.splitlines()[2:] if line.strip()]
    assert rows
    for row in rows:
        assert re.match(r"[A-Z]{6}\+", row[0]), row
        assert row[-5:-2] == ["yes", "yes", "yes"], row  # emb, sub, uni
    names = " ".join(row[0] for row in rows)
    assert "SourceSerifPro-It" in names and "Semibold" in names


def test_qpdf_check_passes(article_file):
    qpdf = require_tool("qpdf")
    result = subprocess.run([qpdf, "--check", str(article_file)], capture_output=True, text=True)
    assert result.returncode == 0, result.stdout + result.stderr


def test_two_renders_are_byte_identical(article, theme, article_pdf):
    assert render(article, theme) == article_pdf


def test_source_date_epoch_sets_the_creation_date(article, theme, monkeypatch):
    monkeypatch.setenv("SOURCE_DATE_EPOCH", "1700000000")
    info = PdfReader(io.BytesIO(render(article, theme))).metadata
    assert info["/CreationDate"].startswith("D:20231114")


def test_no_text_leaves_the_frame(article_file, theme):
    assert words_outside_frame(article_file, theme) == []


# -------------------------------------------------------- every construct


@pytest.fixture(scope="module")
def constructs_dir(tmp_path_factory) -> Path:
    folder = tmp_path_factory.mktemp("constructs")
    shutil.copy(CONSTRUCTS, folder / "constructs.md")
    shutil.copy(FIXTURES / "lalune.jpg", folder / "lalune.jpg")
    return folder


@pytest.fixture(scope="module")
def constructs_pdf(constructs_dir, theme) -> bytes:
    return render(parse_file(constructs_dir / "constructs.md"), theme)


@pytest.fixture(scope="module")
def constructs_text(constructs_pdf) -> str:
    return "\n".join(pages_text(constructs_pdf))


def test_nested_and_numbered_lists(constructs_text):
    for text in ("level one bullet", "level two bullet", "level three bullet", "level four bullet"):
        assert text in constructs_text
    assert re.search(r"7\.\s*seventh item", constructs_text)
    assert re.search(r"8\.\s*eighth item", constructs_text)
    # A list inside a list counts in letters (the theme's `layout.number-formats`), as in the DOCX.
    assert re.search(r"a\.\s*nested first", constructs_text)
    assert re.search(r"b\.\s*nested second", constructs_text)


def test_long_table_repeats_its_header_on_each_page(constructs_pdf):
    texts = pages_text(constructs_pdf)
    with_rows = [t for t in texts if re.search(r"Row \d\d", t)]
    assert len(with_rows) >= 2
    for text in with_rows:
        assert re.search(r"Name\s+Description\s+Amount", text)
    joined = "\n".join(texts)
    for i in range(1, 71):
        assert f"Row {i:02d}" in joined


def test_footnotes_become_linked_notes(constructs_pdf, constructs_text):
    assert "NOTES" in constructs_text
    assert re.search(r"1\.\s*The first note", constructs_text)
    assert re.search(r"2\.\s*The second note", constructs_text)
    texts = pages_text(constructs_pdf)
    marker_page = next(i for i, t in enumerate(texts) if "A sentence with a footnote" in t)
    notes_page = next(i for i, t in enumerate(texts) if "The first note" in t)
    lists_page = next(i for i, t in enumerate(texts) if "level one bullet" in t)
    links_page = next(i for i, t in enumerate(texts) if "Links:" in t)
    assert marker_page != notes_page
    jumps = internal_links(constructs_pdf)
    assert jumps.count((marker_page, notes_page)) == 2  # markers -> notes
    assert jumps.count((notes_page, marker_page)) == 2  # notes -> back to the text
    assert (links_page, lists_page) in jumps  # [inside](#lists)


def test_only_safe_link_schemes_are_clickable(constructs_pdf, constructs_text):
    found = uris(constructs_pdf)
    assert "https://example.org/web" in found
    assert "mailto:someone@example.org" in found
    assert "https://example.org/note" in found
    assert not [u for u in found if not u.startswith(("http:", "https:", "mailto:"))]
    for word in ("script", "file", "data"):
        assert word in constructs_text


def test_markup_like_text_is_literal(constructs_text):
    flat = " ".join(constructs_text.split())
    assert "<font size=72>big</font>" in flat
    assert "AT&T" in flat and "a<b c" in flat and "& literal" in flat
    assert "Controlcharactersvanish." in flat
    assert "\x07" not in constructs_text and "\x0b" not in constructs_text


def test_code_keeps_long_lines_inside_the_frame(constructs_dir, constructs_pdf, constructs_text, theme):
    digits = "".join(f"{i % 10}" for i in range(290))
    assert digits in re.sub(r"\s+", "", constructs_text)
    assert "TAIL-OF-CODE" in constructs_text
    path = constructs_dir / "out.pdf"
    path.write_bytes(constructs_pdf)
    assert words_outside_frame(path, theme) == []


def test_images_are_embedded_keeping_their_aspect_ratio(constructs_pdf, constructs_text):
    images = [img for page in PdfReader(io.BytesIO(constructs_pdf)).pages for img in page.images]
    assert len(images) == 2  # the lead image and the figure
    assert all(img.image.size == (250, 250) for img in images)
    assert "FIGURE 1" in constructs_text and "The moon over a test" in constructs_text
    assert "The moon, as a lead image (Test credit)" in " ".join(constructs_text.split())


def test_boxes_quotes_and_definitions(constructs_text):
    flat = " ".join(constructs_text.split())
    for text in ("A quoted line worth pulling out.", "Ada Tester", "NOTE", "A note box with bold text.",
                 "A block quote, indented.", "And a nested one.", "Term", "Its definition.", "The final paragraph.",
                 "TEST SERIES", "5 MARCH 2024", "ABOUT THE AUTHORS", "Ada Tester writes fixtures."):
        assert text in flat, text


def test_constructs_metadata_language(constructs_pdf):
    assert PdfReader(io.BytesIO(constructs_pdf)).trailer["/Root"]["/Lang"] == "en-GB"


# ----------------------------------------------------------------- errors


def _doc_with(tmp_path: Path, body: str):
    source = tmp_path / "brief.md"
    source.write_text(f"---\ntitle: Errors\n---\n\nIntro.\n\n{body}\n", encoding="utf-8")
    return parse_file(source)


def test_missing_image_names_file_and_line(tmp_path):
    doc = _doc_with(tmp_path, "![gone](missing.png)")
    with pytest.raises(RenderError) as info:
        render(doc)
    assert str(info.value).startswith(f"{tmp_path / 'brief.md'}:7:")
    assert "missing.png" in str(info.value)


def test_image_outside_the_source_folder_is_refused(tmp_path):
    inner = tmp_path / "a" / "b"
    inner.mkdir(parents=True)
    shutil.copy(FIXTURES / "lalune.jpg", tmp_path / "x.jpg")
    doc = _doc_with(inner, "![escape](../../x.jpg)")
    with pytest.raises(RenderError, match="outside the source's folder"):
        render(doc)


def test_unreadable_image_is_a_one_line_error(tmp_path):
    (tmp_path / "bad.png").write_text("not an image", encoding="utf-8")
    doc = _doc_with(tmp_path, "![bad](bad.png)")
    with pytest.raises(RenderError) as info:
        render(doc)
    message = str(info.value)
    assert message.startswith(f"{tmp_path / 'brief.md'}:7: image 'bad.png'")
    assert "\n" not in message


# ----------------------------------------------------------------- themes


def test_two_column_theme_sets_justified_hyphenated_columns(article, tmp_path):
    theme = load_theme(TWO_COLUMN)
    assert theme.page.columns == 2
    data = render(article, theme)
    path = tmp_path / "two.pdf"
    path.write_bytes(data)
    require_tool("pdftotext")
    html = subprocess.run(["pdftotext", "-f", "2", "-l", "2", "-bbox", str(path), "-"],
                          capture_output=True, text=True, check=True).stdout
    starts = [float(x) for x in re.findall(r'<word xMin="([\d.]+)"', html)]
    column = (theme.page.frame_width - theme.page.gutter) / 2
    second = theme.page.margin_left + column + theme.page.gutter
    assert sum(abs(x - theme.page.margin_left) < 1 for x in starts) > 20
    assert sum(abs(x - second) < 1 for x in starts) > 20
    assert words_outside_frame(path, theme) == []
    source_words = words(plain_text(article, notes=False))
    # A hyphen the line breaking added is drawn as a soft hyphen (U+00AD), so
    # that a tagged reading joins the word again (see test_tagged_pdf).
    broken = re.findall(r"(\w+)\u00ad\n(\w+)", "\n".join(pages_text(data)))
    assert any(a + b in source_words and f"{a}-{b}" not in plain_text(article) for a, b in broken)


# ----------------------------------------------------------------- corpus


def test_every_commonmark_example_renders(commonmark_examples, corpus, theme):
    refused = 0
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        for example in commonmark_examples:
            doc = parse(example["markdown"], source=f"example-{example['example']}.md")
            try:
                data = render(doc, theme, base_dir=corpus)
            except RenderError as exc:
                # Only images may be refused (remote URLs, files that are not there).
                assert "image" in str(exc), (example["example"], str(exc))
                refused += 1
                continue
            assert data.startswith(b"%PDF-"), example["example"]
    assert refused < len(commonmark_examples) / 10


@pytest.mark.parametrize("name", ["pandoc-testsuite.md", "pandoc-manual.md", "pandoc-pipe-tables.md"])
def test_pandoc_documents_render(name, corpus, theme):
    doc = parse_file(corpus / name)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        data = render(doc, theme)
    reader = PdfReader(io.BytesIO(data))
    assert len(reader.pages) >= 2
    text = " ".join(reader.pages[-1].extract_text().split())
    assert f"Page {len(reader.pages)} of {len(reader.pages)}" in text


def test_article_file_name_from_the_cli(tmp_path):
    out = tmp_path / "build"
    result = subprocess.run([sys.executable, "-m", "briefexport", "render", str(ARTICLE), "--output-dir", str(out),
                             "--format", "pdf"], capture_output=True, text=True)
    assert result.returncode == 0, result.stderr
    assert (out / "belarus-burgeoning-ties-with-russia-and-china.pdf").read_bytes().startswith(b"%PDF-")


def test_table_and_figure_captions_are_numbered(tmp_path, theme):
    from briefexport.tree import Figure, Meta, Para, Table, TableCell, Text

    shutil.copy(FIXTURES / "lalune.jpg", tmp_path / "moon.jpg")
    cell = lambda text: TableCell((Text(text),))  # noqa: E731
    doc = Document(
        meta=Meta(title="Captions"),
        blocks=(
            Para((Text("Intro."),)),
            Table(head=(cell("A"), cell("B")), rows=((cell("1"), cell("2")),), aligns=("left", "right"),
                  caption=(Text("Quarterly figures"),)),
            Figure(src="moon.jpg", alt="moon", caption=(Text("The moon"),)),
            Figure(src="moon.jpg", alt="again"),
        ),
        source=str(tmp_path / "captions.md"),
    )
    text = " ".join(" ".join(pages_text(render(doc, theme, base_dir=tmp_path))).split())
    assert "TABLE 1 Quarterly figures" in text
    assert "FIGURE 1 The moon" in text
    assert "FIGURE 2" not in text  # a figure without caption gets no label


def _link_targets(reader: PdfReader) -> list[int]:
    """The page index each internal link annotation jumps to."""
    pages = {p.indirect_reference.idnum: i for i, p in enumerate(reader.pages)}
    named = {k: v for k, v in reader.named_destinations.items()}
    found = []
    for page in reader.pages:
        for ref in page.get("/Annots") or []:
            annot = ref.get_object()
            dest = annot.get("/Dest")
            if dest is None:
                continue
            if isinstance(dest, str) or not hasattr(dest, "__getitem__") or isinstance(dest, bytes):
                found.append(pages[named[str(dest)].page.idnum])
            else:
                found.append(pages[dest[0].idnum])
    return found


def test_links_to_non_ascii_headings_land_on_them_and_reserved_names_stay_the_briefs() -> None:
    filler = "\n\n".join(f"Paragraph {i} " + "with words to fill the page " * 12 for i in range(40))
    doc = parse(f"---\ntitle: Links\n---\nSee [summer](#été) and [a trap](#bx-note-1).[^n]\n\n{filler}\n\n"
                "## Été\n\nText.\n\n[^n]: The note, on the last page.\n", source="links.md")
    reader = PdfReader(io.BytesIO(briefexport.render(doc, "pdf", load_theme())))
    heading_page = max(i for i, p in enumerate(reader.pages) if "Été" in p.extract_text())
    targets = _link_targets(reader)
    assert heading_page > 0 and targets[0] == heading_page
    # `#bx-note-1` names no heading of the source: it must not reach the brief's own
    # anchor for note 1 (on the last page) but fall back to the top like any dangling link.
    assert targets[1] == 0
    assert len(reader.pages) - 1 in targets[2:]  # the real note marker does reach the notes


def test_a_theme_that_renames_files_of_a_family_gets_its_own_fonts_in_one_process(tmp_path: Path) -> None:
    dejavu = Path("/usr/share/fonts/truetype/dejavu/DejaVuSerif.ttf")
    if not dejavu.is_file():
        pytest.skip("fonts-dejavu-core is not installed (LibreOffice brings it; .ci/run installs that)")
    theme_file = tmp_path / "t.toml"
    theme_file.write_text(f'extends = "default"\n[fonts.families.source-serif]\nregular = "{dejavu}"\n', encoding="utf-8")
    doc = parse("---\ntitle: T\n---\nBody text.\n", source="t.md")

    def fonts(pdf: bytes) -> set[str]:
        reader = PdfReader(io.BytesIO(pdf))
        return {str(f.get_object()["/BaseFont"]).split("+")[-1]
                for page in reader.pages for f in page["/Resources"]["/Font"].values()}

    assert "SourceSerifPro-Regular" in fonts(briefexport.render(doc, "pdf", load_theme()))
    other = fonts(briefexport.render(doc, "pdf", load_theme(theme_file)))
    assert "DejaVuSerif" in other and "SourceSerifPro-Regular" not in other


def test_running_footer_title_uses_font_fallback_and_drops_controls(tmp_path: Path) -> None:
    filler = "\n\n".join("A paragraph " + "of filler words " * 20 for _ in range(40))
    doc = parse(f"---\ntitle: \"Tab\\there Ωmega title\"\n---\n{filler}\n", source="f.md")
    reader = PdfReader(io.BytesIO(briefexport.render(doc, "pdf", load_theme())))
    assert len(reader.pages) >= 2
    footer = reader.pages[1].extract_text()
    assert "Tab here Ωmega title" in footer and "\t" not in footer


def test_layouts_that_once_looped_forever_now_finish() -> None:
    # Found by tests/test_properties.py: a heading in a block quote sent
    # reportlab's keep-with-next round in circles. Run apart, with a time limit.
    code = (
        "import sys, briefexport; from briefexport.tree import from_json; "
        "doc = from_json(open(sys.argv[1], encoding='utf-8').read()); "
        "print(len(briefexport.render(doc, 'pdf', base_dir='.')))"
    )
    for case in sorted((FIXTURES / "regressions").glob("*.json")):
        result = subprocess.run([sys.executable, "-c", code, str(case)], capture_output=True, text=True, timeout=120)
        assert result.returncode == 0, result.stderr[-2000:]
        assert int(result.stdout) > 1000


def test_style_italic_and_capitals_keep_every_glyph() -> None:
    # The block quote style is italic and H3 is set in capitals: the fallback
    # must look in the faces that really draw ('ơ' upright, 'Π' not in italic).
    doc = parse("---\ntitle: T\n---\n> Aơ Nguyễn Phú\n\n## Top\n\n### Mid\n\n#### *Aπ straße*\n\nText.\n", source="g.md")
    text = PdfReader(io.BytesIO(briefexport.render(doc, "pdf", load_theme()))).pages[0].extract_text()
    assert "Aơ Nguyễn Phú" in text
    assert "AΠ STRASSE" in text


def test_only_the_faces_drawn_are_read_and_no_instance_is_cut_without_code(tmp_path: Path) -> None:
    # Fonts are registered by name and read when first drawn; the mono faces,
    # instances of a variable font, are cut only for a document with code.
    code = (
        "import sys, briefexport\n"
        "from reportlab.pdfbase import pdfmetrics\n"
        f"data = briefexport.render(briefexport.parse({str(ARTICLE)!r}), 'pdf')\n"
        "open(sys.argv[1], 'wb').write(data)\n"
        "print(' '.join(sorted({f.face.name.decode() for f in set(pdfmetrics._fonts.values())"
        " if 'face' in f.__dict__})))\n"
    )
    env = {**os.environ, "XDG_CACHE_HOME": str(tmp_path / "cache"), "BRIEFEXPORT_SYSTEM_FONTS": "off"}
    out = tmp_path / "a.pdf"
    read = subprocess.run([sys.executable, "-c", code, str(out)], capture_output=True, text=True, check=True,
                          env=env).stdout.split()
    embedded = set()
    for page in PdfReader(out).pages:
        for font in page["/Resources"]["/Font"].values():
            embedded.add(str(font.get_object()["/BaseFont"]).split("+", 1)[-1])
    assert set(read) == embedded
    assert not list((tmp_path / "cache").rglob("*.ttf"))  # the article has no code
