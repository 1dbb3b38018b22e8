"""The tree as versioned JSON and as a readable text dump (for tests and `tree`)."""

from __future__ import annotations

import dataclasses
import json
from typing import Any

from .walk import children
from .nodes import (
    _NODE_TYPES, FORMAT, FORMAT_VERSION, READABLE_VERSIONS, Attrs, BulletList, Cite,
    DefinitionList, Document, OrderedList, Table,
)


def to_json(doc: Document, *, indent: int | None = 1) -> str:
    """The tree as JSON text, with the format name and version."""
    payload = {"format": FORMAT, "version": FORMAT_VERSION, "document": _encode(doc)}
    return json.dumps(payload, ensure_ascii=False, indent=indent, sort_keys=False)


def from_json(text: str) -> Document:
    payload = json.loads(text)
    if not isinstance(payload, dict) or payload.get("format") != FORMAT:
        raise ValueError(f"not a {FORMAT} JSON document")
    if payload.get("version") not in READABLE_VERSIONS:
        raise ValueError(
            f"{FORMAT} version {payload.get('version')!r} is not supported "
            f"(this is version {FORMAT_VERSION})"
        )
    doc = _decode(payload["document"])
    if not isinstance(doc, Document):
        raise ValueError("the JSON does not hold a document")
    return doc


def _encode(value: Any) -> Any:
    if value is None or isinstance(value, (str, int)):  # bool is an int
        return value
    if isinstance(value, tuple):
        return [_encode(v) for v in value]
    fields = _FIELDS.get(type(value))
    if fields is None:
        if not dataclasses.is_dataclass(value) or isinstance(value, type):
            raise TypeError(f"cannot encode {type(value).__name__} in the tree")
        fields = _FIELDS[type(value)] = tuple(f.name for f in dataclasses.fields(value))
    out: dict[str, Any] = {"t": type(value).__name__}
    for name in fields:
        out[name] = _encode(getattr(value, name))
    return out


# Field names per node class: asking `dataclasses.fields` again for every
# node was most of the cost of encoding a large tree.
_FIELDS: dict[type, tuple[str, ...]] = {}


def _decode(value: Any) -> Any:
    if isinstance(value, list):
        return tuple(_decode(v) for v in value)
    if isinstance(value, dict):
        name = value.get("t")
        cls = _NODE_TYPES.get(name)  # type: ignore[arg-type]
        if cls is None:
            raise ValueError(f"unknown node type {name!r}")
        kwargs = {k: _decode(v) for k, v in value.items() if k != "t"}
        return cls(**kwargs)
    return value


# ------------------------------------------------------------------ dump


def dump(node: Any) -> str:
    """A readable, indented outline of a tree, for fixtures and debugging.

    One node a line: its type, its scalar fields (`level=2`, `url='…'`), and
    `@line` for blocks; children indented below.  Meta is not included.
    """
    lines: list[str] = []
    _dump(node, 0, lines)
    return "\n".join(lines)


def _dump(node: Any, depth: int, out: list[str]) -> None:
    pad = "  " * depth
    if isinstance(node, Document):
        for block in node.blocks:
            _dump(block, depth, out)
        return
    parts = [type(node).__name__]
    for f in dataclasses.fields(node):
        value = getattr(node, f.name)
        if f.name == "line":
            continue
        if isinstance(value, (str, int, bool)):
            default = f.default
            if value != default:
                parts.append(f"{f.name}={value!r}")
        elif isinstance(value, Attrs) and value != Attrs():
            parts.append(f"attrs={value.id!r},{value.classes!r},{value.kv!r}")
        elif f.name == "aligns":
            parts.append(f"aligns={','.join(value)}")
    line = getattr(node, "line", 0)
    out.append(pad + " ".join(parts) + (f" @{line}" if line else ""))
    match node:
        case BulletList(items=items) | OrderedList(items=items):
            for item in items:
                out.append(pad + "  - item")
                for block in item:
                    _dump(block, depth + 2, out)
        case DefinitionList(items=items):
            for term, definitions in items:
                out.append(pad + "  - term")
                for inline in term:
                    _dump(inline, depth + 2, out)
                for definition in definitions:
                    out.append(pad + "  - definition")
                    for block in definition:
                        _dump(block, depth + 2, out)
        case Table(head=head, rows=rows, caption=caption):
            for label, row in (("head", head), *(("row", r) for r in rows)):
                out.append(pad + f"  - {label}")
                for cell in row:
                    _dump(cell, depth + 2, out)
            for inline in caption:
                _dump(inline, depth + 1, out)
        case Cite(items=items):
            for item in items:
                extra = "".join(f" {k}={v!r}" for k, v in (("label", item.label), ("locator", item.locator)) if v)
                out.append(pad + f"  - item key={item.key!r} mode={item.mode}{extra}")
                for label, run in (("prefix", item.prefix), ("suffix", item.suffix)):
                    if run:
                        out.append(pad + f"    - {label}")
                        for inline in run:
                            _dump(inline, depth + 3, out)
        case _:
            for child in children(node):
                _dump(child, depth + 1, out)
