"""The invisible part that lets `briefexport import` map an edited DOCX back onto its source.

A custom XML part (`customXml/item1.xml`, Word's and LibreOffice's data store:
both keep it when they save, neither shows it) with what the page does not
say: the digest of the tree it was rendered from, the source's heading
levels and ids, which image file each picture came from, and the
front-matter values the brief shows in another form (`date`) or not at all
(`slug`, `pull_quote`).  Deterministic, so re-renders stay byte-identical.
"""

from __future__ import annotations

import hashlib
from typing import TYPE_CHECKING

from docx.opc.constants import RELATIONSHIP_TYPE as RT
from docx.opc.packuri import PackURI
from docx.opc.part import Part
from lxml import etree

from ...common import docx_styles as DS
from ...transforms.docx_roundtrip import body_headings, heading_keys
from ...common.display import display_date
from .xml import clean, twips

if TYPE_CHECKING:
    from .context import Context

_PROPS_CT = "application/vnd.openxmlformats-officedocument.customXmlProperties+xml"
_DS = "http://schemas.openxmlformats.org/officeDocument/2006/customXml"


def attach(ctx: Context, digest: str) -> None:
    """The round-trip part, with `digest`, the `tree_digest` of `ctx.doc`."""
    doc, theme = ctx.doc, ctx.theme
    meta = doc.meta
    ns = DS.ROUNDTRIP_NS
    attrs = {
        "version": "1", "tree": digest, "shift": str(ctx.heading_shift), "lang": meta.lang,
        "series": meta.series, "series-shown": meta.series or theme.brand.series,
        "date": meta.date, "date-shown": display_date(meta.date) if meta.date else "",
        "slug": meta.slug, "pull-quote": meta.pull_quote,
        "list-indent": str(twips(theme.layout.list_indent)),
    }
    if meta.image is not None:
        attrs.update({"image-src": meta.image.src, "image-alt": meta.image.alt,
                      "image-has-caption": "1" if meta.image.caption else "0"})
    root = etree.Element(f"{{{ns}}}briefexport", {k: clean(v) for k, v in attrs.items()}, nsmap={None: ns})

    _anchors, keys = heading_keys(doc.blocks)
    for mark, heading, key in zip(ctx.heading_marks, body_headings(doc.blocks), keys):
        etree.SubElement(root, f"{{{ns}}}heading", {"mark": mark, "id": clean(heading.attrs.id), "key": clean(key)})
    for sha, src, title in ctx.image_sources:
        etree.SubElement(root, f"{{{ns}}}figure", {"sha256": sha, "src": clean(src), "title": clean(title)})
    for aligns in ctx.table_aligns:
        etree.SubElement(root, f"{{{ns}}}table", {"aligns": ",".join(aligns)})
    for text, bold, italic in ctx.forced_faces:
        etree.SubElement(root, f"{{{ns}}}face", {"text": text, "bold": str(int(bold)), "italic": str(int(italic))})
    for keyword in meta.keywords:
        etree.SubElement(root, f"{{{ns}}}keyword").text = clean(keyword)
    package = ctx.document.part.package
    item = Part(PackURI("/customXml/item1.xml"), "application/xml",
                etree.tostring(root, xml_declaration=True, encoding="UTF-8", standalone=True), package)
    ctx.document.part.relate_to(item, RT.CUSTOM_XML)
    guid = hashlib.sha256(digest.encode()).hexdigest().upper()
    guid = f"{{{guid[:8]}-{guid[8:12]}-{guid[12:16]}-{guid[16:20]}-{guid[20:32]}}}"
    props = (f"<?xml version='1.0' encoding='UTF-8' standalone='no'?>\n"
             f'<ds:datastoreItem ds:itemID="{guid}" xmlns:ds="{_DS}"><ds:schemaRefs>'
             f'<ds:schemaRef ds:uri="{ns}"/></ds:schemaRefs></ds:datastoreItem>')
    item.relate_to(Part(PackURI("/customXml/itemProps1.xml"), _PROPS_CT, props.encode(), package),
                   RT.CUSTOM_XML_PROPS)
