"""Images that are broken, too big, or not files end as one-line errors naming the source line."""

from __future__ import annotations

import os
import struct
import zlib
from pathlib import Path

import pytest
from click.testing import CliRunner

from briefexport.cli import main

CHART = Path(__file__).parents[1] / "fixtures" / "chart.png"


def _png_header(width: int, height: int) -> bytes:
    """A small file that claims width x height pixels (the pixel data is a stub)."""
    def chunk(kind: bytes, data: bytes) -> bytes:
        return struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data) & 0xFFFFFFFF)

    header = struct.pack(">IIBBBBB", width, height, 8, 2, 0, 0, 0)
    return b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", header) + chunk(b"IDAT", zlib.compress(b"\0" * 64)) + chunk(b"IEND", b"")


def _render(tmp_path: Path, name: str, fmt: str, *, meta: bool = False):
    text = (f"---\ntitle: T\nimage:\n  src: {name}\n  alt: a\n---\n\nx\n" if meta
            else f"# T\n\n![alt]({name})\n")
    source = tmp_path / "s.md"
    source.write_text(text, encoding="utf-8")
    return CliRunner().invoke(main, ["render", str(source), "-f", fmt, "-d", str(tmp_path / "out")])


def _make(tmp_path: Path, kind: str) -> str:
    if kind == "truncated":
        data = CHART.read_bytes()
        (tmp_path / "i.png").write_bytes(data[: len(data) // 2])
    elif kind == "mislabelled":
        (tmp_path / "i.png").write_bytes(b"GIF89a" + b"\0" * 100)
    elif kind == "warned-size":  # over Pillow's threshold, under twice it: Pillow only warned
        (tmp_path / "i.png").write_bytes(_png_header(12_000, 12_000))
    elif kind == "bomb":
        (tmp_path / "i.png").write_bytes(_png_header(20_000, 20_000))
    elif kind == "fifo":
        os.mkfifo(tmp_path / "i.png")
    return "i.png"


@pytest.mark.skipif(not hasattr(os, "mkfifo"), reason="no FIFOs on this system")
@pytest.mark.parametrize("kind", ["truncated", "mislabelled", "warned-size", "bomb", "fifo"])
@pytest.mark.parametrize("fmt", ["pdf", "docx"])
@pytest.mark.parametrize("meta", [False, True])
def test_bad_images_are_one_line_errors(tmp_path: Path, kind: str, fmt: str, meta: bool) -> None:
    result = _render(tmp_path, _make(tmp_path, kind), fmt, meta=meta)
    assert result.exit_code == 1, result.output
    assert result.stderr.count("\n") == 1 and result.stderr.startswith("Error: ")
    assert "i.png" in result.stderr and ":3:" in result.stderr
    assert "Traceback" not in result.output and "DecompressionBomb" not in result.output
    assert not (tmp_path / "out").exists()
