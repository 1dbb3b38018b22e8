"""Backends: the `Backend` protocol and the registry over entry points.

Every format, the built-in ones included, registers under the entry-point
group `briefexport.backends`, so a third-party package adds a format by
declaring one entry point.  The built-in formats are also listed in
`BUILTIN`, so that rendering one never reads any package's metadata (reading
it costs more than a DOCX render); the entry points are read only to list
the formats or to find one that is not built in.  Loading is lazy: `formats`
imports no rendering library, and a `docx` render imports python-docx but
never reportlab.  `render` is where every
render starts.  Backends may import fonts, transforms, theme, common and the
tree, never a reader or delivery: they get a tree and return bytes.
"""

from __future__ import annotations

import functools
import importlib
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Protocol, runtime_checkable

from ..common.scripts import defer_harfbuzz
from ..errors import UnknownFormatError

# Before any backend imports reportlab, which imports uharfbuzz at once.
defer_harfbuzz()

if TYPE_CHECKING:
    from ..theme import Theme
    from ..tree import Document

GROUP = "briefexport.backends"
# The entry points pyproject.toml declares for the formats that ship with
# briefexport (tests/backends/test_registry.py checks that the two agree).
# A built-in name always means the built-in format.
BUILTIN = {
    "json": "briefexport.backends.json:JsonBackend",
    "pdf": "briefexport.backends.brief_pdf:PdfBriefBackend",
    "docx": "briefexport.backends.brief_docx:DocxBackend",
    "onepager": "briefexport.backends.onepager:OnePagerBackend",
    "onepager-pptx": "briefexport.backends.onepager:OnePagerPptxBackend",
}


@runtime_checkable
class Backend(Protocol):
    name: str
    suffix: str  # the file ending with its dot, e.g. ".pdf"
    media_type: str
    description: str

    def render(self, doc: "Document", theme: "Theme", *, base_dir: Path) -> bytes:
        """Render `doc`; `base_dir` is the folder that relative paths resolve in."""
        ...


@dataclass(frozen=True)
class RenderResult:
    """What a render produced, besides the bytes: warnings for the user."""

    data: bytes
    warnings: tuple[str, ...] = ()


@functools.cache
def _entry_points() -> dict[str, str]:
    """Format name -> `module:object`, built-in formats first, then every entry point."""
    from importlib.metadata import entry_points

    found = dict(BUILTIN)
    for ep in entry_points(group=GROUP):
        found.setdefault(ep.name, ep.value)
    return found


def names() -> list[str]:
    """The registered format names, sorted."""
    return sorted(_entry_points())


def _load(value: str) -> object:
    # What `EntryPoint.load` does: `module:attr.attr`, extras (`[x]`) ignored.
    module, _, attrs = value.partition("[")[0].strip().partition(":")
    target: object = importlib.import_module(module.strip())
    for attr in filter(None, attrs.strip().split(".")):
        target = getattr(target, attr)
    return target


@functools.cache
def get(name: str) -> Backend:
    """The backend registered as `name`; unknown names list the known ones."""
    value = BUILTIN.get(name) or _entry_points().get(name)
    if value is None:
        known = ", ".join(names()) or "none"
        raise UnknownFormatError(f"unknown format {name!r} (known formats: {known})")
    factory = _load(value)
    backend = factory() if isinstance(factory, type) else factory
    if not isinstance(backend, Backend):
        raise UnknownFormatError(f"format {name!r}: {value} is not a briefexport backend")
    return backend


def render(doc: "Document", fmt: str, theme: "Theme", *, base_dir: Path | None = None) -> bytes:
    """Render `doc` in format `fmt`; relative paths resolve in `base_dir`.

    The one place a render starts, for the API, a batch and the email bundle:
    fonts installed on the machine join the theme's chains for what the
    document needs and they lack (CJK...), for the backends that draw text.
    """
    if base_dir is None:
        base_dir = Path(doc.source).parent if doc.source and not doc.source.startswith("<") else Path.cwd()
    backend = get(fmt)
    from ..transforms.prepare import prepare

    # Citations and cross-references become ordinary inlines, notes and a
    # bibliography here, so no backend meets a `Cite`; a summary (the
    # one-pager) shows none of them.
    doc = prepare(doc, theme)
    if not getattr(backend, "shows_citations", True):
        from ..transforms.strip import strip_citations

        doc = strip_citations(doc)
    if getattr(backend, "draws_text", True):
        from ..fonts.coverage import document_theme

        theme = document_theme(doc, theme)
    return backend.render(doc, theme, base_dir=Path(base_dir))


def output_name(doc: "Document", fmt: str) -> str:
    """The file name an output of `doc` in `fmt` gets (slug + format suffix)."""
    from ..common.names import stem_for

    backend = get(fmt)
    return stem_for(doc.meta, doc.source) + getattr(backend, "name_suffix", "") + backend.suffix
