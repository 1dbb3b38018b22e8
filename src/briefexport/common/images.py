"""Images sized for their place on the page: downsampled to a maximum DPI.

A phone photo is 4000 x 3000 pixels; printed 8 cm wide it carries about 1270
DPI, six times what any printer or screen uses, and it makes a brief too big
to attach to an email.  `prepare_image` gives backends the bytes to embed:
the original file when it is already small enough, otherwise a copy scaled so
that it carries `max_dpi` at its displayed size.  Pillow is imported inside
the functions so that importing this module stays cheap.  Both answers are
kept per file version (path, size, modification time) for the life of the
process, so `watch` re-renders without decoding or scaling a picture again.
"""

from __future__ import annotations

import functools
import io
import os
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

from ..errors import RenderError

POINTS_PER_INCH = 72.0
# Pillow's decompression-bomb threshold (its MAX_IMAGE_PIXELS); documented in
# the README's "Errors and limits".
MAX_PIXELS = 89_478_485
# JPEG quality of a downsampled photo: visually lossless at print size.
JPEG_QUALITY = 85

if TYPE_CHECKING:  # Pillow loads lazily, inside the functions
    from PIL.Image import Image as PILImage


@dataclass(frozen=True)
class ImageSize:
    """Pixel size as displayed (after the EXIF orientation is applied)."""

    width: int
    height: int


def _version(path: str | Path) -> tuple[str, int, int] | None:
    """What identifies this version of the file, or None when it cannot be read."""
    try:
        st = os.stat(path)
    except OSError:
        return None
    return (os.path.abspath(path), st.st_mtime_ns, st.st_size)


def pixel_size(path: str | Path) -> ImageSize:
    """The image's size in pixels, upright (a portrait phone photo is taller than wide)."""
    version = _version(path)
    return _pixel_size_of(*version) if version else _pixel_size(path)


@functools.lru_cache(maxsize=64)
def _pixel_size_of(path: str, _mtime_ns: int, _size: int) -> ImageSize:
    return _pixel_size(path)


def _pixel_size(path: str | Path) -> ImageSize:
    with _open(path) as image:
        width, height = image.size
        if _exif_orientation(image) in (5, 6, 7, 8):
            width, height = height, width
        return ImageSize(width, height)


def effective_dpi(size: ImageSize, width_pt: float, height_pt: float) -> float:
    """The DPI an image of `size` carries when fitted (aspect kept) into a box of points."""
    scale = _fit_scale(size, width_pt, height_pt)  # points per pixel
    return POINTS_PER_INCH / scale


def target_size(size: ImageSize, width_pt: float, height_pt: float, max_dpi: float) -> ImageSize:
    """The pixel size that carries at most `max_dpi` in the box; never larger than `size`."""
    if max_dpi <= 0:
        raise ValueError(f"max_dpi must be positive, not {max_dpi!r}")
    dpi = effective_dpi(size, width_pt, height_pt)
    if dpi <= max_dpi:
        return size
    factor = max_dpi / dpi
    return ImageSize(max(1, round(size.width * factor)), max(1, round(size.height * factor)))


def prepare_image(path: str | Path, width_pt: float, height_pt: float, max_dpi: float) -> bytes:
    """The bytes to embed for `path` shown fitted into `width_pt` x `height_pt` points.

    Unchanged when the image is upright and carries at most `max_dpi` there
    (so a small PNG keeps its exact bytes); otherwise scaled
    (Lanczos) to `max_dpi`, turned upright per its EXIF orientation, stripped
    of metadata (a phone photo's EXIF holds where it was taken) and saved in
    its own format (JPEG stays JPEG, PNG stays PNG, others become PNG).
    The result is deterministic: the same input gives the same bytes.
    """
    if width_pt <= 0 or height_pt <= 0:
        raise ValueError(f"display size must be positive, not {width_pt!r} x {height_pt!r}")
    version = _version(path)
    if version is None:
        return _prepare(path, width_pt, height_pt, max_dpi)  # raises the error that names the file
    return _prepared(*version, width_pt, height_pt, max_dpi)


@functools.lru_cache(maxsize=32)
def _prepared(path: str, _mtime_ns: int, _size: int, width_pt: float, height_pt: float, max_dpi: float) -> bytes:
    return _prepare(path, width_pt, height_pt, max_dpi)


