"""The Theme as named Word styles: `word/styles.xml`, built from scratch.

Writers emit style *names*; all formatting lives here, so an editor who
changes "Body Text" changes every body paragraph.  Built-in styles use Word's
internal names ("heading 1", "caption", "footnote text") so Word and
LibreOffice recognise them as their own (outline levels, navigation pane).
"""

from __future__ import annotations

from dataclasses import dataclass, field

from lxml import etree
from lxml.etree import _Element

from ...common.scripts import is_rtl_char, is_rtl_language
from ...fonts.faces import covers, family_name
from ...theme import FontFamily, TextStyle, Theme
from .xml import W_NS, border, el, half_points, hex6, on_off, ordered, ppr, rpr, shading, twips

# The style ids and the names Word shows live in one module, shared with the DOCX reader.
from ...common.docx_styles import (
    NAMES, NORMAL, BODY, LEAD, TITLE, SUBTITLE, SERIES, AUTHORS, AFFILIATION, DATE, TAKEAWAYS_LABEL,
    TAKEAWAYS, IMAGE_CREDIT, HEADINGS, QUOTE, PULLQUOTE, PULLQUOTE_ATTRIBUTION, CODE, TABLE_TEXT,
    TABLE_HEADING, TABLE_SPACE, CAPTION, FIGURE, RULE, BACK_HEADING, BIO, PUBLISHER, HEADER, FOOTER,
    FOOTNOTE_TEXT, BIBLIOGRAPHY, LIST_BULLET, LIST_NUMBER, LIST_CONTINUE, DEFINITION_TERM, DEFINITION,
    HYPERLINK, FOOTNOTE_REFERENCE, VERBATIM, FIGURE_LABEL, TABLE, TAKEAWAYS_BOX, BAND, NOTE_BOX,
    BOX_TITLE,
)




@dataclass(frozen=True)
class Names:
    """Word font names per theme role, per script group of `w:rFonts`.

    `ascii`/`hAnsi` take the role's first family; `eastAsia` and `cs` the
    first family of the chain that has a CJK ideograph or an Arabic letter
    (a system fallback when the document needs one), so Word and LibreOffice
    pick a font that can draw the text instead of guessing.
    """

    body: str
    heading: str
    mono: str
    east_asia: tuple[str, str, str] = ("", "", "")
    complex: tuple[str, str, str] = ("", "", "")
    body_chain: tuple[FontFamily, ...] = ()

    @classmethod
    def of(cls, theme: Theme) -> Names:
        roles = ("body", "heading", "mono")
        chains = [theme.fonts.chain(role) for role in roles]
        primary = [family_name(chain[0]) for chain in chains]
        return cls(
            *primary,
            east_asia=tuple(_first_covering(chain, "\u4e00") or p for chain, p in zip(chains, primary)),
            complex=tuple(_first_covering(chain, "\u0627") or p for chain, p in zip(chains, primary)),
            body_chain=chains[0],
        )

    def complex_font_for(self, text: str) -> str:
        """The complex-script font for a right-to-left run the style's `w:cs`
        font cannot draw (Hebrew when it names an Arabic face), else ""."""
        letters = {c for c in text if is_rtl_char(c)}
        by_name = {family_name(f): f for f in self.body_chain}
        style_font = by_name.get(self.complex[0])
        if not letters or style_font is None or all(covers(style_font, c) for c in letters):
            return ""
        for family in self.body_chain:
            if all(covers(family, c) for c in letters):
                return family_name(family)
        return ""

    def role(self, role: str) -> str:
        return getattr(self, role)

    def fonts(self, role: str) -> _Element:
        index = ("body", "heading", "mono").index(role)
        font = self.role(role)
        return el("w:rFonts", {"w:ascii": font, "w:hAnsi": font, "w:cs": self.complex[index] or font,
                               "w:eastAsia": self.east_asia[index] or font})


def _first_covering(chain: tuple[FontFamily, ...], char: str) -> str:
    for family in chain:
        if covers(family, char):
            return family_name(family)
    return ""


