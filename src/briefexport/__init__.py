"""briefexport: one Markdown article out as a PDF brief, a DOCX and a one-pager.

The small Python API behind the CLI::

    doc = briefexport.parse("source/article.md")
    theme = briefexport.load_theme()              # styles/default.toml
    pdf = briefexport.render(doc, "pdf", theme)   # bytes
    paths = briefexport.export("source/article.md", ["pdf", "docx"], "build")
"""

from __future__ import annotations

from importlib.metadata import PackageNotFoundError, version
from pathlib import Path
from typing import TYPE_CHECKING

try:
    __version__ = version("briefexport")
except PackageNotFoundError:  # running from a source tree without installing
    __version__ = "0+unknown"

# Imported eagerly on purpose: importing the submodule `briefexport.parse`
# later would rebind the attribute `briefexport.parse` from the function
# below to the module.  Loaded once here, the function defined after wins.
from . import parse as _parse_module

if TYPE_CHECKING:
    from .theme import Theme
    from .tree import Document

# `--format all`: the three outputs the mission promises.
ALL_FORMATS = ("pdf", "docx", "onepager")


def parse(source: str | Path) -> "Document":
    """Parse a Markdown file into the document tree."""
    return _parse_module.parse_file(source)


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
    backend = backends.get(fmt)
    if getattr(backend, "draws_text", True):
        from .coverage import document_theme

        # Installed fonts join the theme's chains for what they lack (CJK...).
        theme = document_theme(doc, theme)
    return backend.render(doc, theme, base_dir=Path(base_dir))


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


__all__ = ["ALL_FORMATS", "__version__", "export", "load_theme", "output_name", "parse", "render"]
