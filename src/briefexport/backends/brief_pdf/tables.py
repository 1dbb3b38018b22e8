"""Tables: fitted to the frame, cells wrapped, header repeated across pages."""

from __future__ import annotations

from collections.abc import Callable

from reportlab.pdfbase.pdfmetrics import stringWidth
from reportlab.platypus import Flowable, Paragraph, Table

from ...tree import Table as TableNode
from ...tree import TableCell, inline_text
from .._reportlab.styles import color
from .context import BriefContext
from .figures import caption

CellRenderer = Callable[..., list[Flowable]]
_ALIGN = {"left": "left", "center": "center", "right": "right", "default": "left"}


def table(ctx: BriefContext, node: TableNode, width: float, _cells: CellRenderer) -> list[Flowable]:
    columns = max(len(node.aligns), len(node.head), *(len(r) for r in node.rows), 0)
    if columns == 0:
        return []
    aligns = [_ALIGN[a] for a in node.aligns] + ["left"] * (columns - len(node.aligns))
    rows = [_padded(node.head, columns)] + [_padded(r, columns) for r in node.rows]
    pad = ctx.theme.layout.cell_padding
    widths = _column_widths(ctx, rows, width, pad)
    data = []
    for index, row in enumerate(rows):
        name = "table-header" if index == 0 else "table"
        data.append([
            Paragraph(ctx.markup(cell.children, name), ctx.style(name, align=aligns[i]))
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
    label = caption(ctx, "Table", ctx.tables, node.caption)
    for part in label:
        part.keepWithNext = 1
    return [*label, flowable]


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
