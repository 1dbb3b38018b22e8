"""The brief's order: band, authors, key takeaways, image, body, about the authors.

Mirrors the PDF brief's page 1 and last page; the accent band and the key
takeaways box are one-cell tables in their own table styles, so an editor can
restyle them from the style gallery like everything else.
"""

from __future__ import annotations

import copy
from typing import TYPE_CHECKING

from docx.shared import Pt
from lxml.etree import _Element

from ...common.display import colophon, display_date, running_title
from ...common.links import resolve_image
from ...tree import Author, Para, Strong, Text
from . import styles as S
from ...transforms.prepare import split_bibliography
from .blocks import Blocks
from .measure import fit, measure
from .references import bibliography
from .xml import clean, el, field, paragraph, qn, run, text_runs, twips

if TYPE_CHECKING:
    from .context import Context



def compose(ctx: Context) -> None:
    _page_setup(ctx)
    body = ctx.document.element.body
    sect_pr = body.find(qn("w:sectPr"))
    body.remove(sect_pr)
    writer = Blocks(ctx, body, ctx.document.part)
    _front(ctx, writer)
    first_body = _body(ctx, writer)
    _back(ctx, writer)
    body.append(sect_pr)
    if ctx.theme.page.columns == 2 and first_body is not None:
        _two_columns(ctx, sect_pr, first_body)


def _one_cell_table(style: str, width: float) -> tuple[_Element, _Element]:
    w = twips(width)
    tc = el("w:tc", {}, el("w:tcPr", {}, el("w:tcW", {"w:w": w, "w:type": "dxa"})))
    tbl = el(
        "w:tbl", {},
        el("w:tblPr", {}, el("w:tblStyle", {"w:val": style}), el("w:tblW", {"w:w": w, "w:type": "dxa"}),
           el("w:tblLayout", {"w:type": "fixed"}),
           el("w:tblLook", {"w:val": "0000", "w:firstRow": 0, "w:lastRow": 0, "w:firstColumn": 0,
                            "w:lastColumn": 0, "w:noHBand": 1, "w:noVBand": 1})),
        el("w:tblGrid", {}, el("w:gridCol", {"w:w": w})),
        el("w:tr", {}, el("w:trPr", {}, el("w:cantSplit")), tc),
    )
    return tbl, tc


def _text_para(style: str, text: str) -> _Element:
    p = paragraph(style)
    p.extend(text_runs(text))
    return p


def _front(ctx: Context, writer: Blocks) -> None:
    meta, theme = ctx.doc.meta, ctx.theme
    body = writer.parent
    band, cell = _one_cell_table(S.BAND, theme.page.frame_width)
    cell.append(_text_para(S.SERIES, meta.series or theme.brand.series))
    cell.append(_text_para(S.TITLE, meta.title))
    if meta.subtitle:
        cell.append(_text_para(S.SUBTITLE, meta.subtitle))
    body.append(band)
    for author in meta.authors:
        body.append(_text_para(S.AUTHORS, author.name))
        if author.affiliation:
            body.append(_text_para(S.AFFILIATION, author.affiliation))
    if meta.date:
        body.append(_text_para(S.DATE, display_date(meta.date)))
    if meta.key_points:
        box, cell = _one_cell_table(S.TAKEAWAYS_BOX, theme.page.frame_width)
        cell.append(_text_para(S.TAKEAWAYS_LABEL, "Key takeaways"))
        for point in meta.key_points:
            cell.append(_text_para(S.TAKEAWAYS, point))
        body.append(paragraph(S.BODY))  # room between the authors and the box
        body.append(box)
    image = meta.image
    if image is not None:
        line = meta.line_of("image")
        if image.src:
            path = resolve_image(image.src, ctx.base_dir, source=ctx.doc.source, line=line)
            p = paragraph(S.FIGURE)
            p.append(el("w:r", {}, el("w:drawing", {}, writer.picture(path, image.alt or image.caption, "", line, src=image.src))))
            body.append(p)
        if image.caption:
            body.append(_text_para(S.CAPTION if image.src else S.IMAGE_CREDIT, image.caption))
        if image.credit:
            body.append(_text_para(S.IMAGE_CREDIT, image.credit))
    # Word puts no space after a table: keep the body off the box above it.
    body.append(paragraph(S.BODY))


