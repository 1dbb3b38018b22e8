"""The `docx` format: the brief as an editable Word document.

This module is what the entry point names, so it imports only the standard
library and briefexport's light modules; python-docx is imported inside
`render()`, keeping `briefexport formats` and the PDF renders free of it.
The package writes WordprocessingML itself where python-docx has no API
(footnotes, fields, numbering) and imports no other format package.
"""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING

if TYPE_CHECKING:  # only types: listing the formats must not load the tree or theme
    from ...theme import Theme
    from ...tree import Document


class DocxBackend:
    name = "docx"
    suffix = ".docx"
    media_type = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"
    description = "the brief as an editable Word document (named styles, real footnotes and links)"
    library = "python-docx"  # see PdfBriefBackend
    preload = ("briefexport.backends.brief_docx.build",)
    cold_cost = 66

    def render(self, doc: Document, theme: Theme, *, base_dir: Path) -> bytes:
        from .build import render

        return render(doc, theme, Path(base_dir))
