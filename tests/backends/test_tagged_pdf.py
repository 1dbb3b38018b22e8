"""The tagged PDFs (brief and one-pager), read by tools that are not ours.

poppler's `pdfinfo -struct-text` gives the structure a screen reader
follows; a pikepdf walk over every content stream (tagged_checks) proves
that nothing painted escapes the tags; pdfua and outloud, two PDF/UA
checkers from PyPI, judge the files on their own rules.
"""

from __future__ import annotations

import io
import json
import re
import shutil
import subprocess
import sys
import warnings
from pathlib import Path

import pikepdf
import pytest
from hypothesis import given

import briefexport
from briefexport.backends.brief_pdf.build import render_brief
from briefexport.backends.onepager.pdf import draw as draw_slide
from briefexport.backends.onepager.plan import plan
from briefexport.errors import BriefExportWarning
from briefexport.readers.markdown import parse, parse_file
from briefexport.theme import load_theme
from briefexport.tree import Heading, inline_text, plain_text
from conftest import ARTICLE, FIXTURES, require_tool
from test_properties import SETTINGS, _visible_words, documents
from tagged_checks import elements, recall, spoken, struct_text, struct_tree, structural_problems, words

TWO_COLUMN = FIXTURES / "two-column.toml"


def _pdf(doc, theme=None, base_dir: Path | None = None) -> bytes:
    return briefexport.render(doc, "pdf", theme, base_dir=base_dir)


def _write(tmp: Path, name: str, data: bytes) -> Path:
    path = tmp / name
    path.write_bytes(data)
    return path


@pytest.fixture(scope="module")
def out(tmp_path_factory) -> Path:
    return tmp_path_factory.mktemp("tagged")


@pytest.fixture(scope="module")
def constructs(tmp_path_factory, corpus):
    folder = tmp_path_factory.mktemp("constructs")
    shutil.copy(FIXTURES / "constructs.md", folder / "constructs.md")
    shutil.copy(corpus / "lalune.jpg", folder / "lalune.jpg")
    return parse_file(folder / "constructs.md")


@pytest.fixture(scope="module")
def files(article, constructs, out) -> dict[str, Path]:
    """Every PDF the checks below read: the article, the fixtures, one-pagers."""
    two = load_theme(TWO_COLUMN)
    docs = {
        "article": (article, None), "constructs": (constructs, None), "constructs-two-column": (constructs, two),
        "docx-features": (parse_file(FIXTURES / "docx-features.md"), None),
        "scripts": (parse_file(FIXTURES / "glyphs" / "scripts.md"), None),
    }
    made = {name: _write(out, f"{name}.pdf", _pdf(doc, theme)) for name, (doc, theme) in docs.items()}
    for name in ("long-title", "many-points", "no-points"):
        docs[name] = (parse_file(FIXTURES / "onepager" / f"{name}.md"), None)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", BriefExportWarning)  # what the slide leaves out
        for name in ("article", "constructs", "scripts", "long-title", "many-points", "no-points"):
            made[f"{name}-onepager"] = _write(out, f"{name}-onepager.pdf",
                                              briefexport.render(docs[name][0], "onepager", None))
        # The archival files are reportlab's, rewritten by pikepdf: the tags must survive that.
        archival = load_theme().with_pdf_standard("a-2a")
        made["constructs-a-2a"] = _write(out, "constructs-a-2a.pdf", _pdf(constructs, archival))
        made["article-a-2a-onepager"] = _write(out, "article-a-2a-onepager.pdf",
                                               briefexport.render(article, "onepager", archival))
    return made


def _expected_words(doc) -> str:
    """Every word the reader of the brief should hear: front matter, body, notes."""
    meta = doc.meta
    parts = [meta.title, meta.subtitle, *meta.key_points, plain_text(doc)]
    for author in meta.authors:
        parts += [author.name, author.affiliation, author.bio]
    if meta.image is not None:
        parts += [meta.image.caption, meta.image.credit]
    return " ".join(parts)


# ------------------------------------------------------------ poppler's view