def _body(ctx: Context, writer: Blocks) -> _Element | None:
    """Writes the body; returns its first element (where two columns begin)."""
    body = writer.parent
    start = len(body)
    blocks = ctx.doc.blocks
    if blocks and isinstance(blocks[0], Para):
        # The lead-in: the first paragraph set larger, as in the PDF.
        writer.para(blocks[0].children, S.LEAD)
        blocks = blocks[1:]
    blocks, heading, refs = split_bibliography(blocks)
    writer.write(blocks)
    if refs is not None:
        # Headed like "About the authors": the back matter begins here.
        if heading is not None:
            writer.para(heading.children, S.BACK_HEADING)
        bibliography(writer, refs)
    return body[start] if len(body) > start else None


def _back(ctx: Context, writer: Blocks) -> None:
    meta, brand = ctx.doc.meta, ctx.theme.brand
    with_bio = [a for a in meta.authors if a.bio]
    if with_bio:
        writer.para((Text("About the authors" if len(with_bio) > 1 else "About the author"),), S.BACK_HEADING)
        for author in with_bio:
            writer.para(_bio(author), S.BIO)
    # The same line as the PDF's last: publisher, licence, "Cite as: ...".
    writer.para((Text(colophon(title=meta.title, authors=(a.name for a in meta.authors),
                               series=meta.series or brand.series, date=meta.date, publisher=brand.publisher,
                               licence=brand.licence)),), S.PUBLISHER)


def _bio(author: Author) -> tuple[Text | Strong, ...]:
    bio = author.bio.strip()
    if bio.startswith(author.name):
        return (Strong((Text(author.name),)), Text(bio[len(author.name):]))
    return (Strong((Text(author.name),)), Text(" " + bio))


def _page_setup(ctx: Context) -> None:
    theme, meta = ctx.theme, ctx.doc.meta
    page = theme.page
    section = ctx.document.sections[0]
    section.page_width, section.page_height = Pt(page.width), Pt(page.height)
    section.top_margin, section.bottom_margin = Pt(page.margin_top), Pt(page.margin_bottom)
    section.left_margin, section.right_margin = Pt(page.margin_left), Pt(page.margin_right)
    footer_style = theme.styles.footer
    section.footer_distance = Pt(max(page.footer_baseline - (footer_style.leading - footer_style.size), 0))
    section.header_distance = Pt(max(page.footer_baseline - footer_style.size, 0))
    section.gutter = Pt(0)
    section.different_first_page_header_footer = True

    # As the PDF's: no running head; a footer with "Page N of M" at the
    # right and, after page 1, "Series  |  Title" fitted to the room left.
    series = meta.series or theme.brand.series
    style = theme.styles.footer
    width_of = measure(theme, style)
    room = page.frame_width - width_of("Page 99 of 99", style.size) - style.size * 2
    running = fit(running_title(series, clean(meta.title)), width_of, style.size, room)
    for header in (section.header, section.first_page_header):
        header.is_linked_to_previous = False
        _clear(header._element).append(el("w:p", {}, el("w:pPr", {}, el("w:pStyle", {"w:val": S.NORMAL}))))
    for footer in (section.footer, section.first_page_footer):
        p = _story(footer, S.FOOTER)
        if footer is section.footer:
            p.extend(text_runs(running))
        p.append(run("\tPage "))
        for r in field("PAGE", "1"):
            p.append(r)
        p.append(run(" of "))
        for r in field("NUMPAGES", "1"):
            p.append(r)


def _story(header_or_footer: object, style: str) -> _Element:
    header_or_footer.is_linked_to_previous = False  # type: ignore[attr-defined]
    root = _clear(header_or_footer._element)  # type: ignore[attr-defined]
    p = paragraph(style)
    root.append(p)
    return p


def _clear(root: _Element) -> _Element:
    for child in list(root):
        root.remove(child)
    return root


def _two_columns(ctx: Context, sect_pr: _Element, first_body: _Element) -> None:
    """Page-1 boxes span the page; the body flows in two columns after a continuous break."""
    holder = paragraph(S.NORMAL)
    holder[0].append(copy.deepcopy(sect_pr))  # ends the one-column front section
    first_body.addprevious(holder)
    # The body section inherits the front section's headers and footers.
    for child in list(sect_pr):
        if child.tag in (qn("w:headerReference"), qn("w:footerReference"), qn("w:titlePg")):
            sect_pr.remove(child)
    sect_pr.insert(0, el("w:type", {"w:val": "continuous"}))
    sect_pr.append(el("w:cols", {"w:num": 2, "w:space": twips(ctx.theme.page.gutter)}))
