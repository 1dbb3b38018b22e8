"""Word paragraphs and tables -> paragraph events, the brief's front and back matter -> Meta.

Each paragraph's style (by name) says what it is; `docx_model.assemble`
turns the events into blocks.  The title band, the authors, the key
takeaways box and the lead image before the body become front matter, the
bios after "About the authors" become the authors' `bio`.
"""

from __future__ import annotations

import re
import warnings
from typing import TYPE_CHECKING

from lxml import etree

from ...errors import BriefExportWarning
from ...tree import Inline, LineBreak, Note, TableCell, Text
from ...common import docx_model as M
from ...common import docx_styles as S
from ...common.docx_inlines import Fmt, canonical_inlines
from .package import W, w, wattr
from .front import Front, band, front_para
from .pictures import Pictures
from .runs import Content, Runs

if TYPE_CHECKING:
    from .package import Package

_ROLES: dict[str, str] = {
    S.NORMAL: "body", S.BODY: "body", S.LEAD: "body", S.FOOTNOTE_TEXT: "body", S.TABLE_TEXT: "body",
    S.TABLE_HEADING: "body", S.QUOTE: "quote", S.PULLQUOTE: "pullquote",
    S.PULLQUOTE_ATTRIBUTION: "attribution", S.CODE: "code", S.RULE: "rule", S.LIST_BULLET: "bullet",
    S.LIST_NUMBER: "number", S.LIST_CONTINUE: "continue", S.DEFINITION_TERM: "term",
    S.DEFINITION: "definition", S.CAPTION: "caption",
    **{h: "heading" for h in S.HEADINGS},
}
_FRONT = {S.SERIES, S.TITLE, S.SUBTITLE, S.AUTHORS, S.AFFILIATION, S.DATE, S.IMAGE_CREDIT, S.TAKEAWAYS,
          S.TAKEAWAYS_LABEL}
_GENERATED = {S.TAKEAWAYS_LABEL, S.BACK_HEADING, S.PUBLISHER}
# What briefexport writes itself (the back matter's heading names one author or several).
_GENERATED_TEXT = {"Key takeaways", "About the authors", "About the author"}
_LABEL = re.compile(r"^\s*(Figure|Table)\s+\d+\s*$")
_HEADING_N = re.compile(r"^heading\s+([1-9])$", re.I)


