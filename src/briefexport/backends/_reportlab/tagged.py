"""Flowables that draw inside their structure element.

`tag(flowable, element)` turns a reportlab flowable into its class's tagged
twin (a subclass made once per class), which draws with `element` active on
a tagging canvas.  The parts reportlab splits it into (a paragraph across
pages or columns, a table across pages) are tagged with the same element, so
it stays one element with one marked-content part per page.  `tag_list`
does the same for the bullets and numbers of a ListFlowable (its `Lbl`s).
"""

from __future__ import annotations

from typing import Any

from reportlab.platypus import Paragraph

from .lineends import with_word_boundaries
from .structure import Element

_TWINS: dict[tuple[str, type], type] = {}


def _twin(kind: str, cls: type, mixin: type) -> type:
    twin = _TWINS.get((kind, cls))
    if twin is None:
        # The same class name: reportlab looks at it ("preformatted" in the name).
        twin = type(cls.__name__, (mixin, cls), {"_bx_twin": kind, "__module__": cls.__module__})
        _TWINS[(kind, cls)] = twin
    return twin


def tag(flowable: Any, element: Element | None, *, label: Element | None = None) -> Any:
    """`flowable` drawn as the content of `element` (None: as an artifact); returns it.

    `label` is for a Paragraph with a `bulletText`: its bullet is drawn as
    that element (a list item's `Lbl`).
    """
    cls = type(flowable)
    if getattr(cls, "_bx_twin", None) != "flowable":
        flowable.__class__ = _twin("flowable", cls, _TaggedParagraph if issubclass(cls, Paragraph) else _Tagged)
    flowable._bx_element = element
    flowable._bx_label = label
    flowable._bx_drawn = False
    return flowable


class _Tagged:
    _bx_element: Element | None = None
    _bx_label: Element | None = None
    _bx_drawn = False
    _bx_continues = False

    def drawOn(self, canvas: Any, *args: Any, **kwargs: Any) -> Any:
        tagger = getattr(canvas, "tagger", None)
        if tagger is None:
            return super().drawOn(canvas, *args, **kwargs)  # type: ignore[misc]
        # Drawn a second time (a table's header row repeated on the next
        # page): the element already holds it, so this copy is furniture.
        repeat = self._bx_drawn
        self._bx_drawn = True
        if repeat or self._bx_element is None:
            with tagger.artifact("Pagination" if repeat else ""):
                return super().drawOn(canvas, *args, **kwargs)  # type: ignore[misc]
        with tagger.tagging(self._bx_element):
            return super().drawOn(canvas, *args, **kwargs)  # type: ignore[misc]

    def split(self, *args: Any, **kwargs: Any) -> list:
        parts = super().split(*args, **kwargs)  # type: ignore[misc]
        for index, part in enumerate(parts):
            if part is not self:
                tag(part, self._bx_element)
                part._bx_continues = index < len(parts) - 1
        return parts


class _TaggedParagraph(_Tagged):
    def drawPara(self, debug: int = 0) -> None:
        tagger = getattr(self.canv, "tagger", None)
        if tagger is None or tagger.element is None:
            return super().drawPara(debug)  # type: ignore[misc]
        original = self.blPara
        self.blPara = with_word_boundaries(self, original, continues=self._bx_continues)
        tagger.link_texts = _link_texts(self.blPara)
        if self.bulletText and self._bx_label is not None:
            # reportlab draws the bullet first, as a text object of its own.
            tagger.next_text_owner = self._bx_label
        try:
            super().drawPara(debug)  # type: ignore[misc]
        finally:
            self.blPara = original
            tagger.link_texts = {}
            tagger.next_text_owner = None


def _link_texts(bl: Any) -> dict[Any, str]:
    """The text of each link in a paragraph's lines, by reportlab's link key."""
    texts: dict[Any, str] = {}
    if bl.kind == 1:
        for line in bl.lines:
            for frag in line.words:
                for link in getattr(frag, "link", None) or ():
                    texts[link] = texts.get(link, "") + getattr(frag, "text", "")
    return texts


class _TaggedBullet:
    """A list item's bullet or number, drawn as its `Lbl`."""

    _bx_element: Element

    def drawOn(self, indenter: Any, canv: Any, *args: Any) -> Any:
        tagger = getattr(canv, "tagger", None)
        if tagger is None:
            return super().drawOn(indenter, canv, *args)  # type: ignore[misc]
        with tagger.tagging(self._bx_element):
            return super().drawOn(indenter, canv, *args)  # type: ignore[misc]


def tag_list(flowable: Any, labels: list[Element]) -> Any:
    """A ListFlowable whose bullets are drawn as `labels`, one per item in order."""
    flowable.__class__ = _twin("list", type(flowable), _TaggedList)
    flowable._bx_labels = labels
    return flowable


class _TaggedList:
    _bx_labels: list[Element]

    def _getContent(self) -> list:
        content = super()._getContent()  # type: ignore[misc]
        labels = iter(self._bx_labels)
        for indenter in content:
            bullet = getattr(indenter, "_bullet", None)
            if bullet is None:
                continue
            label = next(labels, None)
            if label is None:
                break
            bullet.__class__ = _twin("bullet", type(bullet), _TaggedBullet)
            bullet._bx_element = label
        return content
