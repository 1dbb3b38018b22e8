"""Opening a DOCX for reading: the parts the reader needs, as lxml trees.

A file that is not a DOCX at all (an old `.doc`, a password-protected file,
a broken zip) is one clear `ParseError`, never a traceback.
"""

from __future__ import annotations

import hashlib
import io
import posixpath
import zipfile
from dataclasses import dataclass, field
from pathlib import Path

from lxml import etree

from ...errors import ParseError
from ..files import read_input
from ...common import docx_styles as S

W = "http://schemas.openxmlformats.org/wordprocessingml/2006/main"
R = "http://schemas.openxmlformats.org/officeDocument/2006/relationships"
PR = "http://schemas.openxmlformats.org/package/2006/relationships"
_OLE = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"
_PARSER = etree.XMLParser(resolve_entities=False, no_network=True, huge_tree=True, remove_blank_text=False)


def w(tag: str) -> str:
    return f"{{{W}}}{tag}"


def wattr(el: etree._Element, name: str, default: str = "") -> str:
    return el.get(f"{{{W}}}{name}", default)


@dataclass
class Numbering:
    kinds: dict[tuple[str, int], str] = field(default_factory=dict)  # (numId, ilvl) -> bullet|number
    starts: dict[tuple[str, int], int] = field(default_factory=dict)
    overrides: set[tuple[str, int]] = field(default_factory=set)  # LibreOffice restarts a list with one

    def kind(self, num_id: str, level: int) -> str:
        return self.kinds.get((num_id, level), "number")

    def start(self, num_id: str, level: int) -> int:
        return self.starts.get((num_id, level), 1)


@dataclass
class Package:
    path: str
    document: etree._Element
    styles: dict[str, tuple[str, str | None]]  # style id -> (name, our id)
    based_on: dict[str, str]
    numbering: Numbering
    rels: dict[str, str]  # document relationship id -> target
    media: dict[str, tuple[str, bytes]]  # document relationship id -> (part name, image bytes)
    notes: dict[tuple[str, str], etree._Element]  # ("footnote"|"endnote", id) -> element
    note_rels: dict[str, dict[str, str]]
    comments: dict[str, tuple[str, str, str]]  # id -> (author, date, text)
    roundtrip: etree._Element | None
    keywords: str
    default_lang: str

    def style(self, style_id: str) -> tuple[str, str | None]:
        """(shown name, our style id or None) for a style id used in the document."""
        if not style_id:
            return "Normal", S.NORMAL
        return self.styles.get(style_id, (style_id, S.style_for_name(style_id)))


def open_package(path: str | Path) -> Package:
    p = Path(path)
    # Read once, as the Markdown source is: a FIFO fails instead of hanging the import.
    raw = read_input(p, kind="DOCX", role="a DOCX", limit=None)
    if raw.startswith(_OLE):
        if "EncryptionInfo".encode("utf-16-le") in raw or "EncryptedPackage".encode("utf-16-le") in raw:
            raise ParseError("the DOCX is password-protected: remove the password in Word or LibreOffice "
                             "and save it again", str(p))
        raise ParseError("this is an old Word .doc file, not a .docx: save it as Word (.docx) first", str(p))
    try:
        archive = zipfile.ZipFile(io.BytesIO(raw))
        names = set(archive.namelist())
    except (zipfile.BadZipFile, OSError, ValueError) as exc:
        raise ParseError(f"not a DOCX (not a readable zip file: {exc})", str(p)) from None
    try:
        return _read(archive, names, str(p))
    except (zipfile.BadZipFile, zipfile.LargeZipFile, OSError, EOFError, ValueError, KeyError) as exc:
        raise ParseError(f"corrupt DOCX: {exc}", str(p)) from None
    except etree.XMLSyntaxError as exc:
        raise ParseError(f"corrupt DOCX: a part is not well-formed XML ({exc})", str(p)) from None
    finally:
        archive.close()


def _xml(archive: zipfile.ZipFile, name: str) -> etree._Element:
    return etree.fromstring(archive.read(name), _PARSER)


def _rels(archive: zipfile.ZipFile, names: set[str], part: str) -> list[tuple[str, str, str, str]]:
    folder, base = posixpath.split(part)
    rels_name = posixpath.join(folder, "_rels", base + ".rels")
    if rels_name not in names:
        return []
    out = []
    for rel in _xml(archive, rels_name):
        mode = rel.get("TargetMode", "")
        target = rel.get("Target", "")
        if mode != "External":
            target = posixpath.normpath(posixpath.join(folder, target)).lstrip("/")
        out.append((rel.get("Id", ""), rel.get("Type", "").rsplit("/", 1)[-1], target, mode))
    return out


