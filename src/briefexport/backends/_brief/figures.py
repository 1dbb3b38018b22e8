"""Figures: images from the source folder, scaled to the frame, with captions."""

from __future__ import annotations

from pathlib import Path

from reportlab.lib.utils import ImageReader
from reportlab.platypus import Flowable, KeepTogether, Paragraph

from ...errors import RenderError
from ...links import resolve_image
from ...tree import Figure, Inline
from .context import BriefContext

# A figure may take this share of the body frame's height, leaving room for
# its caption on the same page.
_MAX_HEIGHT_SHARE = 0.7


def load_image(path: Path, *, source: str, line: int) -> ImageReader:
    """Open one image file for drawing; the single place images are read.

    Any failure to decode is a RenderError naming the file and line.
    """
    try:
        reader = ImageReader(str(path))
        width, height = reader.getSize()
    except Exception as exc:  # PIL raises many types for a bad file
        raise RenderError(f"image {path.name!r} cannot be read as PNG or JPEG ({type(exc).__name__})", source, line) from None
    if width <= 0 or height <= 0:
        raise RenderError(f"image {path.name!r} has no pixels", source, line)
    return reader


class Picture(Flowable):
    """An image as wide as the frame allows, keeping its aspect ratio."""

    def __init__(self, reader: ImageReader, max_height: float) -> None:
        super().__init__()
        self.reader = reader
        px_w, px_h = reader.getSize()
        self.ratio = px_h / px_w
        self.max_height = max_height
        self.draw_width = self.draw_height = 0.0

    def wrap(self, avail_width: float, avail_height: float) -> tuple[float, float]:
        width = avail_width
        height = width * self.ratio
        if height > self.max_height:
            height = self.max_height
            width = height / self.ratio
        self.draw_width, self.draw_height = width, height
        return width, height

    def draw(self) -> None:
        # Flush left, where the caption below it starts.
        self.canv.drawImage(self.reader, 0, 0, self.draw_width, self.draw_height, mask="auto")


def figure(ctx: BriefContext, node: Figure, width: float) -> list[Flowable]:
    path = resolve_image(node.src, ctx.base_dir, source=ctx.doc.source, line=node.line)
    picture = Picture(load_image(path, source=ctx.doc.source, line=node.line), ctx.body_height * _MAX_HEIGHT_SHARE)
    parts: list[Flowable] = [picture]
    if node.caption:
        ctx.figures += 1
        parts.extend(caption(ctx, "Figure", ctx.figures, node.caption))
    return [KeepTogether(parts)]


def caption(ctx: BriefContext, label: str, number: int, inlines: tuple[Inline, ...]) -> list[Flowable]:
    """The numbered label and caption text of a figure or table."""
    label_style = ctx.text_style("figure-label")
    text_style = ctx.text_style("caption")
    return [Paragraph(
        f'<font name="{ctx.roles[label_style.font].face(label_style.bold, label_style.italic)}" '
        f'size="{label_style.size}" color="{ctx.theme.color(label_style.color)}">'
        f"{ctx.text(f'{label} {number}'.upper(), role=label_style.font, bold=label_style.bold)}</font>"
        f"\u2003{ctx.markup(inlines, role=text_style.font)}",
        ctx.style("caption"),
    )]
