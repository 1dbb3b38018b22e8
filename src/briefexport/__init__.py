"""briefexport: one Markdown article out as a PDF brief, a DOCX and a one-pager.

The small Python API behind the CLI::

    doc = briefexport.parse("source/article.md")
    theme = briefexport.load_theme()              # styles/default.toml
    pdf = briefexport.render(doc, "pdf", theme)   # bytes
    paths = briefexport.export("source/article.md", ["pdf", "docx"], "build")
"""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING

from ._version import __version__

if TYPE_CHECKING:
    from .theme import Theme
    from .tree import Document

# `--format all`: the three outputs the mission promises.
ALL_FORMATS = ("pdf", "docx", "onepager")


def parse(source: str | Path, *, resource_path: "tuple[str | Path, ...] | list[str | Path]" = ()) -> "Document":
    """Parse a Markdown file into the document tree; `resource_path` names
    folders besides the source's where its bibliography may be."""
    from .readers.markdown import parse_file

    return parse_file(source, resource_path=resource_path)


def load_theme(path: str | Path | None = None) -> "Theme":
    """Load a theme (`styles/*.toml`); None means the built-in default."""
    from .theme import load_theme as _load

    return _load(path)


def render(doc: "Document", fmt: str, theme: "Theme | None" = None, *, base_dir: str | Path | None = None) -> bytes:
    """Render `doc` in format `fmt`; relative paths resolve in `base_dir`.

    A document that cites something is formatted by the citation engine on
    each call: for several formats, pass `transforms.prepare.prepare(doc,
    theme)` once and render that (as `export` does)."""
    from . import backends
    from .common.stamps import timestamp

    timestamp(doc.meta)  # a bad SOURCE_DATE_EPOCH is a BriefExportError, whichever backend reads it
    return backends.render(doc, fmt, theme if theme is not None else load_theme(),
                           base_dir=Path(base_dir) if base_dir is not None else None)


def output_name(doc: "Document", fmt: str) -> str:
    """The file name an output of `doc` in `fmt` gets (slug + format suffix)."""
    from . import backends

    return backends.output_name(doc, fmt)


def export(
    source: str | Path,
    formats: "list[str] | tuple[str, ...]" = ALL_FORMATS,
    output_dir: str | Path = "build",
    *,
    theme: "Theme | str | Path | None" = None,
    resource_path: "tuple[str | Path, ...] | list[str | Path]" = (),
) -> list[Path]:
    """Parse `source`, render each format, then write all the files or none."""
    from .delivery.output import write_all
    from .theme import Theme as _Theme

    from .transforms.prepare import prepare

    resolved = theme if isinstance(theme, _Theme) else load_theme(theme)
    # Citations formatted once for every format (the engine runs once).
    doc = prepare(parse(source, resource_path=resource_path), resolved)
    files = [(Path(output_dir) / output_name(doc, fmt), render(doc, fmt, resolved)) for fmt in formats]
    write_all(files)
    return [path for path, _ in files]


__all__ = ["ALL_FORMATS", "__version__", "export", "load_theme", "output_name", "parse", "render"]
