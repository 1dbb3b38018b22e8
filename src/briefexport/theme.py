"""Themes: `styles/*.toml` loaded into one frozen, typed `Theme`.

The dataclasses below *are* the schema: each TOML table maps onto one of
them, kebab-case keys onto snake_case fields.  Loading is strict in the way
docutils and Sphinx are: an unknown key, a length without a unit, a colour
that is not one, or a font file that does not exist is a `ThemeError` naming
the file and the dotted key path, never a silent default.
"""

from __future__ import annotations

import functools
import importlib.resources
import re
import tomllib
import typing
from dataclasses import MISSING, dataclass, fields
from pathlib import Path
from typing import Annotated, Any, Literal

from .errors import ThemeError

# Markers for `Annotated` fields whose TOML form needs converting.
_LENGTH = "length"  # "10.5pt", "20mm" -> points
_COLOR = "color"  # "#0B3C5D" or a colour name -> "#0B3C5D"
_SIZE = "bytes"  # "10MB" -> bytes
_PAGE_SIZE = "page-size"  # "A4" or ["210mm", "297mm"] -> (w, h) in points

Length = Annotated[float, _LENGTH]
Color = Annotated[str, _COLOR]
ByteSize = Annotated[int, _SIZE]
PageSize = Annotated[tuple[float, float], _PAGE_SIZE]

BUILTIN_PACKAGE = "briefexport.styles"
PAGE_SIZES = {"A4": (595.2756, 841.8898), "LETTER": (612.0, 792.0), "A5": (419.5276, 595.2756)}
_UNITS = {"pt": 1.0, "mm": 72 / 25.4, "cm": 72 / 2.54, "in": 72.0, "px": 0.75}
_BYTE_UNITS = {"B": 1, "KB": 1000, "MB": 1000**2, "GB": 1000**3, "KIB": 1024, "MIB": 1024**2}


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


@dataclass(frozen=True)
class Output:
    max_attachment_size: ByteSize = 10_000_000
    max_image_dpi: int = 200


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
    source: str = ""  # the file it was loaded from

    def color(self, name_or_hex: str) -> str:
        return _resolve_color(name_or_hex, self.colors)


# ------------------------------------------------------------------ loading


def builtin_path(name: str = "default") -> Path:
    """The path of a theme shipped with briefexport (`styles/<name>.toml`)."""
    return Path(str(importlib.resources.files(BUILTIN_PACKAGE).joinpath(f"{name}.toml")))


def load_theme(path: str | Path | None = None) -> Theme:
    """Load a theme file (the built-in default when `path` is None)."""
    resolved = Path(path) if path is not None else builtin_path()
    return _load_cached(resolved.resolve() if resolved.exists() else resolved)


@functools.lru_cache(maxsize=16)
def _load_cached(path: Path) -> Theme:
    data = _read_with_extends(path, depth=0)
    return _build_theme(data, path)


def _read_toml(path: Path) -> dict[str, Any]:
    try:
        text = path.read_text(encoding="utf-8")
    except FileNotFoundError:
        raise ThemeError("theme file not found", str(path)) from None
    except (OSError, UnicodeDecodeError) as exc:
        raise ThemeError(f"cannot read theme: {exc}", str(path)) from None
    try:
        return tomllib.loads(text)
    except tomllib.TOMLDecodeError as exc:
        line = int(m.group(1)) if (m := re.search(r"line (\d+)", str(exc))) else 0
        raise ThemeError(f"invalid TOML: {exc}", str(path), line) from None


def _read_with_extends(path: Path, depth: int) -> dict[str, Any]:
    data = _read_toml(path)
    base_name = data.pop("extends", None)
    if base_name is None:
        return _tag_paths(data, path.parent)
    if depth >= 1 or not isinstance(base_name, str):
        raise ThemeError("extends: only one level of `extends = \"<theme>\"` is supported", str(path))
    base_path = path.parent / f"{base_name}.toml"
    if not base_path.exists() or base_path.resolve() == path.resolve():
        base_path = builtin_path(base_name)
        if not base_path.exists():
            raise ThemeError(f"extends: no theme named {base_name!r}", str(path))
    base = _read_with_extends(base_path, depth + 1)
    return _merge(base, _tag_paths(data, path.parent))


class _RelPath(str):
    """A string from TOML that remembers the folder of the file it came from."""

    base: Path


def _tag_paths(data: Any, base: Path) -> Any:
    # Font paths are relative to the theme file that names them, even after
    # a merge with a base theme in another folder.
    if isinstance(data, dict):
        return {k: _tag_paths(v, base) for k, v in data.items()}
    if isinstance(data, list):
        return [_tag_paths(v, base) for v in data]
    if isinstance(data, str):
        tagged = _RelPath(data)
        tagged.base = base
        return tagged
    return data


def _merge(base: dict[str, Any], over: dict[str, Any]) -> dict[str, Any]:
    out = dict(base)
    for key, value in over.items():
        if isinstance(value, dict) and isinstance(out.get(key), dict):
            out[key] = _merge(out[key], value)
        else:
            out[key] = value
    return out


