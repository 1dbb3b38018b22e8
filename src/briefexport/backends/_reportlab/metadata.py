"""File-level metadata of the PDFs: XMP, PDF version, viewer preferences.

Built with reportlab's own PDF objects, so the default render needs no other
PDF library.  The XMP packet is made when reportlab writes the catalog, from
the Info dictionary reportlab writes beside it, so that the two always agree
(title, subject, keywords, creator tool, producer); the dates come from the
same reproducible timestamp as the Info dates (`SOURCE_DATE_EPOCH`, else the
front matter's `date`).

Every tagged PDF is identified as PDF/UA-1 (`pdfuaid:part`); a PDF/A standard
adds `pdfaid` and the extension schema that declares `pdfuaid` to PDF/A
readers (PDF/A-2 admits only the schemas of XMP 2005 without one).  The
claims follow the file, never the wish: PDF/UA-1 and PDF/A level A are
declared only when the catalog has a structure tree as it is written; an
`a-2a` file without one is declared level B, with a warning.
"""

from __future__ import annotations

import datetime as _dt
import warnings
from typing import Any

from reportlab.pdfbase.pdfdoc import PDFDictionary, PDFName, PDFStream

from ...errors import BriefExportWarning
from ...tree import Meta
from ...common.xmltext import escape
from .text import clean

PDF_VERSION = (1, 7)
# --pdf-standard values (Typst's names): what each adds to the PDF/UA-1 file.
PDFA = {"ua-1": None, "a-2b": (2, "B"), "a-2a": (2, "A")}

_NS = {
    "dc": "http://purl.org/dc/elements/1.1/",
    "xmp": "http://ns.adobe.com/xap/1.0/",
    "pdf": "http://ns.adobe.com/pdf/1.3/",
    "pdfuaid": "http://www.aiim.org/pdfua/ns/id/",
}
_NS_PDFA = {
    "pdfaid": "http://www.aiim.org/pdfa/ns/id/",
    "pdfaExtension": "http://www.aiim.org/pdfa/ns/extension/",
    "pdfaSchema": "http://www.aiim.org/pdfa/ns/schema#",
    "pdfaProperty": "http://www.aiim.org/pdfa/ns/property#",
}
# ISO 14289-1's own description of its identification schema, as PDF/A
# extension schemas (ISO 19005-2, 6.6.2.3.2) must give it.
_PDFUA_SCHEMA = (
    "<pdfaExtension:schemas><rdf:Bag><rdf:li rdf:parseType=\"Resource\">"
    "<pdfaSchema:schema>PDF/UA Universal Accessibility Schema</pdfaSchema:schema>"
    "<pdfaSchema:namespaceURI>http://www.aiim.org/pdfua/ns/id/</pdfaSchema:namespaceURI>"
    "<pdfaSchema:prefix>pdfuaid</pdfaSchema:prefix>"
    "<pdfaSchema:property><rdf:Seq><rdf:li rdf:parseType=\"Resource\">"
    "<pdfaProperty:name>part</pdfaProperty:name>"
    "<pdfaProperty:valueType>Integer</pdfaProperty:valueType>"
    "<pdfaProperty:category>internal</pdfaProperty:category>"
    "<pdfaProperty:description>Indicates, which part of ISO 14289 standard is followed</pdfaProperty:description>"
    "</rdf:li></rdf:Seq></pdfaSchema:property>"
    "</rdf:li></rdf:Bag></pdfaExtension:schemas>"
)


def xmp_date(when: _dt.datetime) -> str:
    return when.astimezone(_dt.timezone.utc).strftime("%Y-%m-%dT%H:%M:%SZ")


def pdf_date(when: _dt.datetime) -> str:
    return when.astimezone(_dt.timezone.utc).strftime("D:%Y%m%d%H%M%S+00'00'")


