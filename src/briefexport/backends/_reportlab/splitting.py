"""The brief's Paragraph that breaks its lines once, not once per page.

`BriefParagraph` is `paragraph.Paragraph` (bidi and shaping) with two faults
of reportlab's own Paragraph worked around, and one saving: a paragraph
wrapped again at the width it was last broken at keeps those lines (frames
retry a paragraph on the next page, tables measure their cells more than once).

The faults, in reportlab 5.1, measured with cProfile on a
250 kB paragraph (3.5 s; 1,000 kB over two minutes) and a 2,500-line code
block (6.7 s):

- **Quadratic splitting.**  `split()` hands the next frame a new Paragraph
  built from the remaining words, which `wrap()` breaks into lines again:
  every page re-breaks everything after it (200 `breakLines` calls for 100
  pages).  Here the remainder keeps the lines already broken, and reuses them
  when it is wrapped at the same width (the usual case: the next column or
  page); at another width it breaks its own words as before.  Line breaking
  is greedy, so the reused lines are the ones a re-break would find; a
  continued code block no longer starts with a blank line, which reportlab's
  re-break of a `<br/>` gave it.
- **Lost hyphens.**  With `embeddedHyphenation`, breaking a line at the
  hyphen of "self-contained" replaces the word in `self.frags` by two pieces
  whose hyphen is drawn only at a line end; a second `wrap()` (a frame that
  tries a paragraph before it moves on does that) joins them as
  "selfcontained" (14 of about 945 hyphenated words of pandoc's manual).
  Each full wrap here starts from the fragments the markup was parsed into.
"""

from __future__ import annotations

from typing import Any

from reportlab.platypus.paragraph import ParaLines

from .paragraph import Paragraph


class _Deferred(list):  # type: ignore[type-arg]
    """Stands for the words of a remainder until a wrap at another width needs them."""

    def __init__(self, func: Any, lines: Any, start: int, stop: int) -> None:
        super().__init__([None])
        self.args = (func, lines, start, stop)


class BriefParagraph(Paragraph):
    _carry: "tuple[list[float], Any, list[Any], float] | None" = None  # (widths, lines, frags, max width)
    _source_frags: "list[Any] | None" = None
    _deferred: "tuple[Any, ...] | None" = None

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self._source_frags = self.frags

    def wrap(self, availWidth: float, availHeight: float) -> tuple[float, float]:
        carry, self._carry = self._carry, None
        if carry is not None:
            widths, lines, frags, width_max = carry
            style = self.style
            first = availWidth - (style.leftIndent + style.firstLineIndent) - style.rightIndent
            later = availWidth - style.leftIndent - style.rightIndent
            auto = getattr(self, "autoLeading", getattr(style, "autoLeading", ""))
            if [first, later] == widths and auto in ("", "off"):
                self.width = availWidth
                self._wrapWidths = widths
                self.blPara = lines
                self.frags = frags
                self._width_max = width_max
                self.height = len(lines.lines) * style.leading
                self._carry = carry  # wrap may be asked again before the split
                return self.width, self.height
        if self._deferred is not None:
            func, lines, start, stop = self._deferred
            self._source_frags, self._deferred = func(lines, start, stop), None
        if self._source_frags is not None:
            self.frags = self._source_frags
        size = super().wrap(availWidth, availHeight)
        if getattr(self, "blPara", None) is not None and hasattr(self, "_wrapWidths"):
            # Asked again at this width (a frame retrying it on the next page, a
            # table measuring its cells), it keeps these lines: about a quarter
            # of a large brief's wraps.  The fragments are kept with them, as
            # the broken lines index them.
            self._carry = (list(self._wrapWidths), self.blPara, self.frags, getattr(self, "_width_max", 0))
        return size

    def _get_split_blParaFunc(self) -> Any:
        func = super()._get_split_blParaFunc()
        if self.blPara.kind != 0:
            return func  # a slice of the fragment list: cheap

        def split_words(lines: Any, start: int, stop: int) -> Any:
            # reportlab copies every remaining word into the remainder on each
            # split, quadratic again; the remainder reuses the broken lines.
            return func(lines, start, stop) if start == 0 else _Deferred(func, lines, start, stop)

        return split_words

    def split(self, availWidth: float, availHeight: float) -> list[Any]:
        parts = super().split(availWidth, availHeight)
        if len(parts) != 2 or not hasattr(self, "_wrapWidths"):
            return parts
        lines = self.blPara
        head, rest = parts
        cut = len(head.blPara.lines)
        width_max = getattr(self, "_width_max", 0)
        if lines.kind == 0:
            head_lines, rest_lines = lines.clone(lines=lines.lines[:cut]), lines.clone(lines=lines.lines[cut:])
            head_frags, rest_frags = head.frags, rest.frags
        else:
            # Broken lines index the fragments by position (`sFW`), and the
            # tagged PDF's line ends read the head's last fragment as the end
            # of its list: the head keeps the list up to its end, the
            # remainder the whole of it.
            head_lines = ParaLines(kind=1, lines=lines.lines[:cut])
            rest_lines = ParaLines(kind=1, lines=lines.lines[cut:])
            head_frags, rest_frags = self.frags[: lines.lines[cut].sFW], self.frags
        later = self._wrapWidths[1]
        head._carry = (list(self._wrapWidths), head_lines, head_frags, width_max)
        rest._carry = ([later, later], rest_lines, rest_frags, width_max)
        # The remainder's own fragments, for a wrap at another width.
        if isinstance(rest.frags, _Deferred):
            rest._deferred, rest._source_frags = rest.frags.args, None
        else:
            rest._source_frags = rest.frags
        return parts
