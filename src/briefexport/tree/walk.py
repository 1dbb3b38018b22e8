"""Walking the tree: children in document order, the plain text of a node, neighbouring texts joined."""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from typing import Any

from .nodes import (
    BlockQuote, BulletList, Cite, CiteItem, Code, CodeBlock, DefinitionList, Div, Document, Emph, Figure, Heading,
    HorizontalRule, Image, Inline, LineBreak, Link, Note, OrderedList, Para, Plain, SoftBreak, Span,
    Strikeout, Strong, Table, TableCell, Text,
)


def children(node: Any) -> Iterator[Any]:
    """The direct child nodes of `node`, in document order."""
    match node:
        case Document(blocks=blocks):
            yield from blocks
        case Text() | Code() | SoftBreak() | LineBreak() | CodeBlock() | HorizontalRule():
            return
        case Emph(children=c) | Strong(children=c) | Strikeout(children=c) | Span(children=c):
            yield from c
        case Link(children=c) | Para(children=c) | Plain(children=c) | Heading(children=c):
            yield from c
        case TableCell(children=c):
            yield from c
        case Image(alt=alt):
            yield from alt
        case Cite(items=items):
            yield from items
        case CiteItem(prefix=prefix, suffix=suffix):
            yield from prefix
            yield from suffix
        case Note(blocks=b) | BlockQuote(blocks=b) | Div(blocks=b):
            yield from b
        case BulletList(items=items) | OrderedList(items=items):
            for item in items:
                yield from item
        case DefinitionList(items=items):
            for term, definitions in items:
                yield from term
                for definition in definitions:
                    yield from definition
        case Table(head=head, rows=rows, caption=caption):
            yield from head
            for row in rows:
                yield from row
            yield from caption
        case Figure(caption=caption):
            yield from caption
        case _:
            raise TypeError(f"not a tree node: {node!r}")


def walk(node: Any) -> Iterator[Any]:
    """Every node below and including `node`, depth first, in document order."""
    stack = [node]
    while stack:
        current = stack.pop()
        yield current
        stack.extend(reversed(list(children(current))))


def join_texts(inlines: Iterable[Inline]) -> list[Inline]:
    """`inlines` with each run of neighbouring `Text` nodes as one, joined once.

    A text with no neighbour stays the very node it was, so a caller can see
    that nothing changed by identity.
    """
    out: list[Inline] = []
    run: list[Text] = []
    for node in inlines:
        if isinstance(node, Text):
            run.append(node)
            continue
        if run:
            out.append(run[0] if len(run) == 1 else Text("".join(t.text for t in run)))
            run = []
        out.append(node)
    if run:
        out.append(run[0] if len(run) == 1 else Text("".join(t.text for t in run)))
    return out


def plain_text(node: Any, *, notes: bool = True) -> str:
    """The text content of a node, blocks separated by blank lines.

    With `notes=False` footnote bodies are left out, as a reader of the
    running text sees it.
    """
    parts: list[str] = []
    _plain(node, parts, notes)
    return "".join(parts).strip()


def _plain(node: Any, out: list[str], notes: bool) -> None:
    match node:
        case Text(text=t) | Code(text=t) | Cite(text=t):
            out.append(t)
        case SoftBreak() | LineBreak():
            out.append(" " if isinstance(node, SoftBreak) else "\n")
        case Note():
            if notes:
                out.append(" ")
                for child in node.blocks:
                    _plain(child, out, notes)
        case CodeBlock(text=t):
            out.append(t.rstrip("\n") + "\n\n")
        case Figure(alt=alt, caption=caption):
            if caption:
                for child in caption:
                    _plain(child, out, notes)
            else:
                out.append(alt)
            out.append("\n\n")
        case TableCell():
            for child in children(node):
                _plain(child, out, notes)
            out.append("\t")
        case Table(head=head, rows=rows, caption=caption):
            for row in (head, *rows):
                for cell in row:
                    _plain(cell, out, notes)
                out.append("\n")
            for child in caption:
                _plain(child, out, notes)
            out.append("\n\n")
        case Para() | Plain() | Heading():
            for child in children(node):
                _plain(child, out, notes)
            out.append("\n\n")
        case _:
            for child in children(node):
                _plain(child, out, notes)


def inline_text(inlines: tuple[Inline, ...]) -> str:
    """The plain text of a run of inlines, notes left out (for titles, alt text)."""
    parts: list[str] = []
    for inline in inlines:
        _plain(inline, parts, False)
    return "".join(parts)
