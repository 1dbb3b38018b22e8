"""The one escaper: source text -> reportlab Paragraph markup, and safe anchor names.

reportlab's Paragraph text is markup, so every string that comes from the
source reaches it through `escape` (inline trees through `markup.InlineMarkup`,
which calls it for every piece of text).  Nothing else in the PDF backends
builds markup from source text.
"""

from __future__ import annotations

import re
import unicodedata

from ...common.xmltext import escape as _xml_escape

# C0/C1 controls and lone surrogates draw as boxes in reportlab: drop them.
# Tab and newline are kept for code blocks, which handle them themselves.
_CONTROL = re.compile(r"[\x00-\x08\x0b-\x1f\x7f-\x9f\ud800-\udfff\ufffe\uffff]")


def clean(text: str) -> str:
    """`text` without the characters no font can draw (controls, surrogates)."""
    return _CONTROL.sub("", text)


def escape(text: str) -> str:
    """Source text -> Paragraph markup that shows exactly that text."""
    return _xml_escape(clean(text).replace("\t", " ").replace("\n", " "))


def safe_anchor(name: str) -> str:
    """An anchor name reportlab accepts: ASCII letters, digits, '-' and '_'.

    Every name from the source gets the prefix `h-`, so that no heading id or
    link can take over the brief's own destinations (`bx-note-1`, outline keys).
    """
    ascii_name = unicodedata.normalize("NFKD", name).encode("ascii", "ignore").decode("ascii")
    return "h-" + (re.sub(r"[^A-Za-z0-9_-]+", "-", ascii_name).strip("-") or "anchor")
