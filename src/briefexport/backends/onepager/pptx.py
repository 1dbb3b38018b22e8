"""The one-pager as an editable one-slide PowerPoint file (python-pptx).

Real text boxes at the places and sizes the shared plan measured, so the
slide can be edited and dropped into a deck.  Every box also asks the viewer
to shrink text on overflow (`normAutofit`): the plan is measured with the
theme's fonts, and a machine without them substitutes wider ones.

For screen readers: the title is the slide's title placeholder (what they
announce and what PowerPoint's outline shows), the shapes are in reading
order (title, subtitle, series line, key points, quote, authors, footer:
PowerPoint reads a slide in the order of its shape tree), the coloured
rectangles are marked decorative, and the presentation's default language
is the document's.
"""

from __future__ import annotations

import re
from dataclasses import replace
from typing import Any

from lxml import etree
from pptx import Presentation
from pptx.dml.color import RGBColor
from pptx.enum.shapes import MSO_SHAPE
from pptx.enum.text import MSO_ANCHOR, MSO_AUTO_SIZE, PP_ALIGN
from pptx.oxml.ns import qn
from pptx.util import Emu, Pt

from ...fonts import faces as _fonts
from ...common.stamps import ZipEntries, timestamp, zip_entries
from ...theme import Theme
from ...tree import Document
from .content import text as clean_text
from .fit import BULLET, Box, Para, Slide

_EMU_PER_PT = 12700
_TITLE_ONLY_LAYOUT = 5  # the default template's "Title Only": a title placeholder, nothing else
# Office's decorative flag (Office 2019+): screen readers skip the shape.
_DECORATIVE_EXT = "{C183D7F6-B498-43B3-948B-1728B52AA6E4}"
_ADEC = "http://schemas.microsoft.com/office/drawing/2017/decorative"
_READING_ORDER = ("title", "subtitle", "series", "points", "quote", "authors", "footer", "footer-right")
_MAX_PROPERTY = 255
_ALIGN = {"left": PP_ALIGN.LEFT, "right": PP_ALIGN.RIGHT, "center": PP_ALIGN.CENTER}
_LANG = re.compile(r"^[A-Za-z]{2,3}(-[A-Za-z0-9]{2,8})*$")
_THUMBNAIL = "http://schemas.openxmlformats.org/package/2006/relationships/metadata/thumbnail"


def emu(points: float) -> Emu:
    return Emu(round(points * _EMU_PER_PT))


