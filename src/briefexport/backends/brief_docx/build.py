"""The DOCX brief with python-docx; imported only when a DOCX is rendered."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import docx

from ..._version import __version__
from ...common.background import Background
from ...common.stamps import timestamp
from ...theme import Theme
from ...transforms.docx_roundtrip import tree_digest
from ...tree import Document
from . import template
from .brief import compose
from .context import Context
from .roundtrip import attach as attach_roundtrip
from .blocks import Blocks
from .footnotes import Footnotes
from .numbering import BASE_NUMS, Numbering
from ...common.stamps import Deflated, ZipEntries, zip_entries
from .styles import Names, styles_xml
from .references import has_bibliography
from .xml import clean


# Top-level blocks from which the round-trip digest is worth a forked child
# (when a core is free): a fork and its answer cost about what the digest of
# a few hundred blocks does; the article x200 (5,000 blocks) gains 50 ms.
_DIGEST_APART = 1000


def render(doc: Document, theme: Theme, base_dir: Path) -> bytes:
    with Background(tree_digest, doc, worth_it=len(doc.blocks) >= _DIGEST_APART) as digest:
        return _render(doc, theme, base_dir, digest)


def _render(doc: Document, theme: Theme, base_dir: Path, digest: Background[str]) -> bytes:
    meta = doc.meta
    names = Names.of(theme)
    lang = clean(meta.lang or "en").strip() or "en"
    when = timestamp(meta)
    numbering = Numbering(theme, names)
    package = template.package({
        "word/styles.xml": styles_xml(theme, names, BASE_NUMS, lang, bibliography=has_bibliography(doc)),
        "word/settings.xml": template.settings_xml(hyphenate=theme.page.hyphenate,
                                                   embed_fonts=theme.output.docx_embed_fonts),
        # Rewritten at the end, when every list (one `w:num` each) is known.
        "word/numbering.xml": numbering.xml(),
        "docProps/core.xml": template.core_xml(
            title=meta.title,
            authors="; ".join(a.name for a in meta.authors),
            subject=meta.subtitle,
            keywords=", ".join(meta.keywords),
            language=lang,
            category=meta.series or theme.brand.series,
            when=when,
        ),
        "docProps/app.xml": template.app_xml(__version__),
    })
    document = docx.Document(package)
    ctx = Context(doc=doc, theme=theme, base_dir=base_dir, names=names, numbering=numbering, document=document)
    ctx.footnotes = Footnotes(
        ctx, lambda parent, part, blocks: Blocks(ctx, parent, part, in_note=True).write(blocks)
    )
    compose(ctx)
    attach_roundtrip(ctx, digest.result())
    numbering_part = document.part.numbering_part
    numbering_part._element = docx.oxml.parse_xml(numbering.xml())
    fonts = _font_table(ctx) if theme.output.docx_embed_fonts else {}
    return zip_entries(_package_entries(document), when, fonts)


def _font_table(ctx: Context) -> dict[str, Deflated]:
    """Relates `word/fontTable.xml` and its fonts; returns the fonts' compressed parts.

    python-docx writes each font part empty; `zip_entries` then copies
    the cached compressed bytes in, so no render compresses a font.
    """
    from docx.opc.constants import RELATIONSHIP_TYPE as RT
    from docx.opc.packuri import PackURI
    from docx.opc.part import Part, XmlPart

    from . import fontembed

    document = ctx.document
    part = document.part
    stories = [p.element for p in part.package.iter_parts()
               if isinstance(p, XmlPart) and p.partname.startswith(("/word/document", "/word/footnotes",
                                                                    "/word/header", "/word/footer"))]
    used = fontembed.used_faces(document.styles.element, stories, ctx.names)
    table = fontembed.font_table(fontembed.faces_to_embed(ctx.theme, used), ctx.names)
    table_part = XmlPart(PackURI("/word/fontTable.xml"), fontembed.FONT_TABLE_TYPE,
                         docx.oxml.parse_xml(table.xml), part.package)
    part.relate_to(table_part, RT.FONT_TABLE)
    for number, name in enumerate(table.parts, 1):
        font_part = Part(PackURI(f"/{name}"), fontembed.ODTTF_TYPE, b"", part.package)
        rid = table_part.relate_to(font_part, RT.FONT)
        assert rid == f"rId{number}", rid  # the ids font_table wrote into the XML
    return table.parts


def _package_entries(document: Any) -> ZipEntries:
    """What `document.save()` would put in its zip, without making that zip.

    The same steps as python-docx's `OpcPackage.save` (pinned in
    constraints.txt), with `ZipEntries` as the writer: the parts are then
    compressed once, into the reproducible zip, not twice.
    """
    from docx.opc.pkgwriter import PackageWriter

    package = document.part.package
    parts = package.parts
    for part in parts:
        part.before_marshal()
    entries = ZipEntries()
    PackageWriter._write_content_types_stream(entries, parts)
    PackageWriter._write_pkg_rels(entries, package.rels)
    PackageWriter._write_parts(entries, parts)
    return entries
