"""The PDF policy brief, built with reportlab (imported only when rendering).

`render_brief` builds the story (front matter, body, notes, about the
authors) from the tree and lays it out on the brief's page templates.
"""

from __future__ import annotations

import io
from pathlib import Path

from reportlab.platypus import Flowable, FrameBreak, NextPageTemplate

from ...common.links import internal_target
from ...theme import Theme
from ...tree import Document, Link, Para, walk
from .._reportlab.paragraph import Paragraph
from .._reportlab.pdfa import convert as archival
from .._reportlab.tagged import tag
from .._reportlab.text import safe_anchor
from ...transforms.prepare import split_bibliography
from .back import about_authors, bibliography, notes, publisher_line
from .blocks import BlockRenderer, Env
from .context import BriefContext
from .front import band, band_height, front_matter
from .page import BriefDocTemplate


def render_brief(doc: Document, theme: Theme, *, base_dir: Path, tagged: bool = True) -> bytes:
    """The brief's PDF bytes; `tagged=False` leaves out the structure (to measure what tagging costs)."""
    page = theme.page
    column_width = (page.frame_width - page.gutter * (page.columns - 1)) / page.columns
    body_height = page.height - page.margin_top - page.margin_bottom
    ctx = BriefContext.create(doc, theme, base_dir, column_width=column_width, body_height=body_height)

    band_paragraphs = band(ctx)
    band_h = band_height(band_paragraphs, page.frame_width, ctx)
    front = front_matter(ctx, page.frame_width)
    front_h = sum(f.wrap(page.frame_width, page.height)[1] + f.getSpaceBefore() + f.getSpaceAfter() for f in front)

    renderer = BlockRenderer(ctx)
    body_env = Env(width=column_width, parent=ctx.tree.root)
    story: list[Flowable] = [NextPageTemplate("later"), *front]
    if page.columns > 1:
        story.append(FrameBreak())
    body, refs_heading, refs = split_bibliography(doc.blocks)
    blocks = list(body)
    if blocks and isinstance(blocks[0], Para):
        # The opening paragraph is the lead-in, set larger.
        story.append(tag(Paragraph(ctx.markup(blocks.pop(0).children, "lead"), ctx.style("lead")),
                         ctx.tree.root.add("P")))
    story.extend(renderer.blocks(tuple(blocks), body_env))
    story.extend(notes(ctx, renderer, column_width))
    story.extend(bibliography(ctx, renderer, refs_heading, refs))
    story.extend(about_authors(ctx))
    story.extend(publisher_line(ctx))

    buffer = io.BytesIO()
    template = BriefDocTemplate(buffer, ctx, band_paragraphs, band_h, front_h, _dangling_links(doc, ctx))
    template.build(story, tagged=tagged)
    return archival(buffer.getvalue(), theme.output.pdf_standard)


def _dangling_links(doc: Document, ctx: BriefContext) -> set[str]:
    """Anchors that in-document links name but no heading defines."""
    wanted = set()
    for node in walk(doc):
        if isinstance(node, Link) and (anchor := internal_target(node.url)) is not None:
            wanted.add(safe_anchor(anchor))
    return wanted - ctx.anchors