class _Writer:
    """One render: the theme's font chains and the document language."""

    def __init__(self, theme: Theme, lang: str) -> None:
        self.theme = theme
        self.lang = lang if _LANG.match(lang or "") else ""
        self.chains = {role: theme.fonts.chain(role) for role in ("body", "heading", "mono")}

    def box(self, slide_shapes: object, box: Box, bullet_indent: float, bullet_color: str) -> object:
        shape = slide_shapes.add_textbox(emu(box.x), emu(box.y), emu(box.w), emu(box.h))  # type: ignore[attr-defined]
        self.fill(shape, box, bullet_indent, bullet_color)
        return shape

    def fill(self, shape: object, box: Box, bullet_indent: float, bullet_color: str) -> None:
        """Place `shape` (a text box or the title placeholder) and set `box`'s paragraphs in it."""
        shape.left, shape.top, shape.width, shape.height = (  # type: ignore[attr-defined]
            emu(box.x), emu(box.y), emu(box.w), emu(box.h))
        shape.name = box.name  # type: ignore[attr-defined]
        frame = shape.text_frame  # type: ignore[attr-defined]
        frame.word_wrap = True
        frame.margin_left = frame.margin_right = frame.margin_top = frame.margin_bottom = 0
        frame.vertical_anchor = MSO_ANCHOR.TOP
        frame.auto_size = MSO_AUTO_SIZE.TEXT_TO_FIT_SHAPE
        for i, para in enumerate(box.paras):
            p = frame.paragraphs[0] if i == 0 else frame.add_paragraph()
            self.paragraph(p, para, bullet_indent, bullet_color, first=i == 0)

    def paragraph(self, p: object, para: Para, bullet_indent: float, bullet_color: str, *, first: bool) -> None:
        style = para.style
        p.alignment = _ALIGN[para.align]  # type: ignore[attr-defined]
        p.line_spacing = Pt(style.leading)  # type: ignore[attr-defined]
        p.space_before = Pt(0 if first else para.space_before)  # type: ignore[attr-defined]
        p.space_after = Pt(0)  # type: ignore[attr-defined]
        pPr = p._p.get_or_add_pPr()  # type: ignore[attr-defined]
        if para.bullet:
            indent = bullet_indent * style.size
            pPr.set("marL", str(emu(indent)))
            pPr.set("indent", str(-emu(indent)))
            etree.SubElement(pPr, qn("a:buClr")).append(_srgb(bullet_color))
            etree.SubElement(pPr, qn("a:buSzPct")).set("val", "50000")
            face = _fonts.family_name(self.chains["heading"][0])
            etree.SubElement(pPr, qn("a:buFont")).set("typeface", face)
            etree.SubElement(pPr, qn("a:buChar")).set("char", BULLET)
        else:
            etree.SubElement(pPr, qn("a:buNone"))
        chain = self.chains[style.font]
        variant = {(False, False): "regular", (True, False): "bold", (False, True): "italic"}.get(
            (style.bold, style.italic), "bold_italic"
        )
        for index, run_text in _fonts.split_runs(clean_text(para.text), chain, variant):
            run = p.add_run()  # type: ignore[attr-defined]
            run.text = run_text
            font = run.font
            font.name = _fonts.family_name(chain[index])
            font.size = Pt(style.size)
            font.bold = style.bold
            font.italic = style.italic
            font.color.rgb = RGBColor.from_string(style.color.lstrip("#"))
            rPr = font._rPr
            if style.tracking:
                rPr.set("spc", str(round(style.tracking * 100)))
            if self.lang:
                rPr.set("lang", self.lang)


def _srgb(hex_value: str) -> etree._Element:
    element = etree.Element(qn("a:srgbClr"))
    element.set("val", hex_value.lstrip("#").upper())
    return element


def draw(slide: Slide, doc: Document, theme: Theme) -> bytes:
    meta = doc.meta
    prs = Presentation()
    prs.slide_width = emu(slide.width)
    prs.slide_height = emu(slide.height)
    page = prs.slides.add_slide(prs.slide_layouts[_TITLE_ONLY_LAYOUT])
    decorations = []
    for shape in slide.shapes:
        rect = page.shapes.add_shape(MSO_SHAPE.RECTANGLE, emu(shape.x), emu(shape.y), emu(shape.w), emu(shape.h))
        rect.name = shape.name
        rect.fill.solid()
        rect.fill.fore_color.rgb = RGBColor.from_string(shape.fill.lstrip("#"))
        rect.line.fill.background()
        # The template's shape style adds a theme shadow and outline: plain shapes here.
        style = rect._element.find(qn("p:style"))
        if style is not None:
            rect._element.remove(style)
        _mark_decorative(rect)
        decorations.append(rect)
    writer = _Writer(theme, meta.lang)
    title = page.shapes.title
    texts = {}
    for box in _reading_boxes(slide):
        if box.name == "title" and title is not None:
            writer.fill(title, box, slide.bullet_indent, slide.bullet_color)
            texts[box.name] = title
        else:
            texts[box.name] = writer.box(page.shapes, box, slide.bullet_indent, slide.bullet_color)
    if "title" not in texts and title is not None:
        # A slide without a title (none in the source): no empty placeholder to read out.
        title._element.getparent().remove(title._element)
    ordered = decorations + sorted(texts.values(), key=lambda s: _READING_ORDER.index(s.name))
    _reorder(page, ordered)
    _set_default_language(prs, writer.lang)

    stamp = timestamp(meta).replace(tzinfo=None, microsecond=0)
    core = prs.core_properties
    core.title = _property(meta.title)
    core.subject = _property(meta.subtitle)
    core.author = _property(", ".join(a.name for a in meta.authors))
    core.keywords = _property(", ".join(meta.keywords))
    core.comments = ""
    core.last_modified_by = "briefexport"
    core.category = _property(slide.content.series)
    core.language = writer.lang
    core.revision = 1
    core.created = core.modified = stamp
    # The template's thumbnail shows a stock slide, not this one: leave it out.
    rels = prs.part.package._rels
    for key, rel in list(rels.items()):
        if rel.reltype == _THUMBNAIL:
            rels.pop(key)
    return zip_entries(_package_entries(prs), timestamp(meta))