@dataclass
class _Spec:
    style_id: str
    name: str
    kind: str = "paragraph"
    based_on: str | None = NORMAL
    next_id: str | None = None
    text: TextStyle | None = None
    ppr: dict[str, _Element | list[_Element]] = field(default_factory=dict)
    rpr: dict[str, _Element | list[_Element]] = field(default_factory=dict)
    extra: list[_Element] = field(default_factory=list)  # tblPr, tcPr, tblStylePr
    ui_priority: int = 10
    default: bool = False


def run_props(style: TextStyle, theme: Theme, names: Names) -> dict[str, _Element]:
    props: dict[str, _Element] = {
        "rFonts": names.fonts(style.font),
        "b": on_off("w:b", style.bold),
        "bCs": on_off("w:bCs", style.bold),
        "i": on_off("w:i", style.italic),
        "iCs": on_off("w:iCs", style.italic),
        "caps": on_off("w:caps", style.caps),
        "color": el("w:color", {"w:val": hex6(theme.color(style.color))}),
        "sz": el("w:sz", {"w:val": half_points(style.size)}),
        "szCs": el("w:szCs", {"w:val": half_points(style.size)}),
    }
    if style.tracking:
        props["spacing"] = el("w:spacing", {"w:val": twips(style.tracking)})
    return props


def spacing(style: TextStyle, *, exact: bool = True) -> _Element:
    attrs: dict[str, object] = {"w:before": twips(style.space_before), "w:after": twips(style.space_after)}
    if exact:
        attrs.update({"w:line": twips(style.leading), "w:lineRule": "exact"})
    else:
        attrs.update({"w:line": 240, "w:lineRule": "auto"})
    return el("w:spacing", attrs)


