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
    # Per author, the number of their affiliation in `affiliations` (0: none).
    author_marks: tuple[int, ...] = ()

    def line(self, key: str) -> int:
        return dict(self.lines).get(key, 0)

    @property
    def marked(self) -> bool:
        """Whether names carry marks: unless every author has the one same affiliation."""
        return len(self.authors) > 1 and len(set(self.author_marks)) > 1

    @property
    def names(self) -> str:
        """'A¹, B² and C¹' when authors differ in affiliation, so each is paired with theirs."""
        if not self.marked:
            return join_names(self.authors)
        return join_names(name + _superscript(mark) for name, mark in zip(self.authors, self.author_marks))

    @property
    def affiliation_line(self) -> str:
        """'¹ Aff one · ² Aff two' under marked names, else the affiliations as they are.

        A middle dot between them, since an affiliation may itself hold a semicolon.
        """
        if not self.marked:
            return "; ".join(self.affiliations)
        return " \u00b7 ".join(f"{_superscript(i)} {a}" for i, a in enumerate(self.affiliations, 1))


_SUPERSCRIPTS = str.maketrans("0123456789", "\u2070\u00b9\u00b2\u00b3\u2074\u2075\u2076\u2077\u2078\u2079")


def _superscript(number: int) -> str:
    return str(number).translate(_SUPERSCRIPTS) if number else ""


def select(doc: Document, theme: Theme) -> Content:
    meta = doc.meta
    points = tuple(p for p in (text(k) for k in meta.key_points) if p)
    derived = not points
    if derived:
        points = tuple(p for p in (text(k) for k in derive_key_points(doc)) if p)
    quote = find_pull_quote(doc)
    affiliations: list[str] = []
    authors: list[str] = []
    marks: list[int] = []
    for author in meta.authors:
        affiliation, name = text(author.affiliation), text(author.name)
        if affiliation and affiliation not in affiliations:
            affiliations.append(affiliation)
        if name:
            authors.append(name)
            marks.append(affiliations.index(affiliation) + 1 if affiliation else 0)
    return Content(
        series=text(meta.series) or text(theme.brand.series),
        date=text(display_date(meta.date)) if meta.date else "",
        title=text(meta.title),
        subtitle=text(meta.subtitle),
        authors=tuple(authors),
        affiliations=tuple(affiliations),
        author_marks=tuple(marks),
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
