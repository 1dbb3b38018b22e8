"""markdown-it-py's flat token stream -> nested tree blocks and inlines.

`markdown` configures the parser and reads the front matter; this module
walks the tokens it produces, one pass per nesting level.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from urllib.parse import unquote

from markdown_it.token import Token

from ..errors import ParseError
from .comments import TOKEN as COMMENT
from .critic import span as critic_span
from ..tree import (
    Alignment, Attrs, Block, BlockQuote, BulletList, Cite, CiteItem, Code, CodeBlock, DefinitionList, Div,
    Emph, Figure, Heading, HorizontalRule, Image, Inline, LineBreak, Link, Note, OrderedList,
    Para, Plain, SoftBreak, Span, Strikeout, Strong, Table, TableCell, Text, inline_text,
)

from .attributes import merge_attrs, parse_attrs, token_attrs, trailing_attrs, with_table_captions
from .citations import split_locator

# The one container rule `markdown` registers: `::: pullquote`, `::: {.note}`.
CONTAINER = "div"
# How deep blocks and inline markup may nest, together (a quote, a list, an
# emphasis, a footnote's body each count one).  Documented in the README's
# "Errors and limits"; pandoc and markdown-it have such a limit too.  Deeper
# input is a ParseError at its line: every writer recurses over the tree, and
# a brief nests a handful of levels.
MAX_DEPTH = 50


class TreeBuilder:
    """Turns the flat token stream into nested blocks, one pass per level."""

    def __init__(self, source: str, parse_inline: Callable[[str], list[Token]] | None = None) -> None:
        self.source = source
        self.note_tokens: dict[int, tuple[list[Token], str]] = {}
        self.notes: dict[int, Note] = {}
        self._resolving: set[int] = set()
        # Reads a citation's prefix and suffix (Markdown source) as inline tokens.
        self.parse_inline = parse_inline
        self.line = 0  # the source line of the inline being read, for citations
        self._depth = 0
        self._line = 0
        self.comments: list[tuple[int, str]] = []  # (line, text) of each HTML comment dropped

    def _deeper(self) -> None:
        self._depth += 1
        if self._depth > MAX_DEPTH:
            raise ParseError(f"blocks and inline markup nest more than {MAX_DEPTH} levels deep here; "
                             "flatten the quotes, lists or emphasis", self.source, self._line)

    # -- blocks

    def blocks(self, tokens: list[Token], start: int, end: int) -> list[Block]:
        """The document's blocks; footnote bodies are gathered first, for the references."""
        self._collect_notes(tokens)
        return self._sub(tokens, start, end)

    def _collect_notes(self, tokens: list[Token]) -> None:
        i = 0
        while i < len(tokens):
            tok = tokens[i]
            if tok.type == "footnote_open":
                close = _matching(tokens, i)
                self.note_tokens[tok.meta["id"]] = (tokens[i + 1 : close], tok.meta.get("label", ""))
                i = close
            i += 1

    def _block(self, tokens: list[Token], i: int) -> tuple[Block | None, int]:
        tok = tokens[i]
        line = tok.map[0] + 1 if tok.map else 0
        self._line = line or self._line
        kind = tok.type
        self.line = line
        if kind == "paragraph_open":
            inlines = self.inlines(tokens[i + 1].children or [])
            # Not i + 2: footnote anchors may stand between the inline and the close.
            close = _matching(tokens, i)
            if tok.hidden:
                return Plain(tuple(inlines), line), close + 1
            figure = _as_figure(inlines, line)
            return (figure or Para(tuple(inlines), line)), close + 1
        if kind == "heading_open":
            level = int(tok.tag[1:])
            # `## China {#sec:china}`: pandoc's heading attributes.
            inlines, attrs = trailing_attrs(self.inlines(tokens[i + 1].children or []))
            heading = Heading(level, tuple(inlines), merge_attrs(Attrs(id=str(tok.attrGet("id") or "")), attrs), line)
            return heading, _matching(tokens, i) + 1
        if kind in ("bullet_list_open", "ordered_list_open"):
            close = _matching(tokens, i)
            items, tight = self._list_items(tokens, i + 1, close)
            if kind == "bullet_list_open":
                return BulletList(items, tight, line), close + 1
            start_attr = tok.attrGet("start")  # may be 0: CommonMark lists can start at 0
            start = int(start_attr) if start_attr is not None else 1
            return OrderedList(items, start, tight, line), close + 1
        if kind == "blockquote_open":
            close = _matching(tokens, i)
            return BlockQuote(tuple(self._sub(tokens, i + 1, close)), line), close + 1
        if kind in ("fence", "code_block"):
            lang = tok.info.strip().split()[0] if tok.info.strip() else ""
            return CodeBlock(tok.content, lang, line), i + 1
        if kind == "hr":
            return HorizontalRule(line), i + 1
        if kind == "table_open":
            close = _matching(tokens, i)
            return self._table(tokens[i + 1 : close], line), close + 1
        if kind == "dl_open":
            close = _matching(tokens, i)
            return self._deflist(tokens, i + 1, close, line), close + 1
        if kind == f"container_{CONTAINER}_open":
            close = _matching(tokens, i)
            attrs = _container_attrs(tok.info)
            return Div(tuple(self._sub(tokens, i + 1, close)), attrs, line), close + 1
        if kind == COMMENT:
            self.comments.append((line, tok.content))
            return None, i + 1
        if kind == "footnote_block_open":
            return None, _matching(tokens, i) + 1
        if kind in ("html_block", "footnote_anchor"):
            # html is off, so html_block cannot occur; kept as text if it ever does.
            return (Para((Text(tok.content),), line) if tok.content else None), i + 1
        raise ParseError(f"unexpected Markdown token {kind!r}", self.source, line)

    def _sub(self, tokens: list[Token], start: int, end: int) -> list[Block]:
        self._deeper()
        out: list[Block] = []
        i = start
        while i < end:
            block, i = self._block(tokens, i)
            if block is not None:
                out.append(block)
        self._depth -= 1
        return with_table_captions(out)

    def _list_items(self, tokens: list[Token], start: int, end: int) -> tuple[tuple[tuple[Block, ...], ...], bool]:
        items: list[tuple[Block, ...]] = []
        tight = True
        i = start
        while i < end:
            close = _matching(tokens, i)  # list_item_open .. list_item_close
            for t in tokens[i + 1 : close]:
                if t.type == "paragraph_open" and not t.hidden and t.level == tokens[i].level + 1:
                    tight = False
            items.append(tuple(self._sub(tokens, i + 1, close)))
            i = close + 1
        return tuple(items), tight

    def _table(self, tokens: list[Token], line: int) -> Table:
        rows: list[tuple[TableCell, ...]] = []
        aligns: list[Alignment] = []
        head: tuple[TableCell, ...] = ()
        current: list[TableCell] = []
        in_head = False
        for tok in tokens:
            if tok.type == "thead_open":
                in_head = True
            elif tok.type == "thead_close":
                in_head = False
            elif tok.type in ("th_open", "td_open"):
                if in_head:
                    style = tok.attrGet("style") or ""
                    m = re.search(r"text-align:(left|center|right)", str(style))
                    aligns.append(m.group(1) if m else "default")  # type: ignore[arg-type]
            elif tok.type == "inline":
                current.append(TableCell(tuple(self.inlines(tok.children or []))))
            elif tok.type == "tr_close":
                if in_head:
                    head = tuple(current)
                else:
                    width = len(aligns)
                    row = current[:width] + [TableCell(())] * (width - len(current))
                    rows.append(tuple(row))
                current = []
        return Table(head, tuple(rows), tuple(aligns), (), line)

    def _deflist(self, tokens: list[Token], start: int, end: int, line: int) -> DefinitionList:
        items: list[tuple[tuple[Inline, ...], tuple[tuple[Block, ...], ...]]] = []
        i = start
        term: tuple[Inline, ...] = ()
        definitions: list[tuple[Block, ...]] = []
        while i < end:
            tok = tokens[i]
            close = _matching(tokens, i)
            if tok.type == "dt_open":
                if term or definitions:
                    items.append((term, tuple(definitions)))
                term = tuple(self.inlines(tokens[i + 1].children or []))
                definitions = []
            elif tok.type == "dd_open":
                definitions.append(tuple(self._sub(tokens, i + 1, close)))
            i = close + 1
        if term or definitions:
            items.append((term, tuple(definitions)))
        return DefinitionList(tuple(items), line)

    # -- inlines

    def inlines(self, tokens: list[Token]) -> list[Inline]:
        self._deeper()
        out: list[Inline] = []
        i = 0
        while i < len(tokens):
            after_comment = i > 0 and tokens[i - 1].type == COMMENT
            inline, i = self._inline(tokens, i)
            if inline is None:
                continue
            if isinstance(inline, Text) and out and isinstance(out[-1], Text):
                text = inline.text
                if after_comment and out[-1].text[-1:].isspace() and text[:1].isspace():
                    text = text[1:]  # "a <!-- x --> b" reads "a b", not "a  b"
                out[-1] = Text(out[-1].text + text)
            else:
                out.append(inline)
        self._depth -= 1
        return out

    def _inline(self, tokens: list[Token], i: int) -> tuple[Inline | None, int]:
        tok = tokens[i]
        kind = tok.type
        if kind in ("text", "text_special", "html_inline"):
            return (Text(tok.content) if tok.content else None), i + 1
        if kind in ("softbreak", "hardbreak"):
            self.line += 1 if self.line else 0
            return (SoftBreak() if kind == "softbreak" else LineBreak()), i + 1
        if kind == "citation":
            return self._cite(tok), i + 1
        if kind == "code_inline":
            return Code(tok.content), i + 1
        if kind == "image":
            alt = tuple(self.inlines(tok.children or []))
            return Image(alt, _image_path(str(tok.attrGet("src") or "")), str(tok.attrGet("title") or ""),
                         token_attrs(tok.attrs)), i + 1
        if kind == "footnote_ref":
            return self._note(tok.meta["id"], tok.meta.get("label", "")), i + 1
        if kind == "critic_comment":
            return critic_span("comment", (), tok.content), i + 1
        wrappers = {"em_open": Emph, "strong_open": Strong, "s_open": Strikeout, "link_open": Link,
                    "span_open": Span, "critic_open": Span}
        if kind in wrappers:
            close = _matching(tokens, i)
            inner = tuple(self.inlines(tokens[i + 1 : close]))
            if kind == "link_open":
                url = str(tok.attrGet("href") or "")
                return Link(inner, url, str(tok.attrGet("title") or "")), close + 1
            if kind == "span_open":
                return Span(inner, _token_attrs(tok)), close + 1
            if kind == "critic_open":
                return critic_span(tok.meta["kind"], inner), close + 1
            return wrappers[kind](inner), close + 1
        if kind == "footnote_anchor":
            return None, i + 1
        if kind == COMMENT:
            self.comments.append((self._line, tok.content))
            return None, i + 1
        # An inline rule we did not enable: keep its text rather than lose it.
        return (Text(tok.content) if tok.content else None), i + 1

    def _cite(self, tok: Token) -> Cite:
        line = self.line
        items = []
        for item in tok.meta["items"]:
            label, locator, suffix = split_locator(item["suffix"])
            locator = locator.replace("--", "\u2013")  # as the typographer sets the text
            items.append(CiteItem(item["key"], item["mode"], self._source_inlines(item["prefix"]),
                                  self._source_inlines(suffix), locator, label))
        self.line = line
        return Cite(tuple(items), tok.content, line)

    def _source_inlines(self, text: str) -> tuple[Inline, ...]:
        if not text.strip() or self.parse_inline is None:
            return (Text(text),) if text.strip() else ()
        return tuple(self.inlines(self.parse_inline(text)))

    def _note(self, note_id: int, label: str) -> Inline:
        if note_id in self.notes:
            return self.notes[note_id]
        if note_id in self._resolving or note_id not in self.note_tokens:
            return Text(f"[^{label}]")
        self._resolving.add(note_id)
        body, label = self.note_tokens[note_id]
        line = self.line
        note = Note(tuple(self._sub(body, 0, len(body))), label)
        self.line = line
        self._resolving.discard(note_id)
        self.notes[note_id] = note
        return note


