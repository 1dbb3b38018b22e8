"""Fonts installed on this machine, as fallbacks after a theme's chains.

Found through fontconfig (`fc-list`) when it is there, else by walking the
usual font folders; nothing is ever downloaded.  reportlab embeds only
TrueType outlines, so a face with PostScript (CFF) outlines or one inside a
collection (`.ttc`, e.g. Noto CJK) is cut down to the characters a document
needs and converted to TrueType with fontTools (cu2qu), cached on disk.

`BRIEFEXPORT_SYSTEM_FONTS` controls the search: unset means fontconfig or
the usual folders; `off` (or `0`, `none`, `false`) turns it off; otherwise it
is a list of folders (separated like PATH) searched instead.
"""

from __future__ import annotations

import functools
import hashlib
import os
import shutil
import tempfile
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path

from .paths import cache_dir, font_writers
from ..theme import FontFace, FontFamily

ENV = "BRIEFEXPORT_SYSTEM_FONTS"
_OFF = {"off", "0", "none", "false", "no"}
_SUFFIXES = (".ttf", ".otf", ".ttc", ".otc")
STYLES = ("regular", "bold", "italic", "bold_italic")

# Families tried first, per role, before every other installed family:
# a serif after serif body text, a sans after sans headings, a mono after mono.
# Scripts the Latin families lack get a family made for them (Debian's
# fonts-noto-core) before DejaVu Sans, whose Arabic and Hebrew are a sans
# afterthought: serif body text gets Naskh Arabic and serif Hebrew.
_SERIF_SCRIPTS = ("Noto Naskh Arabic", "Noto Serif Hebrew", "Noto Serif Devanagari", "Noto Serif Bengali",
                  "Noto Serif Tamil", "Noto Serif Thai", "Noto Serif Armenian", "Noto Serif Georgian",
                  "Noto Serif Ethiopic")
_SANS_SCRIPTS = ("Noto Sans Arabic", "Noto Sans Hebrew", "Noto Sans Devanagari", "Noto Sans Bengali",
                 "Noto Sans Tamil", "Noto Sans Thai", "Noto Sans Armenian", "Noto Sans Georgian",
                 "Noto Sans Ethiopic")
_PREFERRED = {
    "body": ("DejaVu Serif", "Noto Serif", *_SERIF_SCRIPTS, "Liberation Serif", "DejaVu Sans", "Noto Sans",
             *_SANS_SCRIPTS, "Noto Serif CJK SC", "Noto Sans CJK SC"),
    "heading": (*_SANS_SCRIPTS, "DejaVu Sans", "Noto Sans", "Liberation Sans", "DejaVu Serif", "Noto Serif",
                *_SERIF_SCRIPTS, "Noto Sans CJK SC"),
    "mono": ("DejaVu Sans Mono", "Noto Sans Mono", "Liberation Mono", "Noto Sans Mono CJK SC",
             "DejaVu Sans", "Noto Sans"),
}


def _default_folders() -> list[Path]:
    home = Path.home()
    return [Path("/usr/share/fonts"), Path("/usr/local/share/fonts"), home / ".fonts",
            home / ".local" / "share" / "fonts"]


def search_setting() -> tuple[Path, ...] | None:
    """The folders to search (empty: ask fontconfig), or None when switched off."""
    value = os.environ.get(ENV)
    if value is None or not value.strip():
        return ()
    if value.strip().lower() in _OFF:
        return None
    return tuple(Path(p).expanduser() for p in value.split(os.pathsep) if p.strip())


@dataclass(frozen=True)
class SystemFace:
    path: Path
    index: int  # the face's number inside a collection (.ttc), else 0
    family: str
    weight: int
    italic: bool
    cff: bool  # PostScript outlines: must be converted before reportlab can embed it

    @property
    def needs_conversion(self) -> bool:
        return self.cff or self.path.suffix.lower() in (".ttc", ".otc")


@dataclass(frozen=True)
class SystemFamily:
    name: str
    faces: tuple[tuple[str, SystemFace], ...]  # (style, face), regular first

    def face(self, style: str) -> SystemFace | None:
        return dict(self.faces).get(style)


# ---------------------------------------------------------------- discovery


