"""The document tree: the contract between the parser and every backend.

A small closed set of Block and Inline nodes after pandoc's, plus one escape
hatch (`Attrs`) so that a new need (a pull quote, a call-out box) is a `Div`
with a class rather than a new node type.  Nodes are frozen dataclasses whose
children are tuples, so a tree can be shared between backends without anyone
mutating it.  Every block carries `line`, the 1-based source line it started
on (0 when unknown), so that any later stage can report `file:line`.

The package: `nodes` holds the node types and `Meta`, `walk` the traversal and
plain text, `json` the versioned JSON round trip and the readable dump.  It
imports nothing else of briefexport: every other package may import it.
"""

from __future__ import annotations

from .json import dump, from_json, to_json
from .nodes import (
    FORMAT, FORMAT_VERSION, Alignment, Attrs, Author, Block, BlockQuote, BulletList, CitationMeta, Cite,
    CiteItem, CiteMode, Code, CodeBlock,
    DefinitionList, Div, Document, Emph, Figure, Heading, HorizontalRule, Image, ImageMeta, Inline,
    LineBreak, Link, Meta, Node, Note, OrderedList, Para, Plain, SoftBreak, Span, Strikeout, Strong,
    Table, TableCell, Text,
)
from .walk import children, inline_text, join_texts, plain_text, walk

__all__ = [
    "Alignment", "Attrs", "Author", "Block", "BlockQuote", "BulletList", "CitationMeta", "Cite",
    "CiteItem", "CiteMode", "Code", "CodeBlock",
    "DefinitionList", "Div", "Document", "Emph", "FORMAT", "FORMAT_VERSION", "Figure",
    "Heading", "HorizontalRule", "Image", "ImageMeta", "Inline", "LineBreak", "Link", "Meta",
    "Node", "Note", "OrderedList", "Para", "Plain", "SoftBreak", "Span", "Strikeout", "Strong",
    "Table", "TableCell", "Text", "children", "dump", "from_json", "inline_text", "join_texts",
    "plain_text", "to_json", "walk",
]