def _specs(theme: Theme, names: Names, numbering: dict[str, int]) -> list[_Spec]:
    s, c, lay, page = theme.styles, theme.colors, theme.layout, theme.page
    width = page.frame_width
    body_jc = {"jc": el("w:jc", {"w:val": "both" if page.align == "justify" else "left"})}

    def keep() -> dict[str, _Element]:
        # Fresh elements each time: an lxml element has one parent.
        return {"keepNext": el("w:keepNext"), "keepLines": el("w:keepLines")}

    right_tab = el("w:tabs", {}, el("w:tab", {"w:val": "right", "w:pos": twips(width)}))

    def num(kind: str) -> _Element:
        return el("w:numPr", {}, el("w:ilvl", {"w:val": 0}), el("w:numId", {"w:val": numbering[kind]}))

    specs = [
        _Spec(NORMAL, NAMES[NORMAL], based_on=None, text=s.body, default=True, ui_priority=0),
        _Spec(BODY, NAMES[BODY], text=s.body, ppr=dict(body_jc), next_id=BODY, ui_priority=1),
        _Spec(LEAD, NAMES[LEAD], based_on=BODY, text=s.lead, next_id=BODY),
        _Spec(SERIES, NAMES[SERIES], text=s.series, next_id=TITLE),
        _Spec(TITLE, NAMES[TITLE], text=s.title, next_id=SUBTITLE, ppr={"keepNext": el("w:keepNext")}),
        _Spec(SUBTITLE, NAMES[SUBTITLE], text=s.subtitle, next_id=AUTHORS),
        _Spec(AUTHORS, NAMES[AUTHORS], text=s.authors, next_id=AFFILIATION, ppr={"keepNext": el("w:keepNext")}),
        _Spec(AFFILIATION, NAMES[AFFILIATION], text=s.affiliation),
        _Spec(DATE, NAMES[DATE], based_on=AFFILIATION, text=s.affiliation),
        _Spec(TAKEAWAYS_LABEL, NAMES[TAKEAWAYS_LABEL], text=s.takeaways_label, ppr={"keepNext": el("w:keepNext")},
              next_id=TAKEAWAYS),
        _Spec(TAKEAWAYS, NAMES[TAKEAWAYS], text=s.takeaways, ppr={"numPr": num("takeaways")}),
        _Spec(BOX_TITLE, NAMES[BOX_TITLE], text=s.takeaways_label, ppr={"keepNext": el("w:keepNext")}),
        _Spec(IMAGE_CREDIT, NAMES[IMAGE_CREDIT], text=s.image_credit),
        *(
            _Spec(HEADINGS[i], NAMES[HEADINGS[i]], text=s.heading(i + 1), next_id=BODY, ui_priority=9,
                  ppr={**keep(), "outlineLvl": el("w:outlineLvl", {"w:val": i})})
            for i in range(3)
        ),
        _Spec(QUOTE, NAMES[QUOTE], text=s.blockquote, ppr={"ind": el("w:ind", {"w:left": twips(lay.blockquote_indent)})}),
        _Spec(PULLQUOTE, NAMES[PULLQUOTE], text=s.pullquote, ppr={
            "keepLines": el("w:keepLines"),
            "pBdr": el("w:pBdr", {},
                       border("top", lay.pullquote_rule, c.accent, lay.pullquote_padding),
                       border("bottom", lay.pullquote_rule, c.accent, lay.pullquote_padding)),
            # The rules sit outside the text: leave the padding as space outside them too.
            "spacing": el("w:spacing", {"w:before": twips(s.pullquote.space_before + 2 * lay.pullquote_padding),
                                        "w:after": twips(s.pullquote.space_after + 2 * lay.pullquote_padding),
                                        "w:line": twips(s.pullquote.leading), "w:lineRule": "exact"}),
        }),
        # The same rules as the quote: Word and LibreOffice draw one box around
        # paragraphs with equal borders, so the attribution sits inside, as in the PDF.
        _Spec(PULLQUOTE_ATTRIBUTION, NAMES[PULLQUOTE_ATTRIBUTION], text=s.pullquote_attribution, ppr={
            "keepLines": el("w:keepLines"),
            "pBdr": el("w:pBdr", {},
                       border("top", lay.pullquote_rule, c.accent, lay.pullquote_padding),
                       border("bottom", lay.pullquote_rule, c.accent, lay.pullquote_padding)),
            "spacing": el("w:spacing", {"w:before": twips(s.pullquote_attribution.space_before),
                                        "w:after": twips(s.pullquote.space_after + 2 * lay.pullquote_padding),
                                        "w:line": twips(s.pullquote_attribution.leading), "w:lineRule": "exact"}),
        }),
        _Spec(TABLE_SPACE, NAMES[TABLE_SPACE], text=s.body, ppr={
            # Word puts no space after a table: this empty line is the PDF's gap below one.
            "spacing": el("w:spacing", {"w:before": 0, "w:after": 0, "w:line": twips(s.body.leading),
                                        "w:lineRule": "exact"})}),
        _Spec(CODE, NAMES[CODE], text=s.code, ppr={"shd": shading(c.tint), "keepLines": el("w:keepLines")}),
        _Spec(TABLE_TEXT, NAMES[TABLE_TEXT], text=s.table),
        _Spec(TABLE_HEADING, NAMES[TABLE_HEADING], based_on=TABLE_TEXT, text=s.table_header),
        _Spec(CAPTION, NAMES[CAPTION], text=s.caption, next_id=BODY),
        _Spec(FIGURE, NAMES[FIGURE], text=s.caption, ppr={
            "keepNext": el("w:keepNext"), "jc": el("w:jc", {"w:val": "center"}),
            "spacing": el("w:spacing", {"w:before": twips(s.caption.space_after), "w:after": 0,
                                        "w:line": 240, "w:lineRule": "auto"})}),
        _Spec(RULE, NAMES[RULE], text=s.body, ppr={
            "pBdr": el("w:pBdr", {}, border("bottom", lay.hairline, c.rule, 1))}),
        _Spec(BACK_HEADING, NAMES[BACK_HEADING], text=s.notes_heading, next_id=BIO, ppr={
            **keep(), "pBdr": el("w:pBdr", {}, border("top", lay.hairline, c.rule, 4))}),
        _Spec(BIO, NAMES[BIO], text=s.bio),
        _Spec(PUBLISHER, NAMES[PUBLISHER], text=s.publisher),
        _Spec(HEADER, NAMES[HEADER], text=s.footer, ppr={
            "pBdr": el("w:pBdr", {}, border("bottom", lay.hairline, c.rule, 3)), "tabs": right_tab}),
        _Spec(FOOTER, NAMES[FOOTER], text=s.footer, ppr={
            "pBdr": el("w:pBdr", {}, border("top", lay.hairline, c.rule, 3)), "tabs": _copy(right_tab)}),
        _Spec(FOOTNOTE_TEXT, NAMES[FOOTNOTE_TEXT], text=s.notes),
        _Spec(LIST_BULLET, NAMES[LIST_BULLET], based_on=BODY, text=s.body, ppr={"numPr": num("bullet")}),
        _Spec(LIST_NUMBER, NAMES[LIST_NUMBER], based_on=BODY, text=s.body, ppr={"numPr": num("number")}),
        _Spec(LIST_CONTINUE, NAMES[LIST_CONTINUE], based_on=BODY, text=s.body,
              ppr={"ind": el("w:ind", {"w:left": twips(lay.list_indent)})}),
        _Spec(DEFINITION_TERM, NAMES[DEFINITION_TERM], based_on=BODY, text=s.body,
              ppr={"keepNext": el("w:keepNext")}, rpr={"b": el("w:b")}, next_id=DEFINITION),
        _Spec(DEFINITION, NAMES[DEFINITION], based_on=BODY, text=s.body,
              ppr={"ind": el("w:ind", {"w:left": twips(lay.list_indent)})}),
        # character styles
        _Spec("DefaultParagraphFont", "Default Paragraph Font", kind="character", based_on=None, default=True,
              ui_priority=1),
        _Spec(HYPERLINK, NAMES[HYPERLINK], kind="character", based_on=None, rpr={
            "color": el("w:color", {"w:val": hex6(c.link)}), "u": el("w:u", {"w:val": "single"})}),
        _Spec(FOOTNOTE_REFERENCE, NAMES[FOOTNOTE_REFERENCE], kind="character", based_on=None,
              rpr={"vertAlign": el("w:vertAlign", {"w:val": "superscript"})}),
        _Spec(VERBATIM, NAMES[VERBATIM], kind="character", based_on=None, rpr={
            "rFonts": names.fonts("mono")}),
        _Spec(FIGURE_LABEL, NAMES[FIGURE_LABEL], kind="character", based_on=None, rpr={
            k: v for k, v in run_props(s.figure_label, theme, names).items() if k not in ("sz", "szCs")}),
        # table styles
        _Spec("TableNormal", "Normal Table", kind="table", based_on=None, default=True, ui_priority=99, extra=[
            el("w:tblPr", {}, el("w:tblInd", {"w:w": 0, "w:type": "dxa"}), _cell_margins(0, 108))]),
        _Spec(TABLE, NAMES[TABLE], kind="table", based_on="TableNormal", extra=_table_style(theme)),
        _Spec(TAKEAWAYS_BOX, NAMES[TAKEAWAYS_BOX], kind="table", based_on="TableNormal", extra=[
            el("w:tblPr", {},
               el("w:tblBorders", {}, border("top", lay.takeaways_rule, c.accent)),
               _cell_margins(lay.takeaways_padding, lay.takeaways_padding_sides)),
            el("w:tcPr", {}, shading(c.tint))]),
        _Spec(NOTE_BOX, NAMES[NOTE_BOX], kind="table", based_on=TAKEAWAYS_BOX),
        _Spec(BAND, NAMES[BAND], kind="table", based_on="TableNormal", extra=[
            el("w:tblPr", {}, _cell_margins_tb(lay.band_padding_top, lay.band_padding_bottom,
                                               lay.takeaways_padding_sides)),
            el("w:tcPr", {}, shading(c.accent))]),
        _Spec("NoList", "No List", kind="numbering", based_on=None, default=True, ui_priority=99),
    ]
    return specs


