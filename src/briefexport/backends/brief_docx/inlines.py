"""Tree inlines -> `w:r` runs, hyperlinks and footnote references.

Emphasis, strong, strikethrough and code are the only run formatting (code as
the "Verbatim Char" character style); everything else comes from the
paragraph's named style.
"""

from __future__ import annotations

from dataclasses import dataclass, replace
from typing import TYPE_CHECKING

from docx.opc.constants import RELATIONSHIP_TYPE as RT
from docx.opc.part import Part
from lxml.etree import _Element

from ...common.scripts import direction_runs
from ...errors import UnsupportedNode
from ...common.links import external_target, internal_target
from ...tree import (
    Code, Emph, Image, Inline, LineBreak, Link, Note, SoftBreak, Span, Strikeout, Strong, Text,
    inline_text,
)
from ...fonts.faces import family_name, split_styled_runs
from . import styles as S
from .references import crossref
from .xml import clean, el, on_off, rpr, run


if TYPE_CHECKING:
    from .context import Context


STYLE_NAMES = {(False, False): "regular", (True, False): "bold", (False, True): "italic", (True, True): "bold_italic"}


@dataclass(frozen=True)
class Fmt:
    bold: bool = False
    italic: bool = False
    strike: bool = False
    char_style: str = ""
    lang: str = ""  # from a span marked `{lang=...}`: Word picks fonts and proofing by it
    # A fallback family for a word the style's font lacks a letter of, and
    # the style it is set in when that family lacks the bold or italic.
    font: str = ""
    face: tuple[bool, bool] | None = None  # (bold, italic), said explicitly
    # Right-to-left text: Word lays the run out right to left and sets it with
    # the complex-script font, bold and italic (`w:cs`, `bCs`, `iCs`).
    rtl: bool = False
    cs_font: str = ""  # a complex-script font for this run, when the style's cannot draw it

    def props(self) -> _Element:
        parts: dict[str, _Element] = {}
        if self.char_style:
            parts["rStyle"] = el("w:rStyle", {"w:val": self.char_style})
        fonts = {**({"w:ascii": self.font, "w:hAnsi": self.font} if self.font else {}),
                 **({"w:cs": self.cs_font} if self.cs_font else {})}
        if fonts:
            parts["rFonts"] = el("w:rFonts", fonts)
        if self.lang:
            parts["lang"] = el("w:lang", {"w:val": self.lang, "w:eastAsia": self.lang, "w:bidi": self.lang})
        if self.face is not None:
            parts["b"] = on_off("w:b", self.face[0])
            parts["i"] = on_off("w:i", self.face[1])
        if self.bold and self.face is None:
            parts["b"] = on_off("w:b", True)
            if self.rtl:
                parts["bCs"] = on_off("w:bCs", True)
        if self.italic and self.face is None:
            parts["i"] = on_off("w:i", True)
            if self.rtl:
                parts["iCs"] = on_off("w:iCs", True)
        if self.strike:
            parts["strike"] = on_off("w:strike", True)
        if self.rtl:
            parts["rtl"] = el("w:rtl")
            parts["cs"] = el("w:cs")
        return rpr(**parts)


