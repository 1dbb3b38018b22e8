"""Images downsampled to the theme's maximum DPI for their displayed size."""

from __future__ import annotations

import io
import os
import subprocess
import sys
from pathlib import Path

import pytest
from PIL import Image

import briefexport
from briefexport.errors import RenderError
from briefexport.common.images import ImageSize, effective_dpi, pixel_size, prepare_image, target_size
from briefexport.readers.markdown import parse_file
from conftest import FIXTURES

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
    code = "import sys, briefexport.common.images; print('PIL' in sys.modules)"
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert out.stdout.strip() == "False"


# ------------------------------------------------- through the backends

EMU_PER_INCH = 914400
DPI = 200  # the default theme's max-image-dpi


@pytest.fixture(scope="module")
def photos(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A source folder with a brief, a 4000 x 3000 phone photo as its figure and
    the same photo stored sideways (EXIF "rotate 90°") as its lead image."""
    folder = tmp_path_factory.mktemp("photos")
    _photo(folder / "phone.jpg", (4000, 3000))
    _photo(folder / "sideways.jpg", (4000, 3000), orientation=6)
    (folder / "chart.png").write_bytes((FIXTURES / "chart.png").read_bytes())
    (folder / "brief.md").write_text(
        "---\ntitle: Photos\nimage:\n  src: sideways.jpg\n  caption: Held upright\n---\n\n"
        "Intro.\n\n![A phone photo](phone.jpg)\n\nBetween.\n\n![A small chart](chart.png)\n",
        encoding="utf-8",
    )
    return folder


def _placed_images(data: bytes) -> list[tuple[int, int, float, float]]:
    """(pixel width, pixel height, shown width pt, shown height pt) of each image drawn in a PDF."""
    from pypdf import PdfReader

    out = []
    for page in PdfReader(io.BytesIO(data)).pages:
        xobjects = page["/Resources"].get("/XObject", {})
        shown: list[tuple[str, float, float]] = []

        def visit(op: bytes, args: list, cm: list, tm: list) -> None:
            if op == b"Do":
                shown.append((str(args[0]), cm[0], cm[3]))

        page.extract_text(visitor_operand_before=visit)
        for name, width_pt, height_pt in shown:
            xobject = xobjects[name].get_object()
            if xobject.get("/Subtype") == "/Image":
                out.append((int(xobject["/Width"]), int(xobject["/Height"]), width_pt, height_pt))
    return out


def test_pdf_brief_embeds_photos_at_max_dpi_and_upright(photos: Path) -> None:
    data = briefexport.render(parse_file(photos / "brief.md"), "pdf")
    placed = _placed_images(data)
    assert len(placed) == 3  # lead image, photo, chart
    (lead_w, lead_h, lead_shown_w, lead_shown_h), (photo_w, photo_h, shown_w, shown_h), chart = placed
    # The phone photo carries the theme's DPI at its printed size, not 4000 pixels.
    assert photo_w <= shown_w / 72 * DPI + 1 and photo_h <= shown_h / 72 * DPI + 1
    assert photo_w >= shown_w / 72 * DPI - 1  # downsampled to the limit, not below it
    assert photo_w / photo_h == pytest.approx(4 / 3, rel=0.01)
    # Stored sideways, drawn upright: portrait pixels in a portrait box.
    assert lead_h > lead_w and lead_shown_h > lead_shown_w
    assert lead_h <= lead_shown_h / 72 * DPI + 1
    # A small image is not scaled up.
    with Image.open(photos / "chart.png") as original:
        assert chart[:2] == original.size
    assert len(data) < (photos / "phone.jpg").stat().st_size / 5


def test_docx_brief_embeds_photos_at_max_dpi_and_upright(photos: Path) -> None:
    import zipfile

    from lxml import etree

    data = briefexport.render(parse_file(photos / "brief.md"), "docx")
    ns = {"wp": "http://schemas.openxmlformats.org/drawingml/2006/wordprocessingDrawing",
          "a": "http://schemas.openxmlformats.org/drawingml/2006/main",
          "r": "http://schemas.openxmlformats.org/officeDocument/2006/relationships"}
    with zipfile.ZipFile(io.BytesIO(data)) as docx:
        document = etree.fromstring(docx.read("word/document.xml"))
        rels = etree.fromstring(docx.read("word/_rels/document.xml.rels"))
        targets = {rel.get("Id"): rel.get("Target") for rel in rels}
        placed = []
        for inline in document.iter(f"{{{ns['wp']}}}inline"):
            extent = inline.find("wp:extent", ns)
            blip = inline.find(".//a:blip", ns)
            media = docx.read("word/" + targets[blip.get(f"{{{ns['r']}}}embed")])
            with Image.open(io.BytesIO(media)) as image:
                placed.append((image.size, int(extent.get("cx")), int(extent.get("cy")), media))
    assert len(placed) == 3
    (lead, lead_cx, lead_cy, _), (photo, cx, cy, _), (_, _, _, chart) = placed
    assert photo[0] <= cx / EMU_PER_INCH * DPI + 1 and photo[1] <= cy / EMU_PER_INCH * DPI + 1
    assert photo[0] >= cx / EMU_PER_INCH * DPI - 1
    assert lead[1] > lead[0] and lead_cy > lead_cx
    assert lead[1] <= lead_cy / EMU_PER_INCH * DPI + 1
    assert chart == (photos / "chart.png").read_bytes()  # small images keep their exact bytes
    assert len(data) < (photos / "phone.jpg").stat().st_size / 5


def test_max_image_dpi_comes_from_the_theme(photos: Path, tmp_path: Path) -> None:
    theme_file = tmp_path / "lowres.toml"
    theme_file.write_text('extends = "default"\n[output]\nmax-image-dpi = 72\n', encoding="utf-8")
    doc = parse_file(photos / "brief.md")
    placed = _placed_images(briefexport.render(doc, "pdf", briefexport.load_theme(theme_file)))
    photo_w, _, shown_w, _ = placed[1]
    assert abs(photo_w - shown_w) <= 1  # 72 dpi: one pixel per point


def test_a_prepared_image_is_kept_until_its_file_changes(tmp_path: Path) -> None:
    # `watch` renders again and again: the same file version is scaled once.
    photo = _photo(tmp_path / "p.jpg", (2400, 1600))
    first = prepare_image(photo, 200, 200, 150)
    assert prepare_image(photo, 200, 200, 150) is first
    assert pixel_size(photo) == ImageSize(2400, 1600)
    _photo(photo, (1600, 2400))  # saved again: another picture, another size
    stat = photo.stat()
    os.utime(photo, ns=(stat.st_atime_ns, stat.st_mtime_ns + 1_000_000_000))
    assert pixel_size(photo) == ImageSize(1600, 2400)
    again = prepare_image(photo, 200, 200, 150)
    assert again != first and Image.open(io.BytesIO(again)).size[1] > Image.open(io.BytesIO(again)).size[0]
