"""Shared reportlab helpers: fonts, theme -> ParagraphStyle, and the one escaper.

reportlab's Paragraph text is markup, so every string that comes from the
source reaches it through `escape` (and inline trees through `InlineMarkup`,
which calls `escape` for every piece of text).  Nothing else in the PDF
backends builds markup from source text.
"""

from __future__ import annotations

import datetime as _dt
import hashlib
import re
import time
import unicodedata
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from reportlab.lib.colors import HexColor
from reportlab.lib.enums import TA_CENTER, TA_JUSTIFY, TA_LEFT, TA_RIGHT
from reportlab.lib.styles import ParagraphStyle
from reportlab.pdfbase import pdfmetrics
from reportlab.pdfbase.ttfonts import TTFont
from reportlab.pdfgen.canvas import Canvas

from .. import fonts as _fonts
from ..errors import UnsupportedNode
from ..links import external_target, internal_target
from ..theme import FontFamily, TextStyle, Theme
from ..tree import (
    Code, Emph, Image, Inline, LineBreak, Link, Meta, Note, SoftBreak, Span, Strikeout, Strong, Text,
)
from ..xmltext import escape as _xml_escape
from ..xmltext import quoteattr

# C0/C1 controls and lone surrogates draw as boxes in reportlab: drop them.
# Tab and newline are kept for code blocks, which handle them themselves.
_CONTROL = re.compile(r"[\x00-\x08\x0b-\x1f\x7f-\x9f\ud800-\udfff\ufffe\uffff]")
ALIGN = {"left": TA_LEFT, "justify": TA_JUSTIFY, "center": TA_CENTER, "right": TA_RIGHT}


def clean(text: str) -> str:
    """`text` without the characters no font can draw (controls, surrogates)."""
    return _CONTROL.sub("", text)


def escape(text: str) -> str:
    """Source text -> Paragraph markup that shows exactly that text."""
    return _xml_escape(clean(text).replace("\t", " ").replace("\n", " "))


def color(hex_value: str) -> HexColor:
    return HexColor(hex_value)


# ------------------------------------------------------------------ fonts


@dataclass(frozen=True)
class FontRole:
    """The reportlab names of one role's chain, first family first."""

    families: tuple[FontFamily, ...]
    names: tuple[str, ...]  # registered family names, one per chain entry

    @property
    def primary(self) -> str:
        return self.names[0]

    def face(self, bold: bool = False, italic: bool = False, index: int = 0) -> str:
        return _face_name(self.names[index], _style(bold, italic))


def _style(bold: bool, italic: bool) -> str:
    return {(False, False): "regular", (True, False): "bold", (False, True): "italic", (True, True): "bold_italic"}[
        (bold, italic)
    ]


def _face_name(family_key: str, style: str) -> str:
    return family_key if style == "regular" else f"{family_key}-{style}"


def draw_text(canv: Any, x: float, y: float, text: str, role: FontRole, size: float, *,
              bold: bool = False, italic: bool = False) -> float:
    """Draw source text straight on a canvas (no Paragraph), cleaned and with
    the same font fallback as `InlineMarkup.text`; returns the width drawn."""
    start = x
    text = clean(text).replace("\t", " ").replace("\n", " ")
    for index, style, run in _fonts.split_styled_runs(text, role.families, _style(bold, italic)):
        face = _face_name(role.names[index], style)
        canv.setFont(face, size)
        canv.drawString(x, y, run)
        x += pdfmetrics.stringWidth(run, face, size)
    return x - start


def register_family(family: FontFamily) -> str:
    """Register the four faces of `family` with reportlab; returns its name.

    reportlab's font registry lives as long as the process, so the name
    carries a digest of the files: two themes that give one family name to
    different files (in one process: tests, a batch, the API) never share.
    """
    files = repr([(str(f.path), f.variations) for f in _fonts.family_faces(family).values()])
    key = f"bx-{family.name}-{hashlib.sha256(files.encode()).hexdigest()[:10]}"
    if key in pdfmetrics.getRegisteredFontNames():
        return key
    faces = _fonts.family_faces(family)
    for style, face in faces.items():
        pdfmetrics.registerFont(TTFont(_face_name(key, style), str(_fonts.face_file(face))))
    # Without the family mapping, <b> and <i> silently stay regular.
    pdfmetrics.registerFontFamily(
        key,
        normal=key,
        bold=_face_name(key, "bold"),
        italic=_face_name(key, "italic"),
        boldItalic=_face_name(key, "bold_italic"),
    )
    return key


