"""A Word paragraph's content -> formatted leaves, with tracked changes and comments.

Runs carry emphasis, strong, strikeout, code (the "Verbatim Char" style),
links (`w:hyperlink` or a HYPERLINK field), a language (`w:lang`) and
footnote references.  Tracked insertions, deletions and moves are kept as
change marks (`keep`), applied (`accept`) or undone (`reject`); comments
become point marks.  Formatting that Markdown cannot say (a colour, a size,
a font) is reported, and its text kept.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field, replace
from typing import TYPE_CHECKING, Callable

from lxml import etree

from ...tree import Attrs, Code, LineBreak, Note, Span, Text
from ...common import docx_styles as S
from ...common.docx_inlines import Fmt, Leaf
from .package import R, W, w, wattr

if TYPE_CHECKING:
    from .package import Package

_IGNORED_RPR = {"rStyle", "b", "bCs", "i", "iCs", "strike", "lang", "kern", "noProof", "rtl", "cs",
                "webHidden", "specVanish", "rPrChange", "ins", "del", "moveFrom", "moveTo", "eastAsianLayout",
                "fitText", "oMath", "snapToGrid", "szCs"}
_FORMAT_NAMES = {"color": "colour", "sz": "size", "highlight": "highlight", "u": "underline", "shd": "shading",
                 "vertAlign": "superscript/subscript", "caps": "capitals", "smallCaps": "small capitals",
                 "dstrike": "double strikethrough", "vanish": "hidden text", "rFonts": "font",
                 "spacing": "character spacing", "position": "raised/lowered text", "w": "character width",
                 "outline": "outline", "shadow": "shadow", "emboss": "emboss", "imprint": "engrave",
                 "effect": "text effect", "em": "emphasis mark", "bdr": "border"}
_CHANGE_TAGS = {"ins": ("insertion", "insertion"), "del": ("deletion", "deletion"),
                "moveTo": ("insertion", "move-to"), "moveFrom": ("deletion", "move-from")}
_FIELD_WORD = re.compile(r'"([^"]*)"|(\S+)')


@dataclass
class Change:
    """One tracked change or comment, for `--json` and the warnings."""

    kind: str  # insertion, deletion, move-to, move-from, comment
    author: str
    date: str
    text: str
    where: str = ""  # "" for the body, "footnote 3", "table", "footnote 3 table"
    line: int = 0  # set by the import: the line of the Markdown it lands on
    context: str = ""  # the paragraph's text as imported, to find that line when the mark is gone

    def as_json(self) -> dict[str, object]:
        return {"kind": self.kind, "author": self.author, "date": self.date, "text": self.text,
                "where": self.where or "body", "line": self.line}


@dataclass
class Content:
    pairs: list[tuple[Fmt, Leaf]] = field(default_factory=list)
    label: str = ""  # text in the "Figure Label" style ("Figure 2")
    marks: list[str] = field(default_factory=list)  # bookmark names
    pictures: list[etree._Element] = field(default_factory=list)
    textboxes: list[etree._Element] = field(default_factory=list)
    formatting: set[str] = field(default_factory=set)
    mark_deleted: bool = False  # the paragraph mark is a tracked deletion (accept joins it to the next)
    mark_inserted: bool = False

    def text(self, *, accepted: bool = False) -> str:
        """The paragraph's text; `accepted`: without tracked deletions (for what cannot hold marks)."""
        out = []
        for fmt, leaf in self.pairs:
            if accepted and fmt.change is not None and fmt.change[0] == "deletion":
                continue
            if isinstance(leaf, (Text, Code)):
                out.append(leaf.text)
            elif isinstance(leaf, LineBreak):
                out.append("\n")
        return "".join(out)


