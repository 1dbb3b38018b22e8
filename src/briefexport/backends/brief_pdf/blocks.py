"""Tree blocks -> reportlab flowables for the body, boxes and notes."""

from __future__ import annotations

import dataclasses
import re
from dataclasses import dataclass

from reportlab.lib.sequencer import _type2formatter  # the labels ListFlowable draws
from reportlab.pdfbase.pdfmetrics import stringWidth
from reportlab.platypus import Flowable, ListFlowable, ListItem, Table
from reportlab.platypus.flowables import HRFlowable, DDIndenter

from ...errors import UnsupportedNode
from ...transforms.keypoints import split_attribution
from ...tree import (
    Block, BlockQuote, BulletList, CodeBlock, DefinitionList, Div, Figure, Heading, HorizontalRule,
    OrderedList, Para, Plain, Table as TableNode, inline_text,
)
from .._reportlab.structure import Element
from .._reportlab.styles import color
from .._reportlab.tagged import tag, tag_list
from .context import BriefContext, heading_id
from .figures import figure
from .tables import table
from .._reportlab.splitting import BriefParagraph as Paragraph
from .long import code_pieces, para_pieces

_BULLETS = ("\u2022", "\u2013")  # bullet, en dash: alternate by nesting depth
_MIN_WIDTH = 72.0  # one inch: the narrowest column text is still set in
_BOX_LABELS = {"keypoints": "Key points", "key-points": "Key points"}


@dataclass(frozen=True)
class Env:
    """Where blocks are being set: the width they get and their text style."""

    width: float
    text: str = "body"
    depth: int = 0  # list nesting, for the bullet character
    outline: bool = True  # headings here become bookmarks (not inside boxes)
    parent: Element | None = None  # the structure element the blocks here belong to (None: artifacts)

    def add(self, type_: str, **attrs: object) -> Element | None:
        """A new structure element inside this place, in reading order."""
        return self.parent.add(type_, **attrs) if self.parent is not None else None

    def inside(self, element: Element | None) -> Env:
        return dataclasses.replace(self, parent=element)

    def narrower(self, by: float, **changes: object) -> Env:
        # Very deep nesting stops indenting rather than squeezing text to nothing.
        width = self.width - by if self.width - by >= _MIN_WIDTH else self.width
        return dataclasses.replace(self, width=width, **changes)  # type: ignore[arg-type]