def _standalone(face: str) -> str:
    """`face` registered a second time under a name in no font family.

    Inside `<i>` or `<b>`, reportlab maps a family's face to the family's
    italic or bold; a standalone name is drawn as it is.
    """
    name = f"{face}-standalone"
    if name not in pdfmetrics.getRegisteredFontNames():
        pdfmetrics.registerFont(TTFont(name, pdfmetrics.getFont(face).face.filename))
    return name


def font_roles(theme: Theme) -> dict[str, FontRole]:
    roles = {}
    for role in ("body", "heading", "mono"):
        chain = theme.fonts.chain(role)
        roles[role] = FontRole(chain, tuple(register_family(f) for f in chain))
    return roles


# ----------------------------------------------------------------- styles


def paragraph_style(
    name: str,
    style: TextStyle,
    theme: Theme,
    roles: dict[str, FontRole],
    *,
    align: str = "left",
    **overrides: object,
) -> ParagraphStyle:
    """A ParagraphStyle from a theme TextStyle; `overrides` are ParagraphStyle keywords."""
    role = roles[style.font]
    values: dict[str, object] = {
        "fontName": role.face(style.bold, style.italic),
        "fontSize": style.size,
        "leading": style.leading,
        "textColor": color(theme.color(style.color)),
        "spaceBefore": style.space_before,
        "spaceAfter": style.space_after,
        "alignment": ALIGN[align],
        "allowWidows": 0,
        "allowOrphans": 0,
        "uriWasteReduce": 0.3,
        "splitLongWords": 1,
        "embeddedHyphenation": 1,
    }
    if style.tracking:
        values["charSpace"] = style.tracking
    # `caps` is not reportlab's textTransform: capitals are set in the text
    # (InlineMarkup(upper=True)) before fonts are chosen, since a face may have
    # 'π' but not 'Π'.
    values.update(overrides)
    return ParagraphStyle(name, **values)  # type: ignore[arg-type]


# ---------------------------------------------------------------- inlines


class InlineMarkup:
    """Tree inlines -> Paragraph markup, every text piece escaped.

    `on_note` turns a footnote into its marker markup (the caller numbers the
    notes and keeps their bodies).  Characters the role's first font lacks are
    wrapped in `<font name=...>` of the first family in the chain that has them,
    in a lesser style (upright, regular weight) when no face of the wanted
    style has them.
    """

    def __init__(
        self,
        role: FontRole,
        *,
        link_color: str,
        on_note: Callable[[Note], str] | None = None,
        mono: FontRole | None = None,
        links: bool = True,
        upper: bool = False,
    ) -> None:
        self.role = role
        self.mono = mono or role
        self.link_color = link_color
        self.on_note = on_note
        self.links = links
        self.upper = upper  # a `caps` style: capitals chosen fonts must have

    def __call__(self, inlines: tuple[Inline, ...] | list[Inline], *, bold: bool = False, italic: bool = False) -> str:
        return "".join(self._inline(node, bold, italic) for node in inlines)

    def text(self, text: str, *, bold: bool = False, italic: bool = False, role: FontRole | None = None) -> str:
        """Plain source text as markup, with font fallback by word (see `fonts.split_styled_runs`)."""
        role = role or self.role
        text = clean(text.upper() if self.upper else text)
        wanted = _style(bold, italic)
        out = []
        for index, style, run in _fonts.split_styled_runs(text, role.families, wanted):
            piece = escape(run)
            if style != wanted:
                # A lesser style (upright inside italic): reportlab would map a
                # family face back to the italic the context asks for, which
                # lacks the glyph, so name the face outside any family.
                out.append(f"<font name={quoteattr(_standalone(_face_name(role.names[index], style)))}>{piece}</font>")
            elif index:
                out.append(f"<font name={quoteattr(_face_name(role.names[index], style))}>{piece}</font>")
            else:
                out.append(piece)
        return "".join(out)

    def _inline(self, node: Inline, bold: bool, italic: bool) -> str:
        match node:
            case Text(text=t):
                return self.text(t, bold=bold, italic=italic)
            case SoftBreak():
                return " "
            case LineBreak():
                return "<br/>"
            case Emph(children=c):
                return f"<i>{self(c, bold=bold, italic=True)}</i>"
            case Strong(children=c):
                return f"<b>{self(c, bold=True, italic=italic)}</b>"
            case Strikeout(children=c):
                return f"<strike>{self(c, bold=bold, italic=italic)}</strike>"
            case Code(text=t):
                face = quoteattr(self.mono.face(bold, italic))
                return f"<font name={face}>{self.text(t, bold=bold, italic=italic, role=self.mono)}</font>"
            case Span(children=c):
                return self(c, bold=bold, italic=italic)
            case Link(children=c, url=url):
                inner = self(c, bold=bold, italic=italic)
                if not self.links:
                    return inner
                target = external_target(url)
                if target is not None:
                    return f"<a href={quoteattr(target)} color={quoteattr(self.link_color)}>{inner}</a>"
                anchor = internal_target(url)
                if anchor is not None:
                    return f"<a href={quoteattr('#' + safe_anchor(anchor))} color={quoteattr(self.link_color)}>{inner}</a>"
                return inner
            case Image(alt=alt):
                # Inline images inside running text are shown by their alt text.
                return self(alt, bold=bold, italic=italic)
            case Note():
                return self.on_note(node) if self.on_note else ""
            case _:
                raise UnsupportedNode(f"inline node {type(node).__name__} is not handled by the PDF backends")


