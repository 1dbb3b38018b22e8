"""The article as Typst markup, laid out like the PDF brief, for the benchmark.

Typst is the peer a user would pick for a PDF from a text source.  This
writes the same content (band with series, title and subtitle; authors;
key takeaways box; lead paragraph; body with headings and pull quotes;
"Page n of N" footer; about the authors) in the same fonts, sizes and page
geometry as the default theme, so the two compiles do comparable work.
Text goes in as Typst string literals, so nothing in it is read as markup.
"""

from __future__ import annotations

import json
from pathlib import Path

import yaml

PREAMBLE = """\
#set document(title: {title}, author: ({authors}), keywords: ({keywords}))
#set text(font: "Source Serif Pro", size: 10pt, fill: rgb("#1A1A1A"), lang: {lang})
#set par(leading: 5.5pt, spacing: 7pt)
#set page(paper: "a4", margin: (top: 20mm, bottom: 25mm, left: 20mm, right: 20mm),
  footer: context [
    #set text(font: "Source Sans Pro", size: 8pt, fill: rgb("#5E6770"))
    #if counter(page).get().first() > 1 [{series} · {short}]
    #h(1fr) Page #counter(page).display() of #counter(page).final().first()
  ])
#show heading: it => block(above: 14pt, below: 6pt, sticky: true,
  text(font: "Source Sans Pro", size: 15pt, weight: "semibold", fill: rgb("#0B3C5D"), it.body))
#let pullquote(body) = block(above: 10pt, below: 10pt, width: 100%,
  stroke: (top: 1.5pt + rgb("#1D6FA3"), bottom: 1.5pt + rgb("#1D6FA3")), inset: (y: 8pt),
  text(font: "Source Sans Pro", size: 14pt, fill: rgb("#0B3C5D"), body))
#place(top + left, dx: -20mm, dy: -20mm, float: false,
  block(width: 210mm, fill: rgb("#0B3C5D"), inset: (x: 20mm, top: 14mm, bottom: 12mm), [
    #text(font: "Source Sans Pro", size: 8.5pt, weight: "semibold", tracking: 1pt, fill: white, upper({series}))
    #v(6pt)
    #text(font: "Source Sans Pro", size: 28pt, weight: "semibold", fill: white, {title})
    #v(6pt)
    #text(font: "Source Sans Pro", size: 13pt, fill: rgb("#D6E4F0"), {subtitle})
  ]))
#v(62mm)
"""


def _s(text: object) -> str:
    """A Typst string literal (its escapes are JSON's for this text)."""
    return json.dumps(str(text), ensure_ascii=False)


def article_typ(markdown: str) -> str:
    _, front, body = markdown.split("---\n", 2)
    meta = yaml.safe_load(front)
    authors = meta.get("authors") or []
    title = meta.get("title", "")
    out = [PREAMBLE.format(
        title=_s(title), authors=", ".join(_s(a["name"]) for a in authors) + ",",
        keywords=", ".join(_s(k) for k in meta.get("keywords", [])) + ",", lang=_s(meta.get("lang", "en")),
        series=_s(meta.get("series", "Policy Brief")), short=_s(title[:40]), subtitle=_s(meta.get("subtitle", "")),
    )]
    for a in authors:
        out.append(f'#text(font: "Source Sans Pro", size: 11pt, weight: "semibold", {_s(a["name"])})\\')
        out.append(f'#text(font: "Source Sans Pro", size: 8.5pt, fill: rgb("#5E6770"), {_s(a.get("affiliation", ""))})\n')
    image = meta.get("image") or {}
    if image:
        out.append(f'#text(font: "Source Sans Pro", size: 8pt, fill: rgb("#5E6770"), '
                   f'{_s(image.get("caption", "") + " " + image.get("credit", ""))})\n')
    if meta.get("key_points"):
        items = ", ".join(f"[#{_s(p)}]" for p in meta["key_points"])
        out.append('#block(fill: rgb("#E8EFF5"), inset: 10pt, width: 100%, [\n'
                   '  #text(font: "Source Sans Pro", size: 9pt, weight: "semibold", tracking: 0.5pt, '
                   'fill: rgb("#0B3C5D"), "KEY TAKEAWAYS")\n'
                   f'  #set text(size: 10.5pt)\n  #list({items})\n])\n')
    first = True
    in_quote: list[str] = []
    quoting = False
    for block in body.split("\n\n"):
        block = block.strip()
        if not block:
            continue
        if block.startswith("::: pullquote"):
            quoting = True
            block = block[len("::: pullquote"):].strip()
        ends = block.endswith(":::")
        if ends:
            block = block[:-3].strip()
        if quoting:
            if block:
                in_quote.append(block)
            if ends:
                out.append("#pullquote[" + " ".join(f"#{_s(q)}" for q in in_quote) + "]\n")
                in_quote, quoting = [], False
            continue
        if block.startswith("#"):
            level = len(block) - len(block.lstrip("#"))
            out.append(f"#heading(level: {level - 1 or 1}, {_s(block[level:].strip())})\n")
        elif first:
            out.append(f"#text(size: 11.5pt, {_s(' '.join(block.split()))})\n")
            first = False
        else:
            out.append(f"#{_s(' '.join(block.split()))}\n")
    out.append('#heading(level: 1, "About the authors")\n')
    for a in authors:
        if a.get("bio"):
            out.append(f"#{_s(' '.join(a['bio'].split()))}\n")
    return "\n".join(out)


def write_typ(markdown_path: Path, typ_path: Path) -> Path:
    typ_path.write_text(article_typ(markdown_path.read_text(encoding="utf-8")), encoding="utf-8")
    return typ_path


if __name__ == "__main__":
    import sys

    write_typ(Path(sys.argv[1]), Path(sys.argv[2]))
