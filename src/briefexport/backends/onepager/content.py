"""What the one-pager says, chosen once for both of its formats.

Plain strings only: the slide shows summaries (title, key points, a quote),
not the body's inline formatting, and plain strings are what both reportlab
(through `escape`) and python-pptx need.
"""

from __future__ import annotations

from dataclasses import dataclass

from ...common.display import display_date, join_names
from ...common.names import stem_for
from ...theme import Theme
from ...transforms.keypoints import derive_key_points, find_pull_quote, squash
from ...tree import Document
from .._reportlab.text import clean

# C0/C1 controls, lone surrogates and non-characters: no font draws them and
# XML (the PPTX) refuses most of them.
# The brief's PDF carries no name suffix: it is the main output.
BRIEF_SUFFIX = ".pdf"


def text(value: str) -> str:
    """Source text made safe to draw and to put in XML, on one line."""
    return squash(clean(value))


@dataclass(frozen=True)
class Content:
    series: str
    date: str  # as shown, "" when the source has none
    title: str
    subtitle: str
    authors: tuple[str, ...]
    affiliations: tuple[str, ...]  # distinct, in order of first appearance
    points: tuple[str, ...]
    points_derived: bool
    points_line: int
    quote: str
    attribution: str
    quote_line: int
    full_brief: str  # the brief's file name
    credit: str
    lines: tuple[tuple[str, int], ...] = ()  # front-matter key -> source line

    def line(self, key: str) -> int:
        return dict(self.lines).get(key, 0)

    @property
    def names(self) -> str:
        return join_names(self.authors)


def select(doc: Document, theme: Theme) -> Content:
    meta = doc.meta
    points = tuple(p for p in (text(k) for k in meta.key_points) if p)
    derived = not points
    if derived:
        points = tuple(p for p in (text(k) for k in derive_key_points(doc)) if p)
    quote = find_pull_quote(doc)
    affiliations: list[str] = []
    for author in meta.authors:
        affiliation = text(author.affiliation)
        if affiliation and affiliation not in affiliations:
            affiliations.append(affiliation)
    return Content(
        series=text(meta.series) or text(theme.brand.series),
        date=text(display_date(meta.date)) if meta.date else "",
        title=text(meta.title),
        subtitle=text(meta.subtitle),
        authors=tuple(n for n in (text(a.name) for a in meta.authors) if n),
        affiliations=tuple(affiliations),
        points=points,
        points_derived=derived,
        points_line=meta.line_of("key_points"),
        quote=text(quote.text) if quote else "",
        attribution=text(quote.attribution) if quote else "",
        quote_line=quote.line if quote else 0,
        full_brief=stem_for(meta, doc.source) + BRIEF_SUFFIX,
        credit=text(meta.image.credit) if meta.image else "",
        lines=meta.lines,
    )
