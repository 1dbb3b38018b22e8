"""The brief's front matter as the DOCX shows it: title band, authors, date, lead image, key takeaways.

Read back into `Meta`, with the round-trip part's help for what the page
shows in another form (the date as "14 January 2022", the theme's series
label standing in for none) or not at all (`slug`, `pull_quote`).
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

from lxml import etree

from ...tree import Author, ImageMeta, Meta
from ...common import docx_styles as S
from .package import w

if TYPE_CHECKING:
    from .runs import Content

# `reader` below is the `body.Reader` that calls these (not imported: body imports this module).
Reader = Any


@dataclass
class Front:
    series: str = ""
    title: str = ""
    subtitle: list[str] = field(default_factory=list)
    authors: list[Author] = field(default_factory=list)
    date: str = ""
    key_points: list[str] = field(default_factory=list)
    image_src: str = ""
    image_alt: str = ""
    image_texts: list[tuple[str, str]] = field(default_factory=list)  # (style, text)
    bios: list[str] = field(default_factory=list)


def front_para(self: Reader, ours: str | None, content: Content) -> None:
    """A paragraph of the authors, date, lead image or key takeaways, before the body."""
    text = content.text(accepted=True).strip()
    f = self.front
    if ours == S.AUTHORS and text:
        f.authors.append(Author(text))
    elif ours == S.AFFILIATION and f.authors:
        f.authors[-1] = Author(f.authors[-1].name, text)
    elif ours == S.AFFILIATION and text:
        self.warn(f"{self._where(text)}: an affiliation before any author is not kept")
    elif ours == S.DATE:
        f.date = text
    elif ours == S.FIGURE:
        for drawing in content.pictures:
            src, alt, _title = self._image(drawing)
            f.image_src = self.info.get("image-src", "") or src
            f.image_alt = alt
    elif ours == S.IMAGE_CREDIT and text:
        f.image_texts.append(("credit", text))
    elif ours == S.TAKEAWAYS and text:
        f.key_points.append(text)
    elif ours == S.CAPTION and text:
        f.image_texts.append(("caption", text))


def band(self: Reader, tbl: etree._Element, kind: str) -> None:
    """The title band (series, title, subtitle) or the key takeaways box."""
    for p in tbl.iter(w("p")):
        self.counter += 1
        _name, ours, _ppr = self._style(p)
        text = self.runs.paragraph(p).text(accepted=True).strip()
        if kind == S.BAND:
            if ours == S.SERIES:
                self.front.series = text
            elif ours == S.TITLE:
                self.front.title = text
            elif ours == S.SUBTITLE and text:
                self.front.subtitle.append(text)
            elif text:
                self.warn(f"{self._where(text)}: text in the title band that is not the series, title or "
                          "subtitle is not kept")
        elif ours == S.TAKEAWAYS and text:
            self.front.key_points.append(text)
        elif ours != S.TAKEAWAYS_LABEL and text:
            self.front.key_points.append(text)



def front_meta(reader: Reader, info: dict, keywords: str, default_lang: str) -> Meta:
    f = reader.front
    authors = list(f.authors)
    for bio in f.bios:
        for i, a in enumerate(authors):
            if bio.startswith(a.name) and not a.bio:
                authors[i] = Author(a.name, a.affiliation, bio)
                break
        else:
            reader.warn(f"a bio names no author of the brief, left out: \"{bio[:40]}\"")
    shown_series = info.get("series-shown", "")
    series = f.series
    if series == shown_series and "series" in info:
        series = info.get("series", "")
    date = f.date
    if date and date == info.get("date-shown"):
        date = info.get("date", date)
    image = None
    texts = [t for _s, t in f.image_texts]
    if f.image_src or texts or f.image_alt:
        caption = credit = ""
        captions = [t for s, t in f.image_texts if s == "caption"]
        if captions:
            caption, credit = captions[0], " ".join(t for s, t in f.image_texts if s == "credit")
        elif len(texts) >= 2:
            caption, credit = texts[0], " ".join(texts[1:])
        elif len(texts) == 1:
            if info.get("image-has-caption", "1") == "0":
                credit = texts[0]
            else:
                caption = texts[0]
        image = ImageMeta(caption, credit, f.image_src, info.get("image-alt", f.image_alt))
    kw = tuple(k.strip() for k in keywords.replace(";", ",").split(",") if k.strip())
    recorded = info.get("keywords", [])
    if recorded and re.sub(r"[\s,;]+", "", keywords) == re.sub(r"[\s,;]+", "", "".join(recorded)):
        kw = tuple(recorded)  # LibreOffice joins keywords with spaces
    return Meta(
        title=f.title, subtitle=" ".join(f.subtitle), authors=tuple(authors), date=date,
        lang=info.get("lang") or default_lang or "en", keywords=kw, series=series,
        key_points=tuple(f.key_points), image=image, slug=info.get("slug", ""),
        pull_quote=info.get("pull-quote", ""),
    )