def _prepare(path: str | Path, width_pt: float, height_pt: float, max_dpi: float) -> bytes:
    from PIL import Image, ImageOps

    path = Path(path)
    with _open(path) as image:
        upright = ImageSize(*image.size)
        orientation = _exif_orientation(image)
        if orientation in (5, 6, 7, 8):
            upright = ImageSize(upright.height, upright.width)
        target = target_size(upright, width_pt, height_pt, max_dpi)
        if target == upright and orientation in (None, 1):
            # Embedded as it is, so decoded here once: a truncated or
            # mislabelled file fails with its name, not inside a backend.
            _load(image, path)
            return path.read_bytes()
        fmt = image.format
        if fmt == "JPEG" and target != upright:
            # JPEG decoding can scale by 1/2, 1/4, 1/8 on the way in: far less
            # memory and time for a huge photo, and Lanczos finishes the job.
            box = (target.height, target.width) if orientation in (5, 6, 7, 8) else (target.width, target.height)
            image.draft(image.mode if image.mode in ("RGB", "L", "CMYK") else "RGB", box)
        _load(image, path)
        upright_image = ImageOps.exif_transpose(image) if orientation not in (None, 1) else image
        if upright_image.mode in ("1", "P"):
            # Pillow resizes these with nearest-neighbour only: jagged edges.
            has_alpha = "transparency" in upright_image.info
            upright_image = upright_image.convert("RGBA" if has_alpha else ("L" if upright_image.mode == "1" else "RGB"))
        resized = upright_image.resize((target.width, target.height), Image.Resampling.LANCZOS)
        return _encode(resized, fmt)


def _encode(image: "PILImage", fmt: str | None) -> bytes:
    out = io.BytesIO()
    if fmt == "JPEG":
        if image.mode not in ("RGB", "L", "CMYK"):
            image = image.convert("RGB")
        image.save(out, format="JPEG", quality=JPEG_QUALITY, optimize=True)
    else:
        if image.mode not in ("1", "L", "LA", "P", "RGB", "RGBA"):
            image = image.convert("RGBA" if "A" in image.getbands() else "RGB")
        image.save(out, format="PNG", optimize=True)
    return out.getvalue()


def _fit_scale(size: ImageSize, width_pt: float, height_pt: float) -> float:
    if size.width <= 0 or size.height <= 0:
        raise ValueError(f"empty image {size}")
    return min(width_pt / size.width, height_pt / size.height)


def _exif_orientation(image: "PILImage") -> int | None:
    try:
        value = image.getexif().get(0x0112)  # Orientation
    except Exception:  # a broken EXIF block must not stop a render
        return None
    return value if isinstance(value, int) and 1 <= value <= 8 else None


def _load(image: "PILImage", path: Path) -> None:
    try:
        image.load()
    except (OSError, ValueError, SyntaxError, EOFError) as exc:
        raise RenderError(f"cannot read image {path.name}: {' '.join(str(exc).split()) or type(exc).__name__}",
                          str(path)) from None


def _open(path: str | Path) -> "PILImage":
    from PIL import Image, UnidentifiedImageError

    import warnings

    path = Path(path)
    if path.exists() and not path.is_file():  # a FIFO would block Image.open, a device never end
        raise RenderError(f"image {path.name} is not a regular file", str(path))
    try:
        with warnings.catch_warnings():
            # Pillow only warns between 89.5 and 179 million pixels: refuse those too.
            warnings.simplefilter("error", Image.DecompressionBombWarning)
            return Image.open(path)
    except FileNotFoundError:
        raise RenderError(f"image {path.name} not found", str(path)) from None
    except (Image.DecompressionBombWarning, Image.DecompressionBombError):
        raise RenderError(f"image {path.name} has more than {MAX_PIXELS:,} pixels (an image that large "
                          "is refused as a possible decompression bomb)", str(path)) from None
    except (UnidentifiedImageError, OSError, ValueError, SyntaxError, EOFError) as exc:
        raise RenderError(f"cannot read image {path.name}: {' '.join(str(exc).split()) or type(exc).__name__}",
                          str(path)) from None


