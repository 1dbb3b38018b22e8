"""The theme's fonts embedded in the DOCX (ISO/IEC 29500-1 §17.8.1).

Without them Word and LibreOffice show the editor's copy in whatever the
machine has (DejaVu, Calibri), nothing like the PDF.  Each face is a
`word/fonts/fontN.odttf` part: the whole TrueType file (LibreOffice ignores
subset embedded fonts for editing) with its first 32 bytes XOR-ed with the
part's GUID key, bytes in reverse order, as the standard says.  `fontTable.xml`
names each family with `w:embedRegular`/`Bold`/`Italic`/`BoldItalic` and the
key.  Only the faces the document's text is set in are embedded.

Obfuscating and deflating a 300 kB face costs about 25 ms, so the finished,
compressed part is kept in the font cache and a render copies it into the
zip as it is (`Deflated`, written by `common.stamps.zip_entries`).
"""

from __future__ import annotations

import hashlib
import struct
import warnings
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path

from lxml import etree
from lxml.etree import _Element

from ...errors import BriefExportWarning
from ...fonts.cache import facts
from ...fonts.faces import face_file, family_faces
from ...fonts.paths import cache_file, store
from ...common.stamps import Deflated
from ...theme import Theme
from . import styles as S
from .xml import W_NS, qn

R_NS = "http://schemas.openxmlformats.org/officeDocument/2006/relationships"
FONT_REL = f"{R_NS}/font"
FONT_TABLE_TYPE = "application/vnd.openxmlformats-officedocument.wordprocessingml.fontTable+xml"
ODTTF_TYPE = "application/vnd.openxmlformats-officedocument.obfuscatedFont"
# tree style -> the fontTable element that embeds it
SLOTS = {"regular": "Regular", "bold": "Bold", "italic": "Italic", "bold_italic": "BoldItalic"}
# Bump when the stored part's layout or the obfuscation changes.
_VERSION = 2
# A stored part: the 38-character key, CRC-32, size, compressed size, then the deflate stream.
_HEADER = struct.Struct("<38sIII")


@dataclass(frozen=True)
class EmbeddedFace:
    family: str  # the `w:font w:name` it embeds a face of
    slot: str  # Regular, Bold, Italic or BoldItalic
    key: str  # "{GUID}": the obfuscation key, also `w:fontKey`
    part: Deflated  # the .odttf part, compressed


def font_key(data: bytes) -> str:
    """A GUID made from the font's bytes: the same font gives the same DOCX bytes."""
    h = hashlib.sha256(data).hexdigest()[:32].upper()  # a UUID's text, without importing uuid (3 ms)
    return f"{{{h[:8]}-{h[8:12]}-{h[12:16]}-{h[16:20]}-{h[20:]}}}"


def obfuscate(data: bytes, key: str) -> bytes:
    """The font with its first 32 bytes XOR-ed with the key's bytes in reverse order.

    XOR is its own inverse: the same call turns an .odttf back into the font.
    """
    digits = bytes.fromhex(key.strip("{}").replace("-", ""))[::-1]
    head = bytes(b ^ digits[i % 16] for i, b in enumerate(data[:32]))
    return head + data[32:]


def installable(fs_type: int) -> bool:
    """OS/2 fsType allows installable embedding: no restriction bit set, not bitmap-only.

    LibreOffice uses an embedded font only then; preview-and-print or editable
    faces would travel in the file and not be shown.
    """
    return fs_type & 0x000F == 0 and not fs_type & 0x0200