def style_faces(theme: Theme, names: Names, numbering: dict[str, int]) -> dict[str, tuple[str, bool, bool]]:
    """Paragraph style id -> (font role, bold, italic) of its text, as `styles_xml` writes it."""
    faces: dict[str, tuple[str, bool, bool]] = {}
    for spec in _specs(theme, names, numbering):
        if spec.kind == "paragraph" and spec.text is not None:
            bold = spec.text.bold or "b" in spec.rpr
            faces[spec.style_id] = (spec.text.font, bold, spec.text.italic)
    return faces


def _copy(element: _Element) -> _Element:
    import copy

    return copy.deepcopy(element)


def _cell_margins(vertical: float, sides: float) -> _Element:
    return _cell_margins_tb(vertical, vertical, sides)


def _cell_margins_tb(top: float, bottom: float, sides: float) -> _Element:
    def side(name: str, points: float) -> _Element:
        return el(f"w:{name}", {"w:w": twips(points), "w:type": "dxa"})

    return el("w:tblCellMar", {}, side("top", top), side("left", sides), side("bottom", bottom),
              side("right", sides))


def _table_style(theme: Theme) -> list[_Element]:
    c, lay = theme.colors, theme.layout
    return [
        el("w:tblPr", {},
           el("w:tblBorders", {},
              border("top", lay.hairline * 2, c.accent), border("bottom", lay.hairline * 2, c.accent),
              border("insideH", lay.hairline, c.rule)),
           _cell_margins(2, 5)),
        el("w:tblStylePr", {"w:type": "firstRow"},
           el("w:pPr", {}, el("w:keepNext")),
           el("w:tblPr"),
           el("w:trPr", {}, el("w:tblHeader")),
           el("w:tcPr", {}, shading(c.tint))),
    ]


