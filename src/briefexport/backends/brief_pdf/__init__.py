"""The `pdf` format: the policy brief as an A4 (or theme-sized) PDF.

Only the standard library at import time: reportlab is loaded inside
`render`, so listing formats or rendering a DOCX never pays for it.  The
package builds on `_reportlab` (shared with the one-pager), never on the
other format packages.
"""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING

if TYPE_CHECKING:  # only types: listing the formats must not load the tree or theme
    from ...theme import Theme
    from ...tree import Document


class PdfBriefBackend:
    name = "pdf"
    suffix = ".pdf"
    media_type = "application/pdf"
    description = "the policy brief as a PDF: header band, key takeaways, notes, outline"
    # What a process rendering this format imports, and what for (`delivery.forked.Warm`):
    # formats of one library render in one process, which imports `preload` ahead.
    library = "reportlab"
    preload = ("briefexport.backends.brief_pdf.build",)
    cold_cost = 130  # ms of CPU a cold process spends importing for and rendering the article

    def render(self, doc: Document, theme: Theme, *, base_dir: Path) -> bytes:
        from .build import render_brief

        return render_brief(doc, theme, base_dir=base_dir)