def test_pdfinfo_shows_the_structure_tree(files):
    require_tool("pdfinfo")
    text = struct_text(files["constructs"])
    assert text.startswith("Document\n")
    for element in ("H1", "P", "L", "LI", "Lbl", "LBody", "Table", "THead", "TBody", "TR", "TH", "TD",
                    "Figure", "Caption", "BlockQuote", "Code", "Link", "Reference", "Note", "Sect"):
        assert re.search(rf"^\s*{element}\b", text, re.M), element
    assert "/Scope /Column" in text


def test_the_structure_text_holds_the_article_s_words(article, files):
    require_tool("pdfinfo")
    expected = words(_expected_words(article))
    found = words(spoken(struct_tree(files["article"])))
    assert recall(expected, found) >= 0.995


def test_line_ends_keep_word_boundaries_and_hyphenated_words_read_whole(out):
    """reportlab writes no space where it breaks a line, nor knows its added hyphens."""
    require_tool("pdfinfo")
    long_words = ("internationalization extraordinarily counterrevolutionaries characterization "
                  "responsibilities interdisciplinary Belarus-Russia establishment")
    body = " ".join(long_words.split() * 40)
    doc = parse(f"---\ntitle: Hyphens\n---\n\n{body}\n\nAnd *{body}*\n", source="hy.md")
    path = _write(out, "hyphens.pdf", _pdf(doc, load_theme(TWO_COLUMN)))
    drawn = subprocess.run(["pdftotext", str(path), "-"], capture_output=True, text=True, check=True).stdout
    assert drawn.count("\u00ad\n") > 20  # many lines do end in an added hyphen
    tagged = spoken(struct_tree(path))
    assert words(tagged) >= words(plain_text(doc)), "a word broken at a line end or glued to the next"
    assert tagged.count("Belarus-Russia") == 80  # a hyphen of the word itself stays a hyphen


def test_headings_are_h_elements_in_order(article, files):
    require_tool("pdfinfo")
    tree = struct_tree(files["article"])
    headings = [" ".join(spoken(n).split()) for n in tree.all() if re.fullmatch(r"H[1-6]?", n.type)]
    wanted = [article.meta.title] + [inline_text(b.children) for b in article.blocks if isinstance(b, Heading)]
    wanted += ["NOTES"] if "[^" in ARTICLE.read_text(encoding="utf-8") else []
    assert headings[: len(wanted)] == [" ".join(w.split()) for w in wanted]
    pdf = pikepdf.open(files["article"])
    assert pdf.Root.StructTreeRoot.RoleMap.Title == "/H1"


def test_page_furniture_is_not_in_the_structure(article, files):
    require_tool("pdfinfo")
    for name in ("article", "constructs", "docx-features"):
        text = struct_text(files[name])
        assert not re.search(r"Page \d+ of", text), name
        assert "  |  " not in text, name  # the running footer: "series  |  title"


def test_a_split_paragraph_is_one_element_with_a_part_per_page(article, files):
    pdf = pikepdf.open(files["article"])
    spanning = [e for e in elements(pdf) if e.S == "/P" and isinstance(e.K, pikepdf.Array)
                and any(isinstance(k, pikepdf.Dictionary) and k.get("/Type") == "/MCR" and k.Pg.objgen != e.Pg.objgen
                        for k in e.K)]
    assert spanning, "no paragraph of the article crosses a page: the test proves nothing"
    require_tool("pdfinfo")
    paragraphs = [" ".join(spoken(n).split()) for n in struct_tree(files["article"]).all() if n.type == "P"]
    for block in article.blocks[1:]:
        if type(block).__name__ == "Para":
            text = " ".join(plain_text(block, notes=False).split())
            # Note markers are digits in the text: compare words without them.
            assert any(words(text) <= words(p) <= words(text) + words(" ".join(map(str, range(1, 40))))
                       for p in paragraphs), text[:60]


