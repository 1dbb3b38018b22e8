"""Per-render state of the brief: styles, fonts, note and figure counters."""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from pathlib import Path

from reportlab.lib.styles import ParagraphStyle
from reportlab.platypus import TableStyle

from ...common.scripts import is_rtl_language
from ...theme import TextStyle, Theme
from ...tree import Document, Inline, Note
from .._reportlab.faces import FontRole, font_roles
from .._reportlab.markup import InlineMarkup
from .._reportlab.structure import StructTree
from .._reportlab.styles import paragraph_style
from .._reportlab.text import safe_anchor
from .inline_images import inline_image


@dataclass
class NoteEntry:
    number: int
    note: Note


@dataclass
class BriefContext:
    """Everything one render needs besides the tree; created per render."""

    doc: Document
    theme: Theme
    base_dir: Path
    roles: dict[str, FontRole]
    column_width: float
    body_height: float
    notes: list[NoteEntry] = field(default_factory=list)
    figures: int = 0
    tables: int = 0
    anchors: set[str] = field(default_factory=set)
    tree: StructTree = field(default_factory=StructTree)  # the tagged PDF's structure
    _styles: dict[tuple[str, str, str], ParagraphStyle] = field(default_factory=dict)

    @classmethod
    def create(cls, doc: Document, theme: Theme, base_dir: Path, *, column_width: float, body_height: float) -> BriefContext:
        return cls(doc, theme, base_dir, font_roles(theme), column_width, body_height)

    # -------------------------------------------------------------- styles

    def style(self, name: str, *, align: str | None = None, **overrides: object) -> ParagraphStyle:
        """The ParagraphStyle for theme style `name` (e.g. "body", "h2"), cached per variant."""
        text_style: TextStyle = getattr(self.theme.styles, name.replace("-", "_"))
        if align is None:
            align = self.theme.page.align if text_style.font == "body" and name in _JUSTIFIABLE else "left"
        # Inline images are embedded at print size for this resolution.
        overrides.setdefault("bxMaxImageDpi", self.theme.output.max_image_dpi)
        if align == "justify" and self.theme.page.hyphenate:
            overrides.setdefault("hyphenationLang", self.theme.page.hyphenation_lang)
        key = (name, align, repr(sorted(overrides.items())))
        cached = self._styles.get(key)
        if cached is None:
            cached = paragraph_style(f"bx-{name}-{len(self._styles)}", text_style, self.theme, self.roles,
                                     align=align, rtl=self.rtl, **overrides)
            self._styles[key] = cached
        return cached

    @property
    def rtl(self) -> bool:
        """The document is in a right-to-left language: paragraphs run right to left."""
        return is_rtl_language(self.doc.meta.lang)

    def list_indent(self, indent: float) -> dict[str, object]:
        """ListFlowable keywords that indent a list, and put its bullets, on the side its lines start."""
        if self.rtl:
            return {"leftIndent": 0, "rightIndent": indent, "bulletDir": "rtl"}
        return {"leftIndent": indent}

    def table_style(self, *commands: tuple) -> TableStyle:
        """A TableStyle whose cells name the body font: reportlab sets each
        cell's font even when it holds only flowables, and its default
        (Helvetica) would be listed in the PDF as an unembedded font."""
        return TableStyle([("FONTNAME", (0, 0), (-1, -1), self.roles["body"].primary), *commands])

    def text_style(self, name: str) -> TextStyle:
        return getattr(self.theme.styles, name.replace("-", "_"))

    # ------------------------------------------------------------- inlines

    def markup(self, inlines: tuple[Inline, ...], style: str, *, bold: bool = False, italic: bool = False,
               links: bool = True) -> str:
        """Paragraph markup for `inlines` set in the theme style `style`.

        Footnotes become numbered, linked markers.  The style's own weight and
        slant count: font fallback must look for glyphs in the face that will
        really draw them (an italic style draws with the italic face).
        """
        ts = self.text_style(style)
        converter = InlineMarkup(
            self.roles[ts.font], link_color=self.theme.colors.link, on_note=self._note_marker,
            on_image=lambda image: inline_image(image, ts.size, base_dir=self.base_dir, source=self.doc.source,
                                                max_width=self.column_width),
            mono=self.roles["mono"], links=links, upper=ts.caps,
        )
        return converter(inlines, bold=bold or ts.bold, italic=italic or ts.italic)

    def text(self, text: str, style: str, *, bold: bool = False, italic: bool = False) -> str:
        """Plain source text (front matter) in the theme style `style`, escaped, with font fallback."""
        ts = self.text_style(style)
        converter = InlineMarkup(self.roles[ts.font], link_color=self.theme.colors.link, upper=ts.caps)
        return converter.text(text, bold=bold or ts.bold, italic=italic or ts.italic)

    def _note_marker(self, note: Note) -> str:
        number = len(self.notes) + 1
        self.notes.append(NoteEntry(number, note))
        # The back link of the note lands on `ref-n`; the marker jumps to `note-n`.
        return (
            f'<a name="{note_ref_anchor(number)}"/>'
            f'<a href="#{note_anchor(number)}" color="{self.theme.colors.link}"><super>{number}</super></a>'
        )

    def unique_anchor(self, wanted: str) -> str:
        """A destination name for a heading, unique in the document."""
        base = safe_anchor(wanted)
        name, n = base, 1
        while name in self.anchors:
            n += 1
            name = f"{base}-{n}"
        self.anchors.add(name)
        return name


# Styles that follow `page.align` (justified text); headings, captions and
# boxes stay ragged.
_JUSTIFIABLE = frozenset({"body", "lead", "blockquote", "notes", "bio"})


def note_anchor(number: int) -> str:
    return f"bx-note-{number}"


def note_ref_anchor(number: int) -> str:
    return f"bx-noteref-{number}"


def heading_id(text: str) -> str:
    """pandoc's automatic identifier for a heading ('Minsk in Distress' -> 'minsk-in-distress')."""
    ident = re.sub(r"[^\w\s-]", "", text.lower(), flags=re.UNICODE)
    ident = re.sub(r"\s+", "-", ident.strip())
    return ident.lstrip("0123456789-") or "section"
