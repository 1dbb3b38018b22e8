"""Both PDF formats' file-level metadata: XMP, PDF version, viewer preferences.

The XMP packet is read back with the standard library's XML parser and
compared with the Info dictionary as pypdf reads it, and poppler's
`pdfinfo` must find the same packet.
"""

from __future__ import annotations

import datetime as dt
import io
import subprocess
import xml.etree.ElementTree as ET

import pytest
from pypdf import PdfReader

import briefexport
from briefexport.readers.markdown import parse
from conftest import ARTICLE, require_tool

PDF_FORMATS = ("pdf", "onepager")
RDF = "{http://www.w3.org/1999/02/22-rdf-syntax-ns#}"
DC = "{http://purl.org/dc/elements/1.1/}"
XMP = "{http://ns.adobe.com/xap/1.0/}"
PDF = "{http://ns.adobe.com/pdf/1.3/}"
PDFUAID = "{http://www.aiim.org/pdfua/ns/id/}"
PDFAID = "{http://www.aiim.org/pdfa/ns/id/}"
EPOCH = 1700000000  # 2023-11-14T22:13:20Z


def is_tagged(data: bytes) -> bool:
    """Whether the PDF has a structure tree (what PDF/UA and PDF/A level A need)."""
    return "/StructTreeRoot" in PdfReader(io.BytesIO(data)).trailer["/Root"]


def xmp_bytes(data: bytes) -> bytes:
    metadata = PdfReader(io.BytesIO(data)).trailer["/Root"]["/Metadata"].get_object()
    assert metadata["/Type"] == "/Metadata" and metadata["/Subtype"] == "/XML"
    return metadata.get_data()


def xmp_fields(data: bytes) -> dict[str, object]:
    """The XMP packet's properties: simple values as text, Alt/Seq/Bag as lists."""
    packet = xmp_bytes(data)
    root = ET.fromstring(packet[packet.index(b"<x:xmpmeta"):packet.rindex(b"</x:xmpmeta>") + 12])
    descriptions = root.findall(f"{RDF}RDF/{RDF}Description")
    assert len(descriptions) == 1 and descriptions[0].get(f"{RDF}about") == ""
    out: dict[str, object] = {}
    for prop in descriptions[0]:
        container = next(iter(prop), None)
        if container is not None and container.tag in (f"{RDF}Alt", f"{RDF}Seq", f"{RDF}Bag"):
            out[prop.tag] = [li.text or "" for li in container.findall(f"{RDF}li")]
        else:
            out[prop.tag] = prop.text or ""
    return out


def pdf_date(value: str) -> dt.datetime:
    """A PDF date as reportlab writes it: D:YYYYMMDDHHmmSS+HH'mm'."""
    parsed = dt.datetime.strptime(value[2:16], "%Y%m%d%H%M%S")
    sign = 1 if value[16] == "+" else -1
    offset = dt.timedelta(hours=int(value[17:19]), minutes=int(value[20:22])) * sign
    return parsed.replace(tzinfo=dt.timezone(offset))


def xmp_date(value: str) -> dt.datetime:
    return dt.datetime.fromisoformat(value.replace("Z", "+00:00"))


@pytest.fixture(scope="module", params=PDF_FORMATS)
def article_pdf(request: pytest.FixtureRequest) -> bytes:
    with pytest.MonkeyPatch.context() as patch:
        patch.setenv("SOURCE_DATE_EPOCH", str(EPOCH))
        return briefexport.render(briefexport.parse(ARTICLE), request.param)


def test_pdf_version_and_viewer_preferences(article_pdf: bytes) -> None:
    assert article_pdf.startswith(b"%PDF-1.7\n")
    reader = PdfReader(io.BytesIO(article_pdf))
    root = reader.trailer["/Root"]
    assert root["/ViewerPreferences"]["/DisplayDocTitle"] == True  # noqa: E712 (a pypdf BooleanObject)
    assert root["/Lang"] == "en"
    # Readers that look for the packet by scanning the file need it uncompressed.
    assert "/Filter" not in root["/Metadata"].get_object()


