"""`--pdf-standard a-2b|a-2a`: archival PDF/A-2 from both PDF formats.

What the file must be is checked by readers that are not ours: pikepdf's
PDF/A-2b validator (an allowlist: it approves only what it recognises), qpdf,
poppler's `pdffonts` and `pdftoppm`, and the XMP packet parsed back.  The
validator cannot know two things, and says so on every PDF/A+UA file: the
extension schema that declares `pdfuaid` (it admits no extension schema) and,
for a-2a, conformance level A (it checks level B only).  The tests expect
exactly those findings and no other.
"""

from __future__ import annotations

import io
import os
import shutil
import subprocess
import sys
import warnings
import xml.etree.ElementTree as ET
from pathlib import Path

import pikepdf
import pytest
from click.testing import CliRunner
from pypdf import PdfReader
from reportlab.pdfgen.canvas import Canvas

import briefexport
from briefexport import cli
from briefexport.backends._reportlab import metadata, pdfa
from briefexport.common.stamps import FIXED_DATE
from briefexport.errors import BriefExportWarning
from briefexport.theme import PDF_STANDARDS, load_theme
from briefexport.tree import Meta
from conftest import ARTICLE, CORPUS, FIXTURES, ROOT, require_tool
from test_pdf_metadata import PDFAID, PDFUAID, RDF, _canvas_pdf, is_tagged, xmp_bytes, xmp_fields

STANDARDS = ("a-2b", "a-2a")
PDF_FORMATS = ("pdf", "onepager")
EXTENSION = "{http://www.aiim.org/pdfa/ns/extension/}"
SCHEMA = "{http://www.aiim.org/pdfa/ns/schema#}"
PROPERTY = "{http://www.aiim.org/pdfa/ns/property#}"
# What pikepdf's validator says about the declaration of pdfuaid, on every file.
EXTENSION_FINDINGS = {
    ("ISO_19005_2:6.6.2.3.1-1", "XMP namespace pdfaExtension=http://www.aiim.org/pdfa/ns/extension/ is not permitted"),
    ("ISO_19005_2:6.6.2.3.1-1", "XMP namespace pdfaSchema=http://www.aiim.org/pdfa/ns/schema# is not permitted"),
    ("ISO_19005_2:6.6.2.3.1-1", "XMP namespace pdfaProperty=http://www.aiim.org/pdfa/ns/property# is not permitted"),
    ("ISO_19005_2:6.6.2.3.1-1", "XMP property pdfuaid:part is not permitted"),
    ("ISO_19005_2:6.6.2.3.1-1", "XMP property pdfaExtension:schemas is not permitted"),
}
LEVEL_A_FINDING = ("ISO_19005_2:6.6.4-3", "pdfaid:conformance is 'A', expected 'B'")


def expected_findings(standard: str, tagged: bool) -> set[tuple[str, str]]:
    """What the validator cannot know: only a tagged file declares pdfuaid and level A."""
    if not tagged:
        return set()
    return EXTENSION_FINDINGS | ({LEVEL_A_FINDING} if standard == "a-2a" else set())


def level(standard: str, data: bytes) -> str:
    """The PDF/A level a file rendered for `standard` must declare."""
    return "2A" if standard == "a-2a" and is_tagged(data) else "2B"


UNTAGGED_A = "PDF/A-2a needs a tagged PDF and this one has no structure tree: it is declared PDF/A-2b"


