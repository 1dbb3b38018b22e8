"""Pure passes over the document tree: tree -> data, nothing rendered.

Backends that summarise a document (the one-pager) ask these functions what
to show, so that every format shows the same text.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from ..errors import UnsupportedNode
from ..tree import (
    Block, BlockQuote, BulletList, CodeBlock, DefinitionList, Div, Document, Figure, Heading,
    HorizontalRule, OrderedList, Para, Plain, Table, Text, plain_text, walk,
)

MAX_DERIVED_POINTS = 5

# A sentence ends at . ! or ? (perhaps followed by closing quotes or brackets)
# when whitespace and an opening character of a new sentence follow.
_SENTENCE_END = re.compile(r"([.!?…][\"'”’)\]]*)\s+(?=[\"'“‘(\[]?[A-Z0-9À-ÖØ-Þ])")
# Abbreviations that end in a full stop without ending the sentence.
_ABBREVIATIONS = frozenset(
    "mr mrs ms dr prof st sr jr vs etc e.g i.e no nos fig figs approx cf al gen col lt sen rep gov".split()
)
_ATTRIBUTION = re.compile(r"^\s*(?:—|―|–|--|-)\s*")


def squash(text: str) -> str:
    """`text` on one line, runs of whitespace as one space."""
    return " ".join(text.split())


def first_sentence(text: str) -> str:
    """The first sentence of `text` (all of it when it has one sentence)."""
    text = squash(text)
    for match in _SENTENCE_END.finditer(text):
        before = text[: match.start(1)]
        last_word = before.rsplit(" ", 1)[-1].lower().lstrip("(\"'“‘")
        # "U.S. officials", "Dr. Smith": a one-letter or known abbreviation.
        if last_word in _ABBREVIATIONS or re.fullmatch(r"(?:[a-z]\.)*[a-z]", last_word):
            continue
        return text[: match.end(1)]
    return text


def derive_key_points(doc: Document, limit: int = MAX_DERIVED_POINTS) -> tuple[str, ...]:
    """Key points for a document whose front matter has none.

    The first sentence of the first paragraph of each top-level section, at
    most `limit`.  Top-level sections are those opened by the shallowest
    heading level the document uses; text before the first heading is the
    lead-in, not a section.  A document without headings has no sections and
    so no derived key points.
    """
    headings = [b for b in doc.blocks if isinstance(b, Heading)]
    if not headings:
        return ()
    top = min(h.level for h in headings)
    points: list[str] = []
    in_section = False
    found = False
    for block in doc.blocks:
        if isinstance(block, Heading) and block.level == top:
            in_section, found = True, False
            continue
        if not in_section or found:
            continue
        if isinstance(block, Para | Plain):
            sentence = first_sentence(plain_text(block, notes=False))
            if sentence:
                points.append(sentence)
                found = True
                if len(points) >= limit:
                    break
    return tuple(points)


@dataclass(frozen=True)
class PullQuote:
    text: str
    attribution: str = ""
    line: int = 0


def find_pull_quote(doc: Document) -> PullQuote | None:
    """The first `::: pullquote` container, else the `pull_quote` front-matter field.

    A last paragraph that starts with a dash (`— Name`) is the attribution.
    """
    for node in walk(doc):
        if isinstance(node, Div) and node.kind == "pullquote":
            texts = [squash(plain_text(b, notes=False)) for b in node.blocks if _is_text_block(b)]
            texts = [t for t in texts if t]
            attribution = ""
            if len(texts) > 1 and _ATTRIBUTION.match(texts[-1]):
                attribution = _ATTRIBUTION.sub("", texts.pop())
            if texts:
                return PullQuote(" ".join(texts), attribution, node.line)
    if doc.meta.pull_quote.strip():
        return PullQuote(squash(doc.meta.pull_quote), "", doc.meta.line_of("pull_quote"))
    return None


def split_attribution(blocks: tuple[Block, ...]) -> tuple[tuple[Block, ...], Para | None]:
    """A pull quote's blocks, and its attribution: a last paragraph that starts with a dash.

    The attribution comes back without its dash; every format sets it in its
    own style under the quote.
    """
    if len(blocks) > 1 and isinstance(blocks[-1], Para):
        last = blocks[-1]
        first = last.children[0] if last.children else None
        if isinstance(first, Text) and _ATTRIBUTION.match(first.text):
            rest = _ATTRIBUTION.sub("", first.text, count=1)
            children = ((Text(rest),) if rest else ()) + last.children[1:]
            return blocks[:-1], Para(children, line=last.line)
    return blocks, None


def _is_text_block(block: object) -> bool:
    match block:
        case Para() | Plain() | BlockQuote() | Div():
            return True
        case Heading() | BulletList() | OrderedList() | DefinitionList() | CodeBlock():
            return False
        case HorizontalRule() | Table() | Figure():
            return False
        case _:
            raise UnsupportedNode(f"block {type(block).__name__} is not handled when looking for a pull quote")
