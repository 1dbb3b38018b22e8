"""Very long paragraphs and code blocks, set in pieces so that time stays linear.

Once splitting was fixed (`_reportlab.paragraph`), cProfile still showed one
quadratic step inside reportlab's line breaking: it takes each word off the
front of a Python list (`list.pop(0)`), 6 of 11.5 s for a 2 MB paragraph.  So
a paragraph over PARA_CHARS characters is set as several paragraphs, cut at a
sentence end (or a space) and said so in a warning, and a code block over
CODE_LINES lines as several boxes whose tints meet (the lines across a joint
stand apart by twice the box padding more than others).
Documented in the README's "Errors and limits"; no brief comes near either.
"""

from __future__ import annotations

import warnings

from ...errors import BriefExportWarning
from ...tree import Inline, Text, inline_text

PARA_CHARS = 100_000
CODE_LINES = 1_000


def para_pieces(inlines: tuple[Inline, ...], *, source: str, line: int) -> list[tuple[Inline, ...]]:
    """`inlines` cut into runs of at most about PARA_CHARS characters (whole nodes but for Text)."""
    if sum(len(inline_text((node,))) for node in inlines) <= PARA_CHARS:
        return [inlines]
    pieces: list[tuple[Inline, ...]] = []
    current: list[Inline] = []
    size = 0
    for node in inlines:
        if isinstance(node, Text):
            text = node.text
            while size + len(text) > PARA_CHARS:
                room = PARA_CHARS - size
                cut = text.rfind(". ", 0, room) + 1 or text.rfind(" ", 0, room)
                if cut <= 0:
                    if current:  # no space in reach: cut before this text instead
                        pieces.append(tuple(current))
                        current, size = [], 0
                        continue
                    cut = room
                current.append(Text(text[:cut]))
                pieces.append(tuple(current))
                current, size, text = [], 0, text[cut:].lstrip(" ")
            if text:
                current.append(Text(text))
                size += len(text)
            continue
        length = len(inline_text((node,)))
        if current and size + length > PARA_CHARS:
            pieces.append(tuple(current))
            current, size = [], 0
        current.append(node)
        size += length
    if current:
        pieces.append(tuple(current))
    warnings.warn(f"{source}:{line}: a paragraph of {sum(len(inline_text(p)) for p in pieces):,} characters is set "
                  f"as {len(pieces)} paragraphs in the PDF (at most {PARA_CHARS:,} characters each)",
                  BriefExportWarning, stacklevel=2)
    return pieces


def code_pieces(lines: list[str]) -> list[list[str]]:
    return [lines[i: i + CODE_LINES] for i in range(0, len(lines), CODE_LINES)] or [lines]
