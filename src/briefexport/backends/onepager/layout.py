"""Zones of the one-pager: the band, the key points, the quote, authors, footer.

The page is built from both ends: the band from the top, the footer and the
authors from the bottom; the key points and the quote share what is left
between them, and are measured (and if need be reduced) to fit it.
"""

from __future__ import annotations

from ...theme import TextStyle
from .content import Content
from .fit import LABEL, Box, Measure, Para, Shape, Sizing, Slide, excerpt, scaled, shorten, stack, steps

_OPEN_QUOTES = "\"'\u201c\u2018\u201e\u00ab"


def _quoted(text: str) -> str:
    return text if text[:1] in _OPEN_QUOTES else f"\u201c{text}\u201d"


def _ranges(first: int, last: int) -> str:
    return f"key point {first}" if first == last else f"key points {first}\u2013{last}"


class Layouter:
    """One render's layout state: the measurements and what was left out."""

    def __init__(self, measure: Measure, content: Content) -> None:
        self.m = measure
        self.c = content
        self.theme = measure.theme
        self.op = measure.theme.onepager
        self.ratio = self.op.points_leading / self.op.points_size
        self.omissions: list[tuple[int, str]] = []
        self.points_size = 0.0  # the key points' size once fitted; caps the quote
        self.sizes: list[Sizing] = []

    # -------------------------------------------------------------- helpers

    def para(self, text: str, style: TextStyle, size: float, width: float, *, ratio: float | None = None,
             space_before: float = 0.0, bullet: bool = False, align: str = "left") -> Para:
        base = style.size
        shown = text.upper() if style.caps else text
        p = Para(shown, scaled(style, size, ratio or self.ratio, base), space_before, bullet, align)
        return self.m.fit(p, width)

    def limit_lines(self, para: Para, raw: str, width: float, lines: int, what: str, line: int = 0) -> Para:
        if para.lines <= lines:
            return para
        shortened, left_out = shorten(self.m, para, raw, width, max_lines=lines)
        self.omissions.append((line, f"{what} shortened to {lines} line{'s' if lines > 1 else ''}; "
                                     f"left out {excerpt(left_out)}"))
        return shortened

    # ---------------------------------------------------------------- zones

    def band(self, width: float) -> list[Para]:
        st, op, c = self.theme.styles, self.op, self.c
        paras: list[Para] = []
        series = " \u00b7 ".join(t for t in (c.series, c.date) if t)
        if series:
            paras.append(self.limit_lines(self.para(series, st.series, op.series_size, width), series, width, 1,
                                          "series line", c.line("series")))
        if c.title:
            title_ratio = op.title_leading / op.title_size
            gap = op.points_gap if paras else 0.0
            for size in steps(op.title_size, op.title_min_size):
                title = self.para(c.title, st.title, size, width, ratio=title_ratio, space_before=gap)
                if title.lines <= op.title_max_lines:
                    break
            self.sizes.append(Sizing("title", c.line("title"), op.title_size, size))
            paras.append(self.limit_lines(title, c.title, width, op.title_max_lines, "title", c.line("title")))
        if c.subtitle:
            sub = self.para(c.subtitle, st.subtitle, op.subtitle_size, width,
                            space_before=op.points_gap if paras else 0.0)
            paras.append(self.limit_lines(sub, c.subtitle, width, op.subtitle_max_lines, "subtitle",
                                          c.line("subtitle")))
        return paras

    def authors(self, width: float) -> list[Para]:
        st, op, c = self.theme.styles, self.op, self.c
        paras: list[Para] = []
        if c.authors:
            names = self.para(c.names, st.authors, op.authors_size, width)
            paras.append(self.limit_lines(names, c.names, width, 1, "author names", c.line("authors")))
        if c.affiliations:
            text = c.affiliation_line
            aff = self.para(text, st.affiliation, op.affiliation_size, width)
            paras.append(self.limit_lines(aff, text, width, op.affiliation_max_lines, "affiliations",
                                          c.line("authors")))
        return paras

    def footer(self, width: float) -> tuple[list[Para], list[Para]]:
        """Left and right footer paragraphs; the right list is empty when they stack."""
        st, op, c = self.theme.styles, self.op, self.c
        left = self.para(f"Full brief: {c.full_brief}", st.footer, op.footer_size, width)
        if not c.credit:
            return [left], []
        credit = f"Image: {c.credit}"
        right = self.para(credit, st.footer, op.footer_size, width, align="right")
        if self.m.width_of(left) + self.m.width_of(right) + op.gap <= width:
            return [left], [right]
        stacked = self.para(credit, st.footer, op.footer_size, width)
        return [left, self.limit_lines(stacked, credit, width, 1, "image credit", c.line("image"))], []

    def points(self, width: float, room: float) -> list[Para]:
        st, op, c = self.theme.styles, self.op, self.c
        points = list(c.points)
        if not points:
            return []
        line = c.points_line
        if len(points) > op.max_points:
            extra = points[op.max_points:]
            self.omissions.append((line, f"{_ranges(op.max_points + 1, len(points))} left out (the slide shows "
                                         f"at most {op.max_points}): " + ", ".join(map(excerpt, extra))))
            points = points[: op.max_points]
        label = self.para(LABEL, st.takeaways_label, op.label_size, width)
        dropped: list[str] = []
        while True:
            for size in steps(op.points_size, op.points_min_size):
                # The space between points shrinks with their size, as a blank line would.
                between = op.points_gap * size / op.points_size
                paras = [label] + [
                    self.para(p, st.takeaways, size, width, space_before=between, bullet=True) for p in points
                ]
                if stack(paras) <= room:
                    self.points_size = size
                    break
            else:
                if len(points) > 1:
                    dropped.insert(0, points.pop())
                    continue
                # One key point that is longer than the room at the smallest size.
                shortened, left_out = shorten(self.m, paras[1], points[0], width,
                                              max_height=room - label.height - paras[1].space_before)
                paras = [label, shortened]
                self.points_size = op.points_min_size
                self.omissions.append((line, f"key point 1 shortened to fit; left out {excerpt(left_out)}"))
            break
        self.sizes.append(Sizing("key points", line, op.points_size, self.points_size))
        if dropped:
            first = len(points) + 1
            self.omissions.append((line, f"{_ranges(first, first + len(dropped) - 1)} left out to keep the "
                                         f"slide on one page: " + ", ".join(map(excerpt, dropped))))
        return paras

    def quote(self, width: float, room: float) -> list[Para]:
        st, op, c = self.theme.styles, self.op, self.c
        if not c.quote:
            return []
        raw = c.quote
        words = raw.split(" ")
        if len(words) > op.quote_max_words:
            self.omissions.append((c.quote_line, f"pull quote shortened to {op.quote_max_words} words; left out "
                                                 f"{excerpt(' '.join(words[op.quote_max_words:]))}"))
            raw = " ".join(words[: op.quote_max_words]) + "\u2026"
        room -= 2 * op.panel_padding
        qratio = op.quote_leading / op.quote_size
        tail: list[Para] = []
        if c.attribution:
            tail = [self.para(f"\u2014 {c.attribution}", st.pullquote_attribution, op.attribution_size, width,
                              space_before=op.points_gap)]
            tail = [self.limit_lines(tail[0], tail[0].text, width, 1, "quote attribution", c.quote_line)]
        start = op.quote_size
        if self.points_size:
            start = max(op.quote_min_size, min(start, round(self.points_size * op.quote_points_ratio)))
        for size in steps(start, op.quote_min_size):
            quote = self.para(_quoted(raw), st.pullquote, size, width, ratio=qratio)
            if stack([quote, *tail]) <= room:
                self.sizes.append(Sizing("pull quote", c.quote_line, start, size))
                return [quote, *tail]
        self.sizes.append(Sizing("pull quote", c.quote_line, start, op.quote_min_size))
        shortened, left_out = shorten(self.m, quote, raw.rstrip("\u2026"), width,
                                      max_height=room - stack([quote, *tail]) + quote.height, fmt=_quoted)
        self.omissions.append((c.quote_line, f"pull quote shortened to fit; left out {excerpt(left_out)}"))
        return [shortened, *tail]

    # ---------------------------------------------------------------- page

    def slide(self) -> Slide:
        op, colors = self.op, self.theme.colors
        W, H, m, gap = op.width, op.height, op.margin, op.gap
        inner = W - 2 * m
        shapes: list[Shape] = []
        boxes: list[Box] = []

        # From the bottom: footer, authors, a hairline.
        left, right = self.footer(inner)
        footer_h = stack(left)
        footer_y = H - gap - footer_h
        boxes.append(Box("footer", m, footer_y, inner, footer_h, tuple(left)))
        if right:
            boxes.append(Box("footer-right", m, footer_y, inner, stack(right), tuple(right)))
        bottom_top = footer_y
        authors = self.authors(inner)
        if authors:
            authors_h = stack(authors)
            bottom_top = footer_y - gap * 0.5 - authors_h
            boxes.append(Box("authors", m, bottom_top, inner, authors_h, tuple(authors)))

        # From the top: the band.
        band = self.band(inner)
        band_h = max(op.band_height, stack(band) + 2 * op.band_padding)
        has_body = bool(self.c.points or self.c.quote)
        if not has_body:
            # Nothing to show between band and authors: the band becomes a title slide.
            band_h = max(band_h, bottom_top - gap)
        band_text_y = (band_h - stack(band)) / 2 if not has_body else op.band_padding
        shapes.append(Shape("band", 0, 0, W, band_h, colors.accent))
        if band:
            boxes.append(Box("band", m, band_text_y, inner, stack(band), tuple(band)))
        if not has_body:
            return self._done(shapes, boxes)

        # The hairline belongs to the authors below it: closer to them than to the body.
        rule_y = bottom_top - gap * 0.75
        shapes.append(Shape("rule", m, rule_y, inner, self.theme.layout.hairline, colors.rule))
        top = band_h + gap
        room = rule_y - gap - top
        quote_w = op.quote_width if self.c.points else inner
        points_w = inner - quote_w - gap if self.c.quote else inner
        text_w = quote_w - op.quote_bar - 2 * op.panel_padding
        points = self.points(points_w, room)
        quote = self.quote(text_w, room)
        points_h = stack(points)
        quote_h = stack(quote)
        panel_h = max(points_h, quote_h + 2 * op.panel_padding) if quote else 0.0
        block_h = max(points_h, panel_h)
        y = top + (room - block_h) / 2
        if points:
            boxes.append(Box("points", m, y, points_w, points_h, tuple(points)))
        if quote:
            qx = W - m - quote_w
            shapes.append(Shape("panel", qx, y, quote_w, panel_h, colors.tint))
            shapes.append(Shape("bar", qx, y, op.quote_bar, panel_h, colors.accent))
            boxes.append(Box("quote", qx + op.quote_bar + op.panel_padding, y + (panel_h - quote_h) / 2,
                             text_w, quote_h, tuple(quote)))
        return self._done(shapes, boxes)

    def _done(self, shapes: list[Shape], boxes: list[Box]) -> Slide:
        op = self.op
        return Slide(
            width=op.width, height=op.height, shapes=tuple(shapes), boxes=tuple(boxes),
            bullet_indent=self.m.bullet_indent(1.0), bullet_color=self.theme.colors.accent,
            content=self.c, omissions=tuple(self.omissions), sizes=tuple(self.sizes),
        )


__all__ = ["Layouter"]
