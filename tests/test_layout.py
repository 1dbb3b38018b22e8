"""The house rules of the source tree, checked from the code itself.

Every import arrow points down the layers (shell -> delivery -> backends ->
fonts/readers/transforms -> theme/common -> tree -> errors), no two modules
import each other through any path, every package is listed for the wheel,
and no module grows past the size a reader can hold in mind.  Imports inside
functions and under TYPE_CHECKING count: they are arrows all the same.
"""

from __future__ import annotations

import ast
import tomllib
from pathlib import Path

import pytest

from conftest import ROOT

SRC = ROOT / "src"
PACKAGE = SRC / "briefexport"
MAX_LINES = 400

# The layer of each top-level part; a module may import its own layer or lower.
LAYERS = {
    "errors": 0, "_version": 0,
    "tree": 1,
    "theme": 2, "common": 2,
    "readers": 3, "transforms": 3, "fonts": 3,
    "backends": 4,
    "delivery": 5,
    "cli": 6, "batch": 6, "check": 6, "watch": 6, "__init__": 6, "__main__": 6,
    "cli_import": 6, "roundtrip": 6,
}


def _module_name(path: Path) -> str:
    parts = list(path.relative_to(SRC).with_suffix("").parts)
    if parts[-1] == "__init__":
        parts.pop()
    return ".".join(parts)


def _modules() -> dict[str, Path]:
    return {_module_name(p): p for p in sorted(PACKAGE.rglob("*.py"))}


def _imports(name: str, path: Path, known: set[str]) -> set[str]:
    """The briefexport modules `name` imports, anywhere in its body."""
    is_package = path.name == "__init__.py"
    found: set[str] = set()
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.Import):
            targets = [a.name for a in node.names]
        elif isinstance(node, ast.ImportFrom):
            if node.level:
                base = name.split(".") if is_package else name.split(".")[:-1]
                base = base[: len(base) - (node.level - 1)]
                module = ".".join(base + ([node.module] if node.module else []))
            else:
                module = node.module or ""
            # `from . import x` imports the submodule x when there is one.
            targets = [f"{module}.{a.name}" if f"{module}.{a.name}" in known else module for a in node.names]
        else:
            continue
        found.update(t for t in targets if t in known and t != name)
    return found


def _graph() -> dict[str, set[str]]:
    modules = _modules()
    known = set(modules)
    return {name: _imports(name, path, known) for name, path in modules.items()}


def _layer(module: str) -> int:
    parts = module.split(".")
    top = parts[1] if len(parts) > 1 else "__init__"
    return LAYERS[top]


def _cycles(graph: dict[str, set[str]]) -> list[list[str]]:
    """Strongly connected components with more than one module (Tarjan)."""
    index: dict[str, int] = {}
    low: dict[str, int] = {}
    stack: list[str] = []
    on_stack: set[str] = set()
    found: list[list[str]] = []

    def visit(v: str) -> None:
        index[v] = low[v] = len(index)
        stack.append(v)
        on_stack.add(v)
        for w in sorted(graph[v]):
            if w not in index:
                visit(w)
                low[v] = min(low[v], low[w])
            elif w in on_stack:
                low[v] = min(low[v], index[w])
        if low[v] == index[v]:
            component = []
            while True:
                w = stack.pop()
                on_stack.discard(w)
                component.append(w)
                if w == v:
                    break
            if len(component) > 1:
                found.append(sorted(component))

    for v in sorted(graph):
        if v not in index:
            visit(v)
    return found


def test_the_checker_sees_imports_inside_functions_and_type_checking_blocks() -> None:
    # The DOCX block writer imports the image classes inside a method and the
    # context under TYPE_CHECKING: both must be arrows, or the checks below see too little.
    graph = _graph()
    assert "briefexport.backends.brief_docx.context" in graph["briefexport.backends.brief_docx.blocks"]
    assert "briefexport.fonts.system" in graph["briefexport.fonts.faces"]  # imported inside a function


def test_no_import_circles() -> None:
    assert _cycles(_graph()) == []


def test_the_cycle_finder_finds_a_cycle() -> None:
    graph = {"a": {"b"}, "b": {"c"}, "c": {"a"}, "d": {"a"}}
    assert _cycles(graph) == [["a", "b", "c"]]


def test_every_arrow_points_down_the_layers() -> None:
    upward = [
        f"{source} (layer {_layer(source)}) imports {target} (layer {_layer(target)})"
        for source, targets in _graph().items()
        for target in sorted(targets)
        if _layer(target) > _layer(source)
    ]
    assert upward == []


def test_every_part_has_a_layer() -> None:
    tops = {name.split(".")[1] for name in _modules() if "." in name}
    assert tops <= set(LAYERS), f"give these a layer in LAYERS: {sorted(tops - set(LAYERS))}"


def test_backends_never_see_markdown_and_readers_never_know_a_backend() -> None:
    graph = _graph()
    for source, targets in graph.items():
        if source.startswith("briefexport.backends"):
            assert not any(t.startswith("briefexport.readers") for t in targets), source
            text = _modules()[source].read_text(encoding="utf-8")
            assert "markdown_it" not in text, f"{source} imports markdown-it"
        if source.startswith("briefexport.readers"):
            assert not any(t.startswith("briefexport.backends") for t in targets), source


def test_pyproject_lists_every_package() -> None:
    listed = set(tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))["tool"]["setuptools"]["packages"])
    on_disk = {_module_name(p) for p in PACKAGE.rglob("__init__.py")} | {"briefexport.styles"}
    assert listed == on_disk


@pytest.mark.parametrize("name", sorted(_modules()))
def test_modules_stay_small(name: str) -> None:
    lines = _modules()[name].read_text(encoding="utf-8").count("\n")
    assert lines <= MAX_LINES, f"{name} has {lines} lines; split it by job"


def test_every_package_says_what_it_is_for() -> None:
    for init in PACKAGE.rglob("__init__.py"):
        doc = ast.get_docstring(ast.parse(init.read_text(encoding="utf-8")))
        assert doc and len(doc.split()) >= 12, f"{init.relative_to(ROOT)} needs a docstring saying what it is for"
