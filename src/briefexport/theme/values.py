"""Theme values as TOML writes them, converted: lengths, sizes, colours, page sizes.

Each converter takes the dotted key path and an `err` callback, so the error
names the theme file and the key (`page.margin-top: '20' is not a length`).
"""

from __future__ import annotations

import re
from typing import Any

from ..errors import ThemeError
from .model import Colors, _resolve_color

PAGE_SIZES = {"A4": (595.2756, 841.8898), "LETTER": (612.0, 792.0), "A5": (419.5276, 595.2756)}
_UNITS = {"pt": 1.0, "mm": 72 / 25.4, "cm": 72 / 2.54, "in": 72.0, "px": 0.75}
_BYTE_UNITS = {"B": 1, "KB": 1000, "MB": 1000**2, "GB": 1000**3, "KIB": 1024, "MIB": 1024**2}


def _length(value: Any, key: str, err: Any) -> float:
    if isinstance(value, str):
        m = re.fullmatch(r"\s*(-?\d+(?:\.\d+)?)\s*([a-z]+)\s*", value)
        if m and m.group(2) in _UNITS:
            return round(float(m.group(1)) * _UNITS[m.group(2)], 4)
    err(key, f"{value!r} is not a length with a unit (e.g. \"10pt\", \"20mm\"; units: {', '.join(_UNITS)})")


def _bytes(value: Any, key: str, err: Any) -> int:
    if isinstance(value, int) and not isinstance(value, bool):
        return value
    if isinstance(value, str):
        m = re.fullmatch(r"\s*(\d+(?:\.\d+)?)\s*([A-Za-z]+)\s*", value)
        if m and m.group(2).upper() in _BYTE_UNITS:
            return int(float(m.group(1)) * _BYTE_UNITS[m.group(2).upper()])
    err(key, f"{value!r} is not a size (e.g. \"10MB\")")


def parse_byte_size(text: str) -> int:
    """A size as themes write it ("10MB", "500kB", "2MiB", "12000") in bytes."""

    def err(_key: str, message: str) -> None:
        raise ThemeError(message)

    value: Any = int(text) if text.strip().isdigit() else text
    return _bytes(value, "", err)


def _color(value: Any, key: str, err: Any, colors: Colors | None) -> str:
    if isinstance(value, str):
        if re.fullmatch(r"#[0-9A-Fa-f]{6}", value):
            return value.upper()
        if colors is not None:
            try:
                return _resolve_color(value, colors)
            except KeyError:
                pass
    err(key, f"{value!r} is not a colour (#RRGGBB or a name under [colors])")


def _page_size(value: Any, key: str, err: Any) -> tuple[float, float]:
    if isinstance(value, str):
        size = PAGE_SIZES.get(value.upper())
        if size is None:
            err(key, f"unknown page size {value!r} (known: A4, Letter, A5, or [\"w\", \"h\"])")
        return size
    if isinstance(value, list) and len(value) == 2:
        return (_length(value[0], key, err), _length(value[1], key, err))
    err(key, f"{value!r} is not a page size")
