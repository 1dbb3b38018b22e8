"""The theme's font chains registered with reportlab, and text drawn with fallback."""

from __future__ import annotations

import functools
import hashlib
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from reportlab.pdfbase import pdfmetrics

from ...fonts import faces as _fonts
from ...theme import FontFamily, Theme
from ...common.scripts import has_rtl, needs_shaping
from .reorder import levels, mirrored, visual_order
from .shaping import ShapingTTFont as TTFont
from .shaping import shape_text, text_object
from .text import clean


@dataclass(frozen=True)
class FontRole:
    """The reportlab names of one role's chain, first family first."""

    families: tuple[FontFamily, ...]

    @functools.cached_property
    def names(self) -> tuple[str, ...]:
        """The registered family names, one per chain entry.

        Registered when first asked for: a brief without code never cuts the
        mono faces out of their variable font, nor registers them.
        """
        return tuple(register_family(f) for f in self.families)

    @property
    def primary(self) -> str:
        return self.names[0]

    def face(self, bold: bool = False, italic: bool = False, index: int = 0) -> str:
        return _face_name(self.names[index], _style(bold, italic))


def _style(bold: bool, italic: bool) -> str:
    return {(False, False): "regular", (True, False): "bold", (False, True): "italic", (True, True): "bold_italic"}[
        (bold, italic)
    ]


def _face_name(family_key: str, style: str) -> str:
    return family_key if style == "regular" else f"{family_key}-{style}"


def draw_text(canv: Any, x: float, y: float, text: str, role: FontRole, size: float, *,
              bold: bool = False, italic: bool = False) -> float:
    """Draw source text straight on a canvas (no Paragraph), cleaned and with
    the same font fallback as `InlineMarkup.text`; returns the width drawn.

    Right-to-left runs are drawn in visual order and shaped scripts shaped,
    as in a Paragraph (a running footer may carry an Arabic title).
    """
    start = x
    text = clean(text).replace("\t", " ").replace("\n", " ")
    runs = [(_face_name(role.names[index], style), run)
            for index, style, run in _fonts.split_styled_runs(text, role.families, _style(bold, italic))]
    if not has_rtl(text) and not needs_shaping(text):
        for face, run in runs:
            canv.setFont(face, size)
            canv.drawString(x, y, run)
            x += pdfmetrics.stringWidth(run, face, size)
        return x - start
    found = levels(text, 0)
    pieces, at = [], 0
    for face, run in runs:
        own = found[at:at + len(run)]
        at += len(run)
        begin = 0
        for i in range(1, len(run) + 1):
            if i == len(run) or own[i] != own[begin]:
                pieces.append((own[begin], (face, run[begin:i])))
                begin = i
    for level, (face, piece) in visual_order(pieces):
        drawn, width = shape_text(piece, face, size)
        if level % 2 and drawn is piece:
            drawn = mirrored(piece)  # not shaped (no HarfBuzz, or nothing to shape): reverse it here
        line = text_object(canv, x, y)
        line.setFont(face, size)
        line.textOut(drawn)
        canv.drawText(line)
        x += width
    return x - start


class _LazyTTFont(TTFont):
    """A TTFont that reads its file when reportlab first asks it something.

    reportlab parses every TrueType file it is given at once (1-2 ms a face);
    a brief draws five or six of a theme's twelve faces, so the others are
    registered by name and never read.
    """

    def __init__(self, name: str, filename: str, face_name: bytes) -> None:  # no super(): that is the parse
        self.fontName = name
        self._bx_filename = filename
        self._bx_face_name = face_name

    def __getattr__(self, attr: str) -> Any:
        # Only called for attributes not set yet, which the parse sets.
        if attr.startswith("__") or self.__dict__.get("_bx_loaded"):
            raise AttributeError(attr)
        self.__dict__["_bx_loaded"] = True
        TTFont.__init__(self, self.fontName, self._bx_filename)
        self.face.name = self._bx_face_name  # see `_face_key`
        return getattr(self, attr)


def _face_key(path: str) -> bytes:
    """The name reportlab keys the face in `path` by: its PostScript name, from the font cache.

    reportlab hands a new font the font object of an earlier one with the
    same PostScript name.  A system font cut to a document's characters (Noto
    CJK, from a collection) keeps its source's name, so in one process (a
    batch, the API, the tests) a second document's cut drew with the first
    one's glyphs: its ideographs came out empty.  A cut's name gets a digest
    of its bytes (theme fonts and their instances keep theirs).
    """
    from ...fonts.cache import remember

    def read() -> str:
        return TTFont("bx-probe", path).face.name.decode("latin-1")

    name = remember("reportlab-name", Path(path), read).encode("latin-1")
    if Path(path).is_relative_to(_fonts.cache_dir("system")):
        name += b"-" + hashlib.sha256(Path(path).read_bytes()).hexdigest()[:8].encode("ascii")
    return name


def _register_face(name: str, path: str) -> None:
    """What `pdfmetrics.registerFont(TTFont(name, path))` does, without reading the file.

    reportlab keeps one font object per face name: a second name for the
    same face (one file registered twice) gets the first object, so both draw
    from one subset.  With the face name from the font cache that rule, and so
    every byte of the PDF, stays as it was.
    """
    fonts, faces = pdfmetrics._fonts, pdfmetrics._dynFaceNames
    if name not in fonts:
        key = _face_key(path)
        if key in faces:
            fonts[name] = faces[key]
        else:
            faces[key] = fonts[name] = _LazyTTFont(name, path, key)
    pdfmetrics.registerFontFamily(name)  # as registerFont does for every TrueType font


def register_family(family: FontFamily) -> str:
    """Register the four faces of `family` with reportlab; returns its name.

    reportlab's font registry lives as long as the process, so the name
    carries a digest of the files: two themes that give one family name to
    different files (in one process: tests, a batch, the API) never share.
    """
    files = repr([(str(f.path), f.variations) for f in _fonts.family_faces(family).values()])
    key = f"bx-{family.name}-{hashlib.sha256(files.encode()).hexdigest()[:10]}"
    if key in pdfmetrics._fonts:
        return key
    faces = _fonts.family_faces(family)
    for style, face in faces.items():
        _register_face(_face_name(key, style), str(_fonts.face_file(face)))
    # Without the family mapping, <b> and <i> silently stay regular.
    pdfmetrics.registerFontFamily(
        key,
        normal=key,
        bold=_face_name(key, "bold"),
        italic=_face_name(key, "italic"),
        boldItalic=_face_name(key, "bold_italic"),
    )
    return key


def _standalone(face: str) -> str:
    """`face` registered a second time under a name in no font family.

    Inside `<i>` or `<b>`, reportlab maps a family's face to the family's
    italic or bold; a standalone name is drawn as it is.
    """
    name = f"{face}-standalone"
    if name not in pdfmetrics._fonts:
        font = pdfmetrics.getFont(face)
        _register_face(name, font.__dict__.get("_bx_filename") or font.face.filename)
    return name


def font_roles(theme: Theme) -> dict[str, FontRole]:
    roles = {}
    for role in ("body", "heading", "mono"):
        chain = theme.fonts.chain(role)
        roles[role] = FontRole(chain)
    return roles
