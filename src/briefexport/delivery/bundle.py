"""The files of one source, rendered together: sizes, the attachment budget.

`render` and `email` both render a source into several formats and then care
about the set: its total size against the budget (mail servers refuse big
messages, and recipients' inboxes fill up), where each file goes, and the
manifest.  Rendering everything before writing anything means that a budget
error under `--strict` leaves the old files in place.
"""

from __future__ import annotations

import warnings
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

from ..errors import BriefExportError, BriefExportWarning
from .output import human_size, write_atomic

if TYPE_CHECKING:
    from ..theme import Theme
    from ..tree import Document
    from .forked import Warm


@dataclass(frozen=True)
class RenderedFile:
    format: str
    path: Path
    media_type: str
    data: bytes

    @property
    def size(self) -> int:
        return len(self.data)


class BudgetError(BriefExportError):
    """The outputs are bigger than the attachment budget (with `--strict`)."""


def render_files(
    doc: "Document", formats: list[str], theme: "Theme", output_dir: Path, *, output: Path | None = None,
    warm: "Warm | None" = None,
) -> list[RenderedFile]:
    """Render `doc` in each format; `output` names the file when there is one format.

    `warm` holds processes that imported the formats' libraries meanwhile and
    render them (see `forked`); the files, warnings and errors are those of
    rendering here.
    """
    from .. import backends
    from . import forked

    def made(fmt: str, data: bytes) -> RenderedFile:
        target = output if output is not None else output_dir / backends.output_name(doc, fmt)
        return RenderedFile(fmt, target, backends.get(fmt).media_type, data)

    def one(fmt: str) -> RenderedFile:
        return made(fmt, backends.render(doc, fmt, theme))

    if warm is not None and warm.covers(formats):
        return warm.render(one, formats, forked.request_for(doc, theme), made)
    return [one(fmt) for fmt in formats]


def total_size(files: list[RenderedFile]) -> int:
    return sum(f.size for f in files)


def check_budget(files: list[RenderedFile], budget: int, *, strict: bool = False, source: str = "") -> None:
    """Warn (or with `strict` raise `BudgetError`) when the files exceed `budget` bytes."""
    total = total_size(files)
    if total <= budget:
        return
    biggest = max(files, key=lambda f: f.size)
    message = (
        f"the outputs total {human_size(total)}, over the {human_size(budget)} attachment budget "
        f"(largest: {biggest.path.name}, {human_size(biggest.size)}); "
        "raise it with --max-attachment-size or [output] max-attachment-size"
    )
    if strict:
        raise BudgetError(message, source)
    warnings.warn(f"{source}: {message}" if source else message, BriefExportWarning, stacklevel=2)


def write_files(files: list[RenderedFile]) -> None:
    for f in files:
        write_atomic(f.path, f.data)
