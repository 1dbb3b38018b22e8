"""Images downsampled to the theme's maximum DPI for their displayed size."""

from __future__ import annotations

import io
import subprocess
import sys
from pathlib import Path

import pytest
from PIL import Image

from briefexport.errors import RenderError
from briefexport.images import ImageSize, effective_dpi, pixel_size, prepare_image, target_size

# 3 x 2.25 inches: a photo across one column of the brief.
BOX = (216.0, 162.0)


def _photo(path: Path, size: tuple[int, int], *, orientation: int | None = None, gps: bool = False) -> Path:
    """A noisy photo-like JPEG (noise does not compress away, like a real photo)."""
    width, height = size
    noise = Image.effect_noise((width, height), 64).convert("RGB")
    gradient = Image.linear_gradient("L").resize((width, height)).convert("RGB")
    image = Image.blend(noise, gradient, 0.5)
    exif = Image.Exif()
    if orientation is not None:
        exif[0x0112] = orientation
    if gps:
        exif[0x8825] = {1: "N", 2: (52.0, 31.0, 12.0)}  # GPSInfo: a place on earth
    image.save(path, format="JPEG", quality=92, exif=exif.tobytes())
    return path


def test_dpi_arithmetic() -> None:
    size = ImageSize(4000, 3000)
    assert effective_dpi(size, *BOX) == pytest.approx(4000 / 3)
    assert target_size(size, *BOX, 200) == ImageSize(600, 450)
    # Fitted into a box of another shape, the limiting side decides.
    assert target_size(size, 216.0, 1000.0, 200) == ImageSize(600, 450)
    assert target_size(ImageSize(500, 300), *BOX, 200) == ImageSize(500, 300)


def test_phone_photo_is_downsampled_to_max_dpi(tmp_path: Path) -> None:
    source = _photo(tmp_path / "phone.jpg", (4000, 3000), gps=True)
    data = prepare_image(source, *BOX, max_dpi=200)
    with Image.open(io.BytesIO(data)) as out:
        assert out.format == "JPEG"
        assert out.size == (600, 450)
        # The phone's EXIF (where the photo was taken) does not travel on.
        assert 0x8825 not in out.getexif()
    assert len(data) < source.stat().st_size / 10
    assert prepare_image(source, *BOX, max_dpi=200) == data  # deterministic bytes


def test_downsampled_photo_is_what_a_pdf_embeds(tmp_path: Path) -> None:
    """A 4000 x 3000 JPEG placed at 3 x 2.25 in ends up as a 600 x 450 image in the PDF."""
    from pypdf import PdfReader
    from reportlab.lib.utils import ImageReader
    from reportlab.pdfgen.canvas import Canvas

    source = _photo(tmp_path / "phone.jpg", (4000, 3000))

    def pdf_with(image_bytes: bytes) -> bytes:
        out = io.BytesIO()
        canvas = Canvas(out, invariant=1)
        canvas.drawImage(ImageReader(io.BytesIO(image_bytes)), 72, 500, *BOX)
        canvas.showPage()
        canvas.save()
        return out.getvalue()

    original = pdf_with(source.read_bytes())
    downsampled = pdf_with(prepare_image(source, *BOX, max_dpi=200))
    images = PdfReader(io.BytesIO(downsampled)).pages[0].images
    assert [(img.image.width, img.image.height) for img in images] == [(600, 450)]
    assert len(downsampled) < len(original) / 10


def test_small_image_keeps_its_exact_bytes(tmp_path: Path) -> None:
    source = tmp_path / "logo.png"
    Image.new("RGBA", (300, 200), (11, 60, 93, 128)).save(source)
    assert prepare_image(source, *BOX, max_dpi=200) == source.read_bytes()


def test_transparent_png_stays_png_with_alpha(tmp_path: Path) -> None:
    source = tmp_path / "chart.png"
    image = Image.new("RGBA", (3000, 2000), (0, 0, 0, 0))
    image.paste((200, 30, 30, 255), (1000, 500, 2000, 1500))
    image.save(source)
    with Image.open(io.BytesIO(prepare_image(source, *BOX, max_dpi=150))) as out:
        assert out.format == "PNG"
        assert out.size == (450, 300)
        assert out.mode == "RGBA"
        assert out.getpixel((0, 0))[3] == 0
        assert out.getpixel((225, 150)) == (200, 30, 30, 255)


def test_palette_png_is_resampled_smoothly(tmp_path: Path) -> None:
    source = tmp_path / "map.png"
    Image.linear_gradient("L").resize((2000, 2000)).convert("P").save(source)
    with Image.open(io.BytesIO(prepare_image(source, 100.0, 100.0, max_dpi=144))) as out:
        assert out.size == (200, 200)
        assert out.mode in ("RGB", "L")


def test_exif_rotated_photo_comes_out_upright(tmp_path: Path) -> None:
    # Stored landscape, EXIF says "rotate 90°": shown portrait, 3000 x 4000.
    source = _photo(tmp_path / "portrait.jpg", (4000, 3000), orientation=6)
    assert pixel_size(source) == ImageSize(3000, 4000)
    with Image.open(io.BytesIO(prepare_image(source, 162.0, 216.0, max_dpi=200))) as out:
        assert out.size == (450, 600)
        assert out.getexif().get(0x0112) in (None, 1)
    # Small enough already, but still rotated upright: PDF libraries ignore EXIF.
    small = _photo(tmp_path / "small.jpg", (400, 300), orientation=6)
    with Image.open(io.BytesIO(prepare_image(small, 162.0, 216.0, max_dpi=200))) as out:
        assert out.size == (300, 400)


def test_unreadable_images_are_render_errors(tmp_path: Path) -> None:
    with pytest.raises(RenderError, match="not found"):
        prepare_image(tmp_path / "missing.jpg", *BOX, max_dpi=200)
    broken = tmp_path / "broken.jpg"
    broken.write_bytes(b"\xff\xd8\xff\xe0 not really a jpeg")
    with pytest.raises(RenderError, match="broken.jpg"):
        prepare_image(broken, *BOX, max_dpi=200)
    with pytest.raises(ValueError):
        prepare_image(broken, 0.0, 10.0, max_dpi=200)


def test_importing_images_does_not_load_pillow() -> None:
    code = "import sys, briefexport.images; print('PIL' in sys.modules)"
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert out.stdout.strip() == "False"