def xmp_packet(info: dict[str, str], *, creators: tuple[str, ...], lang: str, created: _dt.datetime,
               standard: str = "ua-1", tagged: bool = True) -> bytes:
    """The XMP packet: `info` holds the Info dictionary's text entries
    (`title`, `subject`, `keywords`, `creator`, `producer`); `tagged` says
    whether the file has the structure tree PDF/UA and PDF/A level A need."""
    date = xmp_date(created)
    props = [
        "<dc:format>application/pdf</dc:format>",
        _alt("dc:title", info.get("title", "")),
    ]
    if creators:
        items = "".join(f"<rdf:li>{escape(c)}</rdf:li>" for c in creators)
        props.append(f"<dc:creator><rdf:Seq>{items}</rdf:Seq></dc:creator>")
    if info.get("subject"):
        props.append(_alt("dc:description", info["subject"]))
    if lang:
        props.append(f"<dc:language><rdf:Bag><rdf:li>{escape(lang)}</rdf:li></rdf:Bag></dc:language>")
    if info.get("keywords"):
        props.append(f"<pdf:Keywords>{escape(info['keywords'])}</pdf:Keywords>")
    props += [
        f"<pdf:Producer>{escape(info.get('producer', ''))}</pdf:Producer>",
        f"<xmp:CreatorTool>{escape(info.get('creator', ''))}</xmp:CreatorTool>",
        f"<xmp:CreateDate>{date}</xmp:CreateDate>",
        f"<xmp:ModifyDate>{date}</xmp:ModifyDate>",
        f"<xmp:MetadataDate>{date}</xmp:MetadataDate>",
    ]
    namespaces = dict(_NS)
    if tagged:
        props.append("<pdfuaid:part>1</pdfuaid:part>")
    else:
        del namespaces["pdfuaid"]
    pdfa = PDFA[standard]
    if pdfa is not None:
        part, conformance = pdfa
        namespaces["pdfaid"] = _NS_PDFA["pdfaid"]
        props += [f"<pdfaid:part>{part}</pdfaid:part>",
                  f"<pdfaid:conformance>{conformance if tagged else 'B'}</pdfaid:conformance>"]
        if tagged:
            namespaces.update(_NS_PDFA)
            props.append(_PDFUA_SCHEMA)
    declarations = "".join(f'\n    xmlns:{prefix}="{uri}"' for prefix, uri in namespaces.items())
    body = "\n   ".join(props)
    # No `encoding` or `bytes` in the packet header: PDF/A forbids both.
    return (
        '<?xpacket begin="\ufeff" id="W5M0MpCehiHzreSzNTczkc9d"?>\n'
        '<x:xmpmeta xmlns:x="adobe:ns:meta/">\n'
        ' <rdf:RDF xmlns:rdf="http://www.w3.org/1999/02/22-rdf-syntax-ns#">\n'
        f'  <rdf:Description rdf:about=""{declarations}>\n   {body}\n  </rdf:Description>\n'
        " </rdf:RDF>\n</x:xmpmeta>\n"
        '<?xpacket end="w"?>'
    ).encode("utf-8")


def _alt(name: str, text: str) -> str:
    return f'<{name}><rdf:Alt><rdf:li xml:lang="x-default">{escape(text)}</rdf:li></rdf:Alt></{name}>'


class _XmpStream(PDFStream):
    """The catalog's /Metadata: made when written, never compressed (readers
    that scan files for XMP packets, and PDF/A-1 validators, want it plain)."""

    def __init__(self, make: Any) -> None:
        super().__init__(PDFDictionary({"Type": PDFName("Metadata"), "Subtype": PDFName("XML")}))
        self._make = make

    def format(self, document: Any) -> bytes:
        self.content = self._make(document)
        saved, document.defaultStreamFilters = document.defaultStreamFilters, None
        try:
            return super().format(document)
        finally:
            document.defaultStreamFilters = saved


def install(canv: Any, meta: Meta, created: _dt.datetime, standard: str = "ua-1") -> None:
    """Give the canvas's PDF its XMP metadata, PDF 1.7 and DisplayDocTitle."""
    if standard not in PDFA:
        raise ValueError(f"unknown PDF standard {standard!r}")
    doc = canv._doc
    doc._pdfVersion = max(doc._pdfVersion, PDF_VERSION)
    canv.setViewerPreference("DisplayDocTitle", "true")
    creators = tuple(clean(a.name) for a in meta.authors if clean(a.name))
    lang = clean(meta.lang) or "en"

    def make(document: Any) -> bytes:
        info = document.info
        fields = {k: str(getattr(info, k, "") or "") for k in ("title", "subject", "keywords", "creator", "producer")}
        tagged = getattr(document.Catalog, "StructTreeRoot", None) is not None
        if standard == "a-2a" and not tagged:
            warnings.warn("PDF/A-2a needs a tagged PDF and this one has no structure tree: "
                          "it is declared PDF/A-2b", BriefExportWarning, stacklevel=2)
        return xmp_packet(fields, creators=creators, lang=lang, created=created, standard=standard, tagged=tagged)

    doc.Catalog.Metadata = _XmpStream(make)


def with_metadata(make_canvas: Any, meta: Meta, created: _dt.datetime, standard: str = "ua-1") -> Any:
    """A `canvasmaker` for `BaseDocTemplate.build` whose canvases get `install`ed."""

    def make(*args: Any, **kwargs: Any) -> Any:
        canv = make_canvas(*args, **kwargs)
        install(canv, meta, created, standard)
        return canv

    return make
