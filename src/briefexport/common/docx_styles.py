"""The brief's Word style ids and names: one list for the DOCX writer and the DOCX reader.

The writer emits these ids and defines a style of each name; the reader maps
a paragraph back to a block by its style's *name* (LibreOffice keeps names
but renames ids: "BodyText" comes back as "TextBody").  Built-in styles use
Word's internal names ("heading 1", "caption", "footnote text") so that Word
and LibreOffice treat them as their own.
"""

from __future__ import annotations

NORMAL = "Normal"
BODY = "BodyText"
LEAD = "Lead"
TITLE = "Title"
SUBTITLE = "Subtitle"
SERIES = "SeriesLabel"
AUTHORS = "Authors"
AFFILIATION = "Affiliation"
DATE = "BriefDate"
TAKEAWAYS_LABEL = "KeyTakeawaysLabel"
TAKEAWAYS = "KeyTakeaways"
IMAGE_CREDIT = "ImageCredit"
HEADINGS = ("Heading1", "Heading2", "Heading3")
QUOTE = "Quote"
PULLQUOTE = "PullQuote"
PULLQUOTE_ATTRIBUTION = "PullQuoteAttribution"
CODE = "SourceCode"
TABLE_TEXT = "TableText"
TABLE_HEADING = "TableHeading"
TABLE_SPACE = "TableSpace"
CAPTION = "Caption"
FIGURE = "Figure"
RULE = "HorizontalRule"
BACK_HEADING = "BackMatterHeading"
BIO = "Bio"
PUBLISHER = "Publisher"
HEADER = "Header"
FOOTER = "Footer"
FOOTNOTE_TEXT = "FootnoteText"
BIBLIOGRAPHY = "Bibliography"
LIST_BULLET = "ListBullet"
LIST_NUMBER = "ListNumber"
LIST_CONTINUE = "ListContinue"
DEFINITION_TERM = "DefinitionTerm"
DEFINITION = "Definition"
BOX_TITLE = "BoxTitle"
# character styles
HYPERLINK = "Hyperlink"
FOOTNOTE_REFERENCE = "FootnoteReference"
VERBATIM = "VerbatimChar"
FIGURE_LABEL = "FigureLabel"
# table styles
TABLE = "BriefTable"
TAKEAWAYS_BOX = "KeyTakeawaysBox"
BAND = "TitleBand"
NOTE_BOX = "NoteBox"

# What Word shows for each id (`w:name`).
NAMES: dict[str, str] = {
    NORMAL: "Normal", BODY: "Body Text", LEAD: "Lead", SERIES: "Series Label", TITLE: "Title",
    SUBTITLE: "Subtitle", AUTHORS: "Authors", AFFILIATION: "Affiliation", DATE: "Brief Date",
    TAKEAWAYS_LABEL: "Key Takeaways Label", TAKEAWAYS: "Key Takeaways", BOX_TITLE: "Box Title",
    IMAGE_CREDIT: "Image Credit", HEADINGS[0]: "heading 1", HEADINGS[1]: "heading 2", HEADINGS[2]: "heading 3",
    QUOTE: "Quote", PULLQUOTE: "Pull Quote", PULLQUOTE_ATTRIBUTION: "Pull Quote Attribution",
    CODE: "Source Code", TABLE_TEXT: "Table Text", TABLE_HEADING: "Table Heading", TABLE_SPACE: "Table Space",
    CAPTION: "caption",
    FIGURE: "Figure", RULE: "Horizontal Rule", BACK_HEADING: "Back Matter Heading", BIO: "Bio",
    PUBLISHER: "Publisher", HEADER: "header", FOOTER: "footer", FOOTNOTE_TEXT: "footnote text", BIBLIOGRAPHY: "Bibliography",
    LIST_BULLET: "List Bullet", LIST_NUMBER: "List Number", LIST_CONTINUE: "List Continue",
    DEFINITION_TERM: "Definition Term", DEFINITION: "Definition",
    HYPERLINK: "Hyperlink", FOOTNOTE_REFERENCE: "footnote reference", VERBATIM: "Verbatim Char",
    FIGURE_LABEL: "Figure Label",
    TABLE: "Brief Table", TAKEAWAYS_BOX: "Key Takeaways Box", BAND: "Title Band", NOTE_BOX: "Note Box",
}

# Names other editors give the same styles (LibreOffice's, Word's own).
ALIASES: dict[str, str] = {
    "text body": BODY, "internet link": HYPERLINK, "footnote characters": FOOTNOTE_REFERENCE,
    "footnote anchor": FOOTNOTE_REFERENCE, "footnote": FOOTNOTE_TEXT, "table contents": TABLE_TEXT,
    "default paragraph font": "", "endnote text": FOOTNOTE_TEXT, "endnote reference": FOOTNOTE_REFERENCE,
    "endnote characters": FOOTNOTE_REFERENCE, "endnote anchor": FOOTNOTE_REFERENCE,
}

# The custom XML part that lets the reader map a DOCX back onto its source.
ROUNDTRIP_NS = "urn:briefexport:roundtrip:1"


def style_for_name(name: str) -> str | None:
    """Our style id for a style's display name (any case), None when it is not ours."""
    key = " ".join(name.lower().split())
    for ident, shown in NAMES.items():
        if shown.lower() == key:
            return ident
    return ALIASES.get(key)