class Reader(Pictures):
    """One DOCX's blocks, front matter and warnings."""

    def __init__(self, pkg: Package, mode: str, info: dict) -> None:
        from .runs import Change

        self.pkg = pkg
        self.info = info
        self.changes: list[Change] = []
        self.runs = Runs(pkg, mode, self.changes, self._note, self._anchor)
        self.runs.doc_lang = info.get("lang", "")
        self.runs.faces = info.get("faces", [])
        self.mode = mode
        self.front = Front()
        self.shift = int(info.get("shift", 0) or 0)
        self.counter = 0
        self.bibliography = 0  # bibliography entries left out
        self.tables = 0
        self.in_body = False
        self.in_back = False
        self.notes_seen: set[tuple[str, str]] = set()
        self.images: dict[str, tuple[str, bytes]] = {}  # file name -> (sha256, bytes) of inserted pictures

    # -- diagnostics

    def warn(self, message: str) -> None:
        warnings.warn(f"{self.pkg.path}: {message}", BriefExportWarning, stacklevel=3)

    def _where(self, text: str) -> str:
        snippet = " ".join(text.split())
        snippet = snippet if len(snippet) <= 40 else snippet[:39] + "\u2026"
        return f"paragraph {self.counter} (\"{snippet}\")"

    # -- the document

    def read(self) -> list:
        body = self.pkg.document.find(w("body"))
        events: list[M.Event] = []
        if body is not None:
            self._container(body, events, top=True)
        return M.assemble(events)

    def _container(self, parent: etree._Element, events: list[M.Event], *, top: bool = False,
                   in_note: bool = False) -> None:
        pending: dict = {}
        carry: list = []
        for child in self._children(parent):
            tag = etree.QName(child).localname
            if tag == "p":
                self.counter += 1
                self._paragraph(child, events, pending, carry, top=top, in_note=in_note)
            elif tag == "tbl":
                self._table(child, events, pending, top=top, in_note=in_note)
        if carry:
            events.append(M.P("body", canonical_inlines(carry)))
        if "figure" in pending:
            events.append(pending.pop("figure"))
        if "caption" in pending:  # a table's caption whose table the editor deleted
            events.append(M.P("body", pending.pop("caption")))

    def _children(self, parent: etree._Element):
        for child in parent:
            if not isinstance(child.tag, str) or etree.QName(child).namespace != W:
                continue
            tag = etree.QName(child).localname
            if tag in ("sdt",):
                content = child.find(w("sdtContent"))
                if content is not None:
                    yield from self._children(content)
            elif tag == "customXml":
                yield from self._children(child)
            elif tag in ("p", "tbl"):
                yield child

    def _style(self, p: etree._Element) -> tuple[str, str | None, etree._Element | None]:
        ppr = p.find(w("pPr"))
        style = ppr.find(w("pStyle")) if ppr is not None else None
        sid = wattr(style, "val") if style is not None else ""
        name, ours = self.pkg.style(sid)
        return name, ours, ppr

    def _paragraph(self, p: etree._Element, events: list[M.Event], pending: dict, carry: list, *,
                   top: bool, in_note: bool) -> None:
        name, ours, ppr = self._style(p)
        first_change = len(self.changes)
        content = self.runs.paragraph(p)
        for change in self.changes[first_change:]:
            change.context = content.text()
        if carry:
            content.pairs[:0] = carry
            carry.clear()
        joined = (self.mode == "accept" and content.mark_deleted) or (self.mode == "reject" and content.mark_inserted)
        if joined:
            # The paragraph mark is deleted: what is left of the text runs on into the next paragraph.
            carry.extend(content.pairs)
            return
        text = content.text(accepted=True)
        if "caption" in pending and text.strip():
            events.append(M.P("body", pending.pop("caption")))  # no table followed it
        marked = any(f.change is not None for f, _leaf in content.pairs)
        if marked and ours in _FRONT | _GENERATED | {S.BIO, S.CODE, S.FIGURE}:
            self.warn(f"{self._where(text)}: tracked changes in a {self.pkg.style(_style_id(ppr))[0]} paragraph "
                      "are shown accepted (it cannot hold CriticMarkup)")
        if content.formatting:
            kinds = ", ".join(sorted(content.formatting))
            self.warn(f"{self._where(text)}: direct formatting ({kinds}) is not kept; its text is")
        for box in content.textboxes:
            box_text = " ".join("".join(t.text or "" for t in q.iter(w("t"))) for q in box.iter(w("p")))
            if box_text.strip():
                self.warn(f"{self._where(text)}: a text box is not kept; its text follows as a paragraph")
                events.append(M.P("body", (Text(box_text.strip()),)))
        lead_caption = ours == S.CAPTION and self.front.image_src and not content.label
        if top and (ours in _FRONT | {S.FIGURE} or lead_caption) and not self.in_body:
            front_para(self, ours, content)
            return
        if top and ours in (S.BACK_HEADING, S.BIO, S.PUBLISHER) and (self.in_body or ours != S.BIO):
            if ours == S.BACK_HEADING:
                self.in_back = True
            elif ours == S.BIO and self.in_back:
                self.front.bios.append(text)
            return
        if ours == S.BIBLIOGRAPHY:
            # Made from the citations (which read back as their formatted text and notes).
            self.bibliography += bool(text.strip())
            return
        if ours in _GENERATED:
            if text.strip() and text.strip() not in _GENERATED_TEXT:
                self.warn(f"{self._where(text)}: text in the generated \"{name}\" paragraph is not kept")
            return
        inlines = canonical_inlines(content.pairs)
        role = _ROLES.get(ours or "")
        level = 0
        if role is None:
            m = _HEADING_N.match(name)
            if m:
                role, level = "heading", int(m.group(1)) + self.shift
            elif ours == S.FIGURE:
                role = "figure"
            else:
                role = "body"
                if inlines and ours is None:
                    self.warn(f'{self._where(text)}: style "{name}" is not a briefexport style; kept as a paragraph')
        elif role == "heading":
            level = S.HEADINGS.index(ours) + 1 + self.shift  # type: ignore[arg-type]
        numpr = ppr.find(w("numPr")) if ppr is not None else None
        ilvl, num_id = 0, ""
        if numpr is not None:
            lvl, nid = numpr.find(w("ilvl")), numpr.find(w("numId"))
            ilvl = int(wattr(lvl, "val", "0") or 0) if lvl is not None else 0
            num_id = wattr(nid, "val") if nid is not None else ""
            if num_id and num_id != "0" and role in ("body", "continue"):
                role = self.pkg.numbering.kind(num_id, ilvl)
        if role in ("bullet", "number") and not num_id:
            num_id = f"style:{role}"
        if (inlines or role not in ("body",)) and not self.in_body and top:
            self.in_body = True
        if role == "figure" or content.pictures:
            self._picture(content, inlines, events, pending, in_note)
            return
        if role == "caption":
            label = content.label or ""
            fig = pending.pop("figure", None)
            if fig is not None and _LABEL.match(label) and label.strip().startswith("Figure"):
                fig.caption = _strip_lead(inlines)
                events.append(fig)
                return
            if fig is not None:
                events.append(fig)
            if _LABEL.match(label) and label.strip().startswith("Table"):
                pending["caption"] = _strip_lead(inlines)
                return
            role = "body"
        elif "figure" in pending:
            events.append(pending.pop("figure"))
        if role == "code":
            events.append(M.P("code", text=_code_text(content)))
            return
        if role == "continue":
            events.append(M.P("continue", inlines, depth=self._continue_depth(ppr)))
            return
        ident = ""
        if role == "heading":
            ident = self._heading_id(content.marks)
        if role in ("bullet", "number"):
            start = self.pkg.numbering.start(num_id, ilvl) if role == "number" else 1
            restart = (num_id, ilvl) in self.pkg.numbering.overrides
            events.append(M.P(role, inlines, depth=ilvl, num=num_id, start=start, restart=restart))  # type: ignore[arg-type]
            return
        events.append(M.P(role, inlines, level=level, ident=ident))  # type: ignore[arg-type]

    def _continue_depth(self, ppr) -> int:
        unit = int(self.info.get("list-indent", 0) or 0)
        ind = ppr.find(w("ind")) if ppr is not None else None
        if ind is None or not unit:
            return 99
        left = wattr(ind, "left") or wattr(ind, "start")
        try:
            return max(0, round(int(left) / unit) - 1)
        except ValueError:
            return 99

    def _heading_id(self, marks: list[str]) -> str:
        for mark in marks:
            entry = self.info.get("headings", {}).get(mark)
            if entry is not None:
                return entry[0]
        return ""

    def _anchor(self, mark: str) -> str:
        entry = self.info.get("headings", {}).get(mark)
        if entry is not None:
            return entry[1]
        return mark

    # -- tables

    def _table(self, tbl: etree._Element, events: list[M.Event], pending: dict, *, top: bool, in_note: bool) -> None:
        if "figure" in pending:
            events.append(pending.pop("figure"))
        tpr = tbl.find(w("tblPr"))
        style_el = tpr.find(w("tblStyle")) if tpr is not None else None
        name, ours = self.pkg.style(wattr(style_el, "val")) if style_el is not None else ("", None)
        if ours in (S.BAND, S.TAKEAWAYS_BOX) and top and not self.in_body:
            band(self, tbl, ours)
            return
        if ours == S.NOTE_BOX:
            cells = tbl.findall(f"{w('tr')}/{w('tc')}")  # not iter(): a table inside the box has cells too
            inner: list[M.Event] = []
            title = ""
            for i, tc in enumerate(cells):
                paras = list(self._children(tc))
                if i == 0 and paras and etree.QName(paras[0]).localname == "p" and self._style(paras[0])[1] == S.BOX_TITLE:
                    self.counter += 1
                    title = self.runs.paragraph(paras[0]).text(accepted=True).strip()
                    tc = _without(tc, paras[0])
                self._container(tc, inner, in_note=in_note)
            events.append(M.Box(title, inner))
            self.in_body = self.in_body or top
            return
        if ours != S.TABLE and name:
            self.warn(f'table at paragraph {self.counter + 1}: style "{name}" is not a briefexport style; read as a table')
        self.in_body = self.in_body or top
        head: tuple[TableCell, ...] = ()
        rows: list[tuple[TableCell, ...]] = []
        aligns: list[str] = []
        outer_where = self.runs.where
        self.runs.where = f"{outer_where} table".strip()
        for tr in tbl.findall(w("tr")):
            trpr = tr.find(w("trPr"))
            is_head = trpr is not None and trpr.find(w("tblHeader")) is not None and not rows and not head
            cells = []
            row_aligns = []
            for tc in tr.findall(w("tc")):
                pairs: list = []
                align = "default"
                for i, p in enumerate(tc.iter(w("p"))):
                    self.counter += 1
                    content = self.runs.paragraph(p)
                    if i and content.pairs:
                        pairs.append((Fmt(), LineBreak()))
                    pairs.extend(content.pairs)
                    jc = p.find(f"{w('pPr')}/{w('jc')}")
                    if jc is not None and i == 0:
                        align = {"left": "left", "start": "left", "center": "center", "right": "right",
                                 "end": "right"}.get(wattr(jc, "val"), "default")
                cells.append(TableCell(canonical_inlines(pairs)))
                row_aligns.append(align)
            if is_head:
                head = tuple(cells)
                aligns = row_aligns
            else:
                if not aligns:
                    aligns = row_aligns
                rows.append(tuple(cells))
        self.runs.where = outer_where
        width = max([len(aligns), len(head), *(len(r) for r in rows)] or [0])
        pad = lambda row: tuple(row) + (TableCell(()),) * (width - len(row))  # noqa: E731
        aligns = aligns + ["default"] * (width - len(aligns))
        recorded = self.info.get("tables", [])
        known = recorded[self.tables] if self.tables < len(recorded) else ()
        self.tables += 1
        if len(known) == len(aligns) and all(a == b or {a, b} <= {"left", "default"} or (a, b) == ("right", "left")
                                            for a, b in zip(known, aligns)):
            aligns = list(known)  # LibreOffice writes `left` on every cell: the source said which were
        events.append(M.Tbl(pad(head) if head else (), tuple(pad(r) for r in rows), tuple(aligns),  # type: ignore[arg-type]
                            pending.pop("caption", ())))

    # -- notes

    def _note(self, kind: str, nid: str) -> Note | None:
        el = self.pkg.notes.get((kind, nid))
        if el is None:
            return None
        outer_where, outer_rels = self.runs.where, self.runs.rels
        self.runs.where, self.runs.rels = f"{kind} {nid}", self.pkg.note_rels.get(kind, {})
        events: list[M.Event] = []
        saved = self.counter
        self._container(el, events, in_note=True)
        self.counter = saved
        self.runs.where, self.runs.rels = outer_where, outer_rels
        blocks = M.assemble(events)
        return Note(tuple(blocks))


def _strip_lead(inlines: tuple[Inline, ...]) -> tuple[Inline, ...]:
    if inlines and isinstance(inlines[0], Text):
        rest = inlines[0].text.lstrip()
        return ((Text(rest),) if rest else ()) + tuple(inlines[1:])
    return inlines


def _code_text(content: Content) -> str:
    return content.text(accepted=True)


def _style_id(ppr) -> str:
    style = ppr.find(w("pStyle")) if ppr is not None else None
    return wattr(style, "val") if style is not None else ""


def _without(tc: etree._Element, first: etree._Element) -> etree._Element:
    import copy

    clone = copy.deepcopy(tc)
    for child in clone:
        if child.tag == first.tag:
            clone.remove(child)
            break
    return clone