def _build_theme(data: dict[str, Any], path: Path) -> Theme:
    err = functools.partial(_error, path)
    data = dict(data)
    families_raw = data.get("fonts", {}).get("families") if isinstance(data.get("fonts"), dict) else None
    if isinstance(families_raw, dict):
        data["fonts"] = dict(data["fonts"])
        data["fonts"]["families"] = [
            _font_family(name, spec, f"fonts.families.{name}", err) for name, spec in families_raw.items()
        ]
    colors_raw = data.get("colors", {})
    colors = _convert(Colors, colors_raw, "colors", err, None)
    theme = _convert(Theme, {**data, "colors": colors, "source": str(path)}, "", err, colors)
    for role in ("body", "heading", "mono"):
        if not getattr(theme.fonts, role):
            err(f"fonts.{role}", "needs at least one font family")
        for name in getattr(theme.fonts, role):
            try:
                theme.fonts.family(name)
            except KeyError:
                err(f"fonts.{role}", f"no font family {name!r} under [fonts.families]")
    page = theme.page
    if page.frame_width < 72 or page.height - page.margin_top - page.margin_bottom < 144:
        err("page", "the margins leave no room for text (at least 1 in wide and 2 in tall)")
    if theme.onepager.width <= 2 * theme.onepager.margin or theme.onepager.height <= theme.onepager.band_height:
        err("onepager", "the slide is too small for its margins and band")
    if theme.page.columns not in (1, 2):
        err("page.columns", "must be 1 or 2")
    if theme.onepager.points_min_size < 12:
        err("onepager.points-min-size", "must be at least 12pt (the slide must stay readable)")
    if theme.onepager.title_min_size < 24:
        err("onepager.title-min-size", "must be at least 24pt")
    return theme


def _error(path: Path, key: str, message: str) -> typing.NoReturn:
    raise ThemeError(f"{key}: {message}" if key else message, str(path))


def _font_family(name: str, spec: Any, key: str, err: Any) -> FontFamily:
    if not isinstance(spec, dict):
        err(key, "must be a table with regular/bold/italic/bold-italic font files")
    allowed = {"regular", "bold", "italic", "bold-italic"}
    for k in spec:
        if k not in allowed:
            err(f"{key}.{k}", f"unknown key (expected one of {', '.join(sorted(allowed))})")
    if "regular" not in spec:
        err(f"{key}.regular", "missing (every family needs a regular face)")
    faces = {k.replace("-", "_"): _font_face(v, f"{key}.{k}", err) for k, v in spec.items()}
    return FontFamily(name=name, **faces)


def _font_face(value: Any, key: str, err: Any) -> FontFace:
    if not isinstance(value, str):
        err(key, "must be a font file path")
    spec, _, variation_text = value.partition("#")
    variations: list[tuple[str, float]] = []
    for part in filter(None, variation_text.split(",")):
        axis, _, number = part.partition("=")
        try:
            variations.append((axis.strip(), float(number)))
        except ValueError:
            err(key, f"bad variation {part!r} (expected e.g. #wght=400)")
    path = _font_path(spec, getattr(value, "base", Path.cwd()))
    if path is None or not path.is_file():
        err(key, f"font file not found: {spec}")
    if path.suffix.lower() not in (".ttf", ".ttc"):
        err(key, f"{path.name}: only TrueType (.ttf) fonts can be embedded in PDFs")
    try:
        with path.open("rb") as handle:
            magic = handle.read(4)
    except OSError as exc:
        err(key, f"cannot read {path.name}: {exc.strerror or exc}")
    # TrueType outlines or a TrueType collection; 'OTTO' is CFF, which reportlab cannot embed.
    if magic not in (b"\x00\x01\x00\x00", b"true", b"ttcf"):
        what = "an OpenType/CFF font" if magic == b"OTTO" else "not a TrueType font file"
        err(key, f"{path.name} is {what}; PDFs can embed only TrueType (.ttf) fonts")
    return FontFace(path=path, variations=tuple(variations))


def _font_path(spec: str, base: Path) -> Path | None:
    if spec.startswith("pkg:"):
        package, _, inner = spec[4:].partition("/")
        root = _package_root(package)
        return None if root is None else Path(str(root.joinpath(inner)))
    candidate = Path(spec).expanduser()
    return candidate if candidate.is_absolute() else base / candidate


@functools.cache
def _package_root(package: str) -> Any:
    try:
        return importlib.resources.files(package)
    except ModuleNotFoundError:
        return None


@functools.cache
def _hints(cls: type) -> dict[str, Any]:
    # Evaluating the string annotations is most of a theme's load time; a
    # TextStyle alone is converted some twenty times.
    return typing.get_type_hints(cls, include_extras=True)


