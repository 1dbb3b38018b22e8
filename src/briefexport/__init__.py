"""briefexport: one Markdown article out as a PDF brief, a DOCX and a one-pager.

The small Python API behind the CLI::

    doc = briefexport.parse("source/article.md")
    theme = briefexport.load_theme()              # styles/default.toml
    pdf = briefexport.render(doc, "pdf", theme)   # bytes
    paths = briefexport.export("source/article.md", ["pdf", "docx"], "build")
"""

from __future__ import annotations

import sys
import types
from importlib.metadata import PackageNotFoundError, version
from pathlib import Path
from typing import TYPE_CHECKING

try:
    __version__ = version("briefexport")
except PackageNotFoundError:  # running from a source tree without installing
    __version__ = "0+unknown"

if TYPE_CHECKING:
    from .theme import Theme
    from .tree import Document

# `--format all`: the three outputs the mission promises.
ALL_FORMATS = ("pdf", "docx", "onepager")


def parse(source: str | Path) -> "Document":
    """Parse a Markdown file into the document tree."""
    from .parse import parse_file

    return parse_file(source)


def load_theme(path: str | Path | None = None) -> "Theme":
    """Load a theme (`styles/*.toml`); None means the built-in default."""
    from .theme import load_theme as _load

    return _load(path)


def render(doc: "Document", fmt: str, theme: "Theme | None" = None, *, base_dir: str | Path | None = None) -> bytes:
    """Render `doc` in format `fmt`; relative paths resolve in `base_dir`."""
    from . import backends

    if theme is None:
        theme = load_theme()
    if base_dir is None:
        base_dir = Path(doc.source).parent if doc.source and not doc.source.startswith("<") else Path.cwd()
    return backends.get(fmt).render(doc, theme, base_dir=Path(base_dir))


def output_name(doc: "Document", fmt: str) -> str:
    """The file name an output of `doc` in `fmt` gets (slug + format suffix)."""
    from . import backends
    from .output import stem_for

    backend = backends.get(fmt)
    return stem_for(doc.meta, doc.source) + getattr(backend, "name_suffix", "") + backend.suffix


def export(
    source: str | Path,
    formats: "list[str] | tuple[str, ...]" = ALL_FORMATS,
    output_dir: str | Path = "build",
    *,
    theme: "Theme | str | Path | None" = None,
) -> list[Path]:
    """Parse `source`, render each format and write the files atomically."""
    from .output import write_atomic
    from .theme import Theme as _Theme

    doc = parse(source)
    resolved = theme if isinstance(theme, _Theme) else load_theme(theme)
    written = []
    for fmt in formats:
        data = render(doc, fmt, resolved)
        target = Path(output_dir) / output_name(doc, fmt)
        write_atomic(target, data)
        written.append(target)
    return written


class _Package(types.ModuleType):
    """This package, keeping `parse` the function.

    Importing the submodule `briefexport.parse` (as `parse()` itself does)
    makes Python bind the module to the package's `parse` attribute, so a
    second `briefexport.parse(...)` call would hit a module.
    """

    def __setattr__(self, name: str, value: object) -> None:
        if name == "parse" and isinstance(value, types.ModuleType):
            return
        super().__setattr__(name, value)


sys.modules[__name__].__class__ = _Package

__all__ = ["ALL_FORMATS", "__version__", "export", "load_theme", "output_name", "parse", "render"]
