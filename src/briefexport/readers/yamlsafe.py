"""YAML front matter loaded within limits: size, nesting depth, alias expansion, text.

PyYAML's safe loader refuses `!!python/...` tags but has no limits: a 1 kB
billion-laughs document (nine aliases of nine aliases ...) grows past 4 GB
once anything walks it, and its composer recurses once per nesting level.
So the event stream is checked first (iteratively: size and depth), the
composed node graph is measured with aliases expanded before anything is
constructed, and lone surrogates (from `"\\ud800"` escapes) become U+FFFD.
The numbers are documented in the README's "Errors and limits".
"""

from __future__ import annotations

from typing import Any

import yaml

from ..errors import ParseError

MAX_BYTES = 256_000  # front matter; a brief's is under 2 kB
MAX_DEPTH = 20  # nested mappings and lists; a brief's is 3
MAX_NODES = 100_000  # values with every alias expanded


def check_events(text: str, loader: type, source: str, first_line: int) -> None:
    """Refuse front matter that is too big or nests too deep, before it is composed."""
    size = len(text.encode("utf-8", "surrogatepass"))
    if size > MAX_BYTES:
        raise ParseError(f"front matter is {size:,} bytes; at most {MAX_BYTES:,} are allowed", source, first_line)
    depth = 0
    for event in yaml.parse(text, Loader=loader):
        if isinstance(event, (yaml.MappingStartEvent, yaml.SequenceStartEvent)):
            depth += 1
            if depth > MAX_DEPTH:
                line = first_line + event.start_mark.line if event.start_mark else first_line
                raise ParseError(f"front matter nests more than {MAX_DEPTH} levels deep", source, line)
        elif isinstance(event, (yaml.MappingEndEvent, yaml.SequenceEndEvent)):
            depth -= 1


def check_expansion(node: yaml.Node, source: str, first_line: int) -> None:
    """Refuse a node graph that aliases expand past MAX_NODES, or that refers to itself."""
    sizes: dict[int, int] = {}
    open_nodes: set[int] = set()
    stack: list[tuple[yaml.Node, bool]] = [(node, False)]
    while stack:
        current, done = stack.pop()
        key = id(current)
        children = _children(current)
        if done:
            open_nodes.discard(key)
            sizes[key] = 1 + sum(sizes[id(c)] for c in children)
            if sizes[key] > MAX_NODES:
                line = first_line + current.start_mark.line if current.start_mark else first_line
                raise ParseError(f"front matter expands to more than {MAX_NODES:,} values through its "
                                 "aliases (`*name`)", source, line)
            continue
        if key in sizes:
            continue
        if key in open_nodes:
            line = first_line + current.start_mark.line if current.start_mark else first_line
            raise ParseError("front matter: an alias refers to the value that contains it", source, line)
        open_nodes.add(key)
        stack.append((current, True))
        stack.extend((c, False) for c in children if id(c) not in sizes)


def _children(node: yaml.Node) -> list[yaml.Node]:
    if isinstance(node, yaml.MappingNode):
        return [n for pair in node.value for n in pair]
    if isinstance(node, yaml.SequenceNode):
        return list(node.value)
    return []


def replace_surrogates(data: Any) -> tuple[Any, bool]:
    """`data` with every lone surrogate replaced by U+FFFD; True when any was."""
    found = False

    def fix(value: Any) -> Any:
        nonlocal found
        if isinstance(value, str):
            try:
                value.encode("utf-8")
            except UnicodeEncodeError:
                found = True
                # A valid pair of escapes becomes its character; a lone half, U+FFFD.
                return value.encode("utf-16", "surrogatepass").decode("utf-16", "replace")
            return value
        if isinstance(value, list):
            return [fix(v) for v in value]
        if isinstance(value, dict):
            return {fix(k): fix(v) for k, v in value.items()}
        return value

    # Depth is bounded by check_events, so this recursion is too.
    return fix(data), found
