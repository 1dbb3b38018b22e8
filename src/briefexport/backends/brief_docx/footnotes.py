"""Real Word footnotes: a `word/footnotes.xml` part, one entry per source note.

python-docx has no footnote API.  The part holds the separator (id -1) and
continuation separator (id 0) Word expects, then one `w:footnote` per note
reference, numbered by Word from the `w:footnoteReference` runs.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING

from docx.opc.constants import CONTENT_TYPE as CT
from docx.opc.constants import RELATIONSHIP_TYPE as RT
from docx.opc.packuri import PackURI
from docx.opc.part import XmlPart
from docx.oxml import parse_xml
from lxml.etree import _Element

from ...tree import Block, Note
from . import styles as S
from .xml import W_NS, el, paragraph, rpr, run

if TYPE_CHECKING:
    from .context import Context

_R = "http://schemas.openxmlformats.org/officeDocument/2006/relationships"
_SKELETON = (
    f'<w:footnotes xmlns:w="{W_NS}" xmlns:r="{_R}">'
    '<w:footnote w:type="separator" w:id="-1"><w:p><w:pPr><w:spacing w:after="0" w:line="240" '
    'w:lineRule="auto"/></w:pPr><w:r><w:separator/></w:r></w:p></w:footnote>'
    '<w:footnote w:type="continuationSeparator" w:id="0"><w:p><w:pPr><w:spacing w:after="0" w:line="240" '
    'w:lineRule="auto"/></w:pPr><w:r><w:continuationSeparator/></w:r></w:p></w:footnote>'
    "</w:footnotes>"
)


# Writes a note's blocks into its w:footnote element (the block writer, which
# itself sends notes here: passed in rather than imported, so neither module
# imports the other).
WriteBlocks = Callable[[_Element, XmlPart, tuple[Block, ...]], None]


class Footnotes:
    def __init__(self, ctx: Context, write_blocks: WriteBlocks) -> None:
        self.ctx = ctx
        self.write_blocks = write_blocks
        document_part = ctx.document.part
        self.part = XmlPart(PackURI("/word/footnotes.xml"), CT.WML_FOOTNOTES, parse_xml(_SKELETON),
                            document_part.package)
        document_part.relate_to(self.part, RT.FOOTNOTES)
        self.count = 0

    def add(self, note: Note) -> int:
        """Write `note` as the next footnote; returns its id for the reference run."""
        self.count += 1
        footnote = el("w:footnote", {"w:id": self.count})
        self.part.element.append(footnote)
        self.write_blocks(footnote, self.part, note.blocks)
        first = footnote.find(f"{{{W_NS}}}p")
        if first is None or footnote.index(first) != 0:
            first = paragraph(S.FOOTNOTE_TEXT)
            footnote.insert(0, first)
        self._prepend_mark(first)
        return self.count

    @staticmethod
    def _prepend_mark(p: _Element) -> None:
        mark = el("w:r", {}, rpr(rStyle=el("w:rStyle", {"w:val": S.FOOTNOTE_REFERENCE})), el("w:footnoteRef"))
        p.insert(1, mark)  # after w:pPr, which `paragraph` always writes first
        p.insert(2, run(" "))