class Inlines:
    """Writes inlines into a paragraph (or hyperlink) of one story part."""

    def __init__(self, ctx: Context, part: Part, *, in_note: bool = False) -> None:
        self.ctx = ctx
        self.part = part  # hyperlink relationships belong to the part the text is in
        self.in_note = in_note
        self.para_style = S.BODY  # the style of the paragraph being written

    def write(self, target: _Element, inlines: tuple[Inline, ...], fmt: Fmt = Fmt(), *, linked: bool = False,
              style: str | None = None) -> None:
        if style is not None:
            self.para_style = style
        for node in inlines:
            self._inline(target, node, fmt, linked)

    def text(self, target: _Element, text: str, fmt: Fmt = Fmt()) -> None:
        """Runs for `text`; a word the style's font lacks a letter of goes whole to a fallback.

        As in the PDF: the fonts are embedded, so Word and LibreOffice would
        otherwise fill the gap glyph by glyph and draw one word in two fonts.
        Right-to-left stretches are runs of their own (`_directed`).
        """
        if not text:
            return
        role, bold, italic = self.ctx.style_faces.get(self.para_style, ("body", False, False))
        if fmt.char_style == S.VERBATIM:
            role = "mono"
        bold, italic = bold or fmt.bold, italic or fmt.italic
        style = STYLE_NAMES[bold, italic]
        chain = self.ctx.theme.fonts.chain(role)
        pieces = split_styled_runs(text, chain, style)
        if len(pieces) <= 1 and (not pieces or pieces[0][:2] == (0, style)):
            self._directed(target, text, fmt)
            return
        for index, used, piece in pieces:
            font = family_name(chain[index]) if index else ""
            face = None if used == style else (used in ("bold", "bold_italic"), used in ("italic", "bold_italic"))
            if face is not None and face != (fmt.bold, fmt.italic):
                # The fallback lacks the face: the round-trip part remembers what the source asked for.
                self.ctx.forced_faces.append((clean(piece), fmt.bold, fmt.italic))
            self._directed(target, piece, replace(fmt, font=font, face=face))

    def _directed(self, target: _Element, text: str, fmt: Fmt) -> None:
        """`text` as runs, its right-to-left stretches marked (`w:rtl`, `w:cs`) and set in
        the complex-script font that draws them."""
        for piece, rtl in direction_runs(text):
            if rtl:
                cs_font = fmt.font or self.ctx.names.complex_font_for(piece)
                target.append(run(piece, replace(fmt, rtl=True, cs_font=cs_font).props()))
            else:
                target.append(run(piece, fmt.props()))

    def _inline(self, target: _Element, node: Inline, fmt: Fmt, linked: bool) -> None:
        match node:
            case Text(text=t):
                self.text(target, t, fmt)
            case SoftBreak():
                self.text(target, " ", fmt)
            case LineBreak():
                target.append(run("\n", fmt.props()))
            case Emph(children=c):
                self.write(target, c, replace(fmt, italic=True), linked=linked)
            case Strong(children=c):
                self.write(target, c, replace(fmt, bold=True), linked=linked)
            case Strikeout(children=c):
                self.write(target, c, replace(fmt, strike=True), linked=linked)
            case Code(text=t):
                self.text(target, t.replace("\n", " "), replace(fmt, char_style=fmt.char_style or S.VERBATIM))
            case Span(children=c, attrs=attrs):
                # `@fig:x` as a REF field to the figure's number (a plain link otherwise).
                if attrs.has_class("crossref") and not linked and crossref(self.ctx, target, dict(attrs.kv), fmt.props()):
                    return
                lang = clean(dict(attrs.kv).get("lang", "")).strip()
                self.write(target, c, replace(fmt, lang=lang) if lang else fmt, linked=linked)
            case Link(children=c, url=url, title=title):
                self._link(target, c, url, title, fmt, linked)
            case Image(alt=alt):
                # As in the PDF, an image inside running text is its text equivalent.
                self.write(target, alt, fmt, linked=linked)
            case Note():
                self._note(target, node, fmt)
            case _:
                raise UnsupportedNode(f"inline node {type(node).__name__} is not handled by the DOCX backend",
                                      self.ctx.doc.source)

    def _link(self, target: _Element, children: tuple[Inline, ...], url: str, title: str, fmt: Fmt,
              linked: bool) -> None:
        if linked:  # Word cannot nest hyperlinks
            self.write(target, children, fmt, linked=True)
            return
        attrs: dict[str, object] = {}
        external = external_target(url)
        if external is not None:
            attrs["r:id"] = self.part.relate_to(clean(external), RT.HYPERLINK, is_external=True)
        else:
            anchor = internal_target(url)
            bookmark = self.ctx.anchors.get(anchor) if anchor else None
            if bookmark is None:
                self.write(target, children, fmt, linked=linked)
                return
            attrs["w:anchor"] = bookmark
        if title:
            attrs["w:tooltip"] = clean(title)
        link = el("w:hyperlink", attrs)
        link_fmt = replace(fmt, char_style=S.HYPERLINK) if not fmt.char_style else fmt
        self.write(link, children, link_fmt, linked=True)
        if not len(link):
            link.append(run(inline_text(children) or url, link_fmt.props()))
        target.append(link)

    def _note(self, target: _Element, note: Note, fmt: Fmt) -> None:
        if self.in_note:
            # Word has no footnote inside a footnote: keep its text in brackets.
            self.text(target, " (", fmt)
            for block in note.blocks:
                from ...tree import plain_text

                self.text(target, plain_text(block), fmt)
            self.text(target, ")", fmt)
            return
        number = self.ctx.footnotes.add(note)
        ref = el("w:r", {}, rpr(rStyle=el("w:rStyle", {"w:val": S.FOOTNOTE_REFERENCE})),
                 el("w:footnoteReference", {"w:id": number}))
        target.append(ref)