def embedded_face(path: Path) -> tuple[str, Deflated]:
    """The key and compressed .odttf part for the font file `path`, cached on disk."""
    target = cache_file("docx", path, f"odttf|{_VERSION}", ".odttf.z")
    if target is not None:
        try:
            stored = target.read_bytes()
            raw_key, crc, size, packed = _HEADER.unpack_from(stored)
            key = raw_key.decode("ascii")
            if len(stored) == _HEADER.size + packed and key.startswith("{") and key.endswith("}"):
                return key, Deflated(crc, size, stored[_HEADER.size:])
        except (OSError, ValueError, struct.error):
            pass  # not made yet, or damaged: make it again
    data = path.read_bytes()
    key = font_key(data)
    part = Deflated.of(obfuscate(data, key))
    if target is not None:
        store(target, _HEADER.pack(key.encode("ascii"), part.crc, part.size, len(part.data)) + part.data)
    return key, part


def faces_to_embed(theme: Theme, used: Iterable[tuple[str, str]]) -> list[EmbeddedFace]:
    """One `EmbeddedFace` per (role, style) the text uses, in a fixed order.

    Roles that share a family embed it once; a face whose licence forbids
    installable embedding is left out with a warning (Word and LibreOffice then
    substitute it, as without embedding).
    """
    wanted = set(used)
    out: list[EmbeddedFace] = []
    seen: set[tuple[str, str]] = set()
    for role in ("body", "heading", "mono"):
        family = theme.fonts.chain(role)[0]
        for style, slot in SLOTS.items():
            if (role, style) not in wanted:
                continue
            face = family_faces(family)[style]
            path = face_file(face)
            found = facts(path)
            name = found.word_family
            if (name, slot) in seen:
                continue
            seen.add((name, slot))
            if not installable(found.fs_type):
                warnings.warn(f"font {path.name} is not embedded in the DOCX: its licence (OS/2 fsType "
                              f"{found.fs_type:#06x}) does not allow installable embedding", BriefExportWarning,
                              stacklevel=2)
                continue
            key, part = embedded_face(path)
            out.append(EmbeddedFace(name, slot, key, part))
    return out


@dataclass(frozen=True)
class FontTable:
    xml: bytes  # word/fontTable.xml
    rels: bytes  # word/_rels/fontTable.xml.rels
    parts: dict[str, Deflated]  # zip entry -> compressed .odttf


def font_table(faces: list[EmbeddedFace], names: S.Names) -> FontTable:
    """`fontTable.xml` naming the theme's families, embedding `faces` at fonts/font1.odttf..."""
    root = etree.Element(f"{{{W_NS}}}fonts", nsmap={"w": W_NS, "r": R_NS})
    rels = ['<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n'
            '<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">']
    parts: dict[str, Deflated] = {}
    for family in dict.fromkeys([names.body, names.heading, names.mono, *(f.family for f in faces)]):
        font = etree.SubElement(root, qn("w:font"), {qn("w:name"): family})
        etree.SubElement(font, qn("w:charset"), {qn("w:val"): "00"})
        etree.SubElement(font, qn("w:family"), {qn("w:val"): _generic(family, names)})
        etree.SubElement(font, qn("w:pitch"), {qn("w:val"): "fixed" if _generic(family, names) == "modern" else "variable"})
        for slot in SLOTS.values():  # schema order: Regular, Bold, Italic, BoldItalic
            face = next((f for f in faces if f.family == family and f.slot == slot), None)
            if face is None:
                continue
            number = len(parts) + 1
            etree.SubElement(font, qn(f"w:embed{slot}"), {f"{{{R_NS}}}id": f"rId{number}", qn("w:fontKey"): face.key})
            rels.append(f'<Relationship Id="rId{number}" Type="{FONT_REL}" Target="fonts/font{number}.odttf"/>')
            parts[f"word/fonts/font{number}.odttf"] = face.part
    rels.append("</Relationships>")
    return FontTable(etree.tostring(root, xml_declaration=True, encoding="UTF-8", standalone=True),
                     "".join(rels).encode("utf-8"), parts)


def _generic(family: str, names: S.Names) -> str:
    if family == names.mono and family not in (names.body, names.heading):
        return "modern"
    if family == names.heading and family != names.body:
        return "swiss"
    return "roman"


# ------------------------------------------------------------ which faces


