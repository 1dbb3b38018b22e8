"""What briefexport reads from a font file, kept on disk between runs.

Every render asks each font of the theme for its family name and its
character map.  Answering means importing fontTools (about 40 ms) and parsing
tables, in every process, although the answers only change when the file
does.  So they are stored once per font as a small JSON file, keyed by the
file's path, size and modification time, and a later process reads that
instead: a `docx` render or a glyph check then never imports fontTools.
`remember` keeps other small facts the same way (reportlab's name for a
face, which the PDF backend needs before it reads the file).
"""

from __future__ import annotations

import functools
import json
from collections.abc import Callable
from dataclasses import dataclass, field
from itertools import chain
from pathlib import Path
from typing import Any

from .paths import cache_file, store

# Bump when what is stored, or how it is read from the font, changes.
_VERSION = 2


@dataclass(frozen=True)
class FontFacts:
    family: str  # name ID 1 (what `fonts.face_info` reports)
    word_family: str  # name ID 16, else 1: the name Word and LibreOffice list
    codepoints: frozenset[int]  # mapped to a real glyph
    notdef_codepoints: frozenset[int]  # in the cmap but mapped to .notdef
    fs_type: int = 0  # OS/2 fsType: the embedding the licence allows (0: installable)
    units_per_em: int = 1000
    average_width: int = 500  # OS/2 xAvgCharWidth, for characters without a stored width
    widths: dict[int, int] = field(default_factory=dict, compare=False, hash=False)  # advance per codepoint

    def text_width(self, text: str, size: float) -> float:
        """`text`'s advance at `size` points, without kerning: what a DOCX needs to size a column."""
        get = self.widths.get
        return sum(get(ord(c), self.average_width) for c in text) * size / self.units_per_em


def _ranges(codes: frozenset[int]) -> list[list[int]]:
    out: list[list[int]] = []
    for code in sorted(codes):
        if out and out[-1][1] == code:
            out[-1][1] = code + 1
        else:
            out.append([code, code + 1])
    return out


def _from_ranges(ranges: list[list[int]]) -> frozenset[int]:
    return frozenset(chain.from_iterable(range(a, b) for a, b in ranges))


@functools.cache
def facts(path: Path, index: int = 0) -> FontFacts:
    """Names and character map of face `index` of the font file `path`."""
    target = cache_file("facts", path, f"{index}|{_VERSION}", ".json")
    if target is not None:
        try:
            stored = json.loads(target.read_text(encoding="utf-8"))
            return FontFacts(stored["family"], stored["word_family"], _from_ranges(stored["codepoints"]),
                             _from_ranges(stored["notdef"]), stored["fs_type"], stored["upm"], stored["avg"],
                             {int(k): v for k, v in stored["widths"].items()})
        except (OSError, ValueError, KeyError, TypeError):
            pass  # not cached yet, or a damaged entry: read the font again
    found = _read(path, index)
    if target is not None:
        _store(target, found)
    return found


def _read(path: Path, index: int) -> FontFacts:
    from fontTools.ttLib import TTFont

    font = TTFont(str(path), fontNumber=index, lazy=True)
    family = (font["name"].getDebugName(1) or path.stem).strip()
    word_family = path.stem
    name = font["name"]
    for name_id in (16, 1):
        record = name.getName(name_id, 3, 1, 0x409) or name.getName(name_id, 1, 0, 0)
        if record is not None:
            word_family = record.toUnicode()
            break
    cmap = font.getBestCmap() or {}
    metrics = font["hmtx"].metrics
    os2 = font["OS/2"] if "OS/2" in font else None
    return FontFacts(
        family=family,
        word_family=word_family,
        codepoints=frozenset(code for code, glyph in cmap.items() if glyph != ".notdef"),
        notdef_codepoints=frozenset(code for code, glyph in cmap.items() if glyph == ".notdef"),
        fs_type=os2.fsType if os2 is not None else 0,
        units_per_em=font["head"].unitsPerEm,
        average_width=os2.xAvgCharWidth if os2 is not None and os2.xAvgCharWidth > 0 else font["head"].unitsPerEm // 2,
        # Latin, Greek, Cyrillic and punctuation: enough to size table columns
        # and fit a footer line; other scripts use the average width.
        widths={code: metrics[glyph][0] for code, glyph in cmap.items()
                if (code < 0x530 or 0x2000 <= code < 0x2070) and glyph in metrics},
    )


def _store(target: Path, found: FontFacts) -> None:
    data = {
        "family": found.family,
        "word_family": found.word_family,
        "codepoints": _ranges(found.codepoints),
        "notdef": _ranges(found.notdef_codepoints),
        "fs_type": found.fs_type,
        "upm": found.units_per_em,
        "avg": found.average_width,
        "widths": found.widths,
    }
    _write_json(target, data)


def _write_json(target: Path, data: object) -> None:
    store(target, json.dumps(data, separators=(",", ":")).encode("utf-8"))


_remembered: dict[tuple[str, Path], Any] = {}


def remember(kind: str, path: Path, compute: Callable[[], Any]) -> Any:
    """`compute()` for the font file `path`, kept on disk until the file changes.

    `kind` names the fact; `compute` returns something JSON can hold.
    """
    memo_key = (kind, path)
    if memo_key in _remembered:
        return _remembered[memo_key]
    target = cache_file("facts", path, f"{kind}|{_VERSION}", f"-{kind}.json")
    if target is not None:
        try:
            value = json.loads(target.read_text(encoding="utf-8"))["value"]
            _remembered[memo_key] = value
            return value
        except (OSError, ValueError, KeyError, TypeError):
            pass  # not cached yet, or a damaged entry: ask the font again
    value = compute()
    if target is not None:
        _write_json(target, {"value": value})
    _remembered[memo_key] = value
    return value
