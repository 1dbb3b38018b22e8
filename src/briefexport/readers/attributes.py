"""pandoc's attributes where markdown-it does not read them, and table captions.

`## China {#sec:china}` (heading attributes), `![Caption](x.png){#fig:x}`
(markdown-it's attrs plugin reads these; the parser keeps them), and
`Table: Caption {#tbl:trade}` beside a pipe table, which pandoc reads as the
table's caption.
"""

from __future__ import annotations

import dataclasses
import re
from typing import Any

from ..tree import Attrs, Block, Inline, Para, Table, Text

_ATTR = re.compile(r"""([.#][\w:.-]+)|([\w-]+)=("[^"]*"|'[^']*'|[^\s"'}]+)""")
_TRAILING = re.compile(r"\s*\{(\s*(?:[.#][\w:.-]+|[\w-]+=(?:\"[^\"]*\"|'[^']*'|[^\s\"'}]+))(?:\s+(?:[.#][\w:.-]+|[\w-]+=(?:\"[^\"]*\"|'[^']*'|[^\s\"'}]+)))*\s*)\}\s*$")


def parse_attrs(text: str) -> Attrs:
    """`#id .class key=value` (the inside of `{...}`) -> Attrs."""
    ident, classes, kv = "", [], []
    for m in _ATTR.finditer(text):
        if m.group(1):
            if m.group(1).startswith("#"):
                ident = m.group(1)[1:]
            else:
                classes.append(m.group(1)[1:])
        else:
            kv.append((m.group(2), m.group(3).strip("\"'")))
    return Attrs(ident, tuple(classes), tuple(kv))


def trailing_attrs(inlines: list[Inline]) -> tuple[list[Inline], Attrs | None]:
    """Inlines ending in `{#id .class}` -> the inlines without it, and the Attrs."""
    if not inlines or not isinstance(inlines[-1], Text):
        return inlines, None
    m = _TRAILING.search(inlines[-1].text)
    if not m:
        return inlines, None
    rest = inlines[-1].text[: m.start()].rstrip()
    head = inlines[:-1] + ([Text(rest)] if rest else [])
    return head, parse_attrs(m.group(1))


def merge_attrs(base: Attrs, extra: Attrs | None) -> Attrs:
    if extra is None:
        return base
    return Attrs(extra.id or base.id, base.classes + extra.classes, base.kv + extra.kv)


def token_attrs(attrs: dict[str, Any]) -> Attrs:
    ident, classes, kv = "", (), []
    for key, value in attrs.items():
        if key == "id":
            ident = str(value)
        elif key == "class":
            classes = tuple(str(value).split())
        elif key not in ("src", "alt", "title", "href"):
            kv.append((str(key), str(value)))
    return Attrs(ident, classes, tuple(kv))


_CAPTION = re.compile(r"^(?:[Tt]able)?:\s+")


def _caption_of(block: Block) -> tuple[Inline, ...] | None:
    if not isinstance(block, Para) or not block.children or not isinstance(block.children[0], Text):
        return None
    first = block.children[0]
    m = _CAPTION.match(first.text)
    if not m:
        return None
    rest = first.text[m.end():]
    return ((Text(rest),) if rest else ()) + tuple(block.children[1:])


def with_table_captions(blocks: list[Block]) -> list[Block]:
    """A `Table: ...` (or `: ...`) paragraph right after a table, or right
    before it, becomes the table's caption; `{#tbl:x}` at its end its id."""
    out: list[Block] = []
    i = 0
    while i < len(blocks):
        block = blocks[i]
        if isinstance(block, Table) and not block.caption:
            caption = _caption_of(blocks[i + 1]) if i + 1 < len(blocks) else None
            if caption is not None:
                i += 1
            elif out and (caption := _caption_of(out[-1])) is not None:
                out.pop()
            if caption is not None:
                inlines, attrs = trailing_attrs(list(caption))
                block = dataclasses.replace(block, caption=tuple(inlines), attrs=merge_attrs(block.attrs, attrs))
        out.append(block)
        i += 1
    return out
