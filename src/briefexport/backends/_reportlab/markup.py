"""Tree inlines -> Paragraph markup, with font fallback and every text piece escaped."""

from __future__ import annotations

import re
from collections.abc import Callable

from ...common.links import external_target, internal_target
from ...common.xmltext import quoteattr
from ...errors import UnsupportedNode
from ...fonts import faces as _fonts
from ...tree import (
    Code, Emph, Image, Inline, LineBreak, Link, Note, SoftBreak, Span, Strikeout, Strong, Text,
)
from .faces import FontRole, _face_name, _standalone, _style
from .marking import LANG_CALLBACK, LANG_END
from .text import clean, escape, safe_anchor

# A BCP 47 tag as it may appear in the PDF (letters, digits, hyphens).
_LANG = re.compile(r"[A-Za-z]{2,8}(?:-[A-Za-z0-9]{1,8})*")


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
        on_image: Callable[[Image], str | None] | None = None,
        size: float = 10.0,
    ) -> None:
        self.role = role
        self.mono = mono or role
        self.link_color = link_color
        self.on_note = on_note
        self.links = links
        self.upper = upper  # a `caps` style: capitals chosen fonts must have
        # `on_image` turns an inline image into `<img>` markup at text size
        # (`size`, the style's font size), or None to show its alt text.
        self.on_image = on_image
        self.size = size

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
            case Span(children=c, attrs=attrs):
                inner = self(c, bold=bold, italic=italic)
                lang = dict(attrs.kv).get("lang", "")
                if not inner or not _LANG.fullmatch(lang):
                    return inner
                # Zero-width marks where the phrase starts and ends: the tagging
                # canvas makes it a Span with /Lang (see marking.LANG_CALLBACK).
                return (f"<onDraw name={quoteattr(LANG_CALLBACK)} label={quoteattr(lang)}/>{inner}"
                        f"<onDraw name={quoteattr(LANG_CALLBACK)} label={quoteattr(LANG_END)}/>")
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
                drawn = self.on_image(node) if self.on_image else None
                # Without a way to draw it (the one-pager), an inline image is its alt text.
                return drawn if drawn is not None else self(alt, bold=bold, italic=italic)
            case Note():
                return self.on_note(node) if self.on_note else ""
            case _:
                raise UnsupportedNode(f"inline node {type(node).__name__} is not handled by the PDF backends")
