"""The `json` format: the document tree itself, for tooling and debugging."""

from __future__ import annotations

import dataclasses
from pathlib import Path
from typing import TYPE_CHECKING

if TYPE_CHECKING:  # only types: listing the formats must not load the tree or theme
    from ..theme import Theme
    from ..tree import Document


class JsonBackend:
    name = "json"
    suffix = ".json"
    media_type = "application/json"
    description = "the document tree as JSON (versioned; the format of `briefexport tree`)"
    draws_text = False  # no fonts: the glyph check and font fallback skip it

    def render(self, doc: Document, theme: Theme, *, base_dir: Path) -> bytes:
        from ..tree import to_json

        # Only the file name: the folder it was typed with is the sender's business.
        named = dataclasses.replace(doc, source=Path(doc.source).name) if doc.source else doc
        return (to_json(named) + "\n").encode("utf-8")
