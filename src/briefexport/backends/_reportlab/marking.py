"""Marked content on reportlab's canvas: every painting operator of a page
ends up in a marked-content sequence owned by a structure element
(`/P <</MCID n>> BDC ... EMC`) or in an `/Artifact`.

The canvas keeps a page's operators in a list of strings; `_PageCode` sees
each one as it is appended.  Text objects begun while an element is active
carry their own sequences inside BT/ET, so that a link or a span in the
middle of a paragraph can switch to its own element; images drawn while an
element is active get an MCID; every other painting operator (rules, tints,
the band, text drawn with no element: footers, page numbers) is wrapped as
an artifact.  Nothing has to remember to mark furniture: unmarked is artifact.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from contextlib import contextmanager
from typing import Any

from reportlab.pdfbase.pdfdoc import PDFName, PDFString
from reportlab.pdfgen.textobject import PDFTextObject

from .structure import Element, StructTree

# A painting operator as the last token of one appended string (reportlab
# appends one operation at a time, e.g. "n 10 10 m 20 20 l S", "/FormXob.x Do").
_PAINT = frozenset({"f", "f*", "F", "S", "s", "B", "B*", "b", "b*", "Do", "sh", "EI"})
_IMAGE = frozenset({"Do", "EI"})
LANG_CALLBACK = "bx-lang"  # the <onDraw> name that opens (label: a language) or closes a span
LANG_END = "-"  # the label that closes it


class Tagger:
    """One render's marking state: the tree, the active elements, open links.

    `wrap_link(href)` may name an element type to hold a link (a footnote
    marker's `Reference`); `describe_link(href, text)` gives the annotation's
    `/Contents` (a screen reader's name for the link).
    """

    def __init__(self, tree: StructTree, *, wrap_link: Callable[[str], str | None] = lambda href: None,
                 describe_link: Callable[[str, str], str] = lambda href, text: text or href) -> None:
        self.tree = tree
        self.wrap_link = wrap_link
        self.describe_link = describe_link
        self.active: list[Element | None] = []  # None: furniture inside an element
        self.artifact_props: list[str] = []
        self.inline: list[Element] = []  # spans and links open in the current text, innermost last
        self.page = 1
        self.started: list[tuple[Any, Element]] = []  # links begun on the current line
        self.link_elements: dict[Any, Element] = {}
        self.link_texts: dict[Any, str] = {}
        self.text_marked = False  # the text object being appended marks itself
        self.next_text_owner: Element | None = None  # a paragraph's bullet: its Lbl

    @property
    def element(self) -> Element | None:
        return self.active[-1] if self.active else None

    @property
    def owner(self) -> Element | None:
        """What the text drawn next belongs to: a span or link inside a paragraph, or the paragraph."""
        return self.inline[-1] if self.inline else self.element

    @contextmanager
    def tagging(self, element: Element) -> Iterator[None]:
        self.active.append(element)
        saved = self.link_elements
        self.link_elements = {}
        try:
            yield
        finally:
            self.active.pop()
            self.link_elements = saved

    @contextmanager
    def artifact(self, kind: str = "", subtype: str = "") -> Iterator[None]:
        """Draw furniture, even inside an element (a table header repeated on a new page)."""
        props = f"/Type /{kind}" + (f" /Subtype /{subtype}" if subtype else "") if kind else ""
        self.active.append(None)
        self.artifact_props.append(props)
        try:
            yield
        finally:
            self.active.pop()
            self.artifact_props.pop()

    def artifact_open(self) -> str:
        props = self.artifact_props[-1] if self.artifact_props and self.element is None else ""
        return f"/Artifact <<{props}>> BDC" if props else "/Artifact BMC"

    def bdc(self, element: Element) -> str:
        mcid = self.tree.mark(self.page, element)
        return f"/{element.type} <</MCID {mcid}>> BDC"


class _PageCode(list):
    """A page's operator list that marks whatever is painted into it."""

    __slots__ = ("tagger", "props")

    def __init__(self, tagger: Tagger) -> None:
        super().__init__()
        self.tagger = tagger
        self.props: str | None = None  # the open artifact sequence, if any

    def append(self, op: str) -> None:  # type: ignore[override]
        # Every operator of every page comes here (47,000 for a 480-page
        # brief): the common ones are decided first, by the last token alone.
        if op == "q" or op == "Q":
            # Sequences and graphics-state saves never straddle each other.
            self.close()
            list.append(self, op)
            return
        t = self.tagger
        text = op.startswith("BT")
        if text and t.text_marked:
            self.close()
            list.append(self, op)
            return
        last = "" if text else (op.rsplit(None, 1) or [""])[-1]
        if not text and last not in _PAINT:
            list.append(self, op)  # state only: colours, fonts, transforms
        elif t.element is not None and last in _IMAGE:
            self.close()
            list.append(self, t.bdc(t.element))
            list.append(self, op)
            list.append(self, "EMC")
        else:
            props = t.artifact_open()
            if self.props != props:
                self.close()
                list.append(self, props)
                self.props = props
            list.append(self, op)

    def extend(self, ops: Any) -> None:  # type: ignore[override]
        for op in ops:
            self.append(op)

    def close(self) -> None:
        if self.props is not None:
            super().append("EMC")
            self.props = None


class TaggingCanvasMixin:
    """Mixed into a reportlab Canvas: with a `Tagger` set, pages are tagged
    while they are drawn, and `save` writes the structure tree."""

    tagger: Tagger | None = None

    def set_tagger(self, tagger: Tagger) -> None:
        self.tagger = tagger
        self._code = _PageCode(tagger)

    def getNamedCB(self, name: str) -> Any:
        # Paragraph markup names the span callback even when nothing is tagged.
        return _lang_span if name == LANG_CALLBACK else super().getNamedCB(name)  # type: ignore[misc]

    def _startPage(self) -> None:
        super()._startPage()  # type: ignore[misc]
        if self.tagger is not None:
            self.tagger.page = self._pageNumber
            self._code = _PageCode(self.tagger)

    def showPage(self) -> None:
        t = self.tagger
        number = self._pageNumber
        if t is not None and isinstance(self._code, _PageCode):
            self._code.close()
        super().showPage()  # type: ignore[misc]
        if t is None:
            return
        page = self._doc.Pages.pages[-1]
        # Tab order follows the structure (PDF/UA); StructParents leads from
        # the page's MCIDs to their elements through the ParentTree.
        page.Tabs = PDFName("S")
        extra = ["Tabs"]
        key = t.tree.page_key(number)
        if key is not None:
            page.StructParents = key
            extra.append("StructParents")
        page.__NoDefault__ = [*page.__NoDefault__, *extra]

    def save(self) -> None:
        if self.tagger is not None:
            if self._code:
                self.showPage()
            self.tagger.tree.write(self._doc)
        super().save()  # type: ignore[misc]

    # ------------------------------------------------------------- text

    def beginText(self, x: float = 0, y: float = 0, direction: Any = None) -> PDFTextObject:
        tx = super().beginText(x, y, direction=direction)  # type: ignore[misc]
        t = self.tagger
        if t is not None and t.element is not None:
            owner, t.next_text_owner = t.next_text_owner or t.element, None
            tx._code.append(t.bdc(owner))
            tx._bx_marked = True
            tx._linkRecord = lambda link, kind, tx=tx: self._bx_link(tx, link, kind)
        return tx

    def drawText(self, tx: PDFTextObject) -> None:
        t = self.tagger
        if t is None or not getattr(tx, "_bx_marked", False):
            return super().drawText(tx)  # type: ignore[misc]
        tx._code.append("EMC")
        t.inline.clear()
        t.text_marked = True
        try:
            super().drawText(tx)  # type: ignore[misc]
        finally:
            t.text_marked = False

    def _bx_link(self, tx: PDFTextObject, link: Any, kind: str) -> None:
        """reportlab's hook where a link starts and ends inside a line."""
        t = self.tagger
        assert t is not None
        if kind == "start":
            element = t.link_elements.get(link)
            if element is None:
                owner = t.owner or t.tree.root
                wrapper = t.wrap_link(str(link[1]))
                if wrapper:
                    owner = owner.add(wrapper)
                element = t.link_elements[link] = owner.add("Link")
            t.started.append((link, element))
            t.inline.append(element)
            # reportlab reports a start after it has drawn the link's first piece.
            first = tx._code.pop()
            tx._code.append("EMC " + t.bdc(element))
            tx._code.append(first)
        else:
            element = t.link_elements.get(link)
            if element in t.inline:
                t.inline.remove(element)
            if t.owner is not None:
                tx._code.append("EMC " + t.bdc(t.owner))

    def _addAnnotation(self, annotation: Any, name: Any = None, addtopage: int = 1) -> None:
        t = self.tagger
        if t is None:
            return super()._addAnnotation(annotation, name, addtopage)  # type: ignore[misc]
        ref = self._doc.refAnnotation(name or "NUMBER" + repr(self._annotationCount + 1))
        target = _annotation_target(annotation)
        element, text = None, ""
        for i, (link, candidate) in enumerate(t.started):
            if str(link[1]).lstrip("#") == target.lstrip("#"):
                element, text = candidate, t.link_texts.get(link, "")
                del t.started[i]
                break
        if element is None:
            # A link reportlab drew without reporting it (a whole-paragraph link).
            element = (t.element or t.tree.root).add("Link")
        key = t.tree.annotation_key(t.page, element, ref)
        contents = t.describe_link(target, text.strip())
        if hasattr(annotation, "dict"):  # linkURL builds a PDFDictionary
            annotation["StructParent"] = key
            annotation["Contents"] = PDFString(contents)
            annotation["F"] = 4  # printed, like the text it covers
        else:  # linkRect builds a LinkAnnotation
            annotation.permitted = (*annotation.permitted, "StructParent")
            annotation.otherkw.update(StructParent=key, F=4)
            annotation.Contents = contents
        return super()._addAnnotation(annotation, name, addtopage)  # type: ignore[misc]


def _lang_span(canv: Any, kind: str, label: str | None) -> None:
    """The <onDraw> callback around a phrase in another language: a Span with /Lang."""
    t = getattr(canv, "tagger", None)
    info = getattr(canv, "_curr_tx_info", None)
    if t is None or info is None or not getattr(info["tx"], "_bx_marked", False):
        return
    tx = info["tx"]
    if label and label != LANG_END:
        span = (t.owner or t.tree.root).add("Span", Lang=label)
        t.inline.append(span)
        tx._code.append("EMC " + t.bdc(span))
    else:
        spans = [e for e in t.inline if e.type == "Span"]
        if spans:
            t.inline.remove(spans[-1])
            tx._code.append("EMC " + t.bdc(t.owner or t.tree.root))


def _annotation_target(annotation: Any) -> str:
    if hasattr(annotation, "dict"):
        action = annotation.dict.get("A")
        uri = action.dict.get("URI") if action is not None else None
        return str(getattr(uri, "s", uri or ""))
    dest = getattr(annotation, "Destination", None)
    return str(getattr(dest, "name", "") or "")
