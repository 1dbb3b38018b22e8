"""Font files, families and glyph coverage, for every backend.

Knows font files (through fontTools and reportlab's TrueType reader), not
documents.  Variable fonts are cut to the static instance the theme asks for
(`file.ttf#wght=400`) once and cached on disk, because reportlab embeds a
variable font's default instance, which for Source Code Pro is ExtraLight.
"""

from __future__ import annotations

import dataclasses
import functools
import hashlib
import os
import tempfile
import unicodedata
from collections.abc import Iterable, Iterator, Mapping
from dataclasses import dataclass
from pathlib import Path

from ..theme import FontFace, FontFamily, Theme
from .paths import cache_dir, font_writers

STYLES = ("regular", "bold", "italic", "bold_italic")
# Part of every cached instance's name: bump it when the instancing changes,
# so that no machine keeps drawing with an instance cut the old way.
# 3: instances carry their weight's names.
INSTANCE_RECIPE = 3


@functools.cache
def face_file(face: FontFace) -> Path:
    """A static TrueType file for `face`: the file itself, or a cached instance."""
    if not face.variations:
        return face.path
    stat = face.path.stat()
    key = f"{INSTANCE_RECIPE}|{face.path}|{stat.st_size}|{stat.st_mtime_ns}|{face.variations}|{font_writers()}"
    digest = hashlib.sha256(key.encode()).hexdigest()[:16]
    target = cache_dir() / f"{face.path.stem.replace('[', '').replace(']', '')}-{digest}.ttf"
    if not target.exists():
        from fontTools.ttLib import TTFont as _FTFont
        from fontTools.varLib import instancer

        font = _FTFont(str(face.path))
        # Without updateFontNames every instance keeps the default instance's
        # names ("Source Code Pro ExtraLight"), which Word, LibreOffice and a
        # PDF's font list then show for a Regular or a Semibold.
        static = instancer.instantiateVariableFont(font, dict(face.variations), updateFontNames="STAT" in font)
        _tidy_style_bits(static)
        # fontTools stamps `head.modified` with the time of saving, and the
        # PDF embeds that table: keep the source font's date, or every
        # machine (and every cold cache) writes other bytes.
        static.recalcTimestamp = False
        fd, tmp = tempfile.mkstemp(dir=target.parent, suffix=".tmp")
        os.close(fd)
        static.save(tmp)
        os.replace(tmp, target)
    return target


def _tidy_style_bits(font: object) -> None:
    """OS/2 and head style bits that agree with the instance's weight.

    The instancer sets `usWeightClass` but keeps the default instance's
    fsSelection, so a SemiBold would still claim to be the family's Regular.
    """
    os2 = font["OS/2"]  # type: ignore[index]
    italic = bool(os2.fsSelection & 1)
    bold = os2.usWeightClass >= 700
    selection = os2.fsSelection & ~((1 << 0) | (1 << 5) | (1 << 6))
    selection |= (1 if italic else 0) | (1 << 5 if bold else 0) | (1 << 6 if not (italic or bold) and os2.usWeightClass == 400 else 0)
    os2.fsSelection = selection
    font["head"].macStyle = (1 if bold else 0) | (2 if italic else 0)  # type: ignore[index]


@dataclass(frozen=True)
class FaceInfo:
    """What backends need to know of one face without loading it twice."""

    family_name: str  # the name Word and LibreOffice know it by
    path: Path  # the file the facts were read from
    codepoints: frozenset[int]


