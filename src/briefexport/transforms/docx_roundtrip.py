"""A tree as its DOCX round trip gives it back: everything the DOCX cannot hold, in one place.

`normalise(doc)` walks the tree the way the DOCX writer does and reassembles
it with the reader's rules (`docx_model.assemble`).  What it changes, and so
what a round trip through the DOCX loses:

- blocks inside a quote, pull quote, definition or list item other than
  paragraphs and nested lists come out after it (the DOCX has no nesting of
  paragraphs, only styles); nested quotes become one quote; adjacent quotes,
  adjacent bullet lists and a term's several definitions merge;
- a list is tight exactly when no item has two paragraphs; `Plain` only in
  tight lists; an empty item is no item (a following item keeps its number),
  and a list that then starts below the top level is a list of its own;
- heading levels beyond what the DOCX has (Heading 1-3 below the top level)
  are clamped; headings inside footnotes lose their id;
- soft line breaks become spaces; inline code loses its line breaks; text
  loses the characters XML cannot hold;
- a span keeps only its language; a div other than `note` and `pullquote`
  keeps only its content; a note keeps only its title; a pull quote's
  attribution (its `attribution` key, or a last paragraph after a dash) is a
  last paragraph after an em dash; a code block loses its language;
- a link that is not clickable (not http, https, mailto, or an anchor with
  no heading) is its text; an anchor link names its heading's id; an inline
  image is its alt text; a footnote inside a footnote is text in brackets;
  a figure inside a footnote is its caption;
- a web address with no path ends in `/`, as LibreOffice writes it;
- inline code inside a clickable link is text (the run is in the Hyperlink style);
- emphasis nests in one order, and space at its edges moves outside it;
- a table's alignment `left` is kept, its cells padded to the widest row;
- front matter: keys the brief does not show (`extra`) are gone; a bio that
  does not begin with its author's name begins with it; source lines are 0.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import replace

from ..tree import (
    Attrs, Author, Block, Cite, BlockQuote, BulletList, Code, CodeBlock, DefinitionList, Div, Document, Emph,
    Figure, Heading, HorizontalRule, Image, Inline, LineBreak, Link, Meta, Note, OrderedList, Para, Plain,
    SoftBreak, Span, Strikeout, Strong, Table, TableCell, Text, inline_text, plain_text,
)
from ..common.links import external_target, internal_target
from .keypoints import split_attribution
from ..common import docx_model as M
from ..common.docx_inlines import Fmt, Leaf, canonical_inlines

_ILLEGAL = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f\ud800-\udfff\ufffe\uffff]")
LEVELS = 9


def clean(text: str) -> str:
    return _ILLEGAL.sub("", text)


def heading_shift(blocks: tuple[Block, ...]) -> int:
    levels = [h.level for h in body_headings(blocks)]
    return min(levels) - 1 if levels else 0


def body_headings(blocks: tuple[Block, ...]) -> Iterator[Heading]:
    """Headings outside footnotes, in the order the DOCX writer meets them (it bookmarks each)."""
    for block in blocks:
        match block:
            case Heading():
                yield block
            case BulletList(items=items) | OrderedList(items=items):
                for item in items:
                    yield from body_headings(item)
            case BlockQuote(blocks=b) | Div(blocks=b):
                yield from body_headings(b)
            case DefinitionList(items=items):
                for _term, definitions in items:
                    for definition in definitions:
                        yield from body_headings(definition)
            case _:
                pass


def auto_identifier(text: str) -> str:
    """pandoc's auto identifier: lowercase, punctuation dropped, spaces to hyphens."""
    text = re.sub(r"[^\w\s.-]", "", text.lower(), flags=re.UNICODE)
    return re.sub(r"\s+", "-", text.strip()).lstrip("0123456789.-") or "section"


