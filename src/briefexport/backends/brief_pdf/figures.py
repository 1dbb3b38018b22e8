"""Figures: images from the source folder, scaled to the frame, with captions."""

from __future__ import annotations

import io
from dataclasses import dataclass
from pathlib import Path

from reportlab.lib.utils import ImageReader
from reportlab.platypus import Flowable

from ...errors import RenderError
from ...common.images import ImageSize, pixel_size, prepare_image
from ...common.labels import capitalised, labels_for
from ...common.links import resolve_image
from ...tree import Figure, Inline, inline_text
from .._reportlab.structure import Element
from .._reportlab.tagged import tag
from .._reportlab.text import clean
from .context import BriefContext
from .._reportlab.splitting import BriefParagraph as Paragraph

# A figure may take this share of the body frame's height, leaving room for
# its caption on the same page.
_MAX_HEIGHT_SHARE = 0.7


@dataclass(frozen=True)
class SourceImage:
    """One image file checked readable, with its upright pixel size."""

    path: Path
    size: ImageSize
    source: str
    line: int


def load_image(path: Path, *, source: str, line: int) -> SourceImage:
    """Check one image file for drawing; the single place images are opened.

    Any failure to decode is a RenderError naming the file and line.
    """
    try:
        size = pixel_size(path)
    except RenderError:
        raise RenderError(f"image {path.name!r} cannot be read as an image", source, line) from None
    if size.width <= 0 or size.height <= 0:
        raise RenderError(f"image {path.name!r} has no pixels", source, line)
    return SourceImage(path, size, source, line)


class Picture(Flowable):
    """An image as wide as the frame allows, keeping its aspect ratio.

    The pixels are prepared when the picture is drawn, once its size on the
    page is known: a phone photo is embedded at the theme's maximum DPI for
    that size, not at the 12 MB it came with.
    """

    def __init__(self, image: SourceImage, max_height: float, max_dpi: float) -> None:
        super().__init__()
        self.image = image
        self.ratio = image.size.height / image.size.width
        self.max_height = max_height
        self.max_dpi = max_dpi
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
        image = self.image
        try:
            data = prepare_image(image.path, self.draw_width, self.draw_height, self.max_dpi)
            reader = ImageReader(io.BytesIO(data))
            reader.getSize()
        except Exception as exc:  # PIL raises many types for a bad file
            raise RenderError(f"image {image.path.name!r} cannot be drawn ({type(exc).__name__})",
                              image.source, image.line) from None
        # Flush left, where the caption below it starts.
        self.canv.drawImage(reader, 0, 0, self.draw_width, self.draw_height, mask="auto")


def figure(ctx: BriefContext, node: Figure, width: float, parent: Element | None = None) -> list[Flowable]:
    path = resolve_image(node.src, ctx.base_dir, source=ctx.doc.source, line=node.line)
    picture = Picture(load_image(path, source=ctx.doc.source, line=node.line), ctx.body_height * _MAX_HEIGHT_SHARE,
                      ctx.theme.output.max_image_dpi)
    # The alt text describes the picture to a screen reader; without one the
    # picture is decoration (an artifact), and the render warned about it.
    alt = " ".join(clean(node.alt or inline_text(node.caption)).split())
    tag(picture, parent.add("Figure", Alt=alt) if parent is not None and alt else None)
    parts: list[Flowable] = [picture]
    if node.caption:
        ctx.figures += 1
        caption_element = parent.add("Caption") if parent is not None else None
        captions = caption(ctx, label(ctx, "figure"), ctx.figures, node.caption, node.attrs.id)
        parts.extend(tag(p, caption_element) for p in captions)
    # Kept with the caption by keep-with-next rather than a KeepTogether,
    # which reportlab will not group with a heading before it (the heading
    # was left alone at the foot of a page when the picture moved on).
    for part in parts[:-1]:
        part.keepWithNext = 1
    return parts


def label(ctx: BriefContext, kind: str) -> str:
    """"Figure" or "Table" in the brief's language, or as the theme's `[labels]` say."""
    return capitalised(labels_for(ctx.doc.meta.lang, ctx.theme.labels.words())[kind])


def caption(ctx: BriefContext, label: str, number: int, inlines: tuple[Inline, ...], ident: str = "") -> list[Flowable]:
    """The numbered label and caption text of a figure or table; its id
    (`{#fig:x}`) is where cross-references to it lead."""
    label_style = ctx.text_style("figure-label")
    anchor = f'<a name="{ctx.unique_anchor(ident)}"/>' if ident else ""
    return [Paragraph(
        f'{anchor}<font name="{ctx.roles[label_style.font].face(label_style.bold, label_style.italic)}" '
        f'size="{label_style.size}" color="{ctx.theme.color(label_style.color)}">'
        f"{ctx.text(f'{label} {number}'.upper(), 'figure-label')}</font>"
        f"\u2003{ctx.markup(inlines, 'caption')}",
        ctx.style("caption"),
    )]

