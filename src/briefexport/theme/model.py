"""The theme's schema: one frozen dataclass per TOML table.

Each TOML table maps onto one of these, kebab-case keys onto snake_case
fields; `Annotated` markers say which values need converting (lengths,
colours, sizes) when `load` reads a file.
"""

from __future__ import annotations

from dataclasses import dataclass, fields, replace
from pathlib import Path
from typing import Annotated, Literal, get_args

# Markers for `Annotated` fields whose TOML form needs converting.
_LENGTH = "length"  # "10.5pt", "20mm" -> points
_COLOR = "color"  # "#0B3C5D" or a colour name -> "#0B3C5D"
_SIZE = "bytes"  # "10MB" -> bytes
_PAGE_SIZE = "page-size"  # "A4" or ["210mm", "297mm"] -> (w, h) in points

Length = Annotated[float, _LENGTH]
Color = Annotated[str, _COLOR]
ByteSize = Annotated[int, _SIZE]
PageSize = Annotated[tuple[float, float], _PAGE_SIZE]



@dataclass(frozen=True)
class FontFace:
    """One font file, optionally an instance of a variable font."""

    path: Path
    variations: tuple[tuple[str, float], ...] = ()


@dataclass(frozen=True)
class FontFamily:
    name: str
    regular: FontFace
    bold: FontFace | None = None
    italic: FontFace | None = None
    bold_italic: FontFace | None = None


@dataclass(frozen=True)
class Fonts:
    """Font chains per role: the first family, then fallbacks in order."""

    body: tuple[str, ...]
    heading: tuple[str, ...]
    mono: tuple[str, ...]
    families: tuple[FontFamily, ...] = ()
    # After a chain, fonts installed on the machine draw what it lacks.
    system_fallback: bool = True

    def family(self, name: str) -> FontFamily:
        for family in self.families:
            if family.name == name:
                return family
        raise KeyError(name)

    def chain(self, role: str) -> tuple[FontFamily, ...]:
        return tuple(self.family(name) for name in getattr(self, role))


@dataclass(frozen=True)
class Brand:
    series: str = "Policy Brief"
    publisher: str = ""
    licence: str = ""


@dataclass(frozen=True)
class Page:
    size: PageSize
    margin_top: Length
    margin_bottom: Length
    margin_left: Length
    margin_right: Length
    columns: int = 1
    gutter: Length = 17.0
    align: Literal["left", "justify"] = "left"
    hyphenate: bool = False
    hyphenation_lang: str = "en_GB"
    footer_baseline: Length = 34.0

    @property
    def width(self) -> float:
        return self.size[0]

    @property
    def height(self) -> float:
        return self.size[1]

    @property
    def frame_width(self) -> float:
        return self.width - self.margin_left - self.margin_right


@dataclass(frozen=True)
class Colors:
    accent: Color
    accent_2: Color
    ink: Color
    muted: Color
    tint: Color
    on_accent: Color
    band_subtitle: Color
    rule: Color
    link: Color


@dataclass(frozen=True)
class TextStyle:
    font: Literal["body", "heading", "mono"]
    size: Length
    leading: Length
    bold: bool = False
    italic: bool = False
    color: Color = "ink"
    space_before: Length = 0.0
    space_after: Length = 0.0
    caps: bool = False
    tracking: Length = 0.0


@dataclass(frozen=True)
class Styles:
    series: TextStyle
    title: TextStyle
    subtitle: TextStyle
    authors: TextStyle
    affiliation: TextStyle
    image_credit: TextStyle
    takeaways_label: TextStyle
    takeaways: TextStyle
    lead: TextStyle
    body: TextStyle
    h1: TextStyle
    h2: TextStyle
    h3: TextStyle
    pullquote: TextStyle
    pullquote_attribution: TextStyle
    blockquote: TextStyle
    code: TextStyle
    table: TextStyle
    table_header: TextStyle
    figure_label: TextStyle
    caption: TextStyle
    notes_heading: TextStyle
    notes: TextStyle
    bio: TextStyle
    publisher: TextStyle
    footer: TextStyle

    def heading(self, level: int) -> TextStyle:
        return (self.h1, self.h2, self.h3)[min(max(level, 1), 3) - 1]


