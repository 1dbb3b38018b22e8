"""Tables: pipe tables as Word tables in the "Brief Table" style.

Columns are sized by their content as the PDF's are, measured with the
theme's fonts: a column whose text fits keeps its width, and no column is
narrower than its longest word, so Word never breaks "Mekong" into
"Mek/ong" in a narrow two-column layout.
"""

from __future__ import annotations

import math
from typing import Any, Protocol

from lxml.etree import _Element

from ...common.scripts import is_rtl_language
from ...tree import Table, TableCell, inline_text
from . import styles as S
from .measure import measure
from .references import caption_label
from .xml import append_all, el, paragraph, run, twips


class Blocks(Protocol):
    """What a table needs of the block writer (which imports this module)."""

    ctx: Any
    parent: _Element
    inlines: Any

    def text_width(self) -> float: ...
    def child(self, *, parent: _Element) -> Blocks: ...
    def para(self, inlines: tuple[Any, ...], style: str, **props: _Element) -> _Element: ...
    def separate_tables(self) -> None: ...

# The "Brief Table" style's cell margins, left and right (styles._table_style).
CELL_SIDES = 5.0


def write_table(writer: Blocks, node: Table) -> None:
    ctx = writer.ctx
    columns = max([node.columns, len(node.head), *(len(row) for row in node.rows)] or [1]) or 1
    if node.caption:
        ctx.tables += 1
        p = paragraph(S.CAPTION, keepNext=el("w:keepNext"))
        append_all(p, caption_label(ctx, "table", ctx.tables, node.attrs.id))
        p.append(run("\u2003"))
        writer.inlines.write(p, node.caption, style=S.CAPTION)
        writer.parent.append(p)
    total = twips(writer.text_width())
    # Rounded up to whole twips, so no column ends a hair short of its longest word;
    # the column with the most room to spare gives back what that adds.
    points, longest = column_widths(writer, node, columns, writer.text_width())
    widths = [math.ceil(w * 20) for w in points]
    roomy = max(range(columns), key=lambda i: points[i] - longest[i])
    widths[roomy] = max(widths[roomy] + total - sum(widths), 1)
    ctx.table_aligns.append(tuple(node.aligns[i] if i < len(node.aligns) else "default" for i in range(columns)))
    tbl = el("w:tbl", {}, el(
        "w:tblPr", {},
        el("w:tblStyle", {"w:val": S.TABLE}),
        el("w:tblW", {"w:w": total, "w:type": "dxa"}),
        el("w:tblLayout", {"w:type": "fixed"}),
        el("w:tblLook", {"w:val": "0620", "w:firstRow": 1, "w:lastRow": 0, "w:firstColumn": 0,
                         "w:lastColumn": 0, "w:noHBand": 1, "w:noVBand": 1}),
    ), el("w:tblGrid", {}, *(el("w:gridCol", {"w:w": w}) for w in widths)))
    rows = [(node.head, True)] if node.head else []
    rows += [(row, False) for row in node.rows]
    rtl = is_rtl_language(writer.ctx.doc.meta.lang)
    for cells, is_head in rows:
        tr = el("w:tr", {}, el("w:trPr", {}, el("w:cantSplit"), *([el("w:tblHeader")] if is_head else [])))
        for index in range(columns):
            cell = cells[index] if index < len(cells) else TableCell(())
            align = node.aligns[index] if index < len(node.aligns) else "default"
            tc = el("w:tc", {}, el("w:tcPr", {}, el("w:tcW", {"w:w": widths[index], "w:type": "dxa"})))
            props = {"jc": el("w:jc", {"w:val": align})} if align in ("center", "right") else {}
            if align == "left" and not rtl:  # said, so the DOCX reader tells `left` from `default`
                props = {"jc": el("w:jc", {"w:val": "left"})}
            if align == "right" and rtl:
                # In a right-to-left paragraph `right` is the end of the line, the left edge.
                props = {"jc": el("w:jc", {"w:val": "left"})}
            writer.child(parent=tc).para(cell.children, S.TABLE_HEADING if is_head else S.TABLE_TEXT, **props)
            tr.append(tc)
        tbl.append(tr)
    writer.separate_tables()
    writer.parent.append(tbl)
    # Word puts no space below a table; the PDF leaves a line.
    writer.parent.append(_space())


def _space() -> _Element:
    return paragraph(S.TABLE_SPACE)


def column_widths(writer: Blocks, node: Table, columns: int, width: float) -> tuple[list[float], list[float]]:
    """Widths in points that fill `width`, by content (see the module's docstring), and each column's longest word."""
    theme = writer.ctx.theme
    natural = [0.0] * columns
    longest = [0.0] * columns
    for index, row in enumerate((node.head, *node.rows)):
        style = theme.styles.table_header if index == 0 and node.head else theme.styles.table
        width_of = measure(theme, style)
        for i, cell in enumerate(row[:columns]):
            text = inline_text(cell.children)
            natural[i] = max(natural[i], width_of(text, style.size) + 2 * CELL_SIDES)
            words = text.split()
            if words:
                longest[i] = max(longest[i], max(width_of(w, style.size) for w in words) + 2 * CELL_SIDES)
    if not sum(natural):
        return [width / columns] * columns, longest
    if sum(natural) <= width:
        return [n + (width - sum(natural)) * n / sum(natural) for n in natural], longest
    # A column whose text fits an equal share keeps its full width; none is
    # narrower than its longest word; what is left goes to the others in
    # proportion to how much more they want.
    minimum = [max(w, min(n, width / columns)) for n, w in zip(natural, longest, strict=True)]
    if sum(minimum) >= width:
        return [m * width / sum(minimum) for m in minimum], longest  # even the words do not fit: shrink alike
    spare = width - sum(minimum)
    wants = [n - m for n, m in zip(natural, minimum, strict=True)]
    return [m + spare * w / sum(wants) if sum(wants) else m for m, w in zip(minimum, wants, strict=True)], longest
