"""The one-pager formats: a 16:9 summary slide as PDF (`onepager`) and PPTX (`onepager-pptx`).

Only light imports here: `briefexport formats` lists these backends without
loading reportlab or python-pptx, which `render` imports when it runs.
Both formats draw the same plan (`plan.plan`), so they show the same
text at the same sizes and warn about the same omissions.  It measures with
`_reportlab` and imports no other format package.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from pathlib import Path
from typing import TYPE_CHECKING

if TYPE_CHECKING:  # only types: listing the formats must not load the tree or theme
    from ...theme import Theme
    from ...tree import Document


class OnePagerBackend:
    name = "onepager"
    suffix = ".pdf"
    name_suffix = "-onepager"
    media_type = "application/pdf"
    description = "one 16:9 summary slide as PDF (key points, quote), always one page"
    shows_citations = False  # a summary: citation markers are left out, not drawn
    library = "reportlab"  # see PdfBriefBackend
    preload = ("briefexport.backends.onepager.pdf",)
    cold_cost = 95  # 15 of them after a brief PDF in the same process

    def render(self, doc: Document, theme: Theme, *, base_dir: Path) -> bytes:
        from .pdf import draw

        return _fitted(doc, theme, draw)


class OnePagerPptxBackend:
    name = "onepager-pptx"
    suffix = ".pptx"
    name_suffix = "-onepager"
    media_type = "application/vnd.openxmlformats-officedocument.presentationml.presentation"
    description = "the one-page summary slide as an editable PowerPoint file"
    shows_citations = False
    library = "python-pptx"  # and reportlab, which measures the text
    preload = ("briefexport.backends.onepager.pptx",)
    cold_cost = 110

    def render(self, doc: Document, theme: Theme, *, base_dir: Path) -> bytes:
        from .pptx import draw

        return _fitted(doc, theme, draw)


def _fitted(doc: Document, theme: Theme, draw: Callable[..., bytes]) -> bytes:
    """One fit plan, its omissions warned about, drawn by either format."""
    from .plan import plan, warn_omissions

    slide = plan(doc, theme)
    warn_omissions(doc, slide)
    return draw(slide, doc, theme)


def fit_findings(doc: Document, theme: Theme) -> Iterator[tuple[str, int, str, str]]:
    """What the one-pager's fit would do to `doc`, for `briefexport check`.

    The same plan both formats draw, measured without drawing a page:
    `onepager-shrink` for a zone set smaller than the theme's size for it,
    `onepager-drop` for each text left out or shortened.
    """
    from .plan import plan

    slide = plan(doc, theme)
    op = theme.onepager
    themed = {"title": op.title_size, "key points": op.points_size, "pull quote": op.quote_size}
    for sizing in slide.sizes:
        wanted = themed[sizing.what]
        if sizing.size >= wanted:
            continue
        if sizing.size < sizing.start:
            why = "to fit the slide"
        else:
            # Not too long itself: held below the key points' size ratio.
            why = f"to stay within {op.quote_points_ratio:g} × the key points' size"
        yield ("warning", sizing.line, "onepager-shrink",
               f"one-pager: {sizing.what} set at {sizing.size:g} pt instead of {wanted:g} pt {why}")
    for line, message in slide.omissions:
        yield "warning", line, "onepager-drop", f"one-pager: {message}"
