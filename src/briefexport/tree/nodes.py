"""The node types of the document tree, and `Meta`: what the package's docstring describes.

Frozen dataclasses with tuple children, each block with its source `line`.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Literal, Union

FORMAT = "briefexport-tree"
FORMAT_VERSION = 2
# Version 1 (no citations, no attributes on figures and tables) reads as it is.
READABLE_VERSIONS = (1, 2)


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
    attrs: Attrs = Attrs()  # `![alt](x.png){#fig:x}`: the figure it makes takes them


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


CiteMode = Literal["normal", "suppress-author", "author-in-text"]


@dataclass(frozen=True)
class CiteItem:
    """One cited work: pandoc's `Citation` (`[see @key, p. 4, for more]`).

    `locator` and `label` are the pinpoint as written (`4`, `p.`; no label
    means a page); `suffix` is what follows it.
    """

    key: str
    mode: CiteMode = "normal"
    prefix: tuple[Inline, ...] = ()
    suffix: tuple[Inline, ...] = ()
    locator: str = ""
    label: str = ""


@dataclass(frozen=True)
class Cite:
    """A citation or cross-reference as written (`text`), until a transform
    formats it (`transforms.citations`, `transforms.crossref`): backends never
    see one.  `line` is its source line, for `file:line` warnings."""

    items: tuple[CiteItem, ...]
    text: str = ""
    line: int = 0


Inline = Union[Text, Emph, Strong, Strikeout, Code, Link, Image, Note, SoftBreak, LineBreak, Span, Cite]

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
    attrs: Attrs = Attrs()  # from `Table: Caption {#tbl:x}`

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
    attrs: Attrs = Attrs()


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
class CitationMeta:
    """The front matter's citation keys, as pandoc names them."""

    bibliography: tuple[str, ...] = ()
    csl: str = ""
    link_citations: bool = False
    reference_section_title: str = ""
    references: str = ""  # inline CSL entries as JSON text, so the tree stays hashable
    nocite: tuple[str, ...] = ()
    notes_after_punctuation: bool = True


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
    citations: CitationMeta = CitationMeta()
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
    # Folders besides the source's where its bibliography may be (--resource-path).
    resource_path: tuple[str, ...] = ()


Node = Union[Block, Inline, TableCell, CiteItem]

_NODE_TYPES: dict[str, type] = {
    cls.__name__: cls
    for cls in (
        Attrs, Text, Emph, Strong, Strikeout, Code, Link, Image, Note, SoftBreak, LineBreak,
        Span, Para, Plain, Heading, BulletList, OrderedList, DefinitionList, BlockQuote,
        CodeBlock, HorizontalRule, TableCell, Table, Figure, Div, Author, ImageMeta, Meta,
        Document, Cite, CiteItem, CitationMeta,
    )
}
