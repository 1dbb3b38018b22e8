"""Glyph coverage: every character of a document checked against its font chain.

Walks the tree the way the backends set it: body text in the body role,
headings, the title and the series in the heading role, code in the mono
role, each piece in the bold/italic style it is drawn in (and upper-cased
where a style sets capitals).  A character that no font of the role's chain,
system fallbacks included, can draw becomes a `GlyphGap` with its source
line, so that nothing vanishes from an output without the user being told.
"""

from __future__ import annotations

import functools
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

from ..common.scripts import script_name, shaped_chars, shaping_available
from . import faces as fonts
from ..errors import UnsupportedNode
from ..theme import TextStyle, Theme
from ..tree import (
    Block, BlockQuote, BulletList, Code, CodeBlock, DefinitionList, Div, Document, Emph, Figure,
    Heading, HorizontalRule, Image, Inline, LineBreak, Link, Note, OrderedList, Para, Plain,
    SoftBreak, Span, Strikeout, Strong, Table, Text,
)


@dataclass(frozen=True)
class Piece:
    """A run of text as one font role and style draws it."""

    role: str  # body, heading or mono
    style: str  # regular, bold, italic or bold_italic
    text: str
    line: int  # 1-based source line, 0 when unknown


@dataclass(frozen=True)
class GlyphGap:
    """A character no font of a chain can draw, where the source has it."""

    source: str
    line: int
    char: str
    roles: tuple[str, ...]

    @property
    def codepoint(self) -> str:
        return f"U+{ord(self.char):04X}"

    @property
    def message(self) -> str:
        chains = " or ".join(self.roles)
        return f"{self.codepoint} {self.char!r} has no glyph in any font of the {chains} chain"

    def __str__(self) -> str:
        where = f"{self.source}:{self.line}" if self.line else self.source
        return f"{where}: {self.message}"


@dataclass(frozen=True)
class ShapingGap:
    """Text of a script that must be shaped, where the PDFs cannot shape it."""

    source: str
    line: int
    char: str

    @property
    def message(self) -> str:
        return (f"U+{ord(self.char):04X} {self.char!r}: {script_name(self.char)} text needs shaping, "
                "and uharfbuzz is not installed: the PDF draws its letters unjoined")

    def __str__(self) -> str:
        where = f"{self.source}:{self.line}" if self.line else self.source
        return f"{where}: {self.message}"


def _style_name(bold: bool, italic: bool) -> str:
    return {(False, False): "regular", (True, False): "bold", (False, True): "italic", (True, True): "bold_italic"}[
        (bold, italic)
    ]


# ------------------------------------------------------------------- walk