def _font_files(folders: tuple[Path, ...]) -> list[tuple[Path, int]]:
    if not folders and shutil.which("fc-list"):
        import subprocess  # only on a cold font cache: most runs never start fc-list

        try:
            out = subprocess.run(["fc-list", "--format", "%{file}\t%{index}\n"], capture_output=True,
                                 text=True, timeout=30, check=True).stdout
        except (OSError, subprocess.SubprocessError):
            out = ""
        found = []
        for row in out.splitlines():
            path, _, index = row.partition("\t")
            if path.lower().endswith(_SUFFIXES) and index.isdigit():
                found.append((Path(path), int(index)))
        if found:
            return sorted(set(found))
    files: list[tuple[Path, int]] = []
    for folder in folders or tuple(_default_folders()):
        if not folder.is_dir():
            continue
        for root, _dirs, names in os.walk(folder, followlinks=True):
            for name in names:
                if name.lower().endswith(_SUFFIXES):
                    path = Path(root) / name
                    for index in range(_face_count(path)):
                        files.append((path, index))
    return sorted(set(files))


def _face_count(path: Path) -> int:
    if path.suffix.lower() not in (".ttc", ".otc"):
        return 1
    try:
        with path.open("rb") as fh:
            head = fh.read(12)
        return int.from_bytes(head[8:12], "big") if head[:4] == b"ttcf" else 1
    except OSError:
        return 0


def _describe(path: Path, index: int) -> SystemFace | None:
    """Name, weight and slant of one face; None for faces we cannot use."""
    from fontTools.ttLib import TTFont as _FTFont

    try:
        font = _FTFont(str(path), fontNumber=index, lazy=True)
        if "CFF2" in font or "cmap" not in font or not ("glyf" in font or "CFF " in font):
            return None  # variable PostScript fonts and bitmap-only fonts
        os2 = font["OS/2"] if "OS/2" in font else None
        # Fonts whose licence forbids embedding (fsType bit 1, "restricted") are not ours to embed.
        if os2 is not None and os2.fsType & 0x000F == 0x0002:
            return None
        if os2 is not None and getattr(os2, "usWidthClass", 5) != 5:
            return None  # condensed or expanded cuts are not the family's normal faces
        name = font["name"]
        family = (name.getDebugName(16) or name.getDebugName(1) or "").strip()
        if not family:
            return None
        weight = os2.usWeightClass if os2 is not None else 400
        italic = bool(os2 is not None and os2.fsSelection & 1) or bool(font["head"].macStyle & 2)
        return SystemFace(path, index, family, int(weight), italic, "CFF " in font)
    except Exception:  # a broken font file on the system is not the document's problem
        return None


@functools.cache
def families(folders: tuple[Path, ...] = ()) -> tuple[SystemFamily, ...]:
    """Installed families with their regular/bold/italic/bold-italic faces."""
    grouped: dict[str, list[SystemFace]] = {}
    for path, index in _font_files(folders):
        face = _describe(path, index)
        if face is not None:
            grouped.setdefault(face.family, []).append(face)
    out = []
    for name in sorted(grouped):
        slots = _slots(grouped[name])
        if "regular" in slots:
            out.append(SystemFamily(name, tuple((s, slots[s]) for s in STYLES if s in slots)))
    return tuple(out)


def _slots(faces: list[SystemFace]) -> dict[str, SystemFace]:
    slots: dict[str, SystemFace] = {}
    for style, italic, target, bold in (("regular", False, 400, False), ("bold", False, 700, True),
                                        ("italic", True, 400, False), ("bold_italic", True, 700, True)):
        fitting = [f for f in faces if f.italic == italic and (f.weight >= 600) == bold]
        if fitting:
            slots[style] = min(fitting, key=lambda f: (abs(f.weight - target), str(f.path), f.index))
    return slots


def ordered(role: str, found: Iterable[SystemFamily]) -> list[SystemFamily]:
    """`found` in the order a role tries them: its preferred families, Noto, the rest."""
    found = list(found)
    preferred = _PREFERRED.get(role, ())
    rank = {name: i for i, name in enumerate(preferred)}
    return sorted(found, key=lambda f: (rank.get(f.name, len(rank)), not f.name.startswith("Noto"), f.name))


@functools.cache
def codepoints(face: SystemFace) -> frozenset[int]:
    from .cache import facts

    try:
        found = facts(face.path, face.index)
        return found.codepoints | found.notdef_codepoints
    except Exception:
        return frozenset()


# ------------------------------------------------------------- conversion


