"""List numbering: one multi-level definition per list kind, one `w:num` per list.

Word shares a counter between paragraphs of the same `w:num`, and the default
template's "List Number 2" uses a separate definition whose counter never
restarts.  So every ordered list gets its own `w:num` over the shared
multi-level `w:abstractNum`, with a `startOverride` at its level: a nested
list restarts and `start="3"` is honoured, in Word and in LibreOffice.
"""

from __future__ import annotations

from lxml import etree
from lxml.etree import _Element

from ...theme import Theme
from .styles import Names
from .xml import W_NS, el, half_points, hex6, rpr, twips

LEVELS = 9
_BULLETS = ("\u2022", "\u2013", "\u25e6")
# The theme's `layout.number-formats` (shared with the PDF) as Word's names.
_WORD_FORMATS = {"1": "decimal", "a": "lowerLetter", "A": "upperLetter", "i": "lowerRoman", "I": "upperRoman"}
# abstractNum ids; the `w:num` ids below are what paragraphs and styles use.
_ABSTRACT = {"bullet": 0, "number": 1, "takeaways": 2}
BASE_NUMS = {"bullet": 1, "number": 2, "takeaways": 3}


class Numbering:
    """Collects the per-list `w:num` entries of one render."""

    def __init__(self, theme: Theme, names: Names) -> None:
        self.theme = theme
        self.names = names
        self._nums: list[tuple[int, str, int, int]] = []  # (numId, kind, level, start)

    def new_list(self, kind: str, level: int, start: int = 1) -> int:
        """A fresh numbering instance for one list, restarting at `start`."""
        num_id = len(BASE_NUMS) + len(self._nums) + 1
        self._nums.append((num_id, kind, level, max(0, start)))
        return num_id

    def xml(self) -> bytes:
        root = etree.Element(f"{{{W_NS}}}numbering", nsmap={"w": W_NS})
        root.append(self._abstract_list("bullet"))
        root.append(self._abstract_list("number"))
        root.append(self._abstract_takeaways())
        for kind, num_id in BASE_NUMS.items():
            root.append(el("w:num", {"w:numId": num_id}, el("w:abstractNumId", {"w:val": _ABSTRACT[kind]})))
        for num_id, kind, level, start in self._nums:
            root.append(el(
                "w:num", {"w:numId": num_id},
                el("w:abstractNumId", {"w:val": _ABSTRACT[kind]}),
                el("w:lvlOverride", {"w:ilvl": min(level, LEVELS - 1)},
                   el("w:startOverride", {"w:val": start})),
            ))
        return etree.tostring(root, xml_declaration=True, encoding="UTF-8", standalone=True)

    def _abstract_list(self, kind: str) -> _Element:
        indent = self.theme.layout.list_indent
        abstract = el("w:abstractNum", {"w:abstractNumId": _ABSTRACT[kind]},
                      el("w:multiLevelType", {"w:val": "multilevel"}))
        for level in range(LEVELS):
            if kind == "bullet":
                fmt, text = "bullet", _BULLETS[level % len(_BULLETS)]
            else:
                formats = self.theme.layout.number_formats or ("1",)
                fmt, text = _WORD_FORMATS[formats[level % len(formats)]], f"%{level + 1}."
            abstract.append(self._level(level, fmt, text, indent * (level + 1), indent))
        return abstract

    def _abstract_takeaways(self) -> _Element:
        lay, colors = self.theme.layout, self.theme.colors
        abstract = el("w:abstractNum", {"w:abstractNumId": _ABSTRACT["takeaways"]},
                      el("w:multiLevelType", {"w:val": "singleLevel"}))
        # As the PDF's: the body font's square at 0.6 of the text size, so it
        # stands clear of the text instead of touching it.
        font = self.names.body
        size = half_points(self.theme.styles.takeaways.size * 0.6)
        props = rpr(rFonts=el("w:rFonts", {"w:ascii": font, "w:hAnsi": font, "w:cs": font}),
                    color=el("w:color", {"w:val": hex6(colors.accent)}),
                    sz=el("w:sz", {"w:val": size}), szCs=el("w:szCs", {"w:val": size}))
        abstract.append(self._level(0, "bullet", "\u25a0", lay.bullet_indent, lay.bullet_indent, props))
        return abstract

    @staticmethod
    def _level(level: int, fmt: str, text: str, left: float, hanging: float,
               props: _Element | None = None) -> _Element:
        lvl = el(
            "w:lvl", {"w:ilvl": level},
            el("w:start", {"w:val": 1}),
            el("w:numFmt", {"w:val": fmt}),
            el("w:lvlText", {"w:val": text}),
            el("w:lvlJc", {"w:val": "left"}),
            el("w:pPr", {}, el("w:ind", {"w:left": twips(left), "w:hanging": twips(hanging)})),
        )
        if props is not None:
            lvl.append(props)
        return lvl
