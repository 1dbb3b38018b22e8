"""Cross-references: numbers as the backends print them, words from `lang` or the theme."""

from __future__ import annotations

import dataclasses

import pytest

from briefexport import load_theme
from briefexport.common.labels import labels_for
from briefexport.errors import BriefExportWarning
from briefexport.readers.markdown import parse
from briefexport.theme import Labels
from briefexport.transforms.crossref import resolve_crossrefs, targets
from briefexport.transforms.prepare import prepare
from briefexport.tree import Cite, Link, Span, plain_text, walk

SOURCE = """---
title: T
lang: {lang}
---

## One {{#sec:one}}

![First chart](a.png){{#fig:a}}

![No id](b.png)

### Sub {{#sec:sub}}

| a | b |
|---|---|
| 1 | 2 |

Table: Trade {{#tbl:trade}}

## Two {{#sec:two}}

![Second](c.png){{#fig:c}}

See @fig:c, [@tbl:trade] and @sec:sub; @sec:two.
"""


def doc(lang: str = "en"):
    return parse(SOURCE.format(lang=lang), source="x.md")


def test_targets_are_numbered_as_printed() -> None:
    found = {k: (v.kind, v.number) for k, v in targets(doc()).items()}
    # Figures with captions count in reading order (the one without an id too).
    assert found == {"sec:one": ("sec", "1"), "fig:a": ("fig", "1"), "sec:sub": ("sec", "1.1"),
                     "tbl:trade": ("tbl", "1"), "sec:two": ("sec", "2"), "fig:c": ("fig", "3")}


def test_references_become_linked_spans() -> None:
    out = resolve_crossrefs(doc(), labels_for("en"))
    assert not any(isinstance(n, Cite) for n in walk(out))
    spans = [n for n in walk(out) if isinstance(n, Span) and n.attrs.has_class("crossref")]
    assert [dict(s.attrs.kv)["target"] for s in spans] == ["fig:c", "tbl:trade", "sec:sub", "sec:two"]
    assert [s.children[0].url for s in spans] == ["#fig:c", "#tbl:trade", "#sec:sub", "#sec:two"]
    assert all(isinstance(s.children[0], Link) for s in spans)
    assert plain_text(out.blocks[-1]).replace("\u00a0", " ") == \
        "See Figure 3, Table 1 and section 1.1; section 2."


def test_french_words_follow_lang() -> None:
    out = prepare(doc("fr-FR"), load_theme())
    assert plain_text(out.blocks[-1]).replace("\u00a0", " ") == \
        "See figure 3, tableau 1 and section 1.1; section 2."


def test_theme_labels_override() -> None:
    theme = dataclasses.replace(load_theme(), labels=Labels(figure="Exhibit"))
    out = prepare(doc(), theme)
    assert plain_text(out.blocks[-1]).startswith("See Exhibit\u00a03, Table\u00a01")


def test_an_unknown_id_is_a_warning_with_its_line() -> None:
    source = "---\ntitle: T\n---\n\nText.\n\nSee @fig:nope and @sec:gone.\n"
    with pytest.warns(BriefExportWarning) as record:
        out = resolve_crossrefs(parse(source, source="x.md"), labels_for("en"))
    messages = [str(w.message) for w in record]
    assert messages[0].startswith("x.md:7: cross-reference @fig:nope: no figure has the id `fig:nope`")
    assert messages[1].startswith("x.md:7: cross-reference @sec:gone")
    assert plain_text(out.blocks[-1]) == "See Figure ?? and section ??."


def test_a_figure_id_of_the_wrong_kind_is_unknown() -> None:
    source = "## A {#fig:x}\n\nSee @fig:x.\n"
    with pytest.warns(BriefExportWarning, match="no figure has the id"):
        resolve_crossrefs(parse(source, source="x.md"), labels_for("en"))


def test_a_citation_mixing_works_and_figures_is_a_citation() -> None:
    # Not a cross-reference (every key would have to be one): no crash, and
    # without a bibliography it stays as written, with a warning per key.
    doc = parse("See [@fig:a; @smith2020].\n\n![A](a.png){#fig:a}\n", source="x.md")
    with pytest.warns(BriefExportWarning) as record:
        out = prepare(doc, load_theme())
    assert [str(w.message).split(": ")[1] for w in record] == ["citation @fig:a", "citation @smith2020"]
    assert plain_text(out.blocks[0]) == "See [@fig:a; @smith2020]."
