"""Theme text styles -> reportlab ParagraphStyles and colours."""

from __future__ import annotations

from reportlab.lib.colors import HexColor
from reportlab.lib.enums import TA_CENTER, TA_JUSTIFY, TA_LEFT, TA_RIGHT
from reportlab.lib.styles import ParagraphStyle

from ...theme import TextStyle, Theme
from .faces import FontRole

ALIGN = {"left": TA_LEFT, "justify": TA_JUSTIFY, "center": TA_CENTER, "right": TA_RIGHT}


def color(hex_value: str) -> HexColor:
    return HexColor(hex_value)


def paragraph_style(
    name: str,
    style: TextStyle,
    theme: Theme,
    roles: dict[str, FontRole],
    *,
    align: str = "left",
    rtl: bool = False,
    **overrides: object,
) -> ParagraphStyle:
    """A ParagraphStyle from a theme TextStyle; `overrides` are ParagraphStyle keywords.

    `rtl` (a document in a right-to-left language) sets the paragraph right
    to left: ragged text is flush right, and a justified paragraph's last
    line ends at the right (reportlab's `wordWrap="RTL"`).
    """
    role = roles[style.font]
    if rtl:
        align = {"left": "right", "right": "left"}.get(align, align)
        overrides.setdefault("wordWrap", "RTL")
    values: dict[str, object] = {
        "fontName": role.face(style.bold, style.italic),
        "fontSize": style.size,
        "leading": style.leading,
        "textColor": color(theme.color(style.color)),
        "spaceBefore": style.space_before,
        "spaceAfter": style.space_after,
        "alignment": ALIGN[align],
        "allowWidows": 0,
        "allowOrphans": 0,
        "uriWasteReduce": 0.3,
        "splitLongWords": 1,
        "embeddedHyphenation": 1,
    }
    if style.tracking:
        values["charSpace"] = style.tracking
    # `caps` is not reportlab's textTransform: capitals are set in the text
    # (InlineMarkup(upper=True)) before fonts are chosen, since a face may have
    # 'π' but not 'Π'.
    values.update(overrides)
    return ParagraphStyle(name, **values)  # type: ignore[arg-type]
