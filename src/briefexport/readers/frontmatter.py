"""YAML front matter -> `tree.Meta`, with the source line of every key.

Types are checked here, once, so that no backend meets `authors: 3`.  A
wrong type is a `ParseError` at the key's line; an unknown key is kept in
`Meta.extra` and reported as a warning.
"""

from __future__ import annotations

import datetime as _dt
import json
import re
import warnings
from typing import Any

import yaml

from . import yamlsafe
from ..errors import BriefExportWarning, ParseError
from ..tree import Author, ImageMeta, Meta
from .frontmatter_cites import KEYS as CITATION_KEYS, read_citation_meta

KNOWN_KEYS = (
    "title", "subtitle", "authors", "date", "lang", "keywords", "series", "key_points",
    "image", "slug", "pull_quote", *CITATION_KEYS,
)


class _Loader(yaml.SafeLoader):
    """PyYAML's safe loader, but dates stay text.

    The safe loader turns `2024-13-45` into a ValueError from deep inside
    the constructor; as text, the `date` field is checked here with its line.
    """


_RESOLVERS = {
    first: [(tag, regexp) for tag, regexp in resolvers if tag != "tag:yaml.org,2002:timestamp"]
    for first, resolvers in yaml.SafeLoader.yaml_implicit_resolvers.items()
}
_Loader.yaml_implicit_resolvers = _RESOLVERS
_FastLoader: type | None = None
if hasattr(yaml, "CSafeLoader"):
    class _FastLoader(yaml.CSafeLoader):  # type: ignore[no-redef]
        """The same loader over libyaml's parser (in PyYAML's wheels): about
        twenty times faster.  Its error marks are coarser, so a document it
        refuses is read again by `_Loader`, whose errors name the right line."""

    _FastLoader.yaml_implicit_resolvers = _RESOLVERS


def _load(text: str, source: str, first_line: int) -> tuple[Any, Any]:
    """The node tree (for the keys' lines) and the data, from one parse."""
    # The two scanners differ on tabs: libyaml reads `title: <tab>` as null
    # where the pure one refuses the tab, as briefexport always has.  A text
    # with a tab is read by the pure loader alone.
    if _FastLoader is not None and "\t" not in text:
        try:
            return _load_with(_FastLoader, text, source, first_line)
        except (yaml.YAMLError, ValueError):
            pass
    return _load_with(_Loader, text, source, first_line)


def _load_with(loader_class: type, text: str, source: str = "<front matter>", first_line: int = 1) -> tuple[Any, Any]:
    # Size, depth and alias expansion are checked before anything is built
    # (yamlsafe); then what yaml.compose and yaml.load each do, sharing the
    # one node tree.  Both loaders are SafeLoaders: no `!!python/...` tags.
    yamlsafe.check_events(text, loader_class, source, first_line)
    loader = loader_class(text)
    try:
        node = loader.get_single_node()
        if node is not None:
            yamlsafe.check_expansion(node, source, first_line)
        return node, (loader.construct_document(node) if node is not None else None)
    finally:
        loader.dispose()


def read(text: str, source: str, *, first_line: int) -> Meta:
    """Parse front-matter `text` whose first line is line `first_line` of `source`."""
    if not text.strip():
        return Meta()
    try:
        node, data = _load(text, source, first_line)
    except yaml.MarkedYAMLError as exc:
        mark = exc.problem_mark or exc.context_mark
        line = first_line + mark.line if mark else first_line
        problem = exc.problem or exc.context or "invalid YAML"
        raise ParseError(f"front matter: {problem}", source, line) from None
    except yaml.reader.ReaderError as exc:
        line = first_line + text.count("\n", 0, exc.position)
        char = exc.character if isinstance(exc.character, int) else ord(str(exc.character)[:1] or "?")
        raise ParseError(f"front matter: character U+{char:04X} is not allowed in YAML", source, line) from None
    except (yaml.YAMLError, ValueError) as exc:
        raise ParseError(f"front matter: {' '.join(str(exc).split())}", source, first_line) from None
    if data is None:
        return Meta()
    if not isinstance(data, dict):
        raise ParseError("front matter must be a mapping of `key: value` lines", source, first_line)
    lines: dict[str, int] = {}
    if isinstance(node, yaml.MappingNode):
        for key_node, _ in node.value:
            lines[str(key_node.value)] = first_line + key_node.start_mark.line
    cleaned = {}
    for key, value in data.items():
        (key, value), found = yamlsafe.replace_surrogates([key, value])
        if found:
            line = lines.get(str(key), first_line)
            warnings.warn(f"{source}:{line}: front matter `{key}`: half a character (a lone surrogate escape "
                          "like \\ud800) replaced by U+FFFD", BriefExportWarning, stacklevel=2)
        cleaned[key] = value
    return _Reader(source, lines).meta(cleaned)


