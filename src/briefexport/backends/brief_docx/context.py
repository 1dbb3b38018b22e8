"""Per-render state: one `Context` per render, never module globals."""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Protocol

from ...theme import Theme
from ...tree import Document, Note
from ...transforms.docx_roundtrip import heading_idents, heading_shift
from .numbering import BASE_NUMS, Numbering
from .styles import Names, style_faces



class NoteSink(Protocol):
    """Where the inline writer sends a footnote (`footnotes.Footnotes`)."""

    def add(self, note: Note) -> int: ...


@dataclass
class Context:
    doc: Document
    theme: Theme
    base_dir: Path
    names: Names
    numbering: Numbering
    document: Any  # docx.document.Document
    footnotes: NoteSink = field(init=False)
    anchors: dict[str, str] = field(default_factory=dict)  # link anchor -> bookmark name
    heading_marks: list[str] = field(default_factory=list)  # bookmark per body heading, in order
    heading_shift: int = 0
    next_bookmark: int = 0
    figures: int = 0
    tables: int = 0
    # Bookmarks of figures, tables and bibliography entries (`references`).
    marks: dict[str, str] = field(default_factory=dict)
    bookmarks_written: list[str] = field(default_factory=list)
    # For the round-trip part: each table's alignments and each picture's source, in writing order.
    table_aligns: list[tuple[str, ...]] = field(default_factory=list)
    image_sources: list[tuple[str, str, str]] = field(default_factory=list)  # (sha256 of the bytes, src, title)
    forced_faces: list[tuple[str, bool, bool]] = field(default_factory=list)  # (text, bold, italic) set otherwise

    # paragraph style id -> (font role, bold, italic), for setting runs in faces that have their letters
    style_faces: dict[str, tuple[str, bool, bool]] = field(default_factory=dict)

    def __post_init__(self) -> None:
        self.style_faces = style_faces(self.theme, self.names, BASE_NUMS)
        self._index_headings()
        from .references import index_targets

        index_targets(self)

    def bookmark_for_next_heading(self) -> str:
        return self.heading_marks[self.next_bookmark] if self.next_bookmark < len(self.heading_marks) else ""

    def _index_headings(self) -> None:
        # The title sits in the band, so the top level used becomes Heading 1.
        self.heading_shift = heading_shift(self.doc.blocks)
        for number, (heading, ident) in enumerate(heading_idents(self.doc.blocks), 1):
            mark = _bookmark_name(number, ident)
            self.heading_marks.append(mark)
            for key in (heading.attrs.id, ident):
                if key and key not in self.anchors:
                    self.anchors[key] = mark


def _bookmark_name(number: int, ident: str) -> str:
    # Word: at most 40 characters, a letter first, letters/digits/underscores.
    ascii_ident = unicodedata.normalize("NFKD", ident).encode("ascii", "ignore").decode("ascii")
    safe = re.sub(r"[^A-Za-z0-9]+", "_", ascii_ident).strip("_")
    return f"h{number}_{safe}"[:40].rstrip("_")