@dataclass(frozen=True)
class _Props:
    font: str | None = None
    bold: bool | None = None
    italic: bool | None = None

    def over(self, base: _Props) -> _Props:
        return _Props(self.font if self.font is not None else base.font,
                      self.bold if self.bold is not None else base.bold,
                      self.italic if self.italic is not None else base.italic)


def _props(rpr: _Element | None) -> _Props:
    if rpr is None:
        return _Props()
    fonts = rpr.find(qn("w:rFonts"))

    def flag(name: str) -> bool | None:
        found = rpr.find(qn(f"w:{name}"))
        return None if found is None else found.get(qn("w:val"), "1") not in ("0", "false", "off")

    return _Props(fonts.get(qn("w:ascii")) if fonts is not None else None, flag("b"), flag("i"))


def used_faces(styles: _Element, stories: Iterable[_Element], names: S.Names) -> set[tuple[str, str]]:
    """(role, style) of every face some text of `stories` is set in.

    Resolves each run as Word does, closest first: the run's own properties,
    its character style, its paragraph style, each through `w:basedOn`, then
    the document defaults.
    """
    own: dict[str, tuple[str | None, _Props]] = {}
    for style in styles.iter(qn("w:style")):
        based = style.find(qn("w:basedOn"))
        own[style.get(qn("w:styleId"))] = (based.get(qn("w:val")) if based is not None else None,
                                         _props(style.find(qn("w:rPr"))))
    defaults = _props(styles.find(f"{qn('w:docDefaults')}/{qn('w:rPrDefault')}/{qn('w:rPr')}"))

    chains: dict[str | None, _Props] = {}

    def resolved(style_id: str | None, depth: int = 0) -> _Props:
        if style_id in chains:
            return chains[style_id]
        if style_id is None or style_id not in own or depth > 20:
            return _Props()
        based, props = own[style_id]
        chains[style_id] = found_props = props.over(resolved(based, depth + 1))
        return found_props

    roles = {}
    for role in ("mono", "heading", "body"):  # the body's name wins when roles share a family
        roles[names.role(role)] = role
    default_para = next((s.get(qn("w:styleId")) for s in styles.iter(qn("w:style"))
                         if s.get(qn("w:type")) == "paragraph" and s.get(qn("w:default")) == "1"), None)
    found: set[tuple[str, str]] = set()
    # A brief has thousands of runs and a dozen kinds of them: a kind is keyed
    # by its own properties (None for most runs, which have none), character
    # style and paragraph style id, so most runs cost a dictionary lookup.
    faces: dict[tuple[_Props | None, str | None, str | None], tuple[str, str] | None] = {}
    p_style_path, val = f"{qn('w:pPr')}/{qn('w:pStyle')}", qn("w:val")
    r_tag, t_tag, rpr_tag, rstyle_tag = qn("w:r"), qn("w:t"), qn("w:rPr"), qn("w:rStyle")
    for story in stories:
        for p in story.iter(qn("w:p")):
            p_style = p.find(p_style_path)
            para_id = p_style.get(val) if p_style is not None else default_para
            for r in p.iter(r_tag):
                if not any((t.text or "").strip() for t in r.iter(t_tag)):
                    continue
                rpr = r.find(rpr_tag)
                r_style = rpr.find(rstyle_tag) if rpr is not None else None
                key = (None if rpr is None else _props(rpr), r_style.get(val) if r_style is not None else None,
                       para_id)
                face = faces.get(key, False)
                if face is False:
                    own_props = key[0] or _Props()
                    char = resolved(key[1]) if key[1] is not None else _Props()
                    props = own_props.over(char).over(resolved(para_id)).over(defaults)
                    role = roles.get(props.font or "")
                    style = ("bold_" if props.bold else "") + ("italic" if props.italic else "")
                    # None: a fallback family for a script the theme's fonts lack
                    face = faces[key] = None if role is None else (role, style.rstrip("_") or "regular")
                if face is not None:
                    found.add(face)
    return found
