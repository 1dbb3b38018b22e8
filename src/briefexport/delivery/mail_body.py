"""The email's body, from the tree: title, authors, date, standfirst, key points, attachments.

One `Summary` feeds both parts, so the plain-text and HTML versions say the
same.  The HTML is escaped source text with inline colours from the theme and
no fonts, images or links to fetch: mail clients block remote resources, and
a draft that looks like the sender's own mail is one they send as it is.
"""

from __future__ import annotations

import html
import textwrap
from dataclasses import dataclass
from typing import TYPE_CHECKING

from ..common.display import display_date, join_names
from .output import human_size
from ..tree import Para, inline_text

if TYPE_CHECKING:
    from ..theme import Theme
    from ..tree import Document

WRAP = 72
_STANDFIRST_WORDS = 60


@dataclass(frozen=True)
class Attachment:
    """One output as the email carries it (the body lists these with their sizes)."""

    filename: str
    media_type: str
    data: bytes


@dataclass(frozen=True)
class Summary:
    title: str
    kicker: str  # "Policy Brief · 10 January 2022"
    byline: str
    standfirst: str
    key_points: tuple[str, ...]
    attachments: tuple[tuple[str, str], ...]  # (file name, size)
    lang: str


def summary(doc: "Document", attachments: list[Attachment], theme: "Theme") -> Summary:
    meta = doc.meta
    names = [_clean(a.name) for a in meta.authors if _clean(a.name)]
    series = _clean(meta.series or theme.brand.series)
    date = display_date(_clean(meta.date))
    return Summary(
        title=_clean(meta.title),
        kicker=" · ".join(p for p in (series, _clean(theme.brand.publisher), date) if p),
        byline=f"By {join_names(names)}" if names else "",
        standfirst=_clean(meta.subtitle) or _first_paragraph(doc),
        key_points=tuple(p for p in (_clean(k) for k in meta.key_points) if p),
        attachments=tuple((_clean(a.filename), human_size(len(a.data))) for a in attachments),
        lang=_clean(meta.lang) or "en",
    )


def text_body(doc: "Document", attachments: list[Attachment], theme: "Theme") -> str:
    s = summary(doc, attachments, theme)
    blocks: list[str] = []
    head = [line for line in (s.title, s.kicker, s.byline) if line]
    if head:
        blocks.append("\n".join(_wrap(line) for line in head))
    if s.standfirst:
        blocks.append(_wrap(s.standfirst))
    if s.key_points:
        blocks.append("Key points\n" + "\n".join(_wrap(p, "- ", "  ") for p in s.key_points))
    if s.attachments:
        blocks.append("Attached\n" + "\n".join(_wrap(f"{name} ({size})", "- ", "  ") for name, size in s.attachments))
    return "\n\n".join(blocks) + "\n"


def html_body(doc: "Document", attachments: list[Attachment], theme: "Theme") -> str:
    s = summary(doc, attachments, theme)
    e = html.escape
    accent, muted, ink = theme.colors.accent, theme.colors.muted, theme.colors.ink
    out = [
        "<!DOCTYPE html>",
        f'<html lang="{e(s.lang)}">',
        f'<head><meta charset="utf-8"><title>{e(s.title)}</title></head>',
        f'<body style="color:{ink}">',
    ]
    if s.kicker:
        out.append(f'<p style="margin:0;color:{muted}">{e(s.kicker)}</p>')
    if s.title:
        out.append(f'<h2 style="margin:0.2em 0;color:{accent}">{e(s.title)}</h2>')
    if s.byline:
        out.append(f"<p style=\"margin:0\">{e(s.byline)}</p>")
    if s.standfirst:
        out.append(f"<p>{e(s.standfirst)}</p>")
    if s.key_points:
        out.append(f'<p style="margin-bottom:0;color:{accent}"><strong>Key points</strong></p>')
        out.append("<ul>" + "".join(f"<li>{e(p)}</li>" for p in s.key_points) + "</ul>")
    if s.attachments:
        out.append('<p style="margin-bottom:0"><strong>Attached</strong></p>')
        out.append("<ul>" + "".join(
            f"<li>{e(name)} <span style=\"color:{muted}\">({e(size)})</span></li>" for name, size in s.attachments
        ) + "</ul>")
    out.append("</body>")
    out.append("</html>")
    return "\n".join(out) + "\n"


def _clean(text: str) -> str:
    """Text safe for a MIME part: no control characters, no lone surrogates, one line."""
    text = text.encode("utf-8", "replace").decode("utf-8")
    return " ".join("".join(c if c.isprintable() else " " for c in text).split())


def _wrap(text: str, first: str = "", rest: str = "") -> str:
    # Long words (URLs) stay whole: broken, they stop working when copied.
    return textwrap.fill(text, WRAP, initial_indent=first, subsequent_indent=rest,
                         break_long_words=False, break_on_hyphens=False)


def _first_paragraph(doc: "Document") -> str:
    """The opening paragraph, shortened, when the front matter has no subtitle."""
    for block in doc.blocks:
        if isinstance(block, Para):
            words = _clean(inline_text(block.children)).split()
            if not words:
                continue
            if len(words) <= _STANDFIRST_WORDS:
                return " ".join(words)
            return " ".join(words[:_STANDFIRST_WORDS]) + " …"
    return ""