class _Walker:
    """Collects Pieces; one per document, so no state outlives a walk."""

    def __init__(self, doc: Document, theme: Theme) -> None:
        self.doc = doc
        self.styles = theme.styles
        self.brand_series = theme.brand.series
        self.out: list[Piece] = []

    def add(self, text: str, style: TextStyle, line: int, *, bold: bool = False, italic: bool = False,
            role: str | None = None) -> None:
        if not text:
            return
        if style.caps:
            text = text.upper()
        name = _style_name(bold or style.bold, italic or style.italic)
        self.out.append(Piece(role or style.font, name, text, line))

    def meta(self) -> None:
        meta, s = self.doc.meta, self.styles
        line = meta.line_of
        self.add(meta.series or self.brand_series, s.series, line("series"))
        # The title also stands in the running footer.
        for style in (s.title, s.footer):
            self.add(meta.title, style, line("title"))
        self.add(meta.subtitle, s.subtitle, line("subtitle"))
        for author in meta.authors:
            self.add(author.name, s.authors, line("authors") or line("author"))
            self.add(author.affiliation, s.affiliation, line("authors") or line("author"))
            self.add(author.bio, s.bio, line("authors") or line("author"))
        self.add(meta.date, s.affiliation, line("date"))
        for point in meta.key_points:
            self.add(point, s.takeaways, line("key_points") or line("key-points"))
        self.add(meta.pull_quote, s.pullquote, line("pull_quote") or line("pull-quote"))
        if meta.image is not None:
            self.add(meta.image.caption, s.caption, line("image"))
            self.add(meta.image.credit, s.image_credit, line("image"))

    def blocks(self, blocks: tuple[Block, ...], style: TextStyle) -> None:
        for block in blocks:
            self.block(block, style)

    def block(self, block: Block, style: TextStyle) -> None:
        s = self.styles
        match block:
            case Para(children=c, line=line) | Plain(children=c, line=line):
                self.inlines(c, style, line)
            case Heading(level=level, children=c, line=line):
                self.inlines(c, s.heading(level), line)
            case BulletList(items=items) | OrderedList(items=items):
                for item in items:
                    self.blocks(item, style)
            case DefinitionList(items=items, line=line):
                for term, definitions in items:
                    self.inlines(term, style, line, bold=True)
                    for definition in definitions:
                        self.blocks(definition, style)
            case BlockQuote(blocks=b):
                self.blocks(b, s.blockquote)
            case Div(blocks=b):
                self.blocks(b, s.pullquote if block.kind == "pullquote" else style)
            case CodeBlock(text=text, line=line):
                for offset, row in enumerate(text.split("\n")):
                    self.add(row, s.code, line + offset if line else 0)
            case Table(head=head, rows=rows, caption=caption, line=line):
                for cell in head:
                    self.inlines(cell.children, s.table_header, line)
                for i, row in enumerate(rows):
                    for cell in row:
                        # A pipe table: header line, delimiter line, then one line per row.
                        self.inlines(cell.children, s.table, line + 2 + i if line else 0)
                self.inlines(caption, s.caption, line)
            case Figure(caption=caption, line=line):
                self.inlines(caption, s.caption, line)
            case HorizontalRule():
                pass
            case _:
                raise UnsupportedNode(f"block node {type(block).__name__} is not handled by the glyph check")

    def inlines(self, inlines: tuple[Inline, ...], style: TextStyle, line: int, *,
                bold: bool = False, italic: bool = False) -> int:
        """Walk `inlines`; returns the line after them (line breaks advance it)."""
        for node in inlines:
            line = self.inline(node, style, line, bold, italic)
        return line

    def inline(self, node: Inline, style: TextStyle, line: int, bold: bool, italic: bool) -> int:
        match node:
            case Text(text=t):
                self.add(t, style, line, bold=bold, italic=italic)
            case Code(text=t):
                self.add(t, style, line, bold=bold, italic=italic, role="mono")
            case SoftBreak() | LineBreak():
                return line + 1 if line else 0
            case Emph(children=c):
                return self.inlines(c, style, line, bold=bold, italic=True)
            case Strong(children=c):
                return self.inlines(c, style, line, bold=True, italic=italic)
            case Strikeout(children=c) | Span(children=c) | Link(children=c):
                return self.inlines(c, style, line, bold=bold, italic=italic)
            case Image(alt=alt):
                # The DOCX and the one-pager show an inline image as its alt text.
                return self.inlines(alt, style, line, bold=bold, italic=italic)
            case Note(blocks=b):
                self.blocks(b, self.styles.notes)
            case _:
                raise UnsupportedNode(f"inline node {type(node).__name__} is not handled by the glyph check")
        return line


def pieces(doc: Document, theme: Theme) -> list[Piece]:
    """Every piece of text the outputs draw, with its role, style and line."""
    walker = _Walker(doc, theme)
    walker.meta()
    walker.blocks(doc.blocks, theme.styles.body)
    return walker.out


def needs(found: list[Piece]) -> dict[str, dict[str, set[str]]]:
    """role -> style -> the characters set in it."""
    out: dict[str, dict[str, set[str]]] = {}
    for piece in found:
        out.setdefault(piece.role, {}).setdefault(piece.style, set()).update(piece.text)
    return out


# -------------------------------------------------------------- checking


def document_theme(doc: Document, theme: Theme) -> Theme:
    """`theme` with the installed fonts this document needs added to its chains."""
    from .system import search_setting

    return _document_theme(_Same(doc), _Same(theme), search_setting())


class _Same:
    """A cache key that is its object's identity.

    A frozen tree hashes by walking every node, milliseconds for a long
    document and on every lookup; these caches only ever need "this very
    document again" (each format of one render, then the glyph check).
    """

    __slots__ = ("obj",)

    def __init__(self, obj: object) -> None:
        self.obj = obj

    def __hash__(self) -> int:
        return id(self.obj)

    def __eq__(self, other: object) -> bool:
        return isinstance(other, _Same) and other.obj is self.obj