class Runs:
    def __init__(self, pkg: Package, mode: str, changes: list[Change],
                 note: Callable[[str, str], Note | None], link_anchor: Callable[[str], str]) -> None:
        self.pkg = pkg
        self.mode = mode
        self.changes = changes
        self.note = note
        self.link_anchor = link_anchor
        self.where = ""
        self.rels: dict[str, str] = pkg.rels
        self.faces: list[tuple[str, bool, bool]] = []  # from the round-trip part, in writing order
        self.next_face = 0

    def paragraph(self, p: etree._Element) -> Content:
        out = Content()
        ppr = p.find(w("pPr"))
        if ppr is not None:
            mark = ppr.find(f"{w('rPr')}")
            if mark is not None:
                out.mark_deleted = mark.find(w("del")) is not None or mark.find(w("moveFrom")) is not None
                out.mark_inserted = mark.find(w("ins")) is not None or mark.find(w("moveTo")) is not None
        self._walk(p, Fmt(), out, [])
        return out

    # -- structure

    def _walk(self, parent: etree._Element, fmt: Fmt, out: Content, fields: list[dict]) -> None:
        for child in parent:
            if not isinstance(child.tag, str):
                continue
            tag = etree.QName(child).localname
            ns = etree.QName(child).namespace
            if ns != W:
                if tag == "AlternateContent":
                    choice = next(iter(child), None)
                    if choice is not None:
                        self._walk(choice, fmt, out, fields)
                continue
            if tag == "r":
                self._run(child, fmt, out, fields)
            elif tag == "hyperlink":
                target = self._hyperlink(child)
                self._walk(child, replace(fmt, link=target) if target else fmt, out, fields)
            elif tag in _CHANGE_TAGS:
                self._change(child, tag, fmt, out, fields)
            elif tag in ("smartTag", "customXml", "fldSimple", "dir", "bdo"):
                inner = fmt
                if tag == "fldSimple":
                    target = self._field_link(wattr(child, "instr"))
                    inner = replace(fmt, link=target) if target else fmt
                self._walk(child, inner, out, fields)
            elif tag == "sdt":
                content = child.find(w("sdtContent"))
                if content is not None:
                    self._walk(content, fmt, out, fields)
            elif tag == "bookmarkStart":
                out.marks.append(wattr(child, "name"))
            elif tag in ("oMath", "oMathPara"):
                out.formatting.add("equation")
                self._leaf(fmt, Text("".join(t.text or "" for t in child.iter() if t.tag.endswith("}t"))), out, fields)

    def _hyperlink(self, el: etree._Element) -> tuple[str, str] | None:
        title = wattr(el, "tooltip")
        frame = wattr(el, "tgtFrame")
        if not title and frame and not frame.startswith("_"):
            title = frame  # LibreOffice 7 saves a link's tooltip as its target frame
        rid = el.get(f"{{{R}}}id")
        if rid:
            url = self.rels.get(rid, "")
            anchor = wattr(el, "anchor")
            return (url + ("#" + anchor if anchor else ""), title) if url else None
        anchor = wattr(el, "anchor")
        if anchor:
            return ("#" + self.link_anchor(anchor), title)
        return None

    def _field_link(self, instr: str) -> tuple[str, str] | None:
        """A HYPERLINK field's target: `HYPERLINK "url" \\l "anchor" \\o "tooltip"`."""
        words = [a if a else b for a, b in _FIELD_WORD.findall(instr or "")]
        if not words or words[0].upper() != "HYPERLINK":
            return None
        url = anchor = title = ""
        i = 1
        while i < len(words):
            word = words[i]
            if word.lower() in ("\\l", "\\o", "\\t") and i + 1 < len(words):
                if word.lower() == "\\l":
                    anchor = words[i + 1]
                elif word.lower() == "\\o":
                    title = words[i + 1]
                i += 2
                continue
            if not word.startswith("\\") and not url:
                url = word
            i += 1
        if url:
            return (url + ("#" + anchor if anchor else ""), title)
        return ("#" + self.link_anchor(anchor), title) if anchor else None

    def _change(self, el: etree._Element, tag: str, fmt: Fmt, out: Content, fields: list[dict]) -> None:
        cls, kind = _CHANGE_TAGS[tag]
        author, date = wattr(el, "author"), wattr(el, "date")
        text = "".join((t.text or "") for t in el.iter(w("t"), w("delText"), w("instrText")) if t.tag != w("instrText"))
        self.changes.append(Change(kind, author, date, text, self.where))
        applied = cls == "insertion"
        if self.mode == "reject":
            applied = not applied
        if self.mode == "keep":
            kv = tuple((k, v) for k, v in (("author", author), ("date", date)) if v)
            self._walk(el, replace(fmt, change=(cls, kv)), out, fields)
        elif applied:
            self._walk(el, fmt, out, fields)

    # -- runs

    def _run(self, r: etree._Element, fmt: Fmt, out: Content, fields: list[dict]) -> None:
        rpr = r.find(w("rPr"))
        code = label = False
        if rpr is not None:
            fmt, code, label = self._props(rpr, fmt, out)
            fmt = self._face(rpr, r, fmt)
        for child in r:
            tag = etree.QName(child).localname if isinstance(child.tag, str) else ""
            if tag in ("t", "delText"):
                text = child.text or ""
                if label:
                    out.label += text
                elif fields and fields[-1]["phase"] == "instr":
                    continue
                else:
                    self._leaf(fmt, Code(text) if code else Text(text), out, fields)
            elif tag == "instrText":
                if fields:
                    fields[-1]["instr"] += child.text or ""
            elif tag == "fldChar":
                self._fld(wattr(child, "fldCharType"), fields)
            elif tag in ("tab", "ptab"):
                self._leaf(fmt, Code("\t") if code else Text("\t"), out, fields)
            elif tag in ("br", "cr"):
                if wattr(child, "type") in ("page", "column"):
                    continue
                self._leaf(fmt, LineBreak(), out, fields)
            elif tag == "noBreakHyphen":
                self._leaf(fmt, Text("\u2011"), out, fields)
            elif tag == "softHyphen":
                self._leaf(fmt, Text("\u00ad"), out, fields)
            elif tag == "sym":
                try:
                    self._leaf(fmt, Text(chr(int(wattr(child, "char"), 16))), out, fields)
                except ValueError:
                    pass
            elif tag in ("footnoteReference", "endnoteReference"):
                note = self.note(tag[:-9], wattr(child, "id"))
                if note is not None:
                    out.pairs.append((replace(fmt, link=None), note))
            elif tag == "commentReference":
                self._comment(wattr(child, "id"), fmt, out)
            elif tag == "drawing":
                if child.find(".//{http://schemas.microsoft.com/office/word/2010/wordprocessingShape}txbx") is not None:
                    out.textboxes.append(child)
                else:
                    out.pictures.append(child)
            elif tag in ("pict", "object"):
                out.textboxes.append(child)

    def _props(self, rpr: etree._Element, fmt: Fmt, out: Content) -> tuple[Fmt, bool, bool]:
        code = label = False
        for prop in rpr:
            if not isinstance(prop.tag, str):
                continue
            name = etree.QName(prop).localname
            val = wattr(prop, "val", "true").lower()
            on = val not in ("0", "false", "off", "none")
            if name == "rStyle":
                shown, ours = self.pkg.style(wattr(prop, "val"))
                code = ours == S.VERBATIM
                label = ours == S.FIGURE_LABEL
            elif name == "b":
                fmt = replace(fmt, bold=on)
            elif name == "i":
                fmt = replace(fmt, italic=on)
            elif name == "strike":
                fmt = replace(fmt, strike=on)
            elif name == "lang":
                fmt = replace(fmt, lang=self._lang(wattr(prop, "val")))
            elif name in _IGNORED_RPR:
                continue
            elif name == "color" and val in ("auto", "000000"):
                continue
            elif name == "rFonts" and not any(k.endswith(("}ascii", "}hAnsi")) for k in prop.attrib):
                continue
            elif name == "vertAlign" and val == "baseline":
                continue
            elif name == "u" and val == "none":
                continue
            elif on:
                out.formatting.add(_FORMAT_NAMES.get(name, name))
        return fmt, code, label

    def _face(self, rpr: etree._Element, r: etree._Element, fmt: Fmt) -> Fmt:
        """A word set in a fallback face that lacks the bold or italic: the source's own, when recorded."""
        if self.next_face >= len(self.faces):
            return fmt
        forced = [p for p in (rpr.find(w("b")), rpr.find(w("i")))
                  if p is not None and wattr(p, "val", "true").lower() in ("0", "false", "off")]
        text, bold, italic = self.faces[self.next_face]
        if forced and "".join(t.text or "" for t in r.iter(w("t"))) == text:
            self.next_face += 1
            return replace(fmt, bold=bold, italic=italic)
        return fmt

    def _lang(self, tag: str) -> str:
        """A run's language as a span's, or "" when it is only the document's."""
        doc = (self.doc_lang or "").lower()
        low = tag.lower()
        if not tag or low == doc or low == self.pkg.default_lang.lower():
            return ""
        if doc and "-" not in doc and low.split("-")[0] == doc:
            return ""  # LibreOffice writes en-US on runs of an `en` document
        return tag

    doc_lang = ""

    def _fld(self, kind: str, fields: list[dict]) -> None:
        if kind == "begin":
            fields.append({"instr": "", "phase": "instr"})
        elif kind == "separate" and fields:
            fields[-1]["phase"] = "result"
            fields[-1]["link"] = self._field_link(fields[-1]["instr"])
        elif kind == "end" and fields:
            fields.pop()

    def _leaf(self, fmt: Fmt, leaf: Leaf, out: Content, fields: list[dict]) -> None:
        for f in fields:
            if f.get("link") and fmt.link is None:
                fmt = replace(fmt, link=f["link"])
        if fields and fields[-1]["phase"] == "instr":
            return
        if isinstance(leaf, (Text, Code)) and not leaf.text:
            return
        prev = out.pairs[-1] if out.pairs else None
        if prev is not None and prev[0] == fmt and type(prev[1]) is type(leaf) and isinstance(leaf, (Text, Code)):
            out.pairs[-1] = (fmt, type(leaf)(prev[1].text + leaf.text))
        else:
            out.pairs.append((fmt, leaf))

    def _comment(self, cid: str, fmt: Fmt, out: Content) -> None:
        author, date, text = self.pkg.comments.get(cid, ("", "", ""))
        self.changes.append(Change("comment", author, date, text, self.where))
        if self.mode == "keep":
            kv = tuple((k, v) for k, v in (("author", author), ("date", date), ("text", text)) if v)
            out.pairs.append((Fmt(), Span((), Attrs("", ("comment",), kv))))