def font_face(face: SystemFace, chars: frozenset[str]) -> FontFace:
    """A FontFace reportlab can embed: the file itself, or a converted subset."""
    if not face.needs_conversion:
        return FontFace(path=face.path)
    wanted = sorted({ord(c) for c in chars} & codepoints(face))
    stat = face.path.stat()
    key = f"{face.path}|{face.index}|{stat.st_size}|{stat.st_mtime_ns}|{wanted}|{font_writers()}"
    digest = hashlib.sha256(key.encode()).hexdigest()[:16]
    target = cache_dir("system") / f"{face.path.stem}-{face.index}-{digest}.ttf"
    if not target.exists():
        _convert(face, wanted, target)
    return FontFace(path=target)


def _convert(face: SystemFace, wanted: list[int], target: Path) -> None:
    from fontTools import subset
    from fontTools.ttLib import TTFont as _FTFont

    font = _FTFont(str(face.path), fontNumber=face.index)
    options = subset.Options()
    options.name_IDs = ["*"]
    options.name_languages = ["*"]
    options.notdef_outline = True
    options.desubroutinize = True
    options.hinting = False
    options.layout_features = []
    options.drop_tables += ["VORG", "vhea", "vmtx", "DSIG", "BASE", "JSTF"]
    subsetter = subset.Subsetter(options)
    subsetter.populate(unicodes=wanted)
    subsetter.subset(font)
    if "CFF " in font:
        _cff_to_glyf(font)
    fd, tmp = tempfile.mkstemp(dir=target.parent, suffix=".tmp")
    os.close(fd)
    try:
        font.save(tmp)
        os.replace(tmp, target)
    finally:
        if os.path.exists(tmp):
            os.unlink(tmp)


def _cff_to_glyf(font: object) -> None:
    """Replace PostScript outlines with quadratic TrueType ones (in place)."""
    from fontTools.pens.cu2quPen import Cu2QuPen
    from fontTools.pens.ttGlyphPen import TTGlyphPen
    from fontTools.ttLib import newTable

    order = font.getGlyphOrder()  # type: ignore[attr-defined]
    glyph_set = font.getGlyphSet()  # type: ignore[attr-defined]
    glyphs = {}
    for name in order:
        pen = TTGlyphPen(glyph_set)
        # 1 unit of error in a 1000-unit em is far below what print shows.
        glyph_set[name].draw(Cu2QuPen(pen, 1.0, reverse_direction=True))
        glyphs[name] = pen.glyph()
    font["loca"] = newTable("loca")  # type: ignore[index]
    glyf = font["glyf"] = newTable("glyf")  # type: ignore[index]
    glyf.glyphOrder = order
    glyf.glyphs = glyphs
    del font["CFF "]  # type: ignore[attr-defined]
    glyf.compile(font)
    hmtx = font["hmtx"]  # type: ignore[index]
    for name, glyph in glyphs.items():
        if hasattr(glyph, "xMin"):
            hmtx[name] = (hmtx[name][0], glyph.xMin)
    maxp = font["maxp"] = newTable("maxp")  # type: ignore[index]
    maxp.tableVersion = 0x00010000
    for attr in ("maxZones",):
        setattr(maxp, attr, 1)
    for attr in ("maxTwilightPoints", "maxStorage", "maxFunctionDefs", "maxInstructionDefs",
                 "maxStackElements", "maxSizeOfInstructions", "maxComponentElements"):
        setattr(maxp, attr, 0)
    maxp.compile(font)
    post = font["post"]  # type: ignore[index]
    post.formatType = 3.0  # CID-keyed CJK fonts have no glyph names worth keeping
    post.extraNames = []
    post.mapping = {}
    font.sfntVersion = "\x00\x01\x00\x00"  # type: ignore[attr-defined]


def as_family(family: SystemFamily, chars: frozenset[str]) -> FontFamily:
    """A theme FontFamily for a system family, its faces ready for reportlab."""
    faces = {style: font_face(face, chars) for style, face in family.faces}
    slug = "".join(c if c.isalnum() else "-" for c in family.name.lower()).strip("-")
    if any(face.needs_conversion for _, face in family.faces):
        # A converted family holds only this document's characters: name it by them.
        slug += "-" + hashlib.sha256("".join(sorted(chars)).encode()).hexdigest()[:8]
    return FontFamily(name=f"system-{slug}", regular=faces["regular"], bold=faces.get("bold"),
                      italic=faces.get("italic"), bold_italic=faces.get("bold_italic"))
