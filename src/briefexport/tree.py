"""The document tree: the contract between the parser and every backend.

A small closed set of Block and Inline nodes after pandoc's, plus one escape
hatch (`Attrs`) so that a new need (a pull quote, a call-out box) is a `Div`
with a class rather than a new node type.  Nodes are frozen dataclasses whose
children are tuples, so a tree can be shared between backends without anyone
mutating it.  Every block carries `line`, the 1-based source line it started
on (0 when unknown), so that any later stage can report `file:line`.
"""

from __future__ import annotations

import dataclasses
import json
from collections.abc import Iterator
from dataclasses import dataclass, field
from typing import Any, Literal, Union

FORMAT = "briefexport-tree"
FORMAT_VERSION = 1


@dataclass(frozen=True)
class Attrs:
    """pandoc's `(id, classes, key-values)` escape hatch."""

    id: str = ""
    classes: tuple[str, ...] = ()
    kv: tuple[tuple[str, str], ...] = ()

    def has_class(self, name: str) -> bool:
        return name in self.classes


# ---------------------------------------------------------------- inlines


@dataclass(frozen=True)
class Text:
    text: str


@dataclass(frozen=True)
class Emph:
    children: tuple[Inline, ...]


@dataclass(frozen=True)
class Strong:
    children: tuple[Inline, ...]


@dataclass(frozen=True)
class Strikeout:
    children: tuple[Inline, ...]


@dataclass(frozen=True)
class Code:
    text: str


@dataclass(frozen=True)
class Link:
    children: tuple[Inline, ...]
    url: str
    title: str = ""


@dataclass(frozen=True)
class Image:
    """An inline image; `alt` is its text equivalent."""

    alt: tuple[Inline, ...]
    src: str
    title: str = ""


@dataclass(frozen=True)
class Note:
    """A footnote, placed where its reference stands.

    `label` is the source label (`[^label]`); backends number notes in order
    of appearance, as pandoc does, so the label is for diagnostics only.
    """

    blocks: tuple[Block, ...]
    label: str = ""


@dataclass(frozen=True)
class SoftBreak:
    pass


@dataclass(frozen=True)
class LineBreak:
    pass


@dataclass(frozen=True)
class Span:
    children: tuple[Inline, ...]
    attrs: Attrs = Attrs()


Inline = Union[Text, Emph, Strong, Strikeout, Code, Link, Image, Note, SoftBreak, LineBreak, Span]

# ----------------------------------------------------------------- blocks

Alignment = Literal["default", "left", "center", "right"]


@dataclass(frozen=True)
class Para:
    children: tuple[Inline, ...]
    line: int = 0


@dataclass(frozen=True)
class Plain:
    """Inline content without paragraph spacing (items of tight lists)."""

    children: tuple[Inline, ...]
    line: int = 0


@dataclass(frozen=True)
class Heading:
    level: int
    children: tuple[Inline, ...]
    attrs: Attrs = Attrs()
    line: int = 0


@dataclass(frozen=True)
class BulletList:
    items: tuple[tuple[Block, ...], ...]
    tight: bool = True
    line: int = 0


@dataclass(frozen=True)
class OrderedList:
    items: tuple[tuple[Block, ...], ...]
    start: int = 1
    tight: bool = True
    line: int = 0


@dataclass(frozen=True)
class DefinitionList:
    """Each item is a term and its definitions (each a sequence of blocks)."""

    items: tuple[tuple[tuple[Inline, ...], tuple[tuple[Block, ...], ...]], ...]
    line: int = 0


@dataclass(frozen=True)
class BlockQuote:
    blocks: tuple[Block, ...]
    line: int = 0


@dataclass(frozen=True)
class CodeBlock:
    text: str
    lang: str = ""
    line: int = 0


@dataclass(frozen=True)
class HorizontalRule:
    line: int = 0


@dataclass(frozen=True)
class TableCell:
    children: tuple[Inline, ...]


@dataclass(frozen=True)
class Table:
    """A table with one header row; `aligns` has one entry per column."""

    head: tuple[TableCell, ...]
    rows: tuple[tuple[TableCell, ...], ...]
    aligns: tuple[Alignment, ...]
    caption: tuple[Inline, ...] = ()
    line: int = 0

    @property
    def columns(self) -> int:
        return len(self.aligns)


@dataclass(frozen=True)
class Figure:
    """A standalone image with its caption (pandoc's implicit figure)."""

    src: str
    alt: str
    caption: tuple[Inline, ...] = ()
    title: str = ""
    line: int = 0


@dataclass(frozen=True)
class Div:
    """A `:::` container; its first class names what it is (`pullquote`, `note`)."""

    blocks: tuple[Block, ...]
    attrs: Attrs = Attrs()
    line: int = 0

    @property
    def kind(self) -> str:
        return self.attrs.classes[0] if self.attrs.classes else ""


Block = Union[
    Para, Plain, Heading, BulletList, OrderedList, DefinitionList, BlockQuote,
    CodeBlock, HorizontalRule, Table, Figure, Div,
]

# ------------------------------------------------------------------- meta


@dataclass(frozen=True)
class Author:
    name: str
    affiliation: str = ""
    bio: str = ""


@dataclass(frozen=True)
class ImageMeta:
    """The article's lead image: often only a caption and credit, no file."""

    caption: str = ""
    credit: str = ""
    src: str = ""
    alt: str = ""


