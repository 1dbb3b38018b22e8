"""`tree.Document` -> Markdown with YAML front matter, in the dialect `readers.markdown` reads.

The inverse of the Markdown reader: parsing what this writes gives the tree
back (tests check it over the article, the fixtures and both corpora).  Text
is escaped where the reader would otherwise see markup: emphasis and link
characters always, block markers at the start of a line, and what the
typographer would change (straight quotes, `--`, `...`, `(c)`).  Tracked
changes and comments (spans of class `insertion`, `deletion`, `comment`)
are written as CriticMarkup.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass, field

import yaml

from ...tree import (
    Block, BlockQuote, BulletList, Code, CodeBlock, DefinitionList, Div, Document, Emph, Figure, Heading,
    HorizontalRule, Image, Inline, LineBreak, Link, Meta, Note, OrderedList, Para, Plain, SoftBreak, Span,
    Strikeout, Strong, Table, TableCell, Text,
)

_ALWAYS = re.compile(r"""([\\`*_\[\]<>{}~|"'])""")
_TYPO = re.compile(r"(?<=\+)-|-(?=-)|\.(?=\.)|,(?=,)|\?(?=\?)|!(?=!)|\((?=(?:c|tm|r|p)\))|&(?=#?\w+;)", re.I)
_LINE_START = re.compile(r"^( *)(#{1,6}(?=[ \t]|$)|[-+*=:](?=[ \t]|$)|=+[ \t]*$|(\d{1,9})([.)])(?=[ \t]|$))")


def write(doc: Document) -> str:
    """The whole document: front matter, blocks, then the footnote definitions."""
    w = Writer()
    body = w.blocks(doc.blocks)
    parts = [front_matter(doc.meta)] if front_matter(doc.meta) else []
    if body:
        parts.append(body)
    if w.notes:
        parts.append("\n\n".join(w.notes))
    return "\n\n".join(p.rstrip("\n") for p in parts) + "\n"


def front_matter(meta: Meta) -> str:
    data = meta_data(meta)
    if not data:
        return ""
    text = yaml.safe_dump(data, allow_unicode=True, sort_keys=False, width=1_000_000, default_flow_style=False)
    return "---\n" + text + "---"


def meta_data(meta: Meta) -> dict:
    """The front matter as a mapping, in the order of the README's table."""
    data: dict = {}
    for key in ("title", "subtitle", "series", "date"):
        if getattr(meta, key):
            data[key] = getattr(meta, key)
    if meta.lang and meta.lang != "en":
        data["lang"] = meta.lang
    if meta.keywords:
        data["keywords"] = list(meta.keywords)
    if meta.authors:
        authors = []
        for a in meta.authors:
            entry = {"name": a.name}
            if a.affiliation:
                entry["affiliation"] = a.affiliation
            if a.bio:
                entry["bio"] = a.bio
            authors.append(entry if len(entry) > 1 else a.name)
        data["authors"] = authors
    if meta.image is not None:
        data["image"] = {k: v for k, v in (("caption", meta.image.caption), ("credit", meta.image.credit),
                                           ("src", meta.image.src), ("alt", meta.image.alt)) if v}
    if meta.key_points:
        data["key_points"] = list(meta.key_points)
    for key in ("slug", "pull_quote"):
        if getattr(meta, key):
            data[key] = getattr(meta, key)
    import json

    for key, value in meta.extra:
        data[key] = json.loads(value)
    return data


def escape_text(text: str) -> str:
    return _TYPO.sub(lambda m: "\\" + m.group(0), _ALWAYS.sub(r"\\\1", text))


def _escape_line_starts(text: str) -> str:
    def fix(line: str) -> str:
        m = _LINE_START.match(line)
        if not m:
            return line
        indent = m.group(1)
        if m.group(3):
            return f"{indent}{m.group(3)}\\{m.group(4)}{line[m.end():]}"
        return f"{indent}\\{line[len(indent):]}"

    return "\n".join(fix(line) for line in text.split("\n"))


@dataclass
class Writer:
    """Writes blocks; footnote definitions collect in `notes` for the end of the document.

    `label_for` may name an existing label for a note (the merge reuses the
    source's); other notes get the next number not in `taken`.
    """

    notes: list[str] = field(default_factory=list)
    label_for: Callable[[Note], str | None] | None = None
    taken: set[str] = field(default_factory=set)

    # -- blocks

    def blocks(self, blocks: tuple[Block, ...] | list[Block]) -> str:
        out: list[str] = []
        prev: Block | None = None
        for block in blocks:
            text = self.block(block, prev)
            if text is not None:
                out.append(text)
            prev = block
        return "\n\n".join(out)

    def block(self, node: Block, prev: Block | None = None) -> str | None:
        match node:
            case Para(children=c) | Plain(children=c):
                text = _edge_entities(_escape_line_starts(self.inlines(c)))
                return text if text.strip() else None
            case Heading(level=level, children=c, attrs=attrs):
                text = self.inlines(c).replace("\n", " ")
                if text.endswith("#"):
                    text = text[:-1] + "\\#"
                ident = f" {{#{attrs.id}}}" if attrs.id else ""
                return ("#" * level + " " + text + ident).rstrip()
            case BulletList(items=items, tight=tight):
                # `-` alone under a line would underline it as a heading: a list with an empty item uses `*`.
                marker = "*" if isinstance(prev, BulletList) or any(not item for item in items) else "-"
                return self.list_items([(marker + " ", item) for item in items], tight)
            case OrderedList(items=items, start=start, tight=tight):
                delim = ")" if isinstance(prev, OrderedList) and not self._last_paren else "."
                self._last_paren = delim == ")"
                return self.list_items([(f"{start + i}{delim} ", item) for i, item in enumerate(items)], tight)
            case DefinitionList(items=items):
                parts = []
                for term, definitions in items:
                    lines = [_escape_line_starts(self.inlines(term)).replace("\n", " ") or "\\ "]
                    for definition in definitions:
                        lines.append(_indent(self.blocks(definition), ": ", "  "))
                    parts.append("\n\n".join(lines))  # loose: the definitions are paragraphs
                return "\n\n".join(parts)
            case BlockQuote(blocks=b):
                inner = self.blocks(b)
                return "\n".join(("> " + line).rstrip() for line in inner.split("\n")) if inner else ">"
            case CodeBlock(text=t, lang=lang):
                fence = "`" * max(3, _longest_run(t, "`") + 1)
                body = t if t.endswith("\n") or not t else t + "\n"
                return f"{fence}{lang}\n{body}{fence}"
            case HorizontalRule():
                return "* * *"
            case Table():
                return self.table(node)
            case Figure(src=src, alt=alt, caption=caption, title=title):
                text = self.inlines(caption) if caption else escape_text(alt)
                return f"![{text}]({_destination(src)}{_title(title)})"
            case Div():
                return self.div(node)
            case _:
                raise TypeError(f"not a block: {node!r}")

    _last_paren = False

    def definition(self, label: str, note: Note) -> str:
        """`[^label]: ...`, the note's blocks indented under it."""
        return _indent(self.blocks(note.blocks) or "\\ ", f"[^{label}]: ", "    ")

    def list_items(self, items: list[tuple[str, tuple[Block, ...]]], tight: bool) -> str:
        out = []
        for marker, item in items:
            body = self.blocks(item) if not tight else self._tight_blocks(item)
            if not body:
                out.append(marker.rstrip())
            else:
                out.append(_indent(body, marker, " " * len(marker)))
        return ("\n" if tight else "\n\n").join(out)

    def _tight_blocks(self, item: tuple[Block, ...]) -> str:
        """A tight item's blocks, one line apart, except where CommonMark needs a blank line:
        an ordered list that does not start at 1 cannot interrupt a paragraph, so it would be
        read as the paragraph's text (the re-read list is loose, which the DOCX does not keep)."""
        out = ""
        for block in item:
            text = self.block(block)
            if text is None:
                continue
            gap = "\n\n" if isinstance(block, OrderedList) and block.start != 1 else "\n"
            out = f"{out}{gap}{text}" if out else text
        return out

    def table(self, node: Table) -> str:
        width = max([len(node.aligns), len(node.head), *(len(r) for r in node.rows)] or [1])

        def row(cells: tuple[TableCell, ...]) -> str:
            texts = [self.inlines(c.children).replace("\n", " ") for c in cells]
            texts += [""] * (width - len(texts))
            return "| " + " | ".join(t or " " for t in texts) + " |"

        aligns = list(node.aligns) + ["default"] * (width - len(node.aligns))
        rule = {"default": "---", "left": ":---", "center": ":---:", "right": "---:"}
        lines = [row(node.head), "|" + "|".join(rule[a] for a in aligns) + "|"]
        lines += [row(r) for r in node.rows]
        table = "\n".join(lines)
        if node.caption:
            return table + "\n\n: " + self.inlines(node.caption).replace("\n", " ")  # pandoc's caption
        return table

    def div(self, node: Div) -> str:
        inner = self.blocks(node.blocks)
        fence = ":" * (3 + _div_depth(node.blocks))
        classes = " ".join("." + c for c in node.attrs.classes)
        attrs = []
        if node.attrs.id:
            attrs.append("#" + node.attrs.id)
        if classes:
            attrs.append(classes)
        for key, value in node.attrs.kv:
            attrs.append(f"{key}={_quote(value)}")
        info = "{" + " ".join(attrs) + "}" if attrs else ""
        return f"{fence} {info}\n{inner}\n{fence}" if inner else f"{fence} {info}\n{fence}"

    # -- inlines

    def inlines(self, inlines: tuple[Inline, ...]) -> str:
        out: list[str] = []
        wrapped: dict[int, int] = {}  # index in `out` of each emphasis, strong and strikeout: its delimiter's width
        items = list(inlines)
        i = 0
        while i < len(items):
            node = items[i]
            nxt = items[i + 1] if i + 1 < len(items) else None
            if _is_change(node, "deletion") and _is_change(nxt, "insertion"):
                out.append("{~~" + self.inlines(node.children) + "~>" + self.inlines(nxt.children) + "~~}")
                i += 2
                continue
            if isinstance(node, (Emph, Strong, Strikeout)):
                # The delimiter's width comes from the node: `_**a**_` opens with one `_`.
                wrapped[len(out)] = 1 if isinstance(node, Emph) else 2
            out.append(self.inline(node))
            i += 1
        for index, width in wrapped.items():
            if index - 1 in wrapped and out[index - 1].endswith("*") and out[index].startswith("*"):
                # `**a***b*` would be one run of three: the second takes underscores.
                out[index] = "_" * width + out[index][width:-width] + "_" * width
        for index, width in wrapped.items():
            _flank(out, index, width)
        return "".join(out)

    def inline(self, node: Inline) -> str:
        match node:
            case Text(text=t):
                return escape_text(t)
            case SoftBreak():
                return "\n"
            case LineBreak():
                return "\\\n"
            case Emph(children=c):
                return _wrap(self.inlines(c), "*")
            case Strong(children=c):
                return _wrap(self.inlines(c), "**")
            case Strikeout(children=c):
                return "~~" + self.inlines(c) + "~~"
            case Code(text=t):
                ticks = "`" * (_longest_run(t, "`") + 1)
                pad = " " if t.startswith("`") or t.endswith("`") or (
                    t.startswith(" ") and t.endswith(" ") and t.strip(" ")) else ""
                return f"{ticks}{pad}{t}{pad}{ticks}"
            case Link(children=c, url=url, title=title):
                return f"[{self.inlines(c)}]({_destination(url)}{_title(title)})"
            case Image(alt=alt, src=src, title=title):
                return f"![{self.inlines(alt)}]({_destination(src)}{_title(title)})"
            case Note():
                label = self.label_for(node) if self.label_for is not None else None
                if label:
                    return f"[^{label}]"
                number = 1
                while str(number) in self.taken:
                    number += 1
                self.taken.add(str(number))
                slot = len(self.notes)
                self.notes.append("")
                self.notes[slot] = self.definition(str(number), node)
                return f"[^{number}]"
            case Span(children=c, attrs=attrs):
                kind = attrs.classes[0] if attrs.classes else ""
                if kind == "insertion":
                    return "{++" + self.inlines(c) + "++}"
                if kind == "deletion":
                    return "{--" + self.inlines(c) + "--}"
                if kind == "comment":
                    text = dict(attrs.kv).get("text", "").replace("<<}", "<< }")
                    return self.inlines(c) + "{>>" + text + "<<}"
                lang = dict(attrs.kv).get("lang", "")
                if not lang:
                    return self.inlines(c)
                return f"[{self.inlines(c)}]{{lang={_quote(lang)}}}"
            case _:
                raise TypeError(f"not an inline: {node!r}")


def _edge_entities(text: str) -> str:
    """Whitespace other than spaces at a paragraph's edges, as entities (the reader strips it)."""
    if text and text[0].isspace() and text[0] not in " \t\n":
        text = f"&#x{ord(text[0]):X};" + text[1:]
    if text and text[-1].isspace() and text[-1] not in " \t\n":
        text = text[:-1] + f"&#x{ord(text[-1]):X};"
    return text


def _wrap(inner: str, delimiter: str) -> str:
    """`*inner*`, or `_inner_` when the inner text starts or ends with a `*` run of its own."""
    if inner.startswith("*") or inner.endswith("*"):
        delimiter = delimiter.replace("*", "_")
    return delimiter + inner + delimiter


def _flank(out: list[str], i: int, width: int) -> None:
    """Let the delimiters around `out[i]` open and close (CommonMark's flanking rules).

    `x*"a"*` cannot open and `*a`b`*c` cannot close: a letter against a
    delimiter that touches punctuation.  Written as a character reference,
    that letter is punctuation to the flanking rule and the same letter
    once parsed.
    """
    text = out[i]
    first, last = text[width:width + 1], text[-width - 1:-width]
    # `_` never opens or closes inside a word: `a_b_` and `_b_c` stay text.
    inside_word = text[:1] == "_"
    if i > 0 and out[i - 1] and out[i - 1][-1].isalnum() and (_punct(first) or inside_word):
        out[i - 1] = out[i - 1][:-1] + f"&#{ord(out[i - 1][-1])};"
    if i + 1 < len(out) and out[i + 1] and out[i + 1][0].isalnum() and (_punct(last) or inside_word):
        out[i + 1] = f"&#{ord(out[i + 1][0])};" + out[i + 1][1:]


def _punct(char: str) -> bool:
    import unicodedata

    return bool(char) and unicodedata.category(char)[0] in "PS"


def _is_change(node: Inline | None, kind: str) -> bool:
    return isinstance(node, Span) and node.attrs.classes[:1] == (kind,)


def _indent(text: str, first: str, rest: str) -> str:
    lines = text.split("\n")
    out = [first + lines[0]]
    out += [(rest + line) if line.strip() else "" for line in lines[1:]]
    return "\n".join(out)


def _longest_run(text: str, char: str) -> int:
    runs = re.findall(re.escape(char) + "+", text)
    return max((len(r) for r in runs), default=0)


def _destination(url: str) -> str:
    if not url or re.search(r"[\s()<>]", url):
        return "<" + re.sub(r"([<>\\])", r"\\\1", url) + ">"
    return re.sub(r"([\\])", r"\\\1", url)


def _title(title: str) -> str:
    if not title:
        return ""
    return ' "' + re.sub(r'(["\\])', r"\\\1", title) + '"'


def _quote(value: str) -> str:
    if re.fullmatch(r"[\w.-]+", value):
        return value
    return '"' + value.replace('"', "'") + '"'


def _div_depth(blocks) -> int:
    depth = 0
    for block in blocks:
        if isinstance(block, Div):
            depth = max(depth, 1 + _div_depth(block.blocks))
        for child in getattr(block, "blocks", ()) if not isinstance(block, Div) else ():
            if isinstance(child, Div):
                depth = max(depth, 1 + _div_depth(child.blocks))
    return depth
