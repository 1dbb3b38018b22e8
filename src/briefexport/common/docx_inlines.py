"""Word runs as formatted leaves, and one nesting for them: the inline half of `docx_model`.

A run says: this text is bold, italic, struck, in this language, in this
link, in this tracked change.  Markdown nests the same facts; to compare a
tree read from Word with one read from Markdown, both are brought to one
nesting here (`canonical_inlines`).
"""

from __future__ import annotations

from dataclasses import dataclass, replace

from ..tree import Attrs, Code, Emph, Inline, LineBreak, Link, Note, Span, Strikeout, Strong, Text


@dataclass(frozen=True)
class Fmt:
    """Everything a Word run can say about a piece of text, outermost first."""

    change: tuple[str, tuple[tuple[str, str], ...]] | None = None  # a tracked change's class and kv
    link: tuple[str, str] | None = None  # (url, title)
    lang: str = ""
    strike: bool = False
    bold: bool = False
    italic: bool = False


Leaf = Text | Code | LineBreak | Note | Span  # a Span leaf is a point comment



def canonical_inlines(pairs: list[tuple[Fmt, Leaf]]) -> tuple[Inline, ...]:
    """One nesting for a run of formatted leaves, whoever made them.

    Order, outermost first: tracked change, link, language, strikeout, strong,
    emphasis.  Space at the edge of strikeout, strong or emphasis moves
    outside it (Markdown cannot say `*a *`); empty formatting disappears.
    """
    pairs = _split_space(pairs)
    return tuple(_merge_text(_build(pairs, 0)))


def _split_space(pairs: list[tuple[Fmt, Leaf]]) -> list[tuple[Fmt, Leaf]]:
    # Only a text's edges can be space next to other formatting, so its inside
    # stays one token (a token per word made this the largest cost of a DOCX render).
    tokens: list[tuple[Fmt, Leaf]] = []
    for fmt, leaf in pairs:
        if isinstance(leaf, Text):
            text = leaf.text
            core = text.strip()
            if core == text or not core:  # no edges to cut: all text, or all space
                if text:
                    tokens.append((fmt, leaf))
                continue
            start = text.index(core)
            for piece in (text[:start], core, text[start + len(core):]):
                if piece:
                    tokens.append((fmt, Text(piece)))
        else:
            tokens.append((fmt, leaf))
    out: list[tuple[Fmt, Leaf]] = []
    for i, (fmt, leaf) in enumerate(tokens):
        if (fmt.strike or fmt.bold or fmt.italic) and _is_space(leaf):
            prev = _neighbour(tokens, i, -1)
            nxt = _neighbour(tokens, i, 1)
            changes = {}
            for name in _DYNAMIC:
                if getattr(fmt, name) and not (prev is not None and nxt is not None
                                               and getattr(prev, name) and getattr(nxt, name)):
                    changes[name] = False
            if changes:
                fmt = replace(fmt, **changes)
        out.append((fmt, leaf))
    return out


def _is_space(leaf: Leaf) -> bool:
    return isinstance(leaf, LineBreak) or (isinstance(leaf, Text) and not leaf.text.strip())


def _neighbour(tokens: list[tuple[Fmt, Leaf]], i: int, step: int) -> Fmt | None:
    """The next non-space token's format, or None past the edge of this link/span/change group."""
    here = tokens[i][0]
    j = i + step
    while 0 <= j < len(tokens):
        fmt = tokens[j][0]
        if (fmt.change, fmt.link, fmt.lang) != (here.change, here.link, here.lang):
            return None
        if not _is_space(tokens[j][1]):
            return fmt
        j += step
    return None


_FIXED = ("change", "link", "lang")
_DYNAMIC = ("strike", "bold", "italic")


def _build(pairs: list[tuple[Fmt, Leaf]], level: int) -> list[Inline]:
    if level == len(_FIXED):
        return _build_emphasis(pairs, _DYNAMIC)
    name = _FIXED[level]
    if not any(getattr(fmt, name) for fmt, _leaf in pairs):
        return _build(pairs, level + 1)  # most text is in no change, link or language span
    out: list[Inline] = []
    i = 0
    while i < len(pairs):
        value = getattr(pairs[i][0], name)
        j = i
        while j < len(pairs) and getattr(pairs[j][0], name) == value:
            j += 1
        inner = _merge_text(_build(pairs[i:j], level + 1))
        if not value:
            out.extend(inner)
        elif name == "change":
            kind, kv = value
            out.append(Span(tuple(inner), Attrs("", (kind,), kv)))
        elif name == "link":
            out.append(Link(tuple(inner), value[0], value[1]))
        else:
            out.append(Span(tuple(inner), Attrs("", (), (("lang", value),))))
        i = j
    return out


def _build_emphasis(pairs: list[tuple[Fmt, Leaf]], props: tuple[str, ...]) -> list[Inline]:
    """Strikeout, strong and emphasis: the longest run starting here is the outer one."""
    out: list[Inline] = []
    i = 0
    while i < len(pairs):
        if _is_space(pairs[i][1]):
            # Space at a run's edge stays outside it, so it cannot make a run
            # longer either: after `~~a *b~~ ***c***`, "c" is strong and
            # emphasised alike, and the tie is broken as for any other text.
            out.append(pairs[i][1])
            i += 1
            continue
        best, best_len, best_span = "", 0, 0
        for name in props:
            j = i
            while j < len(pairs) and getattr(pairs[j][0], name):
                j += 1
            span = j
            while j > i and _is_space(pairs[j - 1][1]):
                j -= 1
            if j - i > best_len:
                best, best_len, best_span = name, j - i, span - i
        if not best:
            out.append(pairs[i][1])
            i += 1
            continue
        # The run starts with text and ends before its trailing space, which
        # stays outside (Markdown cannot open or close next to it).
        end = i + best_len
        inner = _merge_text(_build_emphasis(pairs[i:end], tuple(p for p in props if p != best)))
        out.append({"strike": Strikeout, "bold": Strong, "italic": Emph}[best](tuple(inner)))
        out.extend(leaf for _fmt, leaf in pairs[end:i + best_span])
        i += best_span
    return out


def _merge_text(inlines: list[Inline]) -> list[Inline]:
    """Neighbouring texts (and codes) as one; joined once, not grown piece by piece."""
    out: list[Inline] = []
    pending: list[str] = []
    kind: type | None = None
    for node in inlines:
        # Word keeps no seam between two code runs, so two codes are one too.
        if isinstance(node, (Text, Code)) and type(node) is kind:
            pending.append(node.text)
            continue
        if pending:
            out.append(kind("".join(pending)))  # type: ignore[misc]
            pending, kind = [], None
        if isinstance(node, Text) and not node.text:
            continue
        if isinstance(node, (Text, Code)):
            pending, kind = [node.text], type(node)
        else:
            out.append(node)
    if pending:
        out.append(kind("".join(pending)))  # type: ignore[misc]
    return out