def test_xmp_agrees_with_the_info_dictionary(article_pdf: bytes) -> None:
    info = PdfReader(io.BytesIO(article_pdf)).metadata
    xmp = xmp_fields(article_pdf)
    doc = briefexport.parse(ARTICLE)
    assert xmp[f"{DC}title"] == [info["/Title"]] == [doc.meta.title]
    assert xmp[f"{DC}creator"] == [a.name for a in doc.meta.authors]
    assert info["/Author"] == ", ".join(a.name for a in doc.meta.authors)
    assert xmp[f"{DC}description"] == [info["/Subject"]]
    assert xmp[f"{DC}language"] == ["en"]
    assert xmp[f"{DC}format"] == "application/pdf"
    assert xmp[f"{PDF}Keywords"] == info["/Keywords"] == ", ".join(doc.meta.keywords)
    assert xmp[f"{PDF}Producer"] == info["/Producer"]
    assert xmp[f"{XMP}CreatorTool"] == info["/Creator"] == f"briefexport {briefexport.__version__}"
    stamp = dt.datetime.fromtimestamp(EPOCH, dt.timezone.utc)
    assert xmp_date(xmp[f"{XMP}CreateDate"]) == pdf_date(info["/CreationDate"]) == stamp
    assert xmp_date(xmp[f"{XMP}ModifyDate"]) == pdf_date(info["/ModDate"]) == stamp
    assert xmp_date(xmp[f"{XMP}MetadataDate"]) == stamp
    # PDF/UA-1 is claimed exactly when the file has the structure tree it needs.
    assert xmp.get(f"{PDFUAID}part") == ("1" if is_tagged(article_pdf) else None)
    # The default is PDF/UA-1, not PDF/A: no PDF/A identification.
    assert not [key for key in xmp if key.startswith(PDFAID)]


@pytest.mark.parametrize("fmt", PDF_FORMATS)
def test_markup_like_text_and_zoned_dates(fmt: str, monkeypatch: pytest.MonkeyPatch) -> None:
    """Text is escaped into the packet; a front-matter date with an offset is one instant everywhere."""
    monkeypatch.delenv("SOURCE_DATE_EPOCH", raising=False)
    doc = parse(
        "---\ntitle: 'AT&T <b>bold</b> & “Nguyễn”'\nauthors: ['Ann <a@b>', 'Bob & Co']\n"
        "date: '2022-01-14T10:30:00+02:00'\nsubtitle: 'x < y'\nlang: vi\n---\n\nBody.\n"
    )
    data = briefexport.render(doc, fmt)
    info = PdfReader(io.BytesIO(data)).metadata
    xmp = xmp_fields(data)
    assert xmp[f"{DC}title"] == [info["/Title"]] == ["AT&T <b>bold</b> & “Nguyễn”"]
    assert xmp[f"{DC}creator"] == ["Ann <a@b>", "Bob & Co"]
    assert xmp[f"{DC}description"] == ["x < y"]
    assert xmp[f"{DC}language"] == ["vi"]
    when = dt.datetime(2022, 1, 14, 8, 30, tzinfo=dt.timezone.utc)
    assert xmp_date(xmp[f"{XMP}CreateDate"]) == pdf_date(info["/CreationDate"]) == when


def test_poppler_reads_the_same_packet(article_pdf: bytes, tmp_path) -> None:
    pdfinfo = require_tool("pdfinfo")
    path = tmp_path / "x.pdf"
    path.write_bytes(article_pdf)
    summary = subprocess.run([pdfinfo, str(path)], capture_output=True, text=True, check=True).stdout
    assert "Metadata Stream: yes" in summary
    assert "PDF version:     1.7" in summary
    packet = subprocess.run([pdfinfo, "-meta", str(path)], capture_output=True, check=True).stdout
    assert packet.strip() == xmp_bytes(article_pdf).strip()