def test_table_header_is_read_once_and_repeated_as_an_artifact(files):
    require_tool("pdfinfo")
    tree = struct_tree(files["constructs"])
    table = next(n for n in tree.all() if n.type == "Table")
    assert [spoken(n).strip() for n in table.all() if n.type == "TH"] == ["Name", "Description", "Amount"]
    assert sum(1 for n in table.all() if n.type == "TR") == 71
    drawn = subprocess.run(["pdftotext", str(files["constructs"]), "-"], capture_output=True, text=True).stdout
    assert drawn.count("Description") >= 2  # the header is drawn again on the next page


def test_figures_lists_links_and_languages(constructs, out):
    pdf = pikepdf.open(io.BytesIO(_pdf(constructs)))
    by_type: dict[str, list] = {}
    for e in elements(pdf):
        by_type.setdefault(str(e.S)[1:], []).append(e)
    assert [str(f.Alt) for f in by_type["Figure"]] == ["The moon, as a lead image", "The moon over a test"]
    assert all(len(li.K) == 2 and li.K[0].S == "/Lbl" and li.K[1].S == "/LBody" for li in by_type["LI"])
    assert by_type["Aside"] and pdf.Root.StructTreeRoot.RoleMap.Aside == "/Sect"
    require_tool("pdfinfo")
    code = next(spoken(n) for n in struct_tree(_write(out, "code.pdf", _pdf(constructs))).all() if n.type == "Code")
    assert "789' def tail(): return" in " ".join(code.split())  # one code line does not run into the next
    assert all(r.K.S == "/Link" for r in by_type["Reference"])
    doc = parse("---\ntitle: T\nlang: en-GB\n---\nThe leader [Nguyễn Phú Trọng]{lang=vi} met "
                "[der Kanzler]{lang=de} and [someone]{lang=\"not a tag\"}.\n", source="lang.md")
    with pikepdf.open(io.BytesIO(_pdf(doc))) as spanned:
        langs = [str(e.Lang) for e in elements(spanned) if e.S == "/Span"]
    assert langs == ["vi", "de"]


# --------------------------------------------------------- pikepdf's view


def test_every_painted_operator_is_tagged_or_an_artifact(files):
    for name, path in files.items():
        assert structural_problems(path.read_bytes()) == [], name


def test_an_image_without_alt_text_is_decoration_and_warned_about(tmp_path):
    shutil.copy(FIXTURES / "chart.png", tmp_path / "chart.png")
    source = tmp_path / "alt.md"
    source.write_text("---\ntitle: Alt\n---\n\nText.\n\n![](chart.png)\n\n![A chart](chart.png)\n", encoding="utf-8")
    data = _pdf(parse_file(source), base_dir=tmp_path)
    pdf = pikepdf.open(io.BytesIO(data))
    assert [str(e.Alt) for e in elements(pdf) if e.S == "/Figure"] == ["A chart"]
    drawn = sum(str(op) == "Do" for _, op in pikepdf.parse_content_stream(pdf.pages[0]))
    assert drawn >= 2 and structural_problems(data) == []  # both drawn; the first inside an Artifact
    cli = [sys.executable, "-m", "briefexport", "render", str(source)]
    run = subprocess.run([*cli, "--output-dir", str(tmp_path / "a")], capture_output=True, text=True)
    assert run.returncode == 0 and "alt.md:7: a11y-no-alt" in run.stderr
    run = subprocess.run([*cli, "--strict", "--output-dir", str(tmp_path / "b")], capture_output=True, text=True)
    assert run.returncode == 1 and "a11y-no-alt" in run.stderr and not (tmp_path / "b").exists()


def test_qpdf_finds_nothing_wrong(files):
    qpdf = require_tool("qpdf")
    for name, path in files.items():
        run = subprocess.run([qpdf, "--check", str(path)], capture_output=True, text=True)
        assert run.returncode == 0, (name, run.stdout[-500:])


# ------------------------------------------------- third-party checkers


def _tool(name: str) -> str:
    path = shutil.which(name) or str(Path(sys.executable).with_name(name))
    if not Path(path).exists():
        pytest.skip(f"{name} is not installed (pip install -e '.[test]' installs it)")
    return path


