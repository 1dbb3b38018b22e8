"""Tables: fitted to the frame, cells wrapped, header repeated across pages."""

from __future__ import annotations

from collections.abc import Callable

from reportlab.pdfbase.pdfmetrics import stringWidth
from reportlab.platypus import Flowable, Table

from ...tree import Table as TableNode
from ...tree import TableCell, inline_text
from .._reportlab.paragraph import Paragraph
from .._reportlab.structure import Element
from .._reportlab.styles import color
from .._reportlab.tagged import tag
from .context import BriefContext
from .figures import caption, label as label_word

CellRenderer = Callable[..., list[Flowable]]
_ALIGN = {"left": "left", "center": "center", "right": "right", "default": "left"}


def table(ctx: BriefContext, node: TableNode, width: float, _cells: CellRenderer,
          parent: Element | None = None) -> list[Flowable]:
    columns = max(len(node.aligns), len(node.head), *(len(r) for r in node.rows), 0)
    if columns == 0:
        return []
    aligns = [_ALIGN[a] for a in node.aligns] + ["left"] * (columns - len(node.aligns))
    rows = [_padded(node.head, columns)] + [_padded(r, columns) for r in node.rows]
    pad = ctx.theme.layout.cell_padding
    widths = _column_widths(ctx, rows, width, pad)
    element = parent.add("Table") if parent is not None else None
    # The caption is the table's first child, as it is read before the cells.
    caption_element = element.add("Caption") if element is not None and node.caption else None
    groups = _row_groups(element, has_head=bool(node.head))
    data = []
    for index, row in enumerate(rows):
        name = "table-header" if index == 0 else "table"
        group = groups[0 if index == 0 else 1]
        tr = group.add("TR") if group is not None else None
        data.append([
            tag(Paragraph(ctx.markup(cell.children, name), ctx.style(name, align=aligns[i])),
                _cell(tr, index == 0))
            for i, cell in enumerate(row)
        ])
    layout = ctx.theme.layout
    accent = color(ctx.theme.colors.accent)
    body = ctx.text_style("body")
    flowable = Table(data, colWidths=widths, repeatRows=1, splitInRow=1, hAlign="LEFT",
                     spaceBefore=body.space_after, spaceAfter=body.leading, style=ctx.table_style(*[
        ("LINEABOVE", (0, 0), (-1, 0), layout.pullquote_rule, accent),
        ("LINEBELOW", (0, 0), (-1, 0), layout.pullquote_rule, accent),
        ("LINEBELOW", (0, 1), (-1, -1), layout.hairline, color(ctx.theme.colors.rule)),
        ("LEFTPADDING", (0, 0), (-1, -1), pad), ("RIGHTPADDING", (0, 0), (-1, -1), pad),
        ("TOPPADDING", (0, 0), (-1, -1), pad / 2), ("BOTTOMPADDING", (0, 0), (-1, -1), pad),
        ("VALIGN", (0, 0), (-1, -1), "TOP"),
    ]))
    if not node.caption:
        return [flowable]
    ctx.tables += 1
    label = caption(ctx, label_word(ctx, "table"), ctx.tables, node.caption, node.attrs.id)
    for part in label:
        part.keepWithNext = 1
        tag(part, caption_element)
    return [*label, flowable]


def _row_groups(element: Element | None, *, has_head: bool) -> tuple[Element | None, Element | None]:
    """The THead and TBody that rows go in (a table without a header row has no THead)."""
    if element is None:
        return None, None
    head = element.add("THead") if has_head else None
    body = element.add("TBody")
    return head, body


def _cell(tr: Element | None, header: bool) -> Element | None:
    """A cell's element and the paragraph inside it; None for the missing header row's cells."""
    if tr is None:
        return None
    cell = tr.add("TH", Scope="Column") if header else tr.add("TD")
    return cell.add("P")


def _padded(row: tuple[TableCell, ...], columns: int) -> list[TableCell]:
    return list(row) + [TableCell(())] * (columns - len(row))


def _column_widths(ctx: BriefContext, rows: list[list[TableCell]], width: float, pad: float) -> list[float]:
    """Widths that fill `width`: a column whose text fits an equal share
    keeps its full width (short labels and numbers do not wrap); the
    room left goes to the others in proportion to how much text they hold."""
    columns = len(rows[0])
    natural = [0.0] * columns
    for index, row in enumerate(rows):
        style = ctx.text_style("table-header" if index == 0 else "table")
        font = ctx.roles[style.font].face(style.bold, style.italic)
        for i, cell in enumerate(row):
            natural[i] = max(natural[i], stringWidth(inline_text(cell.children), font, style.size) + 2 * pad)
    if not sum(natural):
        return [width / columns] * columns
    if sum(natural) <= width:
        return [n + (width - sum(natural)) * n / sum(natural) for n in natural]
    minimum = [min(n, width / columns) for n in natural]
    spare = width - sum(minimum)
    wants = [n - m for n, m in zip(natural, minimum, strict=True)]
    return [m + spare * w / sum(wants) for m, w in zip(minimum, wants, strict=True)]
