"""The one-pager formats: a 16:9 summary slide as PDF (`onepager`) and PPTX (`onepager-pptx`).

Only light imports here: `briefexport formats` lists these backends without
loading reportlab or python-pptx, which `render` imports when it runs.
Both formats draw the same plan (`_onepager_fit.plan`), so they show the same
text at the same sizes and warn about the same omissions.
"""

from __future__ import annotations

from pathlib import Path

from ..theme import Theme
from ..tree import Document


class OnePagerBackend:
    name = "onepager"
    suffix = ".pdf"
    name_suffix = "-onepager"
    media_type = "application/pdf"
    description = "one 16:9 summary slide as PDF (key points, quote), always one page"

    def render(self, doc: Document, theme: Theme, *, base_dir: Path) -> bytes:
        from ._onepager_fit import plan, warn_omissions
        from ._onepager_pdf import draw

        slide = plan(doc, theme)
        warn_omissions(doc, slide)
        return draw(slide, doc, theme)


class OnePagerPptxBackend:
    name = "onepager-pptx"
    suffix = ".pptx"
    name_suffix = "-onepager"
    media_type = "application/vnd.openxmlformats-officedocument.presentationml.presentation"
    description = "the one-page summary slide as an editable PowerPoint file"

    def render(self, doc: Document, theme: Theme, *, base_dir: Path) -> bytes:
        from ._onepager_fit import plan, warn_omissions
        from ._onepager_pptx import draw

        slide = plan(doc, theme)
        warn_omissions(doc, slide)
        return draw(slide, doc, theme)