def _convert(cls: type, raw: Any, key: str, err: Any, colors: Colors | None) -> Any:
    if not isinstance(raw, dict):
        err(key, f"must be a table, not {type(raw).__name__}")
    hints = _hints(cls)
    names = {f.name for f in fields(cls)}
    for k in raw:
        if k.replace("-", "_") not in names or "_" in k:
            err(_join(key, k), "unknown key")
    kwargs: dict[str, Any] = {}
    for f in fields(cls):
        toml_key = f.name.replace("_", "-")
        sub = _join(key, toml_key)
        if toml_key not in raw:
            if f.default is MISSING and f.default_factory is MISSING:
                err(sub, "missing")
            continue
        kwargs[f.name] = _value(hints[f.name], raw[toml_key], sub, err, colors)
    return cls(**kwargs)


def _join(key: str, sub: str) -> str:
    return f"{key}.{sub}" if key else sub


def _value(hint: Any, value: Any, key: str, err: Any, colors: Colors | None) -> Any:
    origin = typing.get_origin(hint)
    if origin is Annotated:
        base, marker = typing.get_args(hint)[:2]
        if marker == _LENGTH:
            return _length(value, key, err)
        if marker == _COLOR:
            return _color(value, key, err, colors)
        if marker == _SIZE:
            return _bytes(value, key, err)
        if marker == _PAGE_SIZE:
            return _page_size(value, key, err)
    if origin is Literal:
        choices = typing.get_args(hint)
        if value not in choices:
            err(key, f"{value!r} is not one of {', '.join(map(repr, choices))}")
        return str(value)
    if hint is bool:
        if not isinstance(value, bool):
            err(key, f"must be true or false, not {value!r}")
        return value
    if hint is float:
        if isinstance(value, bool) or not isinstance(value, (int, float)):
            err(key, f"must be a number, not {value!r}")
        return float(value)
    if hint is int:
        if isinstance(value, bool) or not isinstance(value, int):
            err(key, f"must be a whole number, not {value!r}")
        return value
    if hint is str:
        if not isinstance(value, str):
            err(key, f"must be a string, not {value!r}")
        return str(value)
    if origin is tuple:
        args = typing.get_args(hint)
        if not isinstance(value, list):
            err(key, "must be a list")
        if args and args[0] is FontFamily:
            return tuple(value)
        return tuple(_value(args[0], v, f"{key}[{i}]", err, colors) for i, v in enumerate(value))
    if isinstance(hint, type) and hasattr(hint, "__dataclass_fields__"):
        if isinstance(value, hint):
            return value
        return _convert(hint, value, key, err, colors)
    err(key, f"cannot read {value!r}")


def _length(value: Any, key: str, err: Any) -> float:
    if isinstance(value, str):
        m = re.fullmatch(r"\s*(-?\d+(?:\.\d+)?)\s*([a-z]+)\s*", value)
        if m and m.group(2) in _UNITS:
            return round(float(m.group(1)) * _UNITS[m.group(2)], 4)
    err(key, f"{value!r} is not a length with a unit (e.g. \"10pt\", \"20mm\"; units: {', '.join(_UNITS)})")


def _bytes(value: Any, key: str, err: Any) -> int:
    if isinstance(value, int) and not isinstance(value, bool):
        return value
    if isinstance(value, str):
        m = re.fullmatch(r"\s*(\d+(?:\.\d+)?)\s*([A-Za-z]+)\s*", value)
        if m and m.group(2).upper() in _BYTE_UNITS:
            return int(float(m.group(1)) * _BYTE_UNITS[m.group(2).upper()])
    err(key, f"{value!r} is not a size (e.g. \"10MB\")")


def parse_byte_size(text: str) -> int:
    """A size as themes write it ("10MB", "500kB", "2MiB", "12000") in bytes."""

    def err(_key: str, message: str) -> None:
        raise ThemeError(message)

    value: Any = int(text) if text.strip().isdigit() else text
    return _bytes(value, "", err)


def _color(value: Any, key: str, err: Any, colors: Colors | None) -> str:
    if isinstance(value, str):
        if re.fullmatch(r"#[0-9A-Fa-f]{6}", value):
            return value.upper()
        if colors is not None:
            try:
                return _resolve_color(value, colors)
            except KeyError:
                pass
    err(key, f"{value!r} is not a colour (#RRGGBB or a name under [colors])")


def _resolve_color(name_or_hex: str, colors: Colors) -> str:
    if name_or_hex.startswith("#"):
        return name_or_hex.upper()
    attr = name_or_hex.replace("-", "_")
    if attr not in {f.name for f in fields(Colors)}:
        raise KeyError(name_or_hex)
    return getattr(colors, attr)


def _page_size(value: Any, key: str, err: Any) -> tuple[float, float]:
    if isinstance(value, str):
        size = PAGE_SIZES.get(value.upper())
        if size is None:
            err(key, f"unknown page size {value!r} (known: A4, Letter, A5, or [\"w\", \"h\"])")
        return size
    if isinstance(value, list) and len(value) == 2:
        return (_length(value[0], key, err), _length(value[1], key, err))
    err(key, f"{value!r} is not a page size")
