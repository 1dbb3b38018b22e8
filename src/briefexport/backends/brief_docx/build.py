"""The DOCX brief with python-docx; imported only when a DOCX is rendered."""

from __future__ import annotations

import io
from pathlib import Path

import docx

from ..._version import __version__
from ...common.stamps import timestamp
from ...theme import Theme
from ...tree import Document
from . import template
from .brief import compose
from .context import Context
from .blocks import Blocks
from .footnotes import Footnotes
from .numbering import BASE_NUMS, Numbering
from ...common.stamps import reproducible_zip
from .styles import Names, styles_xml
from .xml import clean


def render(doc: Document, theme: Theme, base_dir: Path) -> bytes:
    meta = doc.meta
    names = Names.of(theme)
    lang = clean(meta.lang or "en").strip() or "en"
    when = timestamp(meta)
    numbering = Numbering(theme, names)
    package = template.package({
        "word/styles.xml": styles_xml(theme, names, BASE_NUMS, lang),
        "word/settings.xml": template.settings_xml(hyphenate=theme.page.hyphenate),
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
    numbering_part = document.part.numbering_part
    numbering_part._element = docx.oxml.parse_xml(numbering.xml())
    out = io.BytesIO()
    document.save(out)
    return reproducible_zip(out.getvalue(), when)
