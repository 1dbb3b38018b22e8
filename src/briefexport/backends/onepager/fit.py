"""The one-pager's layout: measured with reportlab, shared by the PDF and the PPTX.

`plan(doc, theme)` returns a `Slide`: rectangles to fill and text boxes, each
with its place on the page (points, from the top-left corner), its
paragraphs and the sizes chosen to make everything fit.  Both formats draw
exactly this, so they show the same text at the same sizes.

Fitting, in order: the title steps down from its size to its minimum and is
shortened only if it still takes more than its lines; key points and the
quote step down to their minimums; then key points are dropped from the end,
and the quote (and a lone key point) shortened.  Whatever was left out is
recorded in `Slide.omissions` for a warning.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field

from reportlab.lib.styles import ParagraphStyle

from ...theme import TextStyle, Theme
from .content import Content
from .._reportlab.paragraph import Paragraph
from .._reportlab.faces import FontRole, font_roles
from .._reportlab.markup import InlineMarkup
from .._reportlab.styles import color, paragraph_style

LABEL = "Key points"
BULLET = "\u25a0"  # a square, the brief's takeaway bullet
ELLIPSIS = "\u2026"
_TAIL_WORDS = 8  # how much of a left-out text a warning quotes
_HUGE = 1e6


@dataclass(frozen=True)
class Para:
    text: str  # plain text, exactly as drawn (caps already applied)
    style: TextStyle  # size, leading, font role, colour as chosen by the fit
    space_before: float = 0.0
    bullet: bool = False
    align: str = "left"
    height: float = 0.0  # measured by reportlab at the box's width
    lines: int = 0


@dataclass(frozen=True)
class Box:
    name: str
    x: float
    y: float
    w: float
    h: float
    paras: tuple[Para, ...]


@dataclass(frozen=True)
class Shape:
    name: str
    x: float
    y: float
    w: float
    h: float
    fill: str  # hex


@dataclass(frozen=True)
class Sizing:
    """The size one zone was set at, against the size it started from."""

    what: str  # "title", "key points", "pull quote"
    line: int  # source line of what it sizes
    start: float  # the first size tried (the theme's, or the quote's cap)
    size: float  # the size the fit chose


@dataclass(frozen=True)
class Slide:
    width: float
    height: float
    shapes: tuple[Shape, ...]
    boxes: tuple[Box, ...]
    bullet_indent: float  # hanging indent of key points, per point of font size
    bullet_color: str
    content: Content
    omissions: tuple[tuple[int, str], ...] = field(default=())  # (source line, what was left out)
    sizes: tuple[Sizing, ...] = field(default=())

    def box(self, name: str) -> Box | None:
        return next((b for b in self.boxes if b.name == name), None)


class Measure:
    """reportlab Paragraphs for plan paragraphs: the one ruler both formats use."""

    def __init__(self, theme: Theme, *, rtl: bool = False) -> None:
        self.theme = theme
        self.rtl = rtl  # a document in a right-to-left language: paragraphs run right to left
        self.roles: dict[str, FontRole] = font_roles(theme)
        self._markup = {
            name: InlineMarkup(role, link_color=theme.colors.link) for name, role in self.roles.items()
        }
        self._bullet_ratio = theme.layout.bullet_indent / theme.styles.takeaways.size

    def bullet_indent(self, size: float) -> float:
        return self._bullet_ratio * size

    def style(self, para: Para) -> ParagraphStyle:
        s = para.style
        extra: dict[str, object] = {"spaceBefore": 0, "spaceAfter": 0}
        if para.bullet:
            indent = self.bullet_indent(s.size)
            extra.update(
                **({"rightIndent": indent} if self.rtl else {"leftIndent": indent}), bulletIndent=0, bulletFontName=self.roles["heading"].face(),
                bulletFontSize=s.size * 0.5, bulletColor=color(self.theme.colors.accent),
                # A half-size square sits on the baseline: lift it to the middle of the x-height.
                bulletOffsetY=s.size * 0.1,
            )
        return paragraph_style(f"onepager-{id(s)}", s, self.theme, self.roles, align=para.align, rtl=self.rtl,
                               **extra)

    def paragraph(self, para: Para) -> Paragraph:
        markup = self._markup[para.style.font].text(para.text, bold=para.style.bold, italic=para.style.italic)
        return Paragraph(markup, self.style(para), bulletText=BULLET if para.bullet else None)

    def fit(self, para: Para, width: float) -> Para:
        """`para` with its measured height and line count at `width`."""
        p = self.paragraph(para)
        _, height = p.wrap(width, _HUGE)
        lines = len(getattr(p, "blPara").lines) if para.text else 0
        return dataclasses.replace(para, height=height, lines=lines)

    def width_of(self, para: Para) -> float:
        """The natural one-line width of `para`."""
        p = self.paragraph(para)
        p.wrap(_HUGE, _HUGE)
        return _line_width(p)


def _line_width(p: Paragraph) -> float:
    lines = getattr(p, "blPara").lines
    if not lines:
        return 0.0
    widest = 0.0
    for line in lines:
        # Plain lines are (extraSpace, words); fragment lines carry `extraSpace` too.
        extra = line[0] if isinstance(line, tuple) else line.extraSpace
        widest = max(widest, _HUGE - extra)
    return widest


def stack(paras: list[Para] | tuple[Para, ...]) -> float:
    """The height of paragraphs set one below the other."""
    return sum(p.height + (p.space_before if i else 0.0) for i, p in enumerate(paras))


def steps(start: float, stop: float) -> Iterator[float]:
    """Sizes from `start` down to `stop` in 1 pt steps, both included."""
    size = start
    while size > stop:
        yield size
        size -= 1.0
    yield stop


def scaled(style: TextStyle, size: float, leading_ratio: float, base: float | None = None) -> TextStyle:
    """`style` at `size`; tracking grows with the size, caps are applied to the text instead."""
    tracking = style.tracking * size / (base or style.size)
    return dataclasses.replace(
        style, size=size, leading=round(size * leading_ratio, 2), tracking=round(tracking, 2),
        caps=False, space_before=0.0, space_after=0.0,
    )


def cut(text: str, words: int) -> str:
    """The first `words` words of `text` and an ellipsis."""
    kept = " ".join(text.split(" ")[:words]).rstrip(" ,;:.\u2014\u2013-")
    return kept + ELLIPSIS


def excerpt(text: str) -> str:
    """A few words of `text`, quoted, for a warning."""
    words = text.split(" ")
    shown = " ".join(words[:_TAIL_WORDS])
    return f"\u201c{shown}{ELLIPSIS if len(words) > _TAIL_WORDS else ''}\u201d"


def shorten(
    measure: Measure,
    para: Para,
    raw: str,
    width: float,
    *,
    max_lines: int = 0,
    max_height: float = 0.0,
    fmt: Callable[[str], str] = lambda s: s,
) -> tuple[Para, str]:
    """`para` showing `fmt(raw cut at a word, with an ellipsis)` within its limit.

    The limit is a number of lines or a height.  Returns the fitted
    paragraph and the text that was left out.
    """

    def fitted(kept: str) -> Para:
        return measure.fit(dataclasses.replace(para, text=fmt(kept)), width)

    def ok(kept: str) -> bool:
        f = fitted(kept)
        return f.lines <= max_lines if max_lines else f.height <= max_height

    words = raw.split(" ")
    lo, hi = 0, len(words) - 1
    while lo < hi:  # the most words that fit
        mid = (lo + hi + 1) // 2
        if ok(cut(raw, mid)):
            lo = mid
        else:
            hi = mid - 1
    if lo:
        return fitted(cut(raw, lo)), " ".join(words[lo:])
    # Not even one word fits (a URL, a very long name): cut inside the first word.
    first = words[0]
    lo, hi = 0, len(first)
    while lo < hi:
        mid = (lo + hi + 1) // 2
        if ok(first[:mid] + ELLIPSIS):
            lo = mid
        else:
            hi = mid - 1
    return fitted(first[:lo] + ELLIPSIS), raw[lo:]


__all__ = ["Box", "LABEL", "Measure", "Para", "Shape", "Sizing", "Slide"]
