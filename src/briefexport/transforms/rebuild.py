"""Rebuilding a tree run by run: the one traversal the citation passes share.

`map_inlines(doc, on_inline)` asks `on_inline` about every inline in the
order a reader meets it (a footnote's body where its reference stands), and
rebuilds the tree with what it returns.  The citation passes rely on that
order: "first cite", "subsequent" and "ibid" are positions in it.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Callable
from typing import Any

from ..tree import (
    BlockQuote, BulletList, Cite, CiteItem, CodeBlock, DefinitionList, Div, Document, Emph,
    Figure, Heading, HorizontalRule, Image, Inline, Link, Note, OrderedList, Para, Plain, Span,
    Strikeout, Strong, Table, TableCell,
)

# (inline, in_note, the run rebuilt so far) -> replacement inlines, or None
# to keep the inline and rebuild what is nested in it.
InlineFn = Callable[[Any, bool, tuple[Inline, ...]], "tuple[Inline, ...] | None"]
RunFix = Callable[[tuple[Inline, ...], bool], tuple[Inline, ...]]


class _Pass:
    def __init__(self, on_inline: InlineFn, after_run: RunFix | None) -> None:
        self.on_inline = on_inline
        self.after_run = after_run

    def blocks(self, blocks: tuple[Any, ...], in_note: bool) -> tuple[Any, ...]:
        return tuple(self.block(b, in_note) for b in blocks)

    def block(self, block: Any, in_note: bool) -> Any:
        r = dataclasses.replace
        run = self.run
        match block:
            case Para() | Plain() | Heading():
                return r(block, children=run(block.children, in_note))
            case BulletList() | OrderedList():
                return r(block, items=tuple(self.blocks(item, in_note) for item in block.items))
            case DefinitionList():
                items = tuple(
                    (run(term, in_note), tuple(self.blocks(d, in_note) for d in defs))
                    for term, defs in block.items
                )
                return r(block, items=items)
            case BlockQuote() | Div():
                return r(block, blocks=self.blocks(block.blocks, in_note))
            case Table():
                head = tuple(TableCell(run(c.children, in_note)) for c in block.head)
                rows = tuple(tuple(TableCell(run(c.children, in_note)) for c in row) for row in block.rows)
                return r(block, head=head, rows=rows, caption=run(block.caption, in_note))
            case Figure():
                return r(block, caption=run(block.caption, in_note))
            case CodeBlock() | HorizontalRule():
                return block
            case _:
                return self.generic(block, in_note)

    def run(self, inlines: tuple[Any, ...], in_note: bool) -> tuple[Any, ...]:
        out: list[Any] = []
        for inline in inlines:
            replacement = self.on_inline(inline, in_note, tuple(out))
            if replacement is None:
                out.append(self.inline(inline, in_note))
            else:
                out.extend(replacement)
        result = tuple(out)
        return self.after_run(result, in_note) if self.after_run else result

    def inline(self, inline: Any, in_note: bool) -> Any:
        r = dataclasses.replace
        match inline:
            case Emph() | Strong() | Strikeout() | Span() | Link():
                return r(inline, children=self.run(inline.children, in_note))
            case Image():
                return r(inline, alt=self.run(inline.alt, in_note))
            case Note():
                return r(inline, blocks=self.blocks(inline.blocks, True))
            case Cite():
                items = tuple(
                    CiteItem(i.key, i.mode, self.run(i.prefix, in_note), self.run(i.suffix, in_note), i.locator, i.label)
                    for i in inline.items
                )
                return r(inline, items=items)
            case _:
                return self.generic(inline, in_note) if dataclasses.is_dataclass(inline) else inline

    def generic(self, node: Any, in_note: bool) -> Any:
        """A node type this module does not name (another reader's or pass's):
        its tuple fields are rebuilt, blocks as blocks and inlines as runs."""
        changes = {}
        for f in dataclasses.fields(node):
            value = getattr(node, f.name)
            if isinstance(value, tuple) and value and dataclasses.is_dataclass(value[0]):
                is_blocks = hasattr(value[0], "line") and not isinstance(value[0], Cite)
                changes[f.name] = self.blocks(value, in_note) if is_blocks else self.run(value, in_note)
        return dataclasses.replace(node, **changes) if changes else node


def map_inlines(doc: Document, on_inline: InlineFn, after_run: RunFix | None = None) -> Document:
    """`doc` rebuilt with `on_inline` asked about every inline in reading order."""
    return dataclasses.replace(doc, blocks=_Pass(on_inline, after_run).blocks(doc.blocks, False))


def map_block_list(blocks: tuple[Any, ...], on_inline: InlineFn, after_run: RunFix | None = None) -> tuple[Any, ...]:
    return _Pass(on_inline, after_run).blocks(blocks, False)