@dataclass(frozen=True)
class Meta:
    title: str = ""
    subtitle: str = ""
    authors: tuple[Author, ...] = ()
    date: str = ""
    lang: str = "en"
    keywords: tuple[str, ...] = ()
    series: str = ""
    key_points: tuple[str, ...] = ()
    image: ImageMeta | None = None
    slug: str = ""
    pull_quote: str = ""
    # Unknown front-matter keys, kept (not dropped) as (key, JSON text) pairs
    # so the tree stays hashable and round-trips exactly through JSON.
    extra: tuple[tuple[str, str], ...] = ()
    # Source line of each front-matter key, for diagnostics.
    lines: tuple[tuple[str, int], ...] = ()

    def line_of(self, key: str) -> int:
        return dict(self.lines).get(key, 0)


@dataclass(frozen=True)
class Document:
    meta: Meta = field(default_factory=Meta)
    blocks: tuple[Block, ...] = ()
    source: str = ""  # the path it was parsed from, for diagnostics


Node = Union[Block, Inline, TableCell]

_NODE_TYPES: dict[str, type] = {
    cls.__name__: cls
    for cls in (
        Attrs, Text, Emph, Strong, Strikeout, Code, Link, Image, Note, SoftBreak, LineBreak,
        Span, Para, Plain, Heading, BulletList, OrderedList, DefinitionList, BlockQuote,
        CodeBlock, HorizontalRule, TableCell, Table, Figure, Div, Author, ImageMeta, Meta,
        Document,
    )
}

# ------------------------------------------------------------------- walk


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
        case Text(text=t) | Code(text=t):
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


# ------------------------------------------------------------------- JSON


def to_json(doc: Document, *, indent: int | None = 1) -> str:
    """The tree as JSON text, with the format name and version."""
    payload = {"format": FORMAT, "version": FORMAT_VERSION, "document": _encode(doc)}
    return json.dumps(payload, ensure_ascii=False, indent=indent, sort_keys=False)


def from_json(text: str) -> Document:
    payload = json.loads(text)
    if not isinstance(payload, dict) or payload.get("format") != FORMAT:
        raise ValueError(f"not a {FORMAT} JSON document")
    if payload.get("version") != FORMAT_VERSION:
        raise ValueError(
            f"{FORMAT} version {payload.get('version')!r} is not supported "
            f"(this is version {FORMAT_VERSION})"
        )
    doc = _decode(payload["document"])
    if not isinstance(doc, Document):
        raise ValueError("the JSON does not hold a document")
    return doc


def _encode(value: Any) -> Any:
    if dataclasses.is_dataclass(value) and not isinstance(value, type):
        out: dict[str, Any] = {"t": type(value).__name__}
        for f in dataclasses.fields(value):
            out[f.name] = _encode(getattr(value, f.name))
        return out
    if isinstance(value, tuple):
        return [_encode(v) for v in value]
    if value is None or isinstance(value, (str, int, bool)):
        return value
    raise TypeError(f"cannot encode {type(value).__name__} in the tree")


def _decode(value: Any) -> Any:
    if isinstance(value, list):
        return tuple(_decode(v) for v in value)
    if isinstance(value, dict):
        name = value.get("t")
        cls = _NODE_TYPES.get(name)  # type: ignore[arg-type]
        if cls is None:
            raise ValueError(f"unknown node type {name!r}")
        kwargs = {k: _decode(v) for k, v in value.items() if k != "t"}
        return cls(**kwargs)
    return value


# ------------------------------------------------------------------ dump


def dump(node: Any) -> str:
    """A readable, indented outline of a tree, for fixtures and debugging.

    One node a line: its type, its scalar fields (`level=2`, `url='…'`), and
    `@line` for blocks; children indented below.  Meta is not included.
    """
    lines: list[str] = []
    _dump(node, 0, lines)
    return "\n".join(lines)


def _dump(node: Any, depth: int, out: list[str]) -> None:
    pad = "  " * depth
    if isinstance(node, Document):
        for block in node.blocks:
            _dump(block, depth, out)
        return
    parts = [type(node).__name__]
    for f in dataclasses.fields(node):
        value = getattr(node, f.name)
        if f.name == "line":
            continue
        if isinstance(value, (str, int, bool)):
            default = f.default
            if value != default:
                parts.append(f"{f.name}={value!r}")
        elif isinstance(value, Attrs) and value != Attrs():
            parts.append(f"attrs={value.id!r},{value.classes!r},{value.kv!r}")
        elif f.name == "aligns":
            parts.append(f"aligns={','.join(value)}")
    line = getattr(node, "line", 0)
    out.append(pad + " ".join(parts) + (f" @{line}" if line else ""))
    match node:
        case BulletList(items=items) | OrderedList(items=items):
            for item in items:
                out.append(pad + "  - item")
                for block in item:
                    _dump(block, depth + 2, out)
        case DefinitionList(items=items):
            for term, definitions in items:
                out.append(pad + "  - term")
                for inline in term:
                    _dump(inline, depth + 2, out)
                for definition in definitions:
                    out.append(pad + "  - definition")
                    for block in definition:
                        _dump(block, depth + 2, out)
        case Table(head=head, rows=rows, caption=caption):
            for label, row in (("head", head), *(("row", r) for r in rows)):
                out.append(pad + f"  - {label}")
                for cell in row:
                    _dump(cell, depth + 2, out)
            for inline in caption:
                _dump(inline, depth + 1, out)
        case _:
            for child in children(node):
                _dump(child, depth + 1, out)
