"""The slide plan both one-pager formats draw, and the warnings about what it left out."""

from __future__ import annotations

import warnings

from ...errors import BriefExportWarning
from ...theme import Theme
from ...tree import Document
from ...common.scripts import is_rtl_language
from .content import select
from .fit import Measure, Slide
from .layout import Layouter


def plan(doc: Document, theme: Theme) -> Slide:
    """The laid-out slide for `doc` (see the module docstring for the fit order)."""
    content = select(doc, theme)
    return Layouter(Measure(theme, rtl=is_rtl_language(doc.meta.lang)), content).slide()


def warn_omissions(doc: Document, slide: Slide) -> None:
    for line, message in slide.omissions:
        where = f"{doc.source}:{line}" if line else doc.source
        warnings.warn(f"{where}: one-pager: {message}", BriefExportWarning, stacklevel=3)