def safe_anchor(name: str) -> str:
    """An anchor name reportlab accepts: ASCII letters, digits, '-' and '_'.

    Every name from the source gets the prefix `h-`, so that no heading id or
    link can take over the brief's own destinations (`bx-note-1`, outline keys).
    """
    ascii_name = unicodedata.normalize("NFKD", name).encode("ascii", "ignore").decode("ascii")
    return "h-" + (re.sub(r"[^A-Za-z0-9_-]+", "-", ascii_name).strip("-") or "anchor")


# ------------------------------------------------------ documents and pages

PAGE_COUNT_FORM = "bx-page-count"


class PageCountCanvas(Canvas):
    """A Canvas that can print "Page n of N" in a single layout pass.

    Each page draws its "Page n of " and places the form `PAGE_COUNT_FORM`
    after it (`draw_page_of`); `save` defines that form with the total once
    it is known.  A PDF form may be defined after its first use, so the
    outline and internal links stay right, unlike the two-pass
    `NumberedCanvas` recipe that replays every page.

    `created` sets the document's dates (reportlab otherwise stamps
    2000-01-01 in invariant mode).
    """

    def __init__(self, *args: Any, created: _dt.datetime | None = None, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self._page_count_style: tuple[str, float, str] | None = None
        if created is not None:
            stamp = self._doc._timeStamp
            seconds = created.timestamp()
            stamp.t = seconds
            stamp.lt = time.gmtime(seconds)
            stamp.YMDhms = tuple(stamp.lt)[:6]
            stamp.dhh = stamp.dmm = 0
            stamp.tzname = "UTC"

    def save(self) -> None:
        if self._code:
            self.showPage()
        if self._page_count_style is not None:
            font, size, fill = self._page_count_style
            self.beginForm(PAGE_COUNT_FORM)
            self.setFont(font, size)
            self.setFillColor(color(fill))
            self.drawString(0, 0, str(self.getPageNumber() - 1))
            self.endForm()
        super().save()


def draw_page_of(
    canv: Canvas, prefix: str, right: float, y: float, *, font: str, size: float, fill: str
) -> None:
    """Draw `prefix` (e.g. "Page 3 of ") and the total page count, ending near `right`.

    The total is unknown until the end, so room for two digits is kept at
    the right; a one-digit total ends one digit short of `right`.
    """
    if not isinstance(canv, PageCountCanvas):
        raise TypeError("draw_page_of needs a PageCountCanvas (pass canvasmaker=PageCountCanvas)")
    canv._page_count_style = (font, size, fill)
    slot = pdfmetrics.stringWidth("99", font, size)
    canv.saveState()
    canv.setFont(font, size)
    canv.setFillColor(color(fill))
    canv.drawRightString(right - slot, y, prefix)
    canv.translate(right - slot, y)
    canv.doForm(PAGE_COUNT_FORM)
    canv.restoreState()


def document_info(meta: Meta, *, subject: str | None = None) -> dict[str, object]:
    """`BaseDocTemplate` keywords for the PDF's metadata and reproducibility."""
    from .. import __version__

    return {
        "title": clean(meta.title),
        "author": ", ".join(clean(a.name) for a in meta.authors),
        "subject": clean(meta.subtitle if subject is None else subject),
        "keywords": [clean(k) for k in meta.keywords],
        "creator": f"briefexport {__version__}",
        "lang": clean(meta.lang) or "en",
        "displayDocTitle": 1,
        "invariant": 1,
    }
