"""Small WordprocessingML builders shared by the DOCX modules.

python-docx has no API for footnotes, hyperlinks, fields or numbering
overrides, so the writer builds `w:p`/`w:r` elements itself.  Word refuses
a file whose property children are out of schema order (the "unreadable
content" repair prompt), so `ppr` and `rpr` emit them in that order.
"""

from __future__ import annotations

import functools
import re
from collections.abc import Iterable
from copy import deepcopy

from docx.oxml.ns import nsmap
from docx.oxml.parser import oxml_parser
from lxml.etree import _Element

from ...common.scripts import direction_runs

# Characters XML 1.0 forbids (python-docx raises ValueError on them) and lone
# surrogates (UnicodeEncodeError), plus C1 controls, which no font draws.
# Listed as the forbidden ranges, not as the complement of the allowed ones:
# the same set, but compiling the complement costs every process 6 ms.
_ILLEGAL = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f\ud800-\udfff\ufffe\uffff]")

# Schema order of the children of w:pPr and w:rPr (ECMA-376 CT_PPrBase, CT_RPr).
_PPR_ORDER = (
    "pStyle", "keepNext", "keepLines", "pageBreakBefore", "widowControl", "numPr", "pBdr", "shd",
    "tabs", "suppressAutoHyphens", "bidi", "spacing", "ind", "contextualSpacing", "jc", "outlineLvl", "rPr",
    "sectPr",
)
_RPR_ORDER = (
    "rStyle", "rFonts", "b", "bCs", "i", "iCs", "caps", "strike", "color", "spacing", "sz", "szCs",
    "u", "vertAlign", "rtl", "cs", "lang",
)


W_NS = nsmap["w"]  # WordprocessingML's namespace, for the parts written as text or with lxml


@functools.cache
def _tag(tag: str) -> tuple[str, dict[str, str]]:
    prefix, local = tag.split(":")
    return f"{{{nsmap[prefix]}}}{local}", {prefix: nsmap[prefix]}


@functools.cache
def qn(tag: str) -> str:
    """`w:val` as `{namespace}val` (python-docx's `qn`, remembered: a run asks for the same few)."""
    return _tag(tag)[0]


# What follows `w:rtl` and `w:cs` in a `w:rPr` (ECMA-376 CT_RPr).
_AFTER_CS = {qn(f"w:{t}") for t in ("em", "lang", "eastAsianLayout", "specVanish", "oMath")}


def OxmlElement(tag: str) -> _Element:
    """python-docx's `OxmlElement` (its element classes included) without parsing `tag` every time:
    a large brief makes tens of thousands of elements."""
    clark, declared = _tag(tag)
    return oxml_parser.makeelement(clark, nsmap=declared)


def clean(text: str) -> str:
    """`text` without the characters an XML part cannot hold."""
    return _ILLEGAL.sub("", text)


def el(tag: str, attrs: dict[str, object] | None = None, *children: _Element) -> _Element:
    """`<tag attrs...>children</tag>`; attribute names are prefixed (`w:val`)."""
    element = OxmlElement(tag)
    for name, value in (attrs or {}).items():
        element.set(qn(name), str(value))
    for child in children:
        element.append(child)
    return element


def ordered(tag: str, parts: dict[str, _Element | list[_Element]], order: tuple[str, ...]) -> _Element:
    element = OxmlElement(tag)
    for name in order:
        part = parts.get(name)
        if part is None:
            continue
        for child in part if isinstance(part, list) else [part]:
            element.append(child)
    unknown = set(parts) - set(order)
    if unknown:
        raise ValueError(f"{tag}: no schema position for {sorted(unknown)}")
    return element


def ppr(**parts: _Element | list[_Element]) -> _Element:
    return ordered("w:pPr", parts, _PPR_ORDER)


def rpr(**parts: _Element | list[_Element]) -> _Element:
    return ordered("w:rPr", parts, _RPR_ORDER)


def twips(points: float) -> int:
    return round(points * 20)


