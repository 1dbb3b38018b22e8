"""The tree every backend gets: cross-references and citations resolved.

`backends.render` calls `prepare` before any backend sees a document, so no
backend meets a `Cite`.  A document without citations costs one walk of the
tree: the citation modules are not even imported, and no engine starts.
A prepared tree passes through unchanged, so a caller rendering several
formats prepares once (`batch.render_source`, `export` do) and the engine
runs once per document.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from ..tree import Block, Cite, Div, Document, Heading, walk

if TYPE_CHECKING:
    from ..theme import Theme


def labels(doc: Document, theme: "Theme") -> dict[str, str]:
    """The label words (Figure, Table, section, Bibliography...) for `doc` in `theme`."""
    from ..common.labels import labels_for

    return labels_for(doc.meta.lang, theme.labels.words())


def prepare(doc: Document, theme: "Theme") -> Document:
    """`doc` with its cross-references and citations formatted (once per tree)."""
    cites = listed = False
    for node in walk(doc):
        if isinstance(node, Cite):
            cites = True
            break
        # A bibliography there already: a prepared tree, its `nocite` entries in it.
        listed = listed or (isinstance(node, Div) and node.attrs.has_class("references"))
    if not cites and (listed or not doc.meta.citations.nocite):
        return doc
    # Loaded only for a document that cites or cross-refers: no cost otherwise.
    from .citations import resolve_citations
    from .crossref import resolve_crossrefs

    words = labels(doc, theme)
    return resolve_citations(resolve_crossrefs(doc, words), words, resource_path=doc.resource_path)


def split_bibliography(blocks: tuple[Block, ...]) -> tuple[tuple[Block, ...], Heading | None, Div | None]:
    """The body, and the bibliography `prepare` appended to it (if any), for
    the formats that set it apart (after the notes, in the back matter)."""
    if (len(blocks) >= 2 and isinstance(blocks[-1], Div) and blocks[-1].attrs.has_class("references")
            and isinstance(blocks[-2], Heading) and blocks[-2].attrs.id == "bibliography"):
        return blocks[:-2], blocks[-2], blocks[-1]
    return blocks, None, None


__all__ = ["labels", "prepare", "split_bibliography"]