def _main_part(archive: zipfile.ZipFile, names: set[str], path: str) -> str:
    if "_rels/.rels" in names:
        for rel in _xml(archive, "_rels/.rels"):
            if rel.get("Type", "").endswith("/officeDocument"):
                return rel.get("Target", "").lstrip("/")
    if "word/document.xml" in names:
        return "word/document.xml"
    raise ParseError("not a Word document (no word/document.xml in the zip)", path)


def _read(archive: zipfile.ZipFile, names: set[str], path: str) -> Package:
    main = _main_part(archive, names, path)
    if main not in names:
        raise ParseError(f"not a Word document ({main} is missing)", path)
    document = _xml(archive, main)
    if document.tag != w("document"):
        raise ParseError("not a Word document (its main part is not w:document)", path)
    rels = _rels(archive, names, main)
    by_kind: dict[str, str] = {}
    targets: dict[str, str] = {}
    media: dict[str, bytes] = {}
    roundtrip = None
    for rid, kind, target, mode in rels:
        targets[rid] = target
        by_kind.setdefault(kind, target)
        if kind == "image" and mode != "External" and target in names:
            media[rid] = (target, archive.read(target))
        if kind == "customXml" and target in names:
            item = _xml(archive, target)
            if item.tag == f"{{{S.ROUNDTRIP_NS}}}briefexport":
                roundtrip = item
    styles: dict[str, tuple[str, str | None]] = {}
    based_on: dict[str, str] = {}
    default_lang = ""
    if by_kind.get("styles") in names:
        root = _xml(archive, by_kind["styles"])
        for st in root.iter(w("style")):
            sid = wattr(st, "styleId")
            name_el = st.find(w("name"))
            name = wattr(name_el, "val") if name_el is not None else sid
            styles[sid] = (name, S.style_for_name(name))
            base = st.find(w("basedOn"))
            if base is not None:
                based_on[sid] = wattr(base, "val")
        lang = root.find(f"{w('docDefaults')}/{w('rPrDefault')}/{w('rPr')}/{w('lang')}")
        if lang is not None:
            default_lang = wattr(lang, "val")
    numbering = Numbering()
    if by_kind.get("numbering") in names:
        _read_numbering(_xml(archive, by_kind["numbering"]), numbering)
    notes: dict[tuple[str, str], etree._Element] = {}
    note_rels: dict[str, dict[str, str]] = {}
    for kind in ("footnotes", "endnotes"):
        target = by_kind.get(kind)
        if target in names:
            note_rels[kind[:-1]] = {rid: t for rid, _k, t, _m in _rels(archive, names, target)}
            for note in _xml(archive, target):
                if note.tag in (w("footnote"), w("endnote")):
                    notes[(kind[:-1], wattr(note, "id"))] = note
    comments: dict[str, tuple[str, str, str]] = {}
    if by_kind.get("comments") in names:
        for c in _xml(archive, by_kind["comments"]).iter(w("comment")):
            paras = ["".join(t.text or "" for t in p.iter(w("t"))) for p in c.iter(w("p"))]
            comments[wattr(c, "id")] = (wattr(c, "author"), wattr(c, "date"), " ".join(x for x in paras if x))
    keywords = ""
    if "docProps/core.xml" in names:
        core = _xml(archive, "docProps/core.xml")
        found = core.find("{http://schemas.openxmlformats.org/package/2006/metadata/core-properties}keywords")
        keywords = (found.text or "") if found is not None else ""
    return Package(path, document, styles, based_on, numbering, targets, media, notes, note_rels, comments,
                   roundtrip, keywords, default_lang)


def _read_numbering(root: etree._Element, numbering: Numbering) -> None:
    abstract: dict[str, dict[int, tuple[str, int]]] = {}
    for ab in root.iter(w("abstractNum")):
        levels = {}
        for lvl in ab.iter(w("lvl")):
            fmt = lvl.find(w("numFmt"))
            start = lvl.find(w("start"))
            levels[int(wattr(lvl, "ilvl", "0") or 0)] = (
                wattr(fmt, "val") if fmt is not None else "decimal",
                int(wattr(start, "val", "1") or 1) if start is not None else 1)
        abstract[wattr(ab, "abstractNumId")] = levels
    for num in root.iter(w("num")):
        num_id = wattr(num, "numId")
        ab_id = num.find(w("abstractNumId"))
        levels = abstract.get(wattr(ab_id, "val") if ab_id is not None else "", {})
        for level, (fmt, start) in levels.items():
            numbering.kinds[(num_id, level)] = "bullet" if fmt in ("bullet", "none") else "number"
            numbering.starts[(num_id, level)] = start
        for override in num.iter(w("lvlOverride")):
            so = override.find(w("startOverride"))
            if so is not None:
                level = int(wattr(override, "ilvl", "0") or 0)
                numbering.starts[(num_id, level)] = int(wattr(so, "val", "1") or 1)
                numbering.overrides.add((num_id, level))


def image_digest(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()