@functools.lru_cache(maxsize=8)
def _walked(doc: _Same, theme: _Same) -> tuple[tuple[Piece, ...], dict[str, dict[str, set[str]]]]:
    # The pieces and what each role needs, for the fallback search and the
    # glyph check alike (both only read them).
    found = pieces(doc.obj, theme.obj)  # type: ignore[arg-type]
    return tuple(found), needs(found)


@functools.lru_cache(maxsize=8)
def _document_theme(doc: _Same, theme: _Same, _search: tuple[Path, ...] | None) -> Theme:
    # `_search` is in the key so that switching system fonts off takes effect.
    return fonts.with_system_fallback(theme.obj, _walked(doc, theme)[1])  # type: ignore[arg-type]


def gaps(doc: Document, theme: Theme, *, source_text: str | None = None) -> list[GlyphGap]:
    """Every character no font can draw, once per character and source line."""
    resolved = document_theme(doc, theme)
    found_pieces, needed = _walked(_Same(doc), _Same(theme))
    # One check per role and style over every character set in it: nearly
    # always nothing is missing, and then no piece is looked at again.
    lacking: dict[tuple[str, str], set[str]] = {}
    for role, styles in needed.items():
        chain = resolved.fonts.chain(role)
        for style, chars in styles.items():
            missing = fonts.missing("".join(chars), chain, style)
            if missing:
                lacking[(role, style)] = set(missing)
    if not lacking:
        return []
    found: dict[tuple[int, str], list[str]] = {}
    lines = _source_lines(doc, source_text)
    for piece in found_pieces:
        bad = lacking.get((piece.role, piece.style))
        if not bad or bad.isdisjoint(piece.text):
            continue
        chain = resolved.fonts.chain(piece.role)
        for char in fonts.missing(piece.text, chain, piece.style):
            for line in _lines_of(char, piece, lines):
                roles = found.setdefault((line, char), [])
                if piece.role not in roles:
                    roles.append(piece.role)
    return [
        GlyphGap(doc.source, line, char, tuple(roles))
        for (line, char), roles in sorted(found.items(), key=lambda kv: (kv[0][0], ord(kv[0][1])))
    ]


def shaping_gaps(doc: Document, theme: Theme) -> list[ShapingGap]:
    """The first character needing shaping on each source line, when nothing can shape it."""
    found: dict[int, str] = {}
    for piece in pieces(doc, theme):
        chars = shaped_chars(piece.text)
        if chars:
            found.setdefault(piece.line, chars[0])
    if not found or shaping_available():  # HarfBuzz is imported only for text that needs it
        return []
    return [ShapingGap(doc.source, line, char) for line, char in sorted(found.items())]


def _source_lines(doc: Document, text: str | None) -> list[str]:
    if text is None:
        path = Path(doc.source) if doc.source and not doc.source.startswith("<") else None
        try:
            text = path.read_text(encoding="utf-8") if path is not None and path.is_file() else ""
        except (OSError, UnicodeDecodeError):
            text = ""
    return text.split("\n")


def _lines_of(char: str, piece: Piece, lines: list[str]) -> Iterator[int]:
    """The source lines the piece's `char` stands on.

    The tree knows the line a block starts on (and soft breaks move it on);
    front-matter values, code blocks and table rows may run on, so the
    source itself is searched from that line for lines holding the character,
    as far as the piece's text reaches.
    """
    start = piece.line
    if not start or start > len(lines):
        yield start
        return
    wanted = piece.text.count(char) if char in piece.text else 1
    if piece.text.isupper() and char not in lines[start - 1]:
        # Capitals drawn from lower-case source: look for any case.
        matches = [i for i in range(start, min(len(lines), start + 400) + 1)
                   if char in lines[i - 1].upper()]
    else:
        matches = [i for i in range(start, min(len(lines), start + 400) + 1) if char in lines[i - 1]]
    if not matches:
        yield start
        return
    # Enough lines to hold every occurrence this piece has, each line once.
    total = 0
    for i in matches:
        yield i
        total += lines[i - 1].count(char) or lines[i - 1].upper().count(char)
        if total >= wanted:
            return
