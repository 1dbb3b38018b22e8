"""What a brief's DOCX can say, as a flat stream of paragraph events, and back to blocks.

The DOCX writer turns nested blocks into a flat run of paragraphs in named
styles (a list item's paragraphs, a quote's paragraphs, a pull quote's);
nesting that no style records is gone.  The DOCX reader and the round-trip
normaliser both end here: the reader makes events from Word XML, the
normaliser makes them from a tree the way the writer would, and `assemble`
turns either into blocks with one set of rules.  So "what a DOCX cannot hold"
is decided once, in this module and in `canonical_inlines`.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field, replace
from typing import Literal

from ..tree import (
    Alignment, Attrs, Block, BlockQuote, BulletList, CodeBlock, DefinitionList, Div, Figure, Heading, HorizontalRule, Inline, LineBreak, OrderedList, Para, Plain, Table, TableCell, Text,
)

Role = Literal[
    "body", "quote", "pullquote", "attribution", "heading", "code", "rule", "bullet", "number",
    "continue", "term", "definition", "caption",
]
CHANGE_CLASSES = ("insertion", "deletion")


@dataclass
class P:
    """One paragraph: its role (from its style), inlines, and list facts."""

    role: Role
    inlines: tuple[Inline, ...] = ()
    level: int = 0  # heading level
    depth: int = 0  # list level (w:ilvl), or a continuation paragraph's level
    num: object = None  # the list instance (w:numId) a list paragraph belongs to
    start: int = 1  # the instance's start number
    restart: bool = True  # the instance restarts numbering here (`w:startOverride`)
    ident: str = ""  # a heading's id
    text: str = ""  # a code block's text
    line: int = 0  # the source line it came from (the merge maps blocks back by it)


@dataclass
class Tbl:
    head: tuple[TableCell, ...]
    rows: tuple[tuple[TableCell, ...], ...]
    aligns: tuple[Alignment, ...]
    caption: tuple[Inline, ...] = ()
    line: int = 0


@dataclass
class Fig:
    src: str
    alt: str
    caption: tuple[Inline, ...] = ()
    title: str = ""
    line: int = 0


@dataclass
class Box:
    title: str
    events: list[Event] = field(default_factory=list)
    line: int = 0


Event = P | Tbl | Fig | Box


# ------------------------------------------------------------ assembling


@dataclass
class _Open:
    kind: str  # "bullet" or "number"
    depth: int
    num: object
    start: int
    line: int = 0
    items: list[list[Block]] = field(default_factory=list)


class _Assembler:
    def __init__(self) -> None:
        self.out: list[Block] = []
        self.lists: list[_Open] = []
        self.last: str = ""
        self.used: dict[object, int] = {}  # items written so far per numbered list instance
        self.offset = 0  # the level the open lists started at

    def close_lists(self, depth: int = -1) -> None:
        while self.lists and self.lists[-1].depth > depth:
            self._pop()

    def _pop(self) -> None:
        top = self.lists.pop()
        items = tuple(tuple(item) for item in top.items)
        tight = all(sum(isinstance(b, (Para, Plain)) for b in item) <= 1 for item in items)
        if tight:
            items = tuple(tuple(Plain(b.children, b.line) if isinstance(b, Para) else b for b in item) for item in items)
        block: Block = (BulletList(items, tight, top.line) if top.kind == "bullet"
                        else OrderedList(items, top.start, tight, top.line))
        self._append(block, in_list=True)

    def _append(self, block: Block, *, in_list: bool = False) -> None:
        if self.lists and in_list:
            self.lists[-1].items[-1].append(block)
        else:
            self.out.append(block)

    def list_para(self, ev: P) -> None:
        if not ev.inlines:
            # An empty list paragraph (an empty item, or one that began with a block the DOCX
            # cannot nest) is no item: Markdown cannot put an empty item under a line of text.
            # It still counts in its list's numbering, as Word shows it.
            if ev.role == "number":
                self.used[ev.num] = self.used.get(ev.num, 0) + 1
            return
        if not self.lists:
            # A list that starts below level 0 (its parent item was cut off by a lifted block)
            # is a list of its own at level 0: written as Markdown, that is what it becomes.
            self.offset = ev.depth
        ev = replace(ev, depth=max(ev.depth - self.offset, 0))
        self.close_lists(ev.depth)
        top = self.lists[-1] if self.lists else None
        same = top is not None and top.depth == ev.depth and top.kind == ev.role and (
            ev.role == "bullet" or top.num == ev.num or not ev.restart)
        if top is not None and top.depth == ev.depth and not same:
            self._pop()
            top = self.lists[-1] if self.lists else None
        if not same:
            start = ev.start + self.used.get(ev.num, 0) if ev.role == "number" else 1
            opened = _Open(ev.role, ev.depth, ev.num, start, ev.line)
            if top is not None and not top.items:
                top.items.append([])
            self.lists.append(opened)
            top = opened
        if ev.role == "number":
            self.used[ev.num] = self.used.get(ev.num, 0) + 1
        top.items.append([Para(ev.inlines, ev.line)] if ev.inlines else [])

    def continuation(self, ev: P) -> None:
        ev = replace(ev, depth=max(ev.depth - self.offset, 0))
        if not self.lists:
            self.para(ev.inlines, ev.line)
            return
        while len(self.lists) > 1 and self.lists[-1].depth > ev.depth:
            self._pop()
        if ev.inlines:
            top = self.lists[-1]
            if not top.items:
                top.items.append([])
            top.items[-1].append(Para(ev.inlines, ev.line))

    def para(self, inlines: tuple[Inline, ...], line: int = 0) -> None:
        if inlines:
            self.out.append(Para(inlines, line))

    def event(self, ev: Event) -> None:
        role = ev.role if isinstance(ev, P) else type(ev).__name__
        if isinstance(ev, P):
            trimmed = trim(ev.inlines)
            if trimmed is not ev.inlines:
                ev = replace(ev, inlines=trimmed)
        elif isinstance(ev, Tbl):
            ev = replace(ev, head=_trim_cells(ev.head), rows=tuple(_trim_cells(r) for r in ev.rows),
                         caption=trim(ev.caption))
        elif isinstance(ev, Fig):
            ev = replace(ev, caption=trim(ev.caption))
        if isinstance(ev, P) and ev.role in ("bullet", "number"):
            self.list_para(ev)
            self.last = "list"
            return
        if isinstance(ev, P) and ev.role == "continue":
            self.continuation(ev)
            self.last = "list"
            return
        self.close_lists()
        last, self.last = self.last, role
        match ev:
            case Tbl():
                self.out.append(Table(ev.head, ev.rows, ev.aligns, ev.caption, ev.line))
            case Fig():
                # As the Markdown reader does: a figure's alt text is its caption's text.
                alt = _plain(ev.caption) if ev.caption else ev.alt
                self.out.append(Figure(ev.src, alt, ev.caption, ev.title, ev.line))
            case Box():
                kv = (("title", ev.title),) if ev.title else ()
                self.out.append(Div(tuple(assemble(ev.events)), Attrs("", ("note",), kv), ev.line))
            case P(role="quote"):
                if not ev.inlines:
                    self.last = last
                elif last == "quote" and self.out and isinstance(self.out[-1], BlockQuote):
                    prev = self.out[-1]
                    self.out[-1] = BlockQuote((*prev.blocks, Para(ev.inlines, ev.line)), prev.line)
                else:
                    self.out.append(BlockQuote((Para(ev.inlines, ev.line),), ev.line))
            case P(role="pullquote"):
                if not ev.inlines:
                    self.last = last
                elif last == "pullquote" and self.out and isinstance(self.out[-1], Div):
                    prev = self.out[-1]
                    self.out[-1] = Div((*prev.blocks, Para(ev.inlines, ev.line)), prev.attrs, prev.line)
                else:
                    self.out.append(Div((Para(ev.inlines, ev.line),), Attrs("", ("pullquote",)), ev.line))
            case P(role="attribution"):
                prev = self.out[-1] if self.out else None
                if last == "pullquote" and isinstance(prev, Div) and ev.inlines:
                    # As the Markdown source says it: a last paragraph after an em dash.
                    dash = Text("\u2014 ")
                    first = ev.inlines[0]
                    inlines = ((Text(dash.text + first.text),) + ev.inlines[1:] if isinstance(first, Text)
                               else (dash, *ev.inlines))
                    self.out[-1] = Div((*prev.blocks, Para(inlines, ev.line)), prev.attrs, prev.line)
                    self.last = "attributed"
                else:
                    self.para(ev.inlines, ev.line)
            case P(role="term"):
                item = (ev.inlines, ())
                prev = self.out[-1] if self.out else None
                if last in ("term", "definition") and isinstance(prev, DefinitionList):
                    self.out[-1] = DefinitionList((*prev.items, item), prev.line)
                else:
                    self.out.append(DefinitionList((item,), ev.line))
            case P(role="definition"):
                prev = self.out[-1] if self.out else None
                if last in ("term", "definition") and isinstance(prev, DefinitionList) and ev.inlines:
                    term, defs = prev.items[-1]
                    blocks = (*(defs[0] if defs else ()), Para(ev.inlines, ev.line))
                    self.out[-1] = DefinitionList((*prev.items[:-1], (term, (blocks,))), prev.line)
                elif ev.inlines:
                    self.para(ev.inlines, ev.line)
                else:
                    self.last = last
            case P(role="heading"):
                self.out.append(Heading(ev.level, ev.inlines, Attrs(ev.ident), ev.line))
            case P(role="code"):
                self.out.append(CodeBlock(ev.text + "\n" if ev.text else "", "", ev.line))
            case P(role="rule"):
                self.out.append(HorizontalRule(ev.line))
            case P():
                if not ev.inlines:
                    self.last = last
                self.para(ev.inlines, ev.line)


def assemble(events: list[Event]) -> list[Block]:
    """Blocks from paragraph events, by the rules every DOCX round trip shares."""
    asm = _Assembler()
    for ev in events:
        asm.event(ev)
    asm.close_lists()
    return [_tighten(b) if isinstance(b, DefinitionList) else b for b in asm.out]


def _tighten(node: DefinitionList) -> DefinitionList:
    """As the Markdown reader has it: tight (`Plain`) when no definition has two paragraphs."""
    tight = all(len(d) <= 1 for _term, defs in node.items for d in defs)
    kind = Plain if tight else Para
    return DefinitionList(tuple((term, tuple(tuple(kind(b.children, b.line) if isinstance(b, (Para, Plain)) else b
                                                   for b in d) for d in defs)) for term, defs in node.items),
                          node.line)


def trim(inlines: tuple[Inline, ...]) -> tuple[Inline, ...]:
    """Without the space and line breaks at the edges, which Markdown cannot keep
    (`inlines` itself when they have none: most paragraphs)."""
    if not inlines or (_solid(inlines[0], str.lstrip) and _solid(inlines[-1], str.rstrip)):
        return inlines
    out = list(inlines)
    while out and (isinstance(out[0], LineBreak) or (isinstance(out[0], Text) and not out[0].text.strip(" \t"))):
        out.pop(0)
    while out and (isinstance(out[-1], LineBreak) or (isinstance(out[-1], Text) and not out[-1].text.strip(" \t"))):
        out.pop()
    if out and isinstance(out[0], Text):
        out[0] = Text(out[0].text.lstrip(" \t"))
    if out and isinstance(out[-1], Text):
        out[-1] = Text(out[-1].text.rstrip(" \t"))
    return tuple(out)


def _solid(node: Inline, strip: Callable[[str, str], str]) -> bool:
    """True when `node` at an edge keeps all of itself after `trim`."""
    if isinstance(node, LineBreak):
        return False
    return not isinstance(node, Text) or strip(node.text, " \t") == node.text != ""


def _trim_cells(row: tuple[TableCell, ...]) -> tuple[TableCell, ...]:
    return tuple(TableCell(trim(c.children)) for c in row)


def _plain(inlines: tuple[Inline, ...]) -> str:
    from ..tree import inline_text

    return inline_text(inlines)