def test_pdfua_finds_nothing(files):
    pdfua = _tool("pdfua")
    for name, path in files.items():
        report = json.loads(subprocess.run([pdfua, "check", "--format", "json", str(path)],
                                           capture_output=True, text=True).stdout)
        found = [(f["rule_id"], f["message"]) for f in report["findings"]]
        assert found == [] and not report["skipped"], (name, found, report["skipped"])


def test_outloud_finds_no_error(files):
    outloud = _tool("outloud")
    paths = list(files.values())
    run = subprocess.run([outloud, "--json", "-", *map(str, paths)], capture_output=True, text=True)
    results = {Path(r["path"]).stem: r for r in json.loads(run.stdout)["results"]}
    for name, result in results.items():
        assert result["error"] is None, (name, result["error"])
        errors = [f for f in result["findings"] if f["severity"] == "error"]
        # TAG-002 guesses "prose in an artifact" from lowercase words; the running
        # footer ("series  |  a title with lowercase words  Page n of N") is one,
        # on purpose: check that this is all it found.
        errors = [f for f in errors if not (f["rule"] == "TAG-002" and _is_running_footer(f.get("evidence", "")))]
        assert errors == [], (name, errors)


def _is_running_footer(evidence: str) -> bool:
    return all(re.search(r"\|.*Page \d+ of \d+$", line) for line in evidence.split("; ") if line)


# ---------------------------------------------------- same pages, same bytes


def _renders(data: bytes, folder: Path, prefix: str) -> list[bytes]:
    path = _write(folder, f"{prefix}.pdf", data)
    subprocess.run(["pdftoppm", "-r", "50", "-png", str(path), str(folder / prefix)], check=True)
    return [p.read_bytes() for p in sorted(folder.glob(f"{prefix}-*.png"))]


def test_tagging_changes_no_pixel_and_no_word_position(article, constructs, tmp_path):
    require_tool("pdftoppm")
    theme = load_theme()
    for name, doc in (("article", article), ("constructs", constructs)):
        base = Path(doc.source).parent
        tagged = render_brief(doc, theme, base_dir=base)
        untagged = render_brief(doc, theme, base_dir=base, tagged=False)
        assert tagged != untagged
        assert _renders(tagged, tmp_path, f"{name}-t") == _renders(untagged, tmp_path, f"{name}-u"), name
        boxes = []
        for data, prefix in ((tagged, "t"), (untagged, "u")):
            path = _write(tmp_path, f"{name}-{prefix}-bbox.pdf", data)
            html = subprocess.run(["pdftotext", "-bbox", str(path), "-"], capture_output=True, text=True).stdout
            boxes.append(re.findall(r"<word [^>]*>[^<]*</word>", html.replace("\u00ad", "-")))
        assert boxes[0] == boxes[1], name
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", BriefExportWarning)
        slide = plan(article, theme)
    assert _renders(draw_slide(slide, article, theme), tmp_path, "slide-t") == \
        _renders(draw_slide(slide, article, theme, tagged=False), tmp_path, "slide-u")


def test_tagged_outputs_are_byte_identical_on_re_render(article, constructs):
    for doc in (article, constructs):
        assert _pdf(doc) == _pdf(doc)
        assert briefexport.render(doc, "onepager", None) == briefexport.render(doc, "onepager", None)


# ------------------------------------------------------- any document at all


@SETTINGS
@given(doc=documents)
def test_any_document_is_fully_tagged_and_its_words_are_in_the_tree(out, doc) -> None:
    data = _pdf(doc, base_dir=Path("."))
    assert structural_problems(data) == []
    if shutil.which("pdfinfo"):
        path = _write(out, "any.pdf", data)
        # Without spaces, as the property test of the PDF itself: a word longer than a
        # narrow table cell is split over two lines there.
        spoken_text = "".join(spoken(struct_tree(path)).casefold().split())
        assert {w for w in _visible_words(doc) if w not in spoken_text} == set()