class _Reader:
    def __init__(self, source: str, lines: dict[str, int]) -> None:
        self.source = source
        self.lines = lines

    def fail(self, key: str, message: str) -> ParseError:
        return ParseError(f"front matter `{key}`: {message}", self.source, self.lines.get(key, 0))

    def string(self, data: dict[str, Any], key: str) -> str:
        value = data.get(key)
        if value is None:
            return ""
        if isinstance(value, (str, int, float)) and not isinstance(value, bool):
            return str(value).strip()
        raise self.fail(key, f"must be text, not {_kind(value)}")

    def strings(self, data: dict[str, Any], key: str, *, split_commas: bool = False) -> tuple[str, ...]:
        value = data.get(key)
        if value is None:
            return ()
        if isinstance(value, str):
            parts = value.split(",") if split_commas else [value]
            return tuple(p.strip() for p in parts if p.strip())
        if isinstance(value, list):
            out = []
            for item in value:
                if not isinstance(item, (str, int, float)) or isinstance(item, bool):
                    raise self.fail(key, f"every entry must be text, not {_kind(item)}")
                if str(item).strip():
                    out.append(str(item).strip())
            return tuple(out)
        raise self.fail(key, f"must be a list of text, not {_kind(value)}")

    def authors(self, data: dict[str, Any]) -> tuple[Author, ...]:
        value = data.get("authors", data.get("author"))
        key = "authors" if "authors" in data else "author"
        if value is None:
            return ()
        if isinstance(value, (str, dict)):
            value = [value]
        if not isinstance(value, list):
            raise self.fail(key, f"must be a list of names or of `name:` entries, not {_kind(value)}")
        out = []
        for item in value:
            if isinstance(item, str):
                out.append(Author(name=item.strip()))
            elif isinstance(item, dict):
                fields = {}
                for field in ("name", "affiliation", "bio"):
                    sub = item.get(field)
                    if sub is not None and not isinstance(sub, str):
                        raise self.fail(key, f"`{field}` must be text, not {_kind(sub)}")
                    fields[field] = (sub or "").strip()
                unknown = set(item) - {"name", "affiliation", "bio"}
                if unknown:
                    raise self.fail(key, f"unknown author field(s): {', '.join(sorted(map(str, unknown)))}")
                if not fields["name"]:
                    raise self.fail(key, "every author needs a `name`")
                out.append(Author(**fields))
            else:
                raise self.fail(key, f"each author must be a name or a mapping, not {_kind(item)}")
        return tuple(out)

    def date(self, data: dict[str, Any]) -> str:
        value = data.get("date")
        if value is None:
            return ""
        if isinstance(value, (_dt.date, _dt.datetime)):
            return value.isoformat()
        if isinstance(value, str):
            value = value.strip()
            if re.match(r"\d{4}-\d\d-\d\d", value):
                try:
                    _dt.date.fromisoformat(value[:10])
                except ValueError:
                    raise self.fail("date", f"{value!r} is not a valid date") from None
                self._in_range(value)
            return value
        raise self.fail("date", f"must be a date like 2022-01-14, not {_kind(value)}")

    def _in_range(self, value: str) -> None:
        """A date with a time and offset must stay within years 1-9999 in UTC (outputs stamp UTC)."""
        try:
            parsed = _dt.datetime.fromisoformat(value)
        except ValueError:
            return  # text after the date: shown as written, not used as a stamp
        try:
            (parsed if parsed.tzinfo else parsed.replace(tzinfo=_dt.timezone.utc)).astimezone(_dt.timezone.utc)
        except OverflowError:
            raise self.fail("date", f"{value!r} falls outside the years 1-9999 in UTC") from None

    def image(self, data: dict[str, Any]) -> ImageMeta | None:
        value = data.get("image")
        if value is None:
            return None
        if isinstance(value, str):
            return ImageMeta(src=value.strip())
        if not isinstance(value, dict):
            raise self.fail("image", f"must be a path or a mapping, not {_kind(value)}")
        allowed = {"caption", "credit", "src", "alt"}
        unknown = set(value) - allowed
        if unknown:
            raise self.fail("image", f"unknown field(s): {', '.join(sorted(map(str, unknown)))}")
        for k, v in value.items():
            if v is not None and not isinstance(v, str):
                raise self.fail("image", f"`{k}` must be text, not {_kind(v)}")
        return ImageMeta(**{k: (v or "").strip() for k, v in value.items()})

    def meta(self, data: dict[str, Any]) -> Meta:
        extra = []
        for key in data:
            if str(key) not in KNOWN_KEYS and str(key) != "author":
                line = self.lines.get(str(key), 0)
                where = f"{self.source}:{line}" if line else self.source
                warnings.warn(
                    f"{where}: unknown front-matter key `{key}` (kept, not used)",
                    BriefExportWarning,
                    stacklevel=4,
                )
                extra.append((str(key), json.dumps(data[key], ensure_ascii=False, sort_keys=True, default=str)))
        lang = self.string(data, "lang") or "en"
        return Meta(
            title=self.string(data, "title"),
            subtitle=self.string(data, "subtitle"),
            authors=self.authors(data),
            date=self.date(data),
            lang=lang,
            keywords=self.strings(data, "keywords", split_commas=True),
            series=self.string(data, "series"),
            key_points=self.strings(data, "key_points"),
            image=self.image(data),
            slug=self.string(data, "slug"),
            pull_quote=self.string(data, "pull_quote"),
            citations=read_citation_meta(data, self.fail),
            extra=tuple(extra),
            lines=tuple(sorted(self.lines.items(), key=lambda kv: kv[1])),
        )


def _kind(value: Any) -> str:
    if isinstance(value, bool):
        return "true/false"
    if isinstance(value, (int, float)):
        return f"the number {value}"
    if isinstance(value, list):
        return "a list"
    if isinstance(value, dict):
        return "a mapping"
    return type(value).__name__
