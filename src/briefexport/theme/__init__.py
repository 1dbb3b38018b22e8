"""Themes: `styles/*.toml` loaded into one frozen, typed `Theme`.

`model` is the schema (one dataclass per TOML table), `values` converts what
TOML writes (lengths, sizes, colours), `load` reads files with `extends` and
checks every key.  It imports only `errors`; fonts and every backend import it.
"""

from __future__ import annotations

from .load import BUILTIN_PACKAGE, builtin_path, load_theme
from .model import (
    Brand, ByteSize, Color, Colors, FontFace, FontFamily, Fonts, Labels, Layout, Length, OnePager, Output,
    Page, PageSize, PDF_STANDARDS, Styles, TextStyle, Theme,
)
from .values import PAGE_SIZES, parse_byte_size

__all__ = [
    "BUILTIN_PACKAGE", "PAGE_SIZES", "PDF_STANDARDS", "Brand", "ByteSize", "Color", "Colors", "FontFace", "FontFamily",
    "Fonts", "Labels", "Layout", "Length", "OnePager", "Output", "Page", "PageSize", "Styles", "TextStyle",
    "Theme", "builtin_path", "load_theme", "parse_byte_size",
]
