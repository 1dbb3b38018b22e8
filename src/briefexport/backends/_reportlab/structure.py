"""The logical structure of a tagged PDF: elements in reading order, written
as reportlab PDF objects (StructTreeRoot, ParentTree, RoleMap).

Elements are created while the story is built, in reading order; the marked
content they own (MCIDs on pages) and the annotations they hold (OBJRs) are
added while the pages are drawn.  `StructTree.write` turns the finished tree
into PDF dictionaries on reportlab's document, just before it is saved.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from reportlab.pdfbase.pdfdoc import PDFArray, PDFDictionary, PDFName, PDFObject, PDFObjectReference, PDFString

# Types outside ISO 32000-1's standard set, mapped to the nearest standard one
# so that PDF 1.7 readers (and PDF/UA-1 checkers) know what they are.
ROLE_MAP = {"Title": "H1", "Aside": "Sect"}
# Kept even when empty: a table's grid must stay whole.
_KEEP_EMPTY = frozenset({"TD", "TH", "TR"})


@dataclass(frozen=True)
class MarkedRef:
    """One marked-content sequence on a page (an MCR)."""

    page: int  # 1-based, as reportlab names pages
    mcid: int


@dataclass(frozen=True)
class ObjectRef:
    """An annotation that belongs to an element (an OBJR)."""

    page: int
    annotation: PDFObjectReference


class Element:
    """One structure element.  Never copied: reportlab deep-copies flowables
    (keep-together, split tables) and every copy must still point here."""

    __slots__ = ("type", "parent", "kids", "attrs", "_ref")

    def __init__(self, type_: str, parent: Element | None = None, **attrs: Any) -> None:
        self.type = type_
        self.parent = parent
        self.kids: list[Element | MarkedRef | ObjectRef] = []
        # Alt, ActualText, Lang, Scope (TH), ...: written when not empty.
        self.attrs = {k: v for k, v in attrs.items() if v not in (None, "")}
        self._ref: PDFObjectReference | None = None
        if parent is not None:
            parent.kids.append(self)

    def add(self, type_: str, **attrs: Any) -> Element:
        return Element(type_, self, **attrs)

    def __copy__(self) -> Element:
        return self

    def __deepcopy__(self, memo: dict) -> Element:
        return self

    def __repr__(self) -> str:
        return f"<Element {self.type}>"

    def elements(self):
        yield self
        for kid in self.kids:
            if isinstance(kid, Element):
                yield from kid.elements()


class StructTree:
    """The document's tree and the page/annotation keys of its ParentTree."""

    def __init__(self) -> None:
        self.root = Element("Document")
        self._page_mcids: dict[int, list[Element]] = {}
        self._annotation_keys: list[tuple[int, Element]] = []
        self._page_keys: dict[int, int] = {}
        self._next_key = 0

    # ------------------------------------------------------------ drawing

    def mark(self, page: int, element: Element) -> int:
        """A new MCID on `page` for `element`'s content drawn next."""
        owners = self._page_mcids.setdefault(page, [])
        owners.append(element)
        element.kids.append(MarkedRef(page, len(owners) - 1))
        return len(owners) - 1

    def annotation_key(self, page: int, element: Element, annotation: PDFObjectReference) -> int:
        """The StructParent of an annotation that `element` holds."""
        key = self._key()
        self._annotation_keys.append((key, element))
        element.kids.append(ObjectRef(page, annotation))
        return key

    def page_key(self, page: int) -> int | None:
        """The StructParents of `page`, or None when nothing on it is tagged."""
        if page not in self._page_mcids:
            return None
        if page not in self._page_keys:
            self._page_keys[page] = self._key()
        return self._page_keys[page]

    def _key(self) -> int:
        self._next_key += 1
        return self._next_key - 1

    # ------------------------------------------------------------ writing

    def write(self, document: Any) -> None:
        """Set the catalog's StructTreeRoot and MarkInfo on reportlab's `document`.

        Called once every page has been drawn (pages are named "Page<n>" by
        then), before reportlab formats the file.
        """
        root = PDFDictionary({"Type": PDFName("StructTreeRoot")})
        root_ref = document.Reference(root)
        self._prune(self.root)
        elements = list(self.root.elements())
        for element in elements:
            element._ref = document.Reference(_StructElem(element, root_ref))
        nums: list[tuple[int, Any]] = []
        for page, owners in self._page_mcids.items():
            nums.append((self._page_keys[page], PDFArray([o._ref for o in owners])))
        for key, element in self._annotation_keys:
            nums.append((key, element._ref))
        nums.sort(key=lambda n: n[0])
        flat: list[Any] = []
        for key, value in nums:
            flat += [key, value]
        root["K"] = PDFArray([self.root._ref])
        root["ParentTree"] = document.Reference(PDFDictionary({"Nums": PDFArray(flat)}))
        root["ParentTreeNextKey"] = self._next_key
        root["RoleMap"] = PDFDictionary({k: PDFName(v) for k, v in ROLE_MAP.items()})
        catalog = document.Catalog
        catalog.StructTreeRoot = root_ref
        catalog.MarkInfo = PDFDictionary({"Marked": "true"})

    def _prune(self, element: Element) -> None:
        """Drop elements that ended with nothing in them (a box whose text
        was left out, a list item with no drawn text)."""
        kids = []
        for kid in element.kids:
            if isinstance(kid, Element):
                self._prune(kid)
                if not kid.kids and kid.type not in _KEEP_EMPTY:
                    continue
            kids.append(kid)
        element.kids = kids



class _StructElem(PDFObject):
    """One element's dictionary, formatted straight to bytes: a long brief has
    thousands, and reportlab's generic dictionaries cost a third more time."""

    def __init__(self, element: Element, root_ref: PDFObjectReference) -> None:
        self.element = element
        self.root_ref = root_ref

    def format(self, document: Any) -> bytes:
        e = self.element
        parent = e.parent._ref if e.parent is not None else self.root_ref
        out = [b"<< /Type /StructElem /S /", e.type.encode("ascii"), b" /P ", parent.format(document)]
        home = next((k.page for k in e.kids if isinstance(k, MarkedRef)), None)
        if home is not None:
            out += [b" /Pg ", _page(home, document)]
        kids: list[bytes] = []
        for kid in e.kids:
            if isinstance(kid, Element):
                kids.append(kid._ref.format(document))
            elif isinstance(kid, MarkedRef):
                kids.append(b"%d" % kid.mcid if kid.page == home else
                            b"<< /Type /MCR /Pg " + _page(kid.page, document) + b" /MCID %d >>" % kid.mcid)
            else:
                kids.append(b"<< /Type /OBJR /Obj " + kid.annotation.format(document) + b" /Pg "
                            + _page(kid.page, document) + b" >>")
        # One kid stands alone (an MCID as a bare integer): smaller, and some
        # checkers read only that form for headings.
        out += [b" /K ", kids[0] if len(kids) == 1 else b"[ " + b" ".join(kids) + b" ]"]
        for key, value in e.attrs.items():
            if key == "Scope":
                out.append(b" /A << /O /Table /Scope /" + value.encode("ascii") + b" >>")
            else:
                out += [b" /", key.encode("ascii"), b" ", PDFString(value).format(document)]
        out.append(b" >>")
        return b"".join(out)


def _page(number: int, document: Any) -> bytes:
    return PDFObjectReference(f"Page{number}").format(document)
