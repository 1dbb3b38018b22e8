"""Output file names: an ASCII slug of the title, or of the source's name."""

from __future__ import annotations

import re
import unicodedata
from pathlib import Path

from ..tree import Meta

_SLUG_MAX = 80


def slugify(text: str) -> str:
    """An ASCII file stem: 'Belarus’ Ties' -> 'belarus-ties'."""
    text = re.sub(r"['’‘`]", "", text)
    ascii_text = unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode("ascii")
    slug = re.sub(r"[^a-z0-9]+", "-", ascii_text.lower()).strip("-")
    if len(slug) > _SLUG_MAX:
        slug = slug[:_SLUG_MAX].rsplit("-", 1)[0]
    return slug


def stem_for(meta: Meta, source: str | Path) -> str:
    """The output file stem: `slug`, else the title's slug, else the source's stem."""
    for candidate in (meta.slug, meta.title):
        slug = slugify(candidate)
        if slug:
            return slug
    return slugify(Path(source).stem) or "document"