@pytest.fixture(scope="module")
def constructs(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """constructs.md beside its images (one comes from the shared corpus)."""
    if not (CORPUS / "lalune.jpg").is_file():
        pytest.skip(f"the shared corpus (lalune.jpg) is missing at {CORPUS}")
    folder = tmp_path_factory.mktemp("constructs")
    for name in ("constructs.md", "chart.png"):
        shutil.copy(FIXTURES / name, folder / name)
    shutil.copy(CORPUS / "lalune.jpg", folder / "lalune.jpg")
    return folder / "constructs.md"


def render(source: Path, fmt: str, standard: str) -> bytes:
    theme = load_theme().with_pdf_standard(standard)
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always", BriefExportWarning)
        data = briefexport.render(briefexport.parse(source), fmt, theme)
    # A warning here would be a finding the validator was not expected to make.
    said = [str(w.message) for w in caught if issubclass(w.category, BriefExportWarning)
            and "one-pager:" not in str(w.message)]
    assert said == ([UNTAGGED_A] if standard == "a-2a" and not is_tagged(data) else []), said
    return data


@pytest.fixture(scope="module")
def outputs(constructs: Path) -> dict[tuple[str, str, str], bytes]:
    with pytest.MonkeyPatch.context() as patch:
        patch.setenv("SOURCE_DATE_EPOCH", "1700000000")
        return {
            (name, fmt, standard): render(source, fmt, standard)
            for name, source in (("article", ARTICLE), ("constructs", constructs),
                                 ("scripts", FIXTURES / "glyphs" / "scripts.md"))
            for fmt in PDF_FORMATS for standard in STANDARDS
        }


def test_the_validator_finds_only_what_it_cannot_know(outputs: dict) -> None:
    for (name, fmt, standard), data in outputs.items():
        found = {(f.rule, f.message) for f in pdfa.findings(data)}
        assert found == expected_findings(standard, is_tagged(data)), (name, fmt, standard, found)


@pytest.mark.parametrize("standard", STANDARDS)
def test_a_tagged_file_gets_exactly_the_two_unknowable_findings(standard: str) -> None:
    """The PDF/UA declaration on a file with a structure tree, whatever the brief's tagging does."""
    data = pdfa.convert(_canvas_pdf(standard, tagged=True), standard)
    assert {(f.rule, f.message) for f in pdfa.findings(data)} == expected_findings(standard, True)
    with pikepdf.open(io.BytesIO(data)) as pdf:
        assert pdf.open_metadata().pdfa_status == "2" + standard[-1].upper()


def test_structure_fonts_and_output_intent(outputs: dict, tmp_path: Path) -> None:
    qpdf, pdffonts = require_tool("qpdf"), require_tool("pdffonts")
    for (name, fmt, standard), data in outputs.items():
        path = tmp_path / f"{name}-{fmt}-{standard}.pdf"
        path.write_bytes(data)
        checked = subprocess.run([qpdf, "--check", str(path)], capture_output=True, text=True)
        assert checked.returncode == 0, checked.stdout + checked.stderr
        rows = subprocess.run([pdffonts, str(path)], capture_output=True, text=True, check=True).stdout.splitlines()[2:]
        assert rows, path
        for row in rows:
            emb = row.split()[-5]  # emb sub uni object-number generation
            assert emb == "yes", row
            assert "Helvetica" not in row
        with pikepdf.open(io.BytesIO(data)) as pdf:
            assert pdf.pdf_version == "1.7"
            (intent,) = pdf.Root.OutputIntents
            assert intent.S == "/GTS_PDFA1"
            profile = intent.DestOutputProfile.read_bytes()
            assert profile[12:20] == b"mntrRGB "  # a display RGB profile
            assert str(intent.OutputConditionIdentifier) == "sRGB"
            for page in pdf.pages:
                assert "/Trans" not in page.obj
                for annot in page.obj.get("/Annots", []):
                    assert int(annot.F) & 4, "an annotation without the Print flag"
            assert "/Encrypt" not in pdf.trailer
            assert "/JavaScript" not in pdf.Root.get("/Names", {})


@pytest.mark.parametrize("standard", STANDARDS)
def test_xmp_identifies_pdfa_and_keeps_pdfua(outputs: dict, standard: str) -> None:
    article = outputs[("article", "pdf", standard)]
    for data in (article, pdfa.convert(_canvas_pdf(standard, tagged=True), standard)):
        xmp = xmp_fields(data)
        assert xmp[f"{PDFAID}part"] == "2"
        assert "2" + xmp[f"{PDFAID}conformance"] == level(standard, data)
        assert xmp.get(f"{PDFUAID}part") == ("1" if is_tagged(data) else None)
        if not is_tagged(data):
            assert b"pdfaExtension" not in xmp_bytes(data)
            continue
        _assert_extension_schema(xmp_bytes(data))
    # pikepdf's own metadata reader agrees, and the Info dictionary is reportlab's, unchanged.
    with pikepdf.open(io.BytesIO(article)) as pdf:
        assert pdf.open_metadata().pdfa_status == level(standard, article)
    info = PdfReader(io.BytesIO(article)).metadata
    xmp = xmp_fields(article)
    assert xmp["{http://ns.adobe.com/pdf/1.3/}Producer"] == info["/Producer"]
    assert [info["/Title"]] == xmp["{http://purl.org/dc/elements/1.1/}title"]


def _assert_extension_schema(packet: bytes) -> None:
    """The extension schema that declares pdfuaid:part to a PDF/A reader."""
    root = ET.fromstring(packet[packet.index(b"<x:xmpmeta"):packet.rindex(b"</x:xmpmeta>") + 12])
    (schema,) = root.iter(f"{EXTENSION}schemas")
    (entry,) = schema.findall(f"{RDF}Bag/{RDF}li")
    assert entry.findtext(f"{SCHEMA}namespaceURI") == PDFUAID.strip("{}")
    assert entry.findtext(f"{SCHEMA}prefix") == "pdfuaid"
    (prop,) = entry.findall(f"{SCHEMA}property/{RDF}Seq/{RDF}li")
    assert prop.findtext(f"{PROPERTY}name") == "part"
    assert prop.findtext(f"{PROPERTY}valueType") == "Integer"


def test_pages_look_and_read_the_same_as_ua1(outputs: dict, tmp_path: Path) -> None:
    pdftoppm = require_tool("pdftoppm")
    with pytest.MonkeyPatch.context() as patch:
        patch.setenv("SOURCE_DATE_EPOCH", "1700000000")
        plain = briefexport.render(briefexport.parse(ARTICLE), "pdf")
    archival = outputs[("article", "pdf", "a-2b")]
    pictures = []
    for label, data in (("ua", plain), ("a2b", archival)):
        (tmp_path / f"{label}.pdf").write_bytes(data)
        subprocess.run([pdftoppm, "-r", "30", "-png", str(tmp_path / f"{label}.pdf"), str(tmp_path / label)], check=True)
        pictures.append(sorted(p.read_bytes() for p in tmp_path.glob(f"{label}-*.png")))
    assert pictures[0] == pictures[1]
    assert [p.extract_text() for p in PdfReader(io.BytesIO(plain)).pages] == \
        [p.extract_text() for p in PdfReader(io.BytesIO(archival)).pages]


def test_re_renders_are_byte_identical_across_processes(tmp_path: Path) -> None:
    env = {**os.environ, "SOURCE_DATE_EPOCH": "1700000000"}
    digests = []
    for run in ("one", "two"):
        out = tmp_path / run
        subprocess.run([sys.executable, "-m", "briefexport", "render", str(ARTICLE), "--format", "pdf",
                        "--format", "onepager", "--pdf-standard", "a-2a", "--output-dir", str(out), "-q"],
                       cwd=ROOT, env=env, check=True, timeout=120)
        digests.append({p.name: p.read_bytes() for p in out.glob("*.pdf")})
    assert len(digests[0]) == 2 and digests[0] == digests[1]


def test_a_finding_the_validator_should_not_make_is_a_warning() -> None:
    """A PDF with a bare Helvetica (not embedded) is not PDF/A: the render says so."""
    buffer = io.BytesIO()
    canvas = Canvas(buffer, invariant=1)  # no initialFontName: reportlab's Helvetica
    metadata.install(canvas, Meta(title="T"), FIXED_DATE, "a-2b")
    canvas.drawString(72, 720, "Helvetica, not embedded")
    canvas.showPage()
    canvas.save()
    with pytest.warns(BriefExportWarning, match=r"PDF/A-2 check \(pikepdf\): .*6\.2\.11\.4\.1"):
        pdfa.convert(buffer.getvalue(), "a-2b")


def test_ua1_is_not_post_processed() -> None:
    data = briefexport.render(briefexport.parse(ARTICLE), "pdf")
    assert pdfa.convert(data, "ua-1") is data
    assert b"/OutputIntents" not in data and b"pdfaid" not in data


# ---------------------------------------------------------------- precedence

def _pdfa_level(path: Path) -> str:
    """'2B', '2A', or '' for a PDF that does not claim PDF/A."""
    with pikepdf.open(path) as pdf:
        return pdf.open_metadata().pdfa_status


def test_flag_overrides_theme_and_theme_overrides_default(tmp_path: Path) -> None:
    theme = tmp_path / "archive.toml"
    theme.write_text('extends = "default"\n\n[output]\npdf-standard = "a-2b"\n', encoding="utf-8")
    runner = CliRunner()
    cases = [((), None), (("--style", str(theme)), "a-2b"), (("--style", str(theme), "--pdf-standard", "ua-1"), None),
             (("--style", str(theme), "--pdf-standard", "a-2a"), "a-2a"), (("--pdf-standard", "a-2b"), "a-2b")]
    for index, (options, standard) in enumerate(cases):
        out = tmp_path / f"out{index}"
        result = runner.invoke(cli.main, ["render", str(ARTICLE), "--format", "pdf", "--format", "onepager",
                                          "--output-dir", str(out), "--jobs", "1", "-q", *options])
        assert result.exit_code == 0, result.output
        pdfs = sorted(out.glob("*.pdf"))
        assert len(pdfs) == 2
        wanted = [level(standard, p.read_bytes()) if standard else "" for p in pdfs]
        assert [_pdfa_level(p) for p in pdfs] == wanted, options


def test_the_flag_reaches_worker_processes_and_email(tmp_path: Path) -> None:
    second = tmp_path / "second.md"
    second.write_text("---\ntitle: A second brief\n---\n\nBody text.\n", encoding="utf-8")
    runner = CliRunner()
    result = runner.invoke(cli.main, ["render", str(ARTICLE), str(second), "--jobs", "2", "--pdf-standard", "a-2b",
                                      "--output-dir", str(tmp_path / "batch"), "-q"])
    assert result.exit_code == 0, result.output
    assert [_pdfa_level(p) for p in sorted((tmp_path / "batch").glob("*.pdf"))] == ["2B", "2B"]
    result = runner.invoke(cli.main, ["email", str(ARTICLE), "--to", "a@example.org", "--format", "pdf",
                                      "--pdf-standard", "a-2a", "--output-dir", str(tmp_path / "mail"), "-q"])
    assert result.exit_code == 0, result.output
    import email

    (eml,) = (tmp_path / "mail").glob("*.eml")
    message = email.message_from_bytes(eml.read_bytes())
    (part,) = [p for p in message.walk() if p.get_content_type() == "application/pdf"]
    attached = tmp_path / "attached.pdf"
    attached.write_bytes(part.get_payload(decode=True))
    assert _pdfa_level(attached) == level("a-2a", attached.read_bytes())
    assert attached.read_bytes() == next((tmp_path / "mail").glob("*.pdf")).read_bytes()


def test_bad_values_are_refused(tmp_path: Path) -> None:
    result = CliRunner().invoke(cli.main, ["render", str(ARTICLE), "--pdf-standard", "a-3b"])
    assert result.exit_code == 2 and "a-3b" in result.output
    theme = tmp_path / "bad.toml"
    theme.write_text('extends = "default"\n\n[output]\npdf-standard = "pdf/a"\n', encoding="utf-8")
    result = CliRunner().invoke(cli.main, ["render", str(ARTICLE), "--style", str(theme)])
    assert result.exit_code == 1
    assert "output.pdf-standard: 'pdf/a' is not one of 'ua-1', 'a-2b', 'a-2a'" in result.output
    assert cli.PDF_STANDARDS == PDF_STANDARDS


def test_the_default_render_never_loads_pikepdf() -> None:
    """pikepdf costs about 0.1 s to import: only a PDF/A render pays for it."""
    code = (
        "import sys\n"
        "from briefexport.cli import main\n"
        "main(['render', {src!r}, '-f', 'pdf', '-f', 'onepager', '-d', {out!r}, '-q', '--jobs', '1', *{extra!r}],"
        " standalone_mode=False)\n"
        "print('pikepdf' in sys.modules)\n"
    )
    for extra, loaded in (((), "False"), (("--pdf-standard", "a-2b"), "True")):
        with __import__("tempfile").TemporaryDirectory() as out:
            result = subprocess.run([sys.executable, "-c", code.format(src=str(ARTICLE), out=out, extra=extra)],
                                    capture_output=True, text=True, cwd=ROOT, check=True, timeout=120)
        assert result.stdout.strip().splitlines()[-1] == loaded, result.stdout + result.stderr


def test_a_cmyk_picture_is_an_error_and_nothing_is_written(tmp_path: Path) -> None:
    """A violation of PDF/A (DeviceCMYK against the sRGB intent) stops the render: no false claim."""
    from PIL import Image

    Image.new("CMYK", (40, 30), (0, 128, 255, 0)).save(tmp_path / "cmyk.jpg")
    source = tmp_path / "cmyk.md"
    source.write_text("---\ntitle: A CMYK figure\n---\n\nText.\n\n![A CMYK picture](cmyk.jpg)\n", encoding="utf-8")
    out = tmp_path / "out"
    result = CliRunner().invoke(cli.main, ["render", str(source), "--pdf-standard", "a-2b", "--jobs", "1",
                                           "--output-dir", str(out)])
    assert result.exit_code == 1, result.output
    (line,) = [row for row in result.stderr.splitlines() if row.startswith("Error:")]
    assert "cannot write a-2b: pikepdf's PDF/A check finds ISO_19005_2:6.2.4.3-3" in line
    assert "DeviceCMYK" in line and "Traceback" not in result.stderr
    assert not out.exists() or not list(out.glob("*.pdf"))
    # The same figure is fine where no PDF/A is asked for.
    plain = CliRunner().invoke(cli.main, ["render", str(source), "--jobs", "1", "--output-dir", str(out)])
    assert plain.exit_code == 0 and (out / "a-cmyk-figure.pdf").exists()