def _package_entries(prs: Any) -> ZipEntries:
    """What `prs.save()` would put in its zip, without making that zip.

    The steps of python-pptx's `PackageWriter` (pinned in constraints.txt),
    with `ZipEntries` as the writer: the parts are compressed once.
    """
    from pptx.opc.serialized import PackageWriter

    package = prs.part.package
    writer = PackageWriter(None, package._rels, tuple(package.iter_parts()))
    entries = ZipEntries()
    writer._write_content_types_stream(entries)
    writer._write_pkg_rels(entries)
    writer._write_parts(entries)
    return entries


def _reading_boxes(slide: Slide) -> list[Box]:
    """The plan's boxes, the band's split into its series line, title and subtitle.

    The band is one box in the plan; here the title needs a shape of its own
    (the placeholder), so each of its paragraphs gets a box at the place the
    plan stacked it, with the same measured height.
    """
    out = []
    for box in slide.boxes:
        if box.name != "band":
            out.append(box)
            continue
        c = slide.content
        names = [n for n, shown in (("series", c.series or c.date), ("title", c.title), ("subtitle", c.subtitle))
                 if shown]
        if len(names) != len(box.paras):
            out.append(box)  # not the band this module knows: keep it whole
            continue
        y = box.y
        for i, (name, para) in enumerate(zip(names, box.paras)):
            if i:
                y += para.space_before
            out.append(Box(name, box.x, y, box.w, para.height, (replace(para, space_before=0.0),)))
            y += para.height
    return out


def _mark_decorative(shape: object) -> None:
    c_nv_pr = shape._element.nvSpPr.cNvPr  # type: ignore[attr-defined]
    ext_lst = c_nv_pr.find(qn("a:extLst"))
    if ext_lst is None:
        ext_lst = etree.SubElement(c_nv_pr, qn("a:extLst"))
    ext = etree.SubElement(ext_lst, qn("a:ext"))
    ext.set("uri", _DECORATIVE_EXT)
    etree.SubElement(ext, f"{{{_ADEC}}}decorative", nsmap={"adec": _ADEC}).set("val", "1")


def _reorder(page: object, shapes: list[object]) -> None:
    """Put `shapes` last in the shape tree, in this order (drawing and reading order)."""
    tree = page.shapes._spTree  # type: ignore[attr-defined]
    for shape in shapes:
        tree.remove(shape._element)  # type: ignore[attr-defined]
        tree.append(shape._element)  # type: ignore[attr-defined]


def _set_default_language(prs: object, lang: str) -> None:
    """The language new text and the slide's own runs default to (the template says en-US)."""
    if not lang:
        return
    style = prs.part._element.find(qn("p:defaultTextStyle"))  # type: ignore[attr-defined]
    if style is None:
        return
    for ppr in style:
        rpr = ppr.find(qn("a:defRPr"))
        if rpr is None:
            rpr = etree.SubElement(ppr, qn("a:defRPr"))
        rpr.set("lang", lang)


def _property(value: str) -> str:
    """A core property value: python-pptx refuses more than 255 characters."""
    value = clean_text(value)
    return value if len(value) <= _MAX_PROPERTY else value[: _MAX_PROPERTY - 1].rstrip() + "\u2026"
