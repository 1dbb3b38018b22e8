"""pandoc's citation syntax as markdown-it-py inline rules.

`[see @a, p. 4; @b]`, `[-@a]`, in-text `@a` and `@a [p. 4]` become one
`citation` token each, whose `meta["items"]` holds, per cited work, its key,
its mode and the prefix and suffix as Markdown source (the parser reads
those as inlines).  Cross-references (`@fig:x`) are citations too, as in
pandoc-crossref; a transform tells them apart.
"""

from __future__ import annotations

import re
from typing import Any

from markdown_it import MarkdownIt
from markdown_it.rules_inline import StateInline

# pandoc: a key starts with a letter, digit or `_` and may hold internal
# punctuation; punctuation at its end belongs to the sentence (`@a.`).
_KEY = r"[\w](?:[\w]|[:.#$%&+?<>~/-](?=[\w]))*"
_BARE = re.compile(r"(-?)@(" + _KEY + r"|\{[^{}\n]+\})")
_ITEM = re.compile(r"^(?P<prefix>.*?)(?<![\w@])(?P<minus>-?)@(?P<key>" + _KEY + r"|\{[^{}]+\})(?P<suffix>.*)$", re.S)


def citation_plugin(md: MarkdownIt) -> None:
    md.inline.ruler.before("link", "citation_bracket", _bracketed)
    md.inline.ruler.before("link", "citation_intext", _in_text)


def _item(part: str) -> dict[str, Any] | None:
    m = _ITEM.match(part)
    if not m:
        return None
    key = m.group("key")
    if key.startswith("{"):
        key = key[1:-1].strip()
    prefix = m.group("prefix").strip()
    suffix = m.group("suffix")
    if "@" in suffix and _BARE.search(suffix):
        return None  # two keys in one item: not a citation (pandoc agrees)
    return {
        "key": key,
        "mode": "suppress-author" if m.group("minus") else "normal",
        "prefix": prefix,
        "suffix": suffix.rstrip(),
    }


def _bracketed(state: StateInline, silent: bool) -> bool:
    pos = state.pos
    src = state.src
    if src[pos] != "[" or src.startswith("[^", pos):
        return False
    end = state.md.helpers.parseLinkLabel(state, pos, False)
    if end < 0:
        return False
    after = src[end + 1 : end + 2]
    if after in ("(", "[", "{"):
        return False  # a link, a reference link or a span: not ours
    inner = src[pos + 1 : end]
    if "@" not in inner:
        return False
    items = []
    for part in _split_items(inner):
        item = _item(part)
        if item is None:
            return False
        items.append(item)
    if not silent:
        token = state.push("citation", "", 0)
        token.meta = {"items": items, "in_text": False}
        token.content = src[pos : end + 1]
    state.pos = end + 1
    return True


def _split_items(inner: str) -> list[str]:
    """`a; b` -> ['a', 'b'], leaving `;` inside backticks or braces alone."""
    parts, depth, current, code = [], 0, [], False
    for ch in inner:
        if ch == "`":
            code = not code
        elif not code and ch == "{":
            depth += 1
        elif not code and ch == "}":
            depth = max(0, depth - 1)
        if ch == ";" and depth == 0 and not code:
            parts.append("".join(current))
            current = []
        else:
            current.append(ch)
    parts.append("".join(current))
    return parts


def _in_text(state: StateInline, silent: bool) -> bool:
    pos = state.pos
    src = state.src
    if src[pos] != "@":
        return False
    # name@example.org, a@b: only a word boundary opens a citation.
    if pos > 0 and (src[pos - 1].isalnum() or src[pos - 1] in "_@"):
        return False
    m = _BARE.match(src, pos)
    if not m or m.group(1):
        return False
    key = m.group(2)
    if key.startswith("{"):
        key = key[1:-1].strip()
    end = m.end()
    suffix = ""
    # `@key [p. 4]`: a bracket after one space is the locator and suffix.
    bracket = re.compile(r" ?\[").match(src, end)
    if bracket:
        start = bracket.end() - 1
        close = state.md.helpers.parseLinkLabel(state, start, False)
        state.pos = pos  # parseLinkLabel moves it
        if close > 0 and "@" not in src[start:close] and src[close + 1 : close + 2] not in ("(", "[", "{"):
            suffix = src[start + 1 : close]
            end = close + 1
    if not silent:
        token = state.push("citation", "", 0)
        token.meta = {
            "items": [{"key": key, "mode": "author-in-text", "prefix": "", "suffix": suffix}],
            "in_text": True,
        }
        token.content = src[pos:end]
    state.pos = end
    return True


# ------------------------------------------------------------- locators

# The locator labels pandoc's citeproc reads in English (CSL locale terms,
# long and short forms); a bare number is a page.
_LABELS = (
    "book", "bk.", "bks.", "chapter", "chapters", "chap.", "chaps.", "ch.", "column", "columns",
    "col.", "cols.", "figure", "figures", "fig.", "figs.", "folio", "folios", "fol.", "fols.",
    "line", "lines", "l.", "ll.", "note", "notes", "n.", "nn.", "number", "numbers", "no.",
    "nos.", "opus", "opera", "op.", "opp.", "page", "pages", "p.", "pp.", "paragraph",
    "paragraphs", "para.", "paras.", "¶", "¶¶", "part", "parts", "pt.", "pts.", "section",
    "sections", "sec.", "secs.", "§", "§§", "sub verbo", "sub verbis", "s.v.", "s.vv.", "verse",
    "verses", "v.", "vv.", "volume", "volumes", "vol.", "vols.",
)
_LABEL_RE = "|".join(re.escape(x) for x in sorted(_LABELS, key=len, reverse=True))
_VALUE = r"(?:\{[^{}]*\}|[\w]+(?:\s*[-–—]+\s*[\w]+)?(?:\s*,\s*\d+(?:\s*[-–—]+\s*\d+)?)*)"
_LOCATOR = re.compile(rf"^\s*,?\s*(?:(?P<label>{_LABEL_RE})\s*)?(?P<value>{_VALUE})(?=$|[\s,;.:)])", re.I)


def split_locator(suffix: str) -> tuple[str, str, str]:
    """`, p. 23, for more` -> ('p.', '23', ', for more'); no locator -> ('', '', suffix)."""
    m = _LOCATOR.match(suffix)
    if not m:
        return "", "", suffix
    value = m.group("value")
    label = m.group("label") or ""
    if not label and not re.match(r"\d|[ivxlcdm]+$", value, re.I):
        return "", "", suffix  # `, for more`: words, not a page
    return label, value, suffix[m.end():]