def _matching(tokens: list[Token], i: int) -> int:
    """Index of the token closing the one opened at `i` (same level, nesting -1)."""
    opener = tokens[i]
    if opener.nesting != 1:
        return i
    depth = 0
    for j in range(i, len(tokens)):
        depth += tokens[j].nesting
        if depth == 0:
            return j
    return len(tokens) - 1


def _as_figure(inlines: list[Inline], line: int) -> Figure | None:
    content = [x for x in inlines if not (isinstance(x, Text) and not x.text.strip())]
    if len(content) == 1 and isinstance(content[0], Image):
        image = content[0]
        return Figure(image.src, inline_text(image.alt), image.alt, image.title, line, image.attrs)
    return None


def _image_path(src: str) -> str:
    """An image `src` as written: markdown-it percent-encodes it (`my%20image.png`).

    A local path is decoded so it names the file on disk; a URL stays as it is.
    """
    return src if re.match(r"^[A-Za-z][A-Za-z0-9+.-]*:", src) else unquote(src)


def _token_attrs(tok: Token) -> Attrs:
    ident, classes, kv = "", (), []
    for key, value in tok.attrs.items():
        if key == "id":
            ident = str(value)
        elif key == "class":
            classes = tuple(str(value).split())
        else:
            kv.append((str(key), str(value)))
    return Attrs(ident, classes, tuple(kv))


def _container_attrs(info: str) -> Attrs:
    """`pullquote`, `{.pullquote #id key=value}` or `note Title` -> Attrs."""
    info = info.strip()
    if info.startswith("{") and info.endswith("}"):
        return parse_attrs(info[1:-1])  # the one reader of `{#id .class key=value}`
    name, _, rest = info.partition(" ")
    kv_pairs = (("title", rest.strip()),) if rest.strip() else ()
    return Attrs("", (name,) if name else (), kv_pairs)