class BlockRenderer:
    def __init__(self, ctx: BriefContext) -> None:
        self.ctx = ctx
        self.layout = ctx.theme.layout
        self.heading_shift = _heading_shift(ctx.doc.blocks)
        self.outline_level = -1

    def blocks(self, blocks: tuple[Block, ...], env: Env) -> list[Flowable]:
        out: list[Flowable] = []
        for block in blocks:
            out.extend(self.block(block, env))
        return out

    def block(self, node: Block, env: Env) -> list[Flowable]:
        ctx = self.ctx
        match node:
            case Para(children=c):
                pieces = para_pieces(c, source=ctx.doc.source, line=node.line)
                last = len(pieces) - 1
                return [tag(Paragraph(ctx.markup(p, env.text),
                                      ctx.style(env.text) if i == last else ctx.style(env.text, spaceAfter=0)),
                            env.add("P")) for i, p in enumerate(pieces)]
            case Plain(children=c):
                # Items of tight lists: no paragraph spacing between them.
                return [tag(Paragraph(ctx.markup(c, env.text), ctx.style(env.text, spaceAfter=0)), env.add("P"))]
            case Heading():
                return [self.heading(node, env)]
            case BulletList(items=items):
                return [self.list(items, env, ordered=False, start=1)]
            case OrderedList(items=items, start=start):
                return [self.list(items, env, ordered=True, start=start)]
            case DefinitionList(items=items):
                return self.definitions(items, env)
            case BlockQuote(blocks=b):
                inner = env.narrower(self.layout.blockquote_indent, text=_quote_style(env.text),
                                     parent=env.add("BlockQuote"))
                indent = env.width - inner.width
                return [DDIndenter(f, leftIndent=indent) for f in self.blocks(b, inner)]
            case CodeBlock(text=t):
                return self.code(t, env)
            case HorizontalRule():
                body = ctx.text_style(env.text)
                return [HRFlowable(width="100%", thickness=self.layout.hairline, color=color(ctx.theme.colors.rule),
                                   spaceBefore=body.leading / 2, spaceAfter=body.leading / 2)]
            case TableNode():
                return table(ctx, node, env.width, self.blocks_in_cell, env.parent)
            case Figure():
                return figure(ctx, node, env.width, env.parent)
            case Div():
                return self.div(node, env)
            case _:
                raise UnsupportedNode(f"block node {type(node).__name__} is not handled by the PDF brief",
                                      ctx.doc.source, getattr(node, "line", 0))

    def blocks_in_cell(self, blocks: tuple[Block, ...], width: float, text: str,
                       parent: Element | None = None) -> list[Flowable]:
        return self.blocks(blocks, Env(width=width, text=text, outline=False, parent=parent))

    # ------------------------------------------------------------ headings

    def heading(self, node: Heading, env: Env) -> Paragraph:
        ctx = self.ctx
        level = max(1, node.level - self.heading_shift)
        name = ("h1", "h2", "h3")[min(level, 3) - 1]
        title = inline_text(node.children).strip()
        anchor = ctx.unique_anchor(node.attrs.id or heading_id(title))
        markup = f'<a name="{anchor}"/>' + ctx.markup(node.children, name)
        para = tag(Paragraph(markup, ctx.style(name, keepWithNext=1)), env.add(f"H{min(level, 6)}"))
        if env.outline and title:
            # Outline levels may rise only one step at a time.
            self.outline_level = min(level - 1, self.outline_level + 1)
            para._bx_outline = (title, self.outline_level)  # type: ignore[attr-defined]
        return para

    # --------------------------------------------------------------- lists

    def list(self, items: tuple[tuple[Block, ...], ...], env: Env, *, ordered: bool, start: int) -> Flowable:
        ctx = self.ctx
        text = ctx.text_style(env.text)
        font = ctx.roles[text.font].primary
        indent = self.layout.list_indent
        formats = self.layout.number_formats or ("1",)
        number_type = formats[env.depth % len(formats)]
        if ordered:
            last = max(start, 0) + max(len(items) - 1, 0)
            widest = max(stringWidth(f"{_type2formatter[number_type](n)}.", font, text.size)
                         for n in range(max(start, 1), max(last, 1) + 1))
            indent = max(indent, widest + self.layout.bullet_indent / 2)
        inner = env.narrower(indent, depth=env.depth + 1)
        flow_items = []
        element = env.add("L")
        labels: list[Element] = []
        for item in items:
            li = element.add("LI") if element is not None else None
            if li is not None:
                labels.append(li.add("Lbl"))
            body = inner.inside(li.add("LBody") if li is not None else None)
            content = self.blocks(item, body) or [Paragraph("\u00a0", ctx.style(env.text))]
            # Nothing follows the last flowable inside its item, and reportlab's
            # keep-with-next across a ListItem's end never settles (the build
            # loops): a heading that ends an item keeps with nothing.
            content[-1].keepWithNext = 0
            flow_items.append(ListItem(content))
        options: dict[str, object] = {
            **ctx.list_indent(env.width - inner.width),
            "bulletFontName": font,
            "bulletFontSize": text.size,
            "bulletColor": color(ctx.theme.colors.accent),
            "bulletDedent": "auto",
            # A nested list ends inside its item, which already has its spacing.
            "spaceAfter": text.space_after if env.depth == 0 else 0,
        }
        if ordered:
            flowable = ListFlowable(flow_items, bulletType=number_type, start=str(start), bulletFormat="%s.",
                                    **options)
        else:
            flowable = ListFlowable(flow_items, bulletType="bullet", start=_BULLETS[env.depth % len(_BULLETS)],
                                    **options)
        return tag_list(flowable, labels) if element is not None else flowable

    def definitions(self, items: tuple, env: Env) -> list[Flowable]:
        ctx = self.ctx
        out: list[Flowable] = []
        inner = env.narrower(self.layout.list_indent)
        element = env.add("L")
        for term, definitions in items:
            li = element.add("LI") if element is not None else None
            label = li.add("Lbl") if li is not None else None
            out.append(tag(Paragraph(f"<b>{ctx.markup(term, env.text, bold=True)}</b>",
                                     ctx.style(env.text, keepWithNext=1)), label))
            body = inner.inside(li.add("LBody") if li is not None else None)
            for definition in definitions:
                out.extend(DDIndenter(f, leftIndent=env.width - inner.width) for f in self.blocks(definition, body))
        return out

    # ---------------------------------------------------------------- code

    def code(self, text: str, env: Env) -> list[Flowable]:
        ctx = self.ctx
        pad = self.layout.cell_padding
        lines = []
        for line in text.rstrip("\n").expandtabs(4).split("\n"):
            # Leading and repeated spaces are kept (non-breaking); single
            # spaces stay break points so long lines wrap between words.
            line = re.sub(r"^ +", lambda m: "\u00a0" * len(m.group()), line)
            line = re.sub(r" {2,}", lambda m: " " + "\u00a0" * (len(m.group()) - 1), line)
            lines.append(ctx.text(line, "code") or "\u00a0")
        before, after = pad + ctx.text_style("code").space_before, pad + ctx.text_style("code").space_after
        pieces = code_pieces(lines)
        element = env.add("Code")  # one element, whatever the pieces
        out: list[Flowable] = []
        for i, piece in enumerate(pieces):
            # Between pieces each tint reaches `pad` past its box: the boxes meet.
            style = ctx.style("code", leftIndent=pad, rightIndent=pad, borderPadding=pad,
                              backColor=color(ctx.theme.colors.tint),
                              spaceBefore=before if i == 0 else pad, spaceAfter=after if i == len(pieces) - 1 else pad)
            out.append(tag(Paragraph("<br/>".join(piece), style), element))
        return out

    # ---------------------------------------------------------------- divs

    def div(self, node: Div, env: Env) -> list[Flowable]:
        if node.attrs.has_class("references"):
            return self.references(node, env.parent)
        if node.kind == "pullquote":
            return [self.pullquote(node, env)]
        if not node.kind:
            return self.blocks(node.blocks, env)
        return [self.box(node, env)]

    def references(self, refs: Div, parent: Element | None) -> list[Flowable]:
        """Bibliography entries in the notes' style, first lines hanging, each a
        paragraph of one section in the structure tree; each entry (`ref-KEY`)
        is where a linked citation leads."""
        ctx = self.ctx
        hang = self.layout.list_indent
        style = ctx.style("notes", leftIndent=hang, firstLineIndent=-hang)
        env = Env(width=ctx.column_width, text="notes", outline=False, parent=parent.add("Sect") if parent else None)
        out: list[Flowable] = []
        for entry in refs.blocks:
            ident = entry.attrs.id if isinstance(entry, Div) else ""
            for i, block in enumerate(entry.blocks if isinstance(entry, Div) else (entry,)):
                if not isinstance(block, (Para, Plain)):
                    out.extend(self.block(block, env))
                    continue
                anchor = f'<a name="{ctx.unique_anchor(ident)}"/>' if i == 0 and ident else ""
                out.append(tag(Paragraph(anchor + ctx.markup(block.children, "notes"), style), env.add("P")))
        return out

    def pullquote(self, node: Div, env: Env) -> Flowable:
        ctx = self.ctx
        rows: list[list[object]] = []
        # One rule for every format (transforms.keypoints): a last paragraph opening with a dash.
        blocks, attribution = split_attribution(node.blocks)
        # An aside (role-mapped to Sect in PDF 1.7): a reader can skip it as a
        # whole. Drawn as an artifact it would be prose a reader never gets
        # (outloud's TAG-002), since a pull quote need not repeat the body.
        aside = env.add("Aside")
        for f in self.blocks(blocks, Env(width=env.width, text="pullquote", outline=False, parent=aside)):
            rows.append([f])
        if attribution is not None:
            children = attribution.children
            rows.append([tag(Paragraph(ctx.markup(children, "pullquote-attribution"),
                                       ctx.style("pullquote-attribution")), aside.add("P") if aside else None)])
        rule = self.layout.pullquote_rule
        pad = self.layout.pullquote_padding
        accent = color(ctx.theme.colors.accent)
        quote = ctx.text_style("pullquote")
        # Frames collapse a gap to the larger of the two spaces, so equal
        # spaces give equal gaps above and below the rules.
        gap = quote.leading / 2 + ctx.text_style("body").space_after
        return Table(rows or [[""]], colWidths=[env.width], splitInRow=1, spaceBefore=gap, spaceAfter=gap,
                     style=ctx.table_style(*[
            ("LINEABOVE", (0, 0), (-1, 0), rule, accent),
            ("LINEBELOW", (0, -1), (-1, -1), rule, accent),
            ("LEFTPADDING", (0, 0), (-1, -1), 0), ("RIGHTPADDING", (0, 0), (-1, -1), 0),
            ("TOPPADDING", (0, 0), (-1, -1), 0), ("BOTTOMPADDING", (0, 0), (-1, -1), 0),
            ("TOPPADDING", (0, 0), (-1, 0), pad), ("BOTTOMPADDING", (0, -1), (-1, -1), pad),
            ("VALIGN", (0, 0), (-1, -1), "TOP"),
        ]))

    def box(self, node: Div, env: Env) -> Flowable:
        ctx = self.ctx
        title = dict(node.attrs.kv).get("title") or _BOX_LABELS.get(node.kind, node.kind.replace("-", " ").replace("_", " "))
        sect = env.add("Sect")
        label = tag(Paragraph(ctx.text(title, "takeaways-label"), ctx.style("takeaways-label")),
                    sect.add("P") if sect else None)
        return shaded_box(ctx, env.width, [label], lambda width: self.blocks(
            node.blocks, Env(width=width, text=env.text, outline=False, parent=sect)))


