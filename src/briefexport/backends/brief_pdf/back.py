"""The end matter: numbered notes, about the authors, the publisher line."""

from __future__ import annotations

from reportlab.platypus import CondPageBreak, Flowable
from reportlab.platypus.flowables import HRFlowable

from ...tree import Div, Heading, Para, Plain, inline_text
from .._reportlab.paragraph import Paragraph
from .._reportlab.structure import Element
from .._reportlab.styles import color
from .._reportlab.tagged import tag
from .blocks import BlockRenderer, Env
from .context import BriefContext, note_anchor, note_ref_anchor
from ...common.display import colophon
from .front import series_label

NOTES_TITLE = "Notes"
AUTHORS_TITLE = "About the authors"


def section_heading(ctx: BriefContext, title: str) -> list[Flowable]:
    style = ctx.text_style("notes-heading")
    para = tag(Paragraph(ctx.text(title, "notes-heading"), ctx.style("notes-heading", keepWithNext=1)),
               ctx.tree.root.add("H1"))
    para._bx_outline = (title, 0)  # type: ignore[attr-defined]
    rule = HRFlowable(width="100%", thickness=ctx.theme.layout.hairline, color=color(ctx.theme.colors.rule),
                      spaceBefore=style.space_before, spaceAfter=0)
    # Keep the rule, the heading and the first lines together at a page foot.
    return [CondPageBreak(style.leading * 4), rule, para]


def notes(ctx: BriefContext, renderer: BlockRenderer, width: float) -> list[Flowable]:
    """Every footnote, in order; notes inside notes are numbered as they are met."""
    if not ctx.notes:
        return []
    out = section_heading(ctx, NOTES_TITLE)
    done = 0
    while done < len(ctx.notes):
        entry = ctx.notes[done]
        done += 1
        note: Element = ctx.tree.root.add("Note", ID=f"note-{entry.number}")
        env = Env(width=width, text="notes", outline=False, parent=note)
        number = (
            f'<a name="{note_anchor(entry.number)}"/>'
            f'<a href="#{note_ref_anchor(entry.number)}" color="{ctx.theme.colors.link}">{entry.number}.</a>\u2002'
        )
        blocks = entry.note.blocks
        if blocks and isinstance(blocks[0], (Para, Plain)):
            out.append(tag(Paragraph(number + ctx.markup(blocks[0].children, "notes"), ctx.style("notes")),
                           note.add("P")))
            blocks = blocks[1:]
        else:
            out.append(tag(Paragraph(number, ctx.style("notes")), note.add("P")))
        out.extend(renderer.blocks(blocks, env))
    return out


def bibliography(ctx: BriefContext, renderer: BlockRenderer, heading: Heading | None, refs: Div | None) -> list[Flowable]:
    """The bibliography after the notes, headed like them."""
    if refs is None:
        return []
    out = section_heading(ctx, inline_text(heading.children).strip()) if heading is not None else []
    return out + renderer.references(refs, ctx.tree.root)


def about_authors(ctx: BriefContext) -> list[Flowable]:
    authors = ctx.doc.meta.authors
    if not any(a.bio for a in authors):
        return []
    out = section_heading(ctx, AUTHORS_TITLE)
    for author in authors:
        text = author.bio or author.affiliation
        name = author.name.strip()
        if text.startswith(name):
            # Bios usually open with the name: set that in bold, not twice.
            rest = text[len(name):]
        else:
            rest = f", {text}" if text else ""
        out.append(tag(Paragraph(f"<b>{ctx.text(name, 'bio', bold=True)}</b>{ctx.text(rest, 'bio')}",
                                 ctx.style("bio")), ctx.tree.root.add("P")))
    return out


def publisher_line(ctx: BriefContext) -> list[Flowable]:
    """Publisher, licence and how to cite, in one small paragraph."""
    meta = ctx.doc.meta
    brand = ctx.theme.brand
    text = colophon(title=meta.title, authors=(a.name for a in meta.authors), series=series_label(ctx),
                    date=meta.date, publisher=brand.publisher, licence=brand.licence)
    return [tag(Paragraph(ctx.text(text, "publisher"), ctx.style("publisher")), ctx.tree.root.add("P"))]