def heading_idents(blocks: tuple[Block, ...]) -> Iterator[tuple[Heading, str]]:
    """Each body heading with its auto identifier, `-1`, `-2`... after the first of a text (as pandoc)."""
    seen: dict[str, int] = {}
    for heading in body_headings(blocks):
        slug = auto_identifier(inline_text(heading.children))
        count = seen.get(slug, 0)
        seen[slug] = count + 1
        yield heading, slug if count == 0 else f"{slug}-{count}"


def heading_keys(blocks: tuple[Block, ...]) -> tuple[dict[str, int], list[str]]:
    """Link anchor -> body heading number, and each heading's canonical anchor (as the writer)."""
    anchors: dict[str, int] = {}
    canonical: list[str] = []
    for number, (heading, ident) in enumerate(heading_idents(blocks)):
        first = ""
        for key in (heading.attrs.id, ident):
            if key and key not in anchors:
                anchors[key] = number
                first = first or key
        canonical.append(first)
    return anchors, canonical


class Flatten:
    """A tree walked as the DOCX writer walks it, into paragraph events."""

    def __init__(self, doc: Document, *, keep_lines: bool = False) -> None:
        self.keep_lines = keep_lines
        self.shift = heading_shift(doc.blocks)
        self.anchors, self.keys = heading_keys(doc.blocks)
        self.nums = 0

    # -- blocks -> events

    def blocks(self, blocks: tuple[Block, ...], style: str, depth: int, in_note: bool,
               out: list[M.Event]) -> None:
        for block in blocks:
            self.block(block, style, depth, in_note, out)

    def block(self, node: Block, style: str, depth: int, in_note: bool, out: list[M.Event]) -> None:
        ln = node.line if self.keep_lines and not in_note else 0
        match node:
            case Para(children=c) | Plain(children=c):
                out.append(M.P(style, self.inlines(c, in_note), line=ln))  # type: ignore[arg-type]
            case Heading():
                level = min(max(node.level - self.shift, 1), 3) + self.shift
                ident = "" if in_note else clean(node.attrs.id)
                out.append(M.P("heading", self.inlines(node.children, in_note), level=level, ident=ident, line=ln))
            case BulletList(items=items):
                self.list(items, "bullet", 1, style, depth, in_note, out, ln)
            case OrderedList(items=items, start=start):
                self.list(items, "number", start, style, depth, in_note, out, ln)
            case DefinitionList(items=items):
                for term, definitions in items:
                    out.append(M.P("term", self.inlines(term, in_note), line=ln))
                    for definition in definitions:
                        self.blocks(definition, "definition", depth, in_note, out)
            case BlockQuote(blocks=b):
                self.blocks(b, "quote", depth, in_note, out)
            case CodeBlock(text=t):
                out.append(M.P("code", text=clean(t.rstrip("\n")), line=ln))
            case HorizontalRule():
                out.append(M.P("rule", line=ln))
            case Table():
                out.append(self.table(node, in_note, ln))
            case Figure():
                caption = self.inlines(node.caption, in_note)
                if in_note:
                    out.append(M.P("caption", caption or self.inlines((Text(node.alt),), in_note), line=ln))
                else:
                    out.append(M.Fig(node.src, clean(node.alt), caption, clean(node.title), ln))
            case Div():
                self.div(node, style, depth, in_note, out, ln)
            case _:
                raise TypeError(f"not a block: {node!r}")

    def list(self, items, kind: str, start: int, style: str, depth: int, in_note: bool,
             out: list[M.Event], ln: int = 0) -> None:
        depth = min(depth, LEVELS - 1)
        self.nums += 1
        num = ("bullet",) if kind == "bullet" else ("n", self.nums)
        start = max(0, start)

        def mark(inlines: tuple[Inline, ...] = (), line: int = 0) -> M.P:
            return M.P(kind, inlines, depth=depth, num=num, start=start, line=line or ln)  # type: ignore[arg-type]

        for item in items:
            for i, block in enumerate(item):
                bl = block.line if self.keep_lines and not in_note else 0
                if isinstance(block, (Para, Plain)) and i == 0:
                    out.append(mark(self.inlines(block.children, in_note), bl))
                elif isinstance(block, (Para, Plain)):
                    out.append(M.P("continue", self.inlines(block.children, in_note), depth=depth, line=bl))
                else:
                    if i == 0:
                        out.append(mark())
                    self.block(block, style, depth + 1, in_note, out)
            if not item:
                out.append(mark())

    def div(self, node: Div, style: str, depth: int, in_note: bool, out: list[M.Event], ln: int = 0) -> None:
        if node.kind == "note":
            inner: list[M.Event] = []
            title = clean(dict(node.attrs.kv).get("title", ""))
            self.blocks(node.blocks, "body", 0, in_note, inner)
            out.append(M.Box(title, inner, ln))
            return
        if node.kind != "pullquote":
            self.blocks(node.blocks, style, depth, in_note, out)
            return
        blocks, attribution = split_attribution(node.blocks)
        self.blocks(blocks, "pullquote", depth, in_note, out)
        kv = dict(node.attrs.kv)
        who = kv.get("attribution") or kv.get("author") or kv.get("cite") or ""
        if attribution is not None:
            out.append(M.P("attribution", self.inlines(attribution.children, in_note), line=ln))
        elif who:
            out.append(M.P("attribution", self.inlines((Text(who),), in_note), line=ln))

    def table(self, node: Table, in_note: bool, ln: int = 0) -> M.Tbl:
        columns = max([node.columns, len(node.head), *(len(row) for row in node.rows)] or [1]) or 1

        def cells(row: tuple[TableCell, ...]) -> tuple[TableCell, ...]:
            padded = list(row) + [TableCell(())] * (columns - len(row))
            return tuple(TableCell(self.inlines(c.children, in_note)) for c in padded[:columns])

        aligns = tuple(node.aligns[:columns]) + ("default",) * (columns - len(node.aligns))
        return M.Tbl(cells(node.head) if node.head else (), tuple(cells(r) for r in node.rows), aligns,
                     self.inlines(node.caption, in_note), ln)

    # -- inlines

    def inlines(self, inlines: tuple[Inline, ...], in_note: bool) -> tuple[Inline, ...]:
        pairs: list[tuple[Fmt, Leaf]] = []
        self._pairs(inlines, Fmt(), in_note, pairs, linked=False)
        return canonical_inlines(pairs)

    def _pairs(self, inlines, fmt: Fmt, in_note: bool, out: list, linked: bool) -> None:
        for node in inlines:
            match node:
                case Text(text=t):
                    self._text(clean(t), fmt, out)
                case SoftBreak():
                    out.append((fmt, Text(" ")))
                case LineBreak():
                    out.append((fmt, LineBreak()))
                case Emph(children=c):
                    self._pairs(c, replace(fmt, italic=True), in_note, out, linked)
                case Strong(children=c):
                    self._pairs(c, replace(fmt, bold=True), in_note, out, linked)
                case Strikeout(children=c):
                    self._pairs(c, replace(fmt, strike=True), in_note, out, linked)
                case Code(text=t):
                    text = clean(t.replace("\n", " "))
                    if text:  # inside a link the run is in the Hyperlink style, not Verbatim Char
                        out.append((fmt, Code(text) if fmt.link is None else Text(text)))
                case Span(children=c, attrs=attrs) if attrs.classes and attrs.classes[0] in M.CHANGE_CLASSES:
                    self._pairs(c, replace(fmt, change=(attrs.classes[0], attrs.kv)), in_note, out, linked)
                case Span(children=c, attrs=attrs) if attrs.has_class("comment"):
                    out.append((fmt, Span((), Attrs("", ("comment",), attrs.kv))))
                    self._pairs(c, fmt, in_note, out, linked)
                case Span(children=c, attrs=attrs):
                    lang = clean(dict(attrs.kv).get("lang", "")).strip()
                    self._pairs(c, replace(fmt, lang=lang) if lang else fmt, in_note, out, linked)
                case Link(children=c, url=url, title=title):
                    target = self._link(url, title)
                    if linked or target is None:
                        self._pairs(c, fmt, in_note, out, linked)
                    else:
                        before = len(out)
                        self._pairs(c, replace(fmt, link=target), in_note, out, True)
                        if len(out) == before:
                            out.append((replace(fmt, link=target), Text(inline_text(c) or url)))
                case Image(alt=alt):
                    self._pairs(alt, fmt, in_note, out, linked)
                case Cite(text=text):
                    # Unformatted (no `prepare`): as written.  A rendered DOCX holds the formatted text.
                    self._text(clean(text), fmt, out)
                case Note():
                    if in_note:
                        text = " (" + "".join(plain_text(b) for b in node.blocks) + ")"
                        self._text(clean(text), fmt, out)
                    else:
                        out.append((fmt, self.note(node)))
                case _:
                    raise TypeError(f"not an inline: {node!r}")

    @staticmethod
    def _text(text: str, fmt: Fmt, out: list) -> None:
        for i, line in enumerate(text.split("\n")):
            if i:
                out.append((fmt, LineBreak()))
            if line:
                out.append((fmt, Text(line)))

    def _link(self, url: str, title: str) -> tuple[str, str] | None:
        external = external_target(url)
        if external is not None:
            external = clean(external)
            if re.fullmatch(r"(?i)https?://[^/?#\s]+", external):
                external += "/"  # LibreOffice writes the host's root path
            return external, clean(title)
        anchor = internal_target(url)
        if anchor is None or anchor not in self.anchors:
            return None
        return "#" + self.keys[self.anchors[anchor]], clean(title)

    def note(self, note: Note) -> Note:
        events: list[M.Event] = []
        self.blocks(note.blocks, "body", 0, True, events)
        return Note(tuple(M.assemble(events)))


