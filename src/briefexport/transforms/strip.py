"""Citations left out, for the formats that summarise (the one-pager, the email body).

A citation vanishes with the space before it; one that names its author in
the text (`@smith2020 says`) keeps the name and loses its year and note; the
bibliography goes.  Works on a formatted tree (citation spans) and on one
still holding `Cite` nodes alike.
"""

from __future__ import annotations

import dataclasses
import re
from typing import Any

from ..tree import Cite, Div, Document, Heading, Inline, Span, Text
from .crossref import is_crossref
from .rebuild import map_inlines


def _author_words(children: tuple[Inline, ...]) -> tuple[Inline, ...]:
    """The name an in-text citation opens with: "Smith" of "Smith (2020, p. 4)"
    or of "Smith¹", without the year, the note or the link."""
    words = []
    for child in children:
        if not isinstance(child, Text):
            break
        words.append(child.text)
    name = "".join(words).split("(")[0].strip()
    return (Text(name),) if name else ()


def strip_citations(doc: Document) -> Document:
    """`doc` without citation markers, for the one-pager and the email body.

    A citation vanishes with the space before it; one that names its author
    in the text (`@smith2020 says`) keeps the name and loses its note."""
    def on_inline(node: Any, in_note: bool, before: tuple[Inline, ...]) -> tuple[Inline, ...] | None:
        if isinstance(node, Cite) and not all(is_crossref(i.key) for i in node.items):
            return ()
        if isinstance(node, Span) and node.attrs.has_class("citation"):
            if dict(node.attrs.kv).get("mode") == "author-in-text":
                return _author_words(node.children)
            return ()
        return None

    def tidy(run: tuple[Inline, ...], in_note: bool) -> tuple[Inline, ...]:
        out: list[Inline] = []
        for node in run:
            if isinstance(node, Text) and out and isinstance(out[-1], Text):
                joined = out[-1].text + node.text
                out[-1] = Text(re.sub(r"[ \t]+([.,;:!?)])", r"\1", re.sub(r"[ \t]{2,}", " ", joined)))
            else:
                out.append(node)
        return tuple(out)

    stripped = map_inlines(doc, on_inline, tidy)
    blocks = tuple(b for b in stripped.blocks if not (isinstance(b, Div) and b.attrs.id == "refs")
                   and not (isinstance(b, Heading) and b.attrs.id == "bibliography"))
    return dataclasses.replace(stripped, blocks=blocks)