def half_points(points: float) -> int:
    return round(points * 2)


def eighths(points: float) -> int:
    """A border width in eighths of a point (Word allows 2..96)."""
    return min(96, max(2, round(points * 8)))


def on_off(name: str, value: bool) -> _Element:
    return el(name) if value else el(name, {"w:val": "0"})


def paragraph(style_id: str, **props: _Element | list[_Element]) -> _Element:
    """An empty `w:p` in the named style, with further paragraph properties."""
    p = OxmlElement("w:p")
    p.append(ppr(pStyle=el("w:pStyle", {"w:val": style_id}), **props))
    return p


def text_runs(text: str, props: _Element | None = None) -> list[_Element]:
    """Runs showing `text`, its right-to-left stretches marked `w:rtl` and `w:cs`
    so that Word lays them out right to left in the complex-script font."""
    out = []
    for piece, rtl in direction_runs(text):
        piece_props = props
        if rtl:
            piece_props = deepcopy(props) if props is not None else OxmlElement("w:rPr")
            after = [i for i, child in enumerate(piece_props) if child.tag in _AFTER_CS]
            at = after[0] if after else len(piece_props)
            piece_props.insert(at, el("w:cs"))
            piece_props.insert(at, el("w:rtl"))
        out.append(run(piece, piece_props))
    return out


def run(text: str, props: _Element | None = None) -> _Element:
    """A `w:r` showing `text`: newlines become breaks and tabs tab characters."""
    r = OxmlElement("w:r")
    if props is not None and len(props):
        r.append(props)
    for i, line in enumerate(clean(text).split("\n")):
        if i:
            r.append(el("w:br"))
        for j, piece in enumerate(line.split("\t")):
            if j:
                r.append(el("w:tab"))
            if piece:
                t = el("w:t")
                t.text = piece
                t.set("{http://www.w3.org/XML/1998/namespace}space", "preserve")
                r.append(t)
    return r


def field(instruction: str, placeholder: str, props: _Element | None = None) -> list[_Element]:
    """The runs of a complex field (`PAGE`, `NUMPAGES`) with a cached result."""
    def fld(kind: str) -> _Element:
        r = OxmlElement("w:r")
        if props is not None:
            r.append(_copy(props))
        r.append(el("w:fldChar", {"w:fldCharType": kind}))
        return r

    instr_run = OxmlElement("w:r")
    if props is not None:
        instr_run.append(_copy(props))
    instr = el("w:instrText")
    instr.text = f" {instruction} "
    instr.set("{http://www.w3.org/XML/1998/namespace}space", "preserve")
    instr_run.append(instr)
    return [fld("begin"), instr_run, fld("separate"), run(placeholder, _copy(props)), fld("end")]


def seq_field(identifier: str, number: int, props: _Element | None = None) -> list[_Element]:
    """The runs of a `SEQ identifier` field (Word's caption numbers) showing `number`.

    Word renumbers the sequence when an editor inserts a figure or table
    and updates fields; the value is filled in, so nothing prompts for an
    update on opening.  A cross-reference (`REF`) can point at a bookmark
    around these runs.
    """
    return field(f"SEQ {identifier} \\* ARABIC", str(number), props)


def _copy(element: _Element | None) -> _Element | None:
    import copy

    return copy.deepcopy(element) if element is not None else None


def border(side: str, width: float, color: str, space: float = 0.0) -> _Element:
    return el(f"w:{side}", {"w:val": "single", "w:sz": eighths(width), "w:space": round(space), "w:color": hex6(color)})


def no_border(side: str) -> _Element:
    return el(f"w:{side}", {"w:val": "nil"})


def shading(fill: str) -> _Element:
    return el("w:shd", {"w:val": "clear", "w:color": "auto", "w:fill": hex6(fill)})


def hex6(color: str) -> str:
    return color.lstrip("#").upper()


def append_all(parent: _Element, children: Iterable[_Element]) -> None:
    for child in children:
        parent.append(child)