def _canvas_pdf(standard: str, *, tagged: bool) -> bytes:
    """A one-line reportlab PDF with our metadata, with or without a structure tree root."""
    from reportlab.pdfbase.pdfdoc import PDFArray, PDFDictionary, PDFName
    from reportlab.pdfgen.canvas import Canvas

    from briefexport.backends._reportlab import metadata
    from briefexport.common.stamps import FIXED_DATE
    from briefexport.tree import Author, Meta

    from briefexport.backends._reportlab.faces import font_roles
    from briefexport.theme import load_theme

    # The theme's body face: embedded, so the only PDF/A findings are about the metadata.
    font = font_roles(load_theme())["body"].primary
    buffer = io.BytesIO()
    canvas = Canvas(buffer, invariant=1, initialFontName=font)
    canvas.setFont(font, 12)
    canvas.drawString(72, 720, "A line of text.")
    canvas.setTitle("T")
    metadata.install(canvas, Meta(title="T", authors=(Author("A"),)), FIXED_DATE, standard)
    if tagged:
        canvas._doc.Catalog.StructTreeRoot = PDFDictionary({"Type": PDFName("StructTreeRoot"), "K": PDFArray([])})
    canvas.showPage()
    canvas.save()
    return buffer.getvalue()


@pytest.mark.parametrize("standard", ["ua-1", "a-2b", "a-2a"])
def test_claims_follow_the_structure_tree(standard: str) -> None:
    import warnings as _warnings

    from briefexport.errors import BriefExportWarning

    tagged = xmp_fields(_canvas_pdf(standard, tagged=True))
    assert tagged[f"{PDFUAID}part"] == "1"
    assert tagged.get(f"{PDFAID}conformance") == {"ua-1": None, "a-2b": "B", "a-2a": "A"}[standard]
    with _warnings.catch_warnings(record=True) as caught:
        _warnings.simplefilter("always", BriefExportWarning)
        untagged_pdf = _canvas_pdf(standard, tagged=False)
    untagged = xmp_fields(untagged_pdf)
    assert f"{PDFUAID}part" not in untagged and b"pdfuaid" not in xmp_bytes(untagged_pdf)
    assert untagged.get(f"{PDFAID}conformance") == {"ua-1": None, "a-2b": "B", "a-2a": "B"}[standard]
    said = [str(w.message) for w in caught if issubclass(w.category, BriefExportWarning)]
    assert said == (["PDF/A-2a needs a tagged PDF and this one has no structure tree: it is declared PDF/A-2b"]
                    if standard == "a-2a" else [])


@pytest.mark.parametrize("fmt", ["pdf", "onepager"])
def test_streams_are_binary_flate_with_no_ascii85(fmt: str) -> None:
    """Pages, forms and images are Flate-compressed binary: ASCII85 (reportlab's
    default) is for 7-bit channels and made each page and image a quarter larger.
    reportlab's global switch is left as it was found."""
    import pikepdf
    from reportlab import rl_config

    from conftest import FIXTURES

    before = rl_config.useA85
    source = FIXTURES / "constructs.md"
    pdf = pikepdf.open(io.BytesIO(briefexport.render(briefexport.parse(source), fmt, briefexport.load_theme(),
                                                     base_dir=source.parent)))
    filters = []
    for obj in pdf.objects:
        if isinstance(obj, pikepdf.Stream):
            found = obj.get("/Filter")
            filters.append([str(f) for f in found] if isinstance(found, pikepdf.Array) else [str(found)])
    assert any("/FlateDecode" in f for f in filters)
    assert not [f for f in filters if "/ASCII85Decode" in f]
    images = [o for o in pdf.objects if isinstance(o, pikepdf.Stream) and o.get("/Subtype") == "/Image"]
    assert fmt == "onepager" or images  # constructs.md has a figure
    assert rl_config.useA85 == before


def test_overlapping_renders_keep_streams_binary_until_the_last_ends() -> None:
    """Two renders in two threads: the first to end must not turn ASCII85 back on under the other."""
    from reportlab import rl_config

    from briefexport.backends._reportlab.canvas import binary_streams

    before = rl_config.useA85
    first, second = binary_streams(), binary_streams()
    first.__enter__()
    second.__enter__()
    first.__exit__(None, None, None)
    assert rl_config.useA85 == 0
    second.__exit__(None, None, None)
    assert rl_config.useA85 == before
