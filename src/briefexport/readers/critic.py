"""CriticMarkup in the Markdown source: an editor's open changes and comments.

`{++added++}`, `{--removed--}`, `{~~old~>new~~}`, `{==marked==}` and
`{>>comment<<}` (what `briefexport import` writes for a DOCX's tracked
changes).  The markdown-it rule here makes them spans of class `insertion`,
`deletion`, `highlight` and `comment`; `resolve` then shows the accepted
(or rejected) text and names every mark in a `tracked-change` warning at its
line, so a source with open changes never goes out unnoticed.  With
`changes="error"` (`render --strict`) the first mark is an error.
"""

from __future__ import annotations

import warnings
from dataclasses import replace
from typing import Any

from ..errors import BriefExportWarning, ParseError
from ..tree import (
    Attrs, Block, BlockQuote, BulletList, DefinitionList, Div, Emph, Heading, Inline, Link, Note, OrderedList,
    Para, Plain, Span, Strikeout, Strong, Table, Figure, inline_text, join_texts,
)

MODES = ("accept", "reject", "keep", "error")
_OPEN = {"{++": ("insertion", "++}"), "{--": ("deletion", "--}"), "{==": ("highlight", "==}"),
         "{~~": ("substitution", "~~}"), "{>>": ("comment", "<<}")}
KINDS = ("insertion", "deletion", "highlight", "comment")


def critic_plugin(md: Any) -> None:
    md.inline.ruler.before("emphasis", "critic", _rule)


def _rule(state: Any, silent: bool) -> bool:
    src, pos = state.src, state.pos
    opener = src[pos:pos + 3]
    if opener not in _OPEN:
        return False
    kind, closer = _OPEN[opener]
    end = src.find(closer, pos + 3)
    if end < 0 or end >= state.posMax:
        return False
    if kind == "substitution" and src.find("~>", pos + 3, end) < 0:
        return False
    if silent:
        state.pos = end + 3
        return True
    if kind == "comment":
        token = state.push("critic_comment", "", 0)
        token.content = src[pos + 3:end]
    elif kind == "substitution":
        middle = src.find("~>", pos + 3, end)
        _span(state, "deletion", pos + 3, middle)
        _span(state, "insertion", middle + 2, end)
    else:
        _span(state, kind, pos + 3, end)
    state.pos = end + 3
    return True


def _span(state: Any, kind: str, start: int, end: int) -> None:
    token = state.push("critic_open", "", 1)
    token.meta = {"kind": kind}
    old_pos, old_max = state.pos, state.posMax
    state.pos, state.posMax = start, end
    state.md.inline.tokenize(state)
    state.pos, state.posMax = old_pos, old_max
    state.push("critic_close", "", -1)


def span(kind: str, children: tuple[Inline, ...], text: str = "") -> Span:
    """The tree's form of one mark (a comment's text in its `text` key)."""
    return Span(children, Attrs("", (kind,), (("text", text),) if text else ()))


# ------------------------------------------------------------ resolving


def resolve(blocks: list[Block], mode: str, source: str) -> list[Block]:
    """Blocks with every mark accepted or rejected (or kept), each reported."""
    if mode not in MODES:
        raise ValueError(f"changes must be one of {MODES}")
    r = _Resolver(mode, source)
    return r.blocks(blocks, 0)


class _Resolver:
    def __init__(self, mode: str, source: str) -> None:
        self.mode = mode
        self.source = source

    def report(self, node: Span, line: int) -> None:
        kind = node.attrs.classes[0]
        text = dict(node.attrs.kv).get("text", "") if kind == "comment" else inline_text(node.children)
        text = " ".join(text.split())
        text = text if len(text) <= 60 else text[:59] + "\u2026"
        shown = {"accept": "shown accepted", "reject": "shown rejected", "keep": "kept",
                 "error": ""}[self.mode]
        message = f"tracked-change: {kind} \u201c{text}\u201d"
        if self.mode == "error":
            raise ParseError(message + " is still open (--strict); accept or reject it first", self.source, line)
        where = f"{self.source}:{line}" if line else self.source
        warnings.warn(f"{where}: {message} ({shown})", BriefExportWarning, stacklevel=5)

    def blocks(self, blocks, line: int) -> list[Block]:
        out: list[Block] = []
        for block in blocks:
            new = self.block(block, getattr(block, "line", 0) or line)
            if new is not None:
                out.append(new)
        return out

    def block(self, node: Block, line: int) -> Block | None:
        # `replace`, not constructors: a node keeps every field it has (ids, attributes, captions).
        match node:
            case Para(children=c) | Plain(children=c):
                inlines = self.inlines(c, line)
                if c and not inlines:
                    return None  # a paragraph the accepted changes empty goes
                return node if inlines is c else replace(node, children=inlines)
            case Heading():
                inlines = self.inlines(node.children, line)
                return node if inlines is node.children else replace(node, children=inlines)
            case BulletList() | OrderedList():
                items = []
                for item in node.items:
                    new = tuple(self.blocks(item, line))
                    if new or not item:
                        items.append(new)
                if node.items and not items:
                    return None
                return replace(node, items=tuple(items))
            case DefinitionList():
                return replace(node, items=tuple(
                    (self.inlines(term, line), tuple(tuple(self.blocks(d, line)) for d in defs))
                    for term, defs in node.items))
            case BlockQuote() | Div():
                return replace(node, blocks=tuple(self.blocks(node.blocks, line)))
            case Table():
                def row(cells):
                    return tuple(replace(c, children=self.inlines(c.children, line)) for c in cells)
                return replace(node, head=row(node.head), rows=tuple(row(r) for r in node.rows),
                               caption=self.inlines(node.caption, line))
            case Figure():
                return replace(node, caption=self.inlines(node.caption, line))
            case _:
                return node

    def inlines(self, inlines: tuple[Inline, ...], line: int) -> tuple[Inline, ...]:
        out: list[Inline] = []
        for node in inlines:
            match node:
                case Span(attrs=attrs) if attrs.classes[:1] and attrs.classes[0] in KINDS:
                    if attrs.classes[0] != "highlight":
                        self.report(node, line)
                    if self.mode == "keep":
                        out.append(Span(self.inlines(node.children, line), attrs))
                        continue
                    kind = attrs.classes[0]
                    shown = kind == "highlight" or (kind == "insertion") == (self.mode == "accept")
                    if kind != "comment" and shown:
                        out.extend(self.inlines(node.children, line))
                case Emph() | Strong() | Strikeout() | Span():
                    kids = self.inlines(node.children, line)
                    if kids or not node.children:
                        out.append(node if kids is node.children else replace(node, children=kids))
                case Link():
                    kids = self.inlines(node.children, line)
                    out.append(node if kids is node.children else replace(node, children=kids))
                case Note():
                    blocks = tuple(self.blocks(node.blocks, line))
                    same = len(blocks) == len(node.blocks) and all(a is b for a, b in zip(blocks, node.blocks))
                    out.append(node if same else replace(node, blocks=blocks))
                case _:
                    out.append(node)
        merged = join_texts(out)
        if len(merged) == len(inlines) and all(a is b for a, b in zip(merged, inlines)):
            return inlines  # nothing changed: the same nodes, not copies of them (most of a document)
        return tuple(merged)
