"""Images in running text, drawn at the height of the text around them."""

from __future__ import annotations

from pathlib import Path

from ...common.images import pixel_size
from ...common.links import resolve_image
from ...common.xmltext import quoteattr
from ...errors import RenderError
from ...tree import Image


def inline_image(node: Image, size: float, *, base_dir: Path, source: str, max_width: float) -> str:
    """`<img>` markup for `node`: as tall as the text (`size`, its font size)
    and on its baseline, no wider than `max_width`, embedded at print size.

    The path rules and errors are a figure's: a missing, unreadable or
    out-of-folder file is a RenderError naming it.
    """
    path = resolve_image(node.src, base_dir, source=source)
    try:
        pixels = pixel_size(path)
    except RenderError:
        raise RenderError(f"image {path.name!r} cannot be read as an image", source) from None
    if pixels.width <= 0 or pixels.height <= 0:
        raise RenderError(f"image {path.name!r} has no pixels", source)
    width = min(size * pixels.width / pixels.height, max_width)
    height = width * pixels.height / pixels.width
    # reportlab reads the file named here; the Paragraph swaps in print-size bytes
    # (`_reportlab.paragraph`, after the style's `bxMaxImageDpi`).
    return f'<img src={quoteattr(str(path))} width="{width:.2f}" height="{height:.2f}" valign="baseline"/>'