def shaded_box(ctx: BriefContext, width: float, head: list[Flowable], body) -> Table:  # noqa: ANN001
    """A tinted box with an accent rule on top (key takeaways, `:::` boxes).

    One row per flowable, so a long box splits across pages between them.
    """
    layout = ctx.theme.layout
    sides, pad = layout.takeaways_padding_sides, layout.takeaways_padding
    rows = [[f] for f in head + body(width - 2 * sides)] or [[""]]
    body_style = ctx.text_style("body")
    return Table(rows, colWidths=[width], splitInRow=1, spaceBefore=body_style.space_after,
                 spaceAfter=body_style.leading, style=ctx.table_style(*[
        ("BACKGROUND", (0, 0), (-1, -1), color(ctx.theme.colors.tint)),
        ("LINEABOVE", (0, 0), (-1, 0), layout.takeaways_rule, color(ctx.theme.colors.accent)),
        ("LEFTPADDING", (0, 0), (-1, -1), sides), ("RIGHTPADDING", (0, 0), (-1, -1), sides),
        ("TOPPADDING", (0, 0), (-1, -1), 0), ("BOTTOMPADDING", (0, 0), (-1, -1), 0),
        ("TOPPADDING", (0, 0), (-1, 0), pad), ("BOTTOMPADDING", (0, -1), (-1, -1), pad),
        ("VALIGN", (0, 0), (-1, -1), "TOP"),
    ]))


def _heading_shift(blocks: tuple[Block, ...]) -> int:
    """How far headings move up so that the article's top level gets the H1 style.

    The title sits in the band, so an article whose sections are `##` would
    otherwise have no H1 at all.
    """
    levels = [b.level for b in blocks if isinstance(b, Heading)]
    return min(levels) - 1 if levels else 0


def _quote_style(text: str) -> str:
    return "blockquote" if text == "body" else text


