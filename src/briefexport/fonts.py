"""Font files, families and glyph coverage, for every backend.

Knows font files (through fontTools and reportlab's TrueType reader), not
documents.  Variable fonts are cut to the static instance the theme asks for
(`file.ttf#wght=400`) once and cached on disk, because reportlab embeds a
variable font's default instance, which for Source Code Pro is ExtraLight.
"""

from __future__ import annotations

import functools
import hashlib
import os
import tempfile
from dataclasses import dataclass
from pathlib import Path

from .theme import FontFace, FontFamily, Theme

STYLES = ("regular", "bold", "italic", "bold_italic")


def _cache_dir() -> Path:
    base = os.environ.get("XDG_CACHE_HOME") or os.path.join(os.path.expanduser("~"), ".cache")
    path = Path(base) / "briefexport" / "fonts"
    try:
        path.mkdir(parents=True, exist_ok=True)
        return path
    except OSError:
        fallback = Path(tempfile.gettempdir()) / "briefexport-fonts"
        fallback.mkdir(parents=True, exist_ok=True)
        return fallback


@functools.cache
def face_file(face: FontFace) -> Path:
    """A static TrueType file for `face`: the file itself, or a cached instance."""
    if not face.variations:
        return face.path
    stat = face.path.stat()
    key = f"{face.path}|{stat.st_size}|{stat.st_mtime_ns}|{face.variations}"
    digest = hashlib.sha256(key.encode()).hexdigest()[:16]
    target = _cache_dir() / f"{face.path.stem.replace('[', '').replace(']', '')}-{digest}.ttf"
    if not target.exists():
        from fontTools.ttLib import TTFont as _FTFont
        from fontTools.varLib import instancer

        font = _FTFont(str(face.path))
        static = instancer.instantiateVariableFont(font, dict(face.variations))
        fd, tmp = tempfile.mkstemp(dir=target.parent, suffix=".tmp")
        os.close(fd)
        static.save(tmp)
        os.replace(tmp, target)
    return target


@dataclass(frozen=True)
class FaceInfo:
    """What backends need to know of one face without loading it twice."""

    family_name: str  # the name Word and LibreOffice know it by
    path: Path
    codepoints: frozenset[int]


@functools.cache
def face_info(face: FontFace) -> FaceInfo:
    from reportlab.pdfbase.ttfonts import TTFontFile

    path = face_file(face)
    ttf = TTFontFile(str(path), validate=0)
    family = ttf.familyName.decode("utf-8", "replace") if isinstance(ttf.familyName, bytes) else str(ttf.familyName)
    return FaceInfo(family_name=family, path=path, codepoints=frozenset(ttf.charToGlyph))


def family_faces(family: FontFamily) -> dict[str, FontFace]:
    """The four styles of a family, falling back to regular where one is missing."""
    return {
        "regular": family.regular,
        "bold": family.bold or family.regular,
        "italic": family.italic or family.regular,
        "bold_italic": family.bold_italic or family.bold or family.italic or family.regular,
    }


def family_name(family: FontFamily) -> str:
    """The family's real name (e.g. 'Source Serif Pro'), for DOCX `w:rFonts`."""
    return face_info(family.regular).family_name


def covers(family: FontFamily, char: str, style: str = "regular") -> bool:
    return ord(char) in face_info(family_faces(family)[style]).codepoints


def chain_for(theme: Theme, role: str) -> tuple[FontFamily, ...]:
    return theme.fonts.chain(role)


def split_runs(text: str, chain: tuple[FontFamily, ...], style: str = "regular") -> list[tuple[int, str]]:
    """Split `text` into runs of (index into `chain`, text) by glyph coverage.

    Each character goes to the first family of the chain that has it; a
    character no family has stays with the first (index 0) and is reported by
    `missing`.  Whitespace stays with the current run.
    """
    runs: list[tuple[int, str]] = []
    sets = [face_info(family_faces(f)[style]).codepoints for f in chain]
    for char in text:
        index = 0
        if not char.isspace():
            code = ord(char)
            for i, codepoints in enumerate(sets):
                if code in codepoints:
                    index = i
                    break
        elif runs:
            index = runs[-1][0]
        if runs and runs[-1][0] == index:
            runs[-1] = (index, runs[-1][1] + char)
        else:
            runs.append((index, char))
    return runs


def missing(text: str, chain: tuple[FontFamily, ...], style: str = "regular") -> list[str]:
    """The characters of `text` that no family of `chain` can draw, in order, once each."""
    sets = [face_info(family_faces(f)[style]).codepoints for f in chain]
    seen: list[str] = []
    for char in text:
        if char.isspace() or char in seen or not char.isprintable():
            continue
        if not any(ord(char) in s for s in sets):
            seen.append(char)
    return seen
