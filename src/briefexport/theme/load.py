"""Loading a theme: TOML files, one level of `extends`, strict conversion.

Loading is strict in the way docutils and Sphinx are: an unknown key, a length
without a unit, a colour that is not one, or a font file that does not exist is
a `ThemeError` naming the file and the dotted key path, never a silent default.
"""

from __future__ import annotations

import functools
import importlib.resources
import re
import tomllib
import typing
from dataclasses import MISSING, fields
from pathlib import Path
from typing import Annotated, Any, Literal

from ..errors import ThemeError
from .model import _COLOR, _LENGTH, _PAGE_SIZE, _SIZE, Colors, FontFace, FontFamily, Theme
from .values import _bytes, _color, _length, _page_size

BUILTIN_PACKAGE = "briefexport.styles"


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