def styles_xml(theme: Theme, names: Names, numbering: dict[str, int], lang: str, *,
               bibliography: bool = False) -> bytes:
    """`word/styles.xml`; the Bibliography style only in a document that has one."""
    root = etree.Element(f"{{{W_NS}}}styles", nsmap={"w": W_NS})
    defaults = el(
        "w:docDefaults", {},
        el("w:rPrDefault", {}, rpr(
            rFonts=names.fonts("body"),
            sz=el("w:sz", {"w:val": half_points(theme.styles.body.size)}),
            szCs=el("w:szCs", {"w:val": half_points(theme.styles.body.size)}),
            lang=el("w:lang", {"w:val": lang, "w:eastAsia": lang, "w:bidi": lang}),
        )),
        # A document in a right-to-left language: every paragraph runs right to
        # left (its `w:jc` left/right then mean start/end, so "left" is flush right).
        el("w:pPrDefault", {}, ppr(spacing=el("w:spacing", {"w:after": 0, "w:line": 240, "w:lineRule": "auto"}),
                                   **({"bidi": el("w:bidi")} if is_rtl_language(lang) else {}))),
    )
    root.append(defaults)
    specs = _specs(theme, names, numbering)
    if bibliography:
        lay = theme.layout
        specs.append(_Spec(BIBLIOGRAPHY, NAMES[BIBLIOGRAPHY], based_on=BODY, text=theme.styles.notes, ppr={
            "ind": el("w:ind", {"w:left": twips(lay.list_indent), "w:hanging": twips(lay.list_indent)}),
            "jc": el("w:jc", {"w:val": "left"})}))
    for spec in specs:
        root.append(_style(spec, theme, names))
    return etree.tostring(root, xml_declaration=True, encoding="UTF-8", standalone=True)


def _style(spec: _Spec, theme: Theme, names: Names) -> _Element:
    attrs: dict[str, object] = {"w:type": spec.kind, "w:styleId": spec.style_id}
    if spec.default:
        attrs["w:default"] = 1
    style = el("w:style", attrs, el("w:name", {"w:val": spec.name}))
    if spec.based_on:
        style.append(el("w:basedOn", {"w:val": spec.based_on}))
    if spec.next_id:
        style.append(el("w:next", {"w:val": spec.next_id}))
    style.append(el("w:uiPriority", {"w:val": spec.ui_priority}))
    style.append(el("w:qFormat"))
    if spec.kind == "paragraph":
        p_parts: dict[str, _Element | list[_Element]] = {}
        if spec.text is not None:
            p_parts["spacing"] = spacing(spec.text)
        p_parts.update(spec.ppr)
        style.append(ordered("w:pPr", p_parts, _ppr_order()))
    if spec.kind in ("paragraph", "character"):
        r_parts: dict[str, _Element | list[_Element]] = {}
        if spec.text is not None:
            r_parts.update(run_props(spec.text, theme, names))
        r_parts.update(spec.rpr)
        if r_parts:
            style.append(rpr(**r_parts))
    for extra in spec.extra:
        style.append(extra)
    return style


def _ppr_order() -> tuple[str, ...]:
    from .xml import _PPR_ORDER

    return _PPR_ORDER