@dataclass(frozen=True)
class Layout:
    band_padding_top: Length
    band_padding_bottom: Length
    takeaways_rule: Length
    takeaways_padding: Length
    takeaways_padding_sides: Length
    bullet_indent: Length
    list_indent: Length
    blockquote_indent: Length
    pullquote_rule: Length
    pullquote_padding: Length
    hairline: Length
    cell_padding: Length = 4.0  # inside table cells and code blocks
    # Numbered lists by nesting depth, in the PDF and the DOCX alike:
    # 1 decimal, a/A letters, i/I roman numerals.
    number_formats: tuple[Literal["1", "a", "A", "i", "I"], ...] = ("1", "a", "i")


@dataclass(frozen=True)
class OnePager:
    width: Length
    height: Length
    margin: Length
    band_height: Length
    series_size: Length
    title_size: Length
    title_leading: Length
    title_min_size: Length
    title_max_lines: int
    subtitle_size: Length
    label_size: Length
    points_size: Length
    points_leading: Length
    points_min_size: Length
    max_points: int
    quote_size: Length
    quote_leading: Length
    quote_min_size: Length
    quote_max_words: int
    quote_bar: Length
    attribution_size: Length
    authors_size: Length
    affiliation_size: Length
    footer_size: Length
    band_padding: Length = 20.0
    gap: Length = 20.0
    points_gap: Length = 10.0
    quote_width: Length = 300.0
    panel_padding: Length = 20.0
    subtitle_max_lines: int = 2
    affiliation_max_lines: int = 2
    # The quote may be at most this many times the key points' size, so that
    # when long points step down the quote does not shout over them.
    quote_points_ratio: float = 1.4


PdfStandard = Literal["ua-1", "a-2b", "a-2a"]
PDF_STANDARDS: tuple[str, ...] = get_args(PdfStandard)


@dataclass(frozen=True)
class Output:
    max_attachment_size: ByteSize = 10_000_000
    max_image_dpi: int = 200
    # The PDFs' standard (Typst's names): every value is tagged and identified
    # as PDF/UA-1; a-2b and a-2a make an archival PDF/A-2 file too.
    pdf_standard: PdfStandard = "ua-1"
    # Embed the theme's fonts in the DOCX, so that Word and LibreOffice show
    # it in them where they are not installed (about 0.5 MB for the default).
    docx_embed_fonts: bool = True


@dataclass(frozen=True)
class Labels:
    """Words before numbers and over reference lists; empty: the default for `lang`."""

    figure: str = ""
    table: str = ""
    section: str = ""
    bibliography: str = ""
    references: str = ""

    def words(self) -> dict[str, str]:
        return {f.name: getattr(self, f.name) for f in fields(self) if getattr(self, f.name)}


@dataclass(frozen=True)
class Theme:
    name: str
    brand: Brand
    page: Page
    colors: Colors
    fonts: Fonts
    styles: Styles
    layout: Layout
    onepager: OnePager
    output: Output
    labels: Labels = Labels()
    source: str = ""  # the file it was loaded from

    def color(self, name_or_hex: str) -> str:
        return _resolve_color(name_or_hex, self.colors)

    def with_pdf_standard(self, standard: str | None) -> Theme:
        """This theme with `[output] pdf-standard` replaced (`--pdf-standard`); None keeps it."""
        if standard is None:
            return self
        if standard not in PDF_STANDARDS:
            raise ValueError(f"pdf standard {standard!r} is not one of {', '.join(PDF_STANDARDS)}")
        return replace(self, output=replace(self.output, pdf_standard=standard))


def _resolve_color(name_or_hex: str, colors: Colors) -> str:
    if name_or_hex.startswith("#"):
        return name_or_hex.upper()
    attr = name_or_hex.replace("-", "_")
    if attr not in {f.name for f in fields(Colors)}:
        raise KeyError(name_or_hex)
    return getattr(colors, attr)