def normalise(doc: Document, *, keep_lines: bool = False) -> Document:
    """`doc` as the DOCX round trip gives it back (see the module's list).

    With `keep_lines`, each block keeps the source line of the first block it
    came from (the DOCX holds no lines: off, so trees compare equal).
    """
    flat = Flatten(doc, keep_lines=keep_lines)
    events: list[M.Event] = []
    flat.blocks(doc.blocks, "body", 0, False, events)
    meta, blocks = normal_meta(doc.meta), M.assemble(events)
    if not meta.title:
        # As the Markdown reader does: a document without a title takes its first level-1 heading's.
        for i, block in enumerate(blocks):
            if isinstance(block, Heading) and block.level == 1:
                meta = replace(meta, title=inline_text(block.children).strip())
                if i == 0:
                    blocks = blocks[1:]
                break
    return Document(meta, tuple(blocks), "")


def normal_meta(meta: Meta) -> Meta:
    authors = []
    for a in meta.authors:
        bio = a.bio.strip()
        if bio and not bio.startswith(a.name):
            bio = f"{a.name} {bio}"
        authors.append(Author(clean(a.name), clean(a.affiliation), clean(bio)))
    image = meta.image
    if image is not None:
        image = replace(image, caption=clean(image.caption), credit=clean(image.credit))
    return replace(meta, title=clean(meta.title), subtitle=clean(meta.subtitle), authors=tuple(authors),
                   key_points=tuple(clean(k) for k in meta.key_points), image=image, extra=(), lines=())


def tree_digest(doc: Document) -> str:
    """SHA-256 of the normalised tree: equal for two sources exactly when their DOCX round trips agree."""
    import hashlib

    from ..tree import to_json

    return hashlib.sha256(to_json(normalise(doc), indent=None).encode("utf-8", "surrogatepass")).hexdigest()
