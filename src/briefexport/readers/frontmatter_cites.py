"""The front matter's citation keys (pandoc's names) -> `tree.CitationMeta`."""

from __future__ import annotations

import json
import re
from collections.abc import Callable
from typing import Any

from ..errors import ParseError
from ..tree import CitationMeta

KEYS = ("bibliography", "csl", "link-citations", "reference-section-title", "references", "nocite",
        "notes-after-punctuation")

_NOCITE = re.compile(r"@(\*|[\w][\w:.#$%&+?<>~/-]*)")


def read_citation_meta(data: dict[str, Any], fail: Callable[[str, str], ParseError]) -> CitationMeta:
    """`fail(key, message)` makes the error that names the key's line."""
    bibliography = data.get("bibliography")
    if bibliography is None:
        paths: tuple[str, ...] = ()
    elif isinstance(bibliography, str):
        paths = (bibliography.strip(),) if bibliography.strip() else ()
    elif isinstance(bibliography, list) and all(isinstance(p, str) for p in bibliography):
        paths = tuple(p.strip() for p in bibliography if p.strip())
    else:
        raise fail("bibliography", "must be a file name or a list of file names")
    csl = data.get("csl")
    if csl is not None and not isinstance(csl, str):
        raise fail("csl", "must be a style name or a .csl file")
    link = data.get("link-citations", False)
    if not isinstance(link, bool):
        raise fail("link-citations", "must be true or false")
    after = data.get("notes-after-punctuation", True)
    if not isinstance(after, bool):
        raise fail("notes-after-punctuation", "must be true or false")
    title = data.get("reference-section-title")
    if title is not None and not isinstance(title, str):
        raise fail("reference-section-title", "must be text")
    references = data.get("references")
    if references is not None:
        if not isinstance(references, list) or not all(isinstance(r, dict) and r.get("id") for r in references):
            raise fail("references", "must be a list of CSL entries, each with an `id`")
    nocite = data.get("nocite")
    if nocite is None:
        keys: tuple[str, ...] = ()
    elif isinstance(nocite, (str, list)):
        text = nocite if isinstance(nocite, str) else " ".join(str(x) for x in nocite)
        keys = tuple(_NOCITE.findall(text))
    else:
        raise fail("nocite", "must be citations like '@key' or '@*'")
    return CitationMeta(
        bibliography=paths,
        csl=(csl or "").strip(),
        link_citations=link,
        reference_section_title=(title or "").strip(),
        references=json.dumps(references, ensure_ascii=False, sort_keys=True, default=str) if references else "",
        nocite=keys,
        notes_after_punctuation=after,
    )
