"""The first page: the accent band, authors, image credit and key takeaways."""

from __future__ import annotations


from reportlab.platypus import Flowable, ListFlowable, ListItem, Spacer, Table

from ...common.display import display_date
from ...common.links import resolve_image
from .._reportlab.paragraph import Paragraph
from .._reportlab.styles import color
from .._reportlab.tagged import tag, tag_list
from .._reportlab.text import clean
from .blocks import shaded_box
from .context import BriefContext
from .figures import Picture, load_image

TAKEAWAYS_LABEL = "Key takeaways"


def series_label(ctx: BriefContext) -> str:
    return ctx.doc.meta.series or ctx.theme.brand.series


def band(ctx: BriefContext) -> list[Paragraph]:
    """The paragraphs set on the accent band: series (and date), title, subtitle."""
    meta = ctx.doc.meta
    parts = [ctx.text(series_label(ctx), "series")]
    if meta.date:
        parts.append(ctx.text(display_date(meta.date), "series"))
    root = ctx.tree.root
    out = [tag(Paragraph("\u2002\u00b7\u2002".join(p for p in parts if p), ctx.style("series")), root.add("P"))]
    if meta.title:
        out.append(tag(Paragraph(ctx.text(meta.title, "title"), ctx.style("title")), root.add("Title")))
    if meta.subtitle:
        out.append(tag(Paragraph(ctx.text(meta.subtitle, "subtitle"), ctx.style("subtitle")), root.add("P")))
    return out


def band_height(paragraphs: list[Paragraph], width: float, ctx: BriefContext) -> float:
    layout = ctx.theme.layout
    height = layout.band_padding_top + layout.band_padding_bottom
    for index, para in enumerate(paragraphs):
        height += para.wrap(width, 10_000)[1] + (para.getSpaceBefore() if index else 0)
    return height


def front_matter(ctx: BriefContext, width: float) -> list[Flowable]:
    """What follows the band on page 1, before the body."""
    meta = ctx.doc.meta
    out: list[Flowable] = []
    if meta.authors:
        out.append(Spacer(width, ctx.text_style("authors").space_before))
        out.append(_authors(ctx, width))
    if meta.image is not None:
        out.extend(_lead_image(ctx, width))
    if meta.key_points:
        out.append(_takeaways(ctx, width))
    elif out:
        out.append(Spacer(width, ctx.text_style("body").leading))
    return out


def _authors(ctx: BriefContext, width: float) -> Table:
    authors = ctx.doc.meta.authors
    per_row = min(len(authors), 2)
    cells = []
    # Read author by author, name then affiliation: the grid is only how they are set.
    root = ctx.tree.root
    for author in authors:
        cell: list[Flowable] = [tag(Paragraph(ctx.text(author.name, "authors"),
                                              ctx.style("authors", spaceBefore=0)), root.add("P"))]
        if author.affiliation:
            cell.append(tag(Paragraph(ctx.text(author.affiliation, "affiliation"), ctx.style("affiliation")),
                            root.add("P")))
        cells.append(cell)
    rows = [cells[i:i + per_row] for i in range(0, len(cells), per_row)]
    if len(rows[-1]) < per_row:
        rows[-1] += [""] * (per_row - len(rows[-1]))
    gutter = ctx.theme.page.gutter
    col = (width - gutter * (per_row - 1)) / per_row
    widths = [col + (gutter if i < per_row - 1 else 0) for i in range(per_row)]
    return Table(rows, colWidths=widths, hAlign="LEFT", style=ctx.table_style(*[
        ("LEFTPADDING", (0, 0), (-1, -1), 0), ("RIGHTPADDING", (0, 0), (-1, -1), 0),
        ("RIGHTPADDING", (0, 0), (-2, -1), gutter),
        ("TOPPADDING", (0, 0), (-1, -1), 0), ("BOTTOMPADDING", (0, 0), (-1, -1), 0),
        ("BOTTOMPADDING", (0, 0), (-1, -2), ctx.text_style("affiliation").leading / 2),
        ("VALIGN", (0, 0), (-1, -1), "TOP"),
    ]))


def _lead_image(ctx: BriefContext, width: float) -> list[Flowable]:
    """The front matter's image: the picture when it has a file, then caption and credit."""
    image = ctx.doc.meta.image
    assert image is not None
    out: list[Flowable] = []
    style = ctx.text_style("image-credit")
    if image.src:
        line = ctx.doc.meta.line_of("image")
        path = resolve_image(image.src, ctx.base_dir, source=ctx.doc.source, line=line)
        out.append(Spacer(width, style.space_before))
        # On page 1 the picture shares the page with the takeaways: a third of it at most.
        picture = Picture(load_image(path, source=ctx.doc.source, line=line), ctx.body_height / 3,
                          ctx.theme.output.max_image_dpi)
        alt = " ".join(clean(image.alt or image.caption).split())
        out.append(tag(picture, ctx.tree.root.add("Figure", Alt=alt) if alt else None))
    caption = ctx.text(image.caption, "image-credit") if image.caption else ""
    credit = ctx.text(image.credit, "image-credit") if image.credit else ""
    if caption and credit:
        text = f"{caption} ({credit})"
    else:
        text = caption or credit
    if text:
        out.append(tag(Paragraph(text, ctx.style("image-credit")), ctx.tree.root.add("Caption")))
    return out


def _takeaways(ctx: BriefContext, width: float) -> Table:
    points = ctx.text_style("takeaways")
    sect = ctx.tree.root.add("Sect")
    head = [tag(Paragraph(ctx.text(TAKEAWAYS_LABEL, "takeaways-label"), ctx.style("takeaways-label")),
                sect.add("P"))]
    element = sect.add("L")

    def body(inner: float) -> list[Flowable]:
        items, labels = [], []
        for point in ctx.doc.meta.key_points:
            li = element.add("LI")
            labels.append(li.add("Lbl"))
            items.append(ListItem(tag(Paragraph(ctx.text(point, "takeaways"), ctx.style("takeaways")),
                                      li.add("LBody").add("P"))))
        return [tag_list(ListFlowable(
            items, bulletType="bullet", start="square", **ctx.list_indent(ctx.theme.layout.bullet_indent),
            bulletFontName=ctx.roles[points.font].primary, bulletFontSize=points.size * 0.6,
            bulletOffsetY=-points.size * 0.15, bulletColor=color(ctx.theme.colors.accent),
        ), labels)]

    box = shaded_box(ctx, width, head, body)
    box.spaceBefore = ctx.text_style("authors").space_before
    return box