@functools.cache
def face_info(face: FontFace) -> FaceInfo:
    # fontTools, not reportlab: coverage is checked before any backend loads,
    # and a DOCX render must not import reportlab.  Its cmap is a subset of
    # what reportlab's `charToGlyph` lists, minus characters mapped to .notdef.
    # The answers are cached on disk, so most runs import neither.
    from .cache import facts

    # A variable font's instance keeps its typographic family name and its
    # cmap (the instancer changes outlines, metrics and the style names), so
    # the variable file answers for it: a glyph check or a brief without code
    # never cuts an instance; what draws or embeds the face does (`face_file`).
    path = face.path
    found = facts(path)
    # The typographic family (name ID 16) groups weights such as Semibold under
    # one name, as Word and LibreOffice list them.
    return FaceInfo(family_name=found.word_family, path=path, codepoints=found.codepoints)


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

    A word (see `_segments`) goes whole to the first family that has all
    its letters; otherwise, and for everything between words, each
    character goes to the first family that has it.  A character no family
    has stays with the first (index 0) and is reported by `missing`.
    Whitespace stays with the current run.
    """
    runs: list[tuple[int, str]] = []
    sets = [face_info(family_faces(f)[style]).codepoints for f in chain]

    def add(index: int, piece: str) -> None:
        if runs and runs[-1][0] == index:
            runs[-1] = (index, runs[-1][1] + piece)
        else:
            runs.append((index, piece))

    for piece, is_word in _segments(text):
        if is_word:
            whole = next((i for i, cps in enumerate(sets) if all(ord(c) in cps for c in piece)), None)
            if whole is not None:
                add(whole, piece)
                continue
        for char in piece:
            index = 0
            if not char.isspace():
                code = ord(char)
                for i, codepoints in enumerate(sets):
                    if code in codepoints:
                        index = i
                        break
            elif runs:
                index = runs[-1][0]
            add(index, char)
    return runs


# When a face lacks a character, the next style down that may have it: an
# italic that lacks Cyrillic sets it upright rather than as a box.
FALLBACK_STYLES = {
    "regular": ("regular",),
    "bold": ("bold", "regular"),
    "italic": ("italic", "regular"),
    "bold_italic": ("bold_italic", "bold", "italic", "regular"),
}


def _drawable(char: str) -> bool:
    """Characters that need a glyph (not spaces, not controls a backend strips)."""
    return not char.isspace() and char.isprintable()


@functools.lru_cache(maxsize=4096)
def _word_char(char: str) -> bool:
    # Letters and their marks, but not ideographs and kana: those are set one
    # character at a time (no spaces between words, and a CJK font's Latin
    # must not take over the Latin beside it).
    return unicodedata.category(char)[0] in "LM" and unicodedata.east_asian_width(char) not in ("W", "F")


_APOSTROPHES = "'\u2019"


def _segments(text: str) -> Iterator[tuple[str, bool]]:
    """`text` as (piece, is_word) pieces; an apostrophe between letters stays in its word."""
    start = i = 0
    n = len(text)
    while i < n:
        if not _word_char(text[i]):
            i += 1
            continue
        j = i + 1
        while j < n:
            if _word_char(text[j]):
                j += 1
            elif text[j] in _APOSTROPHES and j + 1 < n and _word_char(text[j + 1]):
                j += 2
            else:
                break
        if i > start:
            yield text[start:i], False
        yield text[i:j], True
        start = i = j
    if start < n:
        yield text[start:], False


@functools.cache
def _characters(codepoints: frozenset[int]) -> frozenset[str]:
    # A set of characters answers "has it all of this text?" without an `ord`
    # per character: twice as fast, and every paragraph asks it.
    return frozenset(map(chr, codepoints))


def split_styled_runs(text: str, chain: tuple[FontFamily, ...], style: str = "regular") -> list[tuple[int, str, str]]:
    """Split `text` into runs of (index into `chain`, style, text) by glyph coverage.

    A word goes whole to the first face that has all its letters, trying
    each family in `style` before any lesser style (bold italic -> bold ->
    italic -> regular): a Vietnamese word the italic lacks one letter of is
    set in one fallback italic, not in two fonts.  When no face has a whole
    word, and between words, a character goes to the first face that has it,
    so only the styles, never the characters, are lost.  A character no face
    has stays with (0, style) and is reported by `missing`.  Whitespace stays
    with the current run.
    """
    if chain and _characters(face_info(family_faces(chain[0])[style]).codepoints).issuperset(text):
        # The common case: the first family draws everything, spaces included.
        return [(0, style, text)] if text else []
    runs: list[tuple[int, str, str]] = []
    order = FALLBACK_STYLES[style]
    sets = {s: [face_info(family_faces(f)[s]).codepoints for f in chain] for s in order}
    faces = [(i, s) for s in order for i in range(len(chain))]

    def add(key: tuple[int, str], piece: str) -> None:
        if runs and runs[-1][:2] == key:
            runs[-1] = (key[0], key[1], runs[-1][2] + piece)
        else:
            runs.append((key[0], key[1], piece))

    for piece, is_word in _segments(text):
        if is_word:
            whole = next((k for k in faces if all(ord(c) in sets[k[1]][k[0]] for c in piece)), None)
            if whole is not None:
                add(whole, piece)
                continue
        for char in piece:
            key = (0, style)
            code = ord(char)
            if not _drawable(char) and runs and code in sets[runs[-1][1]][runs[-1][0]]:
                key = (runs[-1][0], runs[-1][1])  # a space joins the run before it when that font has it
            else:
                key = next(((i, s) for s in order for i, cps in enumerate(sets[s]) if code in cps), key)
            add(key, char)
    return runs


def missing(text: str, chain: tuple[FontFamily, ...], style: str = "regular") -> list[str]:
    """The characters of `text` that no face of `chain` can draw, in order, once each.

    A character the `style` face lacks but a lesser style has is not missing
    (see `split_styled_runs`).
    """
    sets = [face_info(family_faces(f)[s]).codepoints for s in FALLBACK_STYLES[style] for f in chain]
    # Each distinct character is looked up once; text order is kept for the report.
    lacking = {char for char in set(text) if _drawable(char) and not any(ord(char) in s for s in sets)}
    if not lacking:
        return []
    return list(dict.fromkeys(char for char in text if char in lacking))


# --------------------------------------------------------- system fallback

Needs = Mapping[str, Mapping[str, Iterable[str]]]  # role -> style -> characters


def with_system_fallback(theme: Theme, needs: Needs) -> Theme:
    """`theme` with installed fonts appended to each role's chain where needed.

    `needs` says which characters each role sets in which style.  A system
    family joins a chain only when it draws a character no family before it
    can: first keeping the style (an italic for italic text), then in any
    style.  So a document the theme's fonts cover renders exactly as without
    system fonts, and a theme or `BRIEFEXPORT_SYSTEM_FONTS=off` turns this off.
    """
    from . import system as sysfonts

    folders = sysfonts.search_setting()
    if not theme.fonts.system_fallback or folders is None:
        return theme
    # Spaces too: a converted subset must draw the spaces its runs carry.
    all_chars = frozenset(c for styles in needs.values() for chars in styles.values() for c in chars) | {" ", "\u00a0"}
    installed: tuple[sysfonts.SystemFamily, ...] | None = None
    made: dict[str, FontFamily | None] = {}
    chains = {role: list(getattr(theme.fonts, role)) for role in ("body", "heading", "mono")}
    families = {f.name: f for f in theme.fonts.families}

    def usable(system: sysfonts.SystemFamily) -> FontFamily | None:
        if system.name not in made:
            try:
                family = sysfonts.as_family(system, all_chars)
                for face in family_faces(family).values():
                    face_info(face)
                made[system.name] = family
            except Exception:  # an unreadable installed font is skipped, never fatal
                made[system.name] = None
        return made[system.name]

    for role, chain in chains.items():
        styles = {s: {c for c in chars if _drawable(c)} for s, chars in needs.get(role, {}).items()}
        for keep_style in (True, False):
            for style, chars in styles.items():
                current = tuple(families[n] for n in chain)
                todo = set(missing("".join(chars), current, style)) if not keep_style else {
                    c for c in chars
                    if not any(ord(c) in face_info(family_faces(f)[style]).codepoints for f in current)
                }
                if not todo:
                    continue
                if installed is None:
                    installed = sysfonts.families(folders)
                for system in sysfonts.ordered(role, installed):
                    face_styles = (style,) if keep_style else tuple(s for s, _ in system.faces)
                    faces = [system.face(s) for s in face_styles if system.face(s) is not None]
                    covered = {c for c in todo if any(ord(c) in sysfonts.codepoints(f) for f in faces)}
                    if not covered:
                        continue
                    family = usable(system)
                    if family is None:
                        continue
                    if family.name not in chain:
                        chain.append(family.name)
                        families[family.name] = family
                    todo -= covered
                    if not todo:
                        break
    if all(chains[r] == list(getattr(theme.fonts, r)) for r in chains):
        return theme
    fonts = dataclasses.replace(
        theme.fonts,
        body=tuple(chains["body"]),
        heading=tuple(chains["heading"]),
        mono=tuple(chains["mono"]),
        families=tuple(families.values()),
    )
    return dataclasses.replace(theme, fonts=fonts)
