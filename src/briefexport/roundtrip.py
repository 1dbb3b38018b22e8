"""`briefexport import`: an edited DOCX back into Markdown, and onto the source it came from.

`merge` keeps what the DOCX cannot change: every block whose round-trip form
is the same in the source and in the DOCX keeps its exact Markdown spelling
(and the HTML comments and footnote definitions beside it); front-matter
keys the brief does not show stay as written; only what the editor changed
is written anew.  The blocks are aligned with difflib on their normalised
form (`transforms.docx_roundtrip`), so an inserted, deleted or moved
paragraph shifts nothing else.
"""

from __future__ import annotations

import bisect
import dataclasses
import difflib
import re
import warnings
from dataclasses import dataclass, field, replace

import yaml

from .backends.markdown import Writer, front_matter, meta_data, write
from .errors import BriefExportError, BriefExportWarning
from .readers.docx import Change, Imported
from .readers.markdown import parse
from .transforms.docx_roundtrip import Flatten, normal_meta, normalise, tree_digest
from .tree import Block, Document, Note, Span, inline_text, plain_text, to_json, walk

_DEFINITION = re.compile(r"^ {0,3}\[\^([^\]\s]+)\]:")
_REFERENCE = re.compile(r"\[\^([^\]\s]+)\]")
_COMMENT = re.compile(r"^<!--.*?-->[ \t]*$", re.S | re.M)


def _quiet_parse(text: str, source: str, changes: str = "keep", resource_path: tuple = ()) -> Document:
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", BriefExportWarning)
        return parse(text, source=source, changes=changes, resource_path=resource_path)


def change_lines(changes: list[Change], markdown: str) -> None:
    """Set each change's `line`: where its CriticMarkup stands in `markdown`."""
    doc = _quiet_parse(markdown, "<import>")
    marks: list[tuple[str, str, int]] = []
    for block in doc.blocks:
        for node in walk(block):
            line = getattr(node, "line", 0)
            if line:
                current = line
            if isinstance(node, Span) and node.attrs.classes[:1] in (("insertion",), ("deletion",), ("comment",)):
                kind = node.attrs.classes[0]
                text = dict(node.attrs.kv).get("text", "") if kind == "comment" else inline_text(node.children)
                marks.append((kind, " ".join(text.split()), current))
    blocks = [(b.line, " ".join(plain_text(b).split())) for b in doc.blocks for b in _flat_blocks(b)]
    used: set[int] = set()
    for change in changes:
        want = {"move-to": "insertion", "move-from": "deletion"}.get(change.kind, change.kind)
        text = " ".join(change.text.split())
        for i, (kind, mark_text, line) in enumerate(marks):
            if i not in used and kind == want and text in mark_text:
                change.line = line
                used.add(i)
                break
        else:
            # Accepted or rejected, the mark is gone: the line of its paragraph.
            context = " ".join(change.context.split())[:60]
            change.line = next((line for line, text in blocks if context and context in text), 0)


def _flat_blocks(block: Block):
    """A block and the blocks inside it, with their lines."""
    for node in walk(block):
        if getattr(node, "line", 0) and not isinstance(node, Note):
            yield node


# ------------------------------------------------------------------ merge


@dataclass
class _Chunk:
    text: str  # the block's source lines up to the next block, blank lines and all
    definitions: list[tuple[str, str]]  # (label, text) of the footnote definitions among them
    keys: list[str] = field(default_factory=list)  # the normalised blocks it becomes
    notes: list[tuple[str, str]] = field(default_factory=list)  # (label, normalised text) of its notes


def merge(source_text: str, source: str, imported: Document, digest: str = "", *,
          resource_path: tuple = ()) -> str:
    """The source with the DOCX's changes in it, untouched blocks spelled as they were.

    `resource_path`: folders where the source's bibliography may be, as for `render`.
    """
    source_text = source_text.replace("\r\n", "\n").replace("\r", "\n")
    src = _quiet_parse(source_text, source, resource_path=resource_path)
    if digest and digest != tree_digest(_prepared(_quiet_parse(source_text, source, "accept", resource_path))):
        warnings.warn(f"{source}: changed since the DOCX was rendered; the merge keeps the source's blocks "
                      "where the DOCX did not change them, and the DOCX's where it did", BriefExportWarning,
                      stacklevel=2)
    lines = source_text.split("\n")
    fm_end = _front_matter_end(lines)
    starts = [b.line for b in src.blocks if b.line]
    body_start = starts[0] - 1 if starts else len(lines)
    chunks = [_chunk(lines, start - 1, (starts[i + 1] - 1) if i + 1 < len(starts) else len(lines))
              for i, start in enumerate(starts)]
    shown = _prepared(src)  # citations formatted, as the DOCX shows them
    flat = Flatten(shown)
    for block in normalise(shown, keep_lines=True).blocks:
        if not block.line:
            continue  # made by `prepare` (the bibliography): nothing in the source to keep
        owner = max(bisect.bisect_right(starts, block.line) - 1, 0)
        if chunks:
            chunks[owner].keys.append(_key(block))
    target = normalise(imported)
    for block in shown.blocks:
        if block.line and chunks:
            chunk = chunks[max(bisect.bisect_right(starts, block.line) - 1, 0)]
            chunk.notes += [(n.label, _note_key(flat.note(n))) for n in walk(block) if isinstance(n, Note)]
    body = _merge_blocks(chunks, list(target.blocks))
    front = _merge_front(lines[:fm_end], src, imported)
    # Front matter, what stood before the first block (comments, blank lines), then the body: as they were.
    head = [front] if front else []
    head += lines[fm_end:body_start]
    text = "\n".join(head)
    if text.strip() and body.strip():
        text = text.rstrip("\n") + ("\n\n" if not lines[fm_end:body_start] or not lines[body_start - 1].strip()
                                   else "\n")
    return (text + body.lstrip("\n")).rstrip("\n") + "\n"


_LINE = re.compile(r'"line": ?\d+')


def _key(node: object) -> str:
    """A block's (or a note's) normalised form as text: source lines and notes' content left out.

    Notes are aligned on their own (`_note_labels`), so an edited footnote
    changes its definition, not the paragraph that refers to it.
    """
    doc = Document(blocks=tuple(_hollow(b) for b in node.blocks) if isinstance(node, Note)  # type: ignore[attr-defined]
                   else (_hollow(node),))
    return _LINE.sub('"line":0', to_json(doc, indent=None))


def _hollow(node: object) -> object:
    if isinstance(node, Note):
        return Note(())
    if isinstance(node, tuple):
        return tuple(_hollow(x) for x in node)
    if dataclasses.is_dataclass(node) and not isinstance(node, type):
        return dataclasses.replace(node, **{f.name: _hollow(getattr(node, f.name)) for f in dataclasses.fields(node)
                                            if isinstance(getattr(node, f.name), (tuple, Note))})
    return node


def _note_key(note: Note) -> str:
    return _LINE.sub('"line":0', to_json(Document(blocks=note.blocks), indent=None))


def _prepared(doc: Document) -> Document:
    """`doc` as backends get it (citations and cross-references formatted), when that works."""
    from .theme import load_theme
    from .transforms.prepare import prepare

    try:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore", BriefExportWarning)
            return prepare(doc, load_theme())
    except BriefExportError as exc:
        warnings.warn(f"{exc}; without it, the blocks that cite count as changed", BriefExportWarning, stacklevel=3)
        return doc


def _front_matter_end(lines: list[str]) -> int:
    if not lines or lines[0].rstrip() != "---":
        return 0
    for i in range(1, len(lines)):
        if lines[i].rstrip() in ("---", "..."):
            return i + 1
    return 0


def _chunk(lines: list[str], start: int, end: int) -> _Chunk:
    definitions: list[tuple[str, str]] = []
    i = start
    while i < end:
        m = _DEFINITION.match(lines[i])
        if not m:
            i += 1
            continue
        j = i + 1
        while j < end and (not lines[j].strip() or lines[j].startswith(("    ", "\t"))):
            j += 1
        while j > i + 1 and not lines[j - 1].strip():
            j -= 1
        definitions.append((m.group(1), "\n".join(lines[i:j])))
        i = j
    return _Chunk("\n".join(lines[start:end]), definitions)


def _merge_blocks(chunks: list[_Chunk], target: list[Block]) -> str:
    a: list[str] = []
    owner: list[int] = []
    for index, chunk in enumerate(chunks):
        a.extend(chunk.keys)
        owner.extend([index] * len(chunk.keys))
    matcher = difflib.SequenceMatcher(None, a, [_key(block) for block in target], autojunk=False)
    equal_a: set[int] = set()
    b_from: dict[int, int] = {}
    for tag, i1, i2, j1, j2 in matcher.get_opcodes():
        if tag == "equal":
            for k in range(i2 - i1):
                equal_a.add(i1 + k)
                b_from[j1 + k] = owner[i1 + k]
    # A block keeps its spelling when all it becomes is unchanged; one that becomes nothing
    # (a footnote definition's neighbour, a comment) rides along with the block before it.
    kept = {i for i, c in enumerate(chunks) if all(k in equal_a for k, o in enumerate(owner) if o == i)}
    labels, rewritten = _note_labels(chunks, target, b_from, kept)
    taken = {label for c in chunks for label, _ in c.notes} | {label for c in chunks for label, _ in c.definitions}
    writer = Writer(label_for=lambda note: labels.get(id(note)), taken=taken)
    new_text = {label: Writer().definition(label, note) for label, note in rewritten.items()}
    pieces: list[tuple[str, str]] = []  # ("chunk", raw text) | ("new", Markdown) | (label, definition)
    group: list[Block] = []
    done = -1

    def flush() -> None:
        if group:
            pieces.append(("new", writer.blocks(tuple(group))))
            group.clear()

    def upto(index: int) -> None:
        nonlocal done
        for i in range(done + 1, index + 1):
            if i in kept:
                flush()
                pieces.append(("chunk", chunks[i].text))
            else:
                # Deleted or rewritten: its notes' definitions and HTML comments stay.
                pieces.extend(chunks[i].definitions)
                pieces.extend(_comments(chunks[i].text))
        done = max(done, index)

    for j, block in enumerate(target):
        o = b_from.get(j)
        if o is not None and o in kept:
            upto(o)
        else:
            if o is not None:
                upto(o)
            group.append(block)
    flush()
    upto(len(chunks) - 1)
    flush()
    pieces.extend(("new-note", text) for text in writer.notes)
    return _join(pieces, new_text)


def _note_labels(chunks: list[_Chunk], target: list[Block], b_from: dict[int, int],
                 kept: set[int]) -> tuple[dict[int, str], dict[str, Note]]:
    """The source's label for each of the DOCX's notes (by `id`), and the labels whose text changed.

    A kept block's notes pair with the source's in order (an edited note keeps
    its label and gets its new text); a rewritten block's reuse a label only
    for a note whose text is unchanged.
    """
    by_text = {key: label for c in chunks for label, key in c.notes if label}
    labels: dict[int, str] = {}
    rewritten: dict[str, Note] = {}
    theirs: dict[int, list[Note]] = {}
    for j, block in enumerate(target):
        notes = [n for n in walk(block) if isinstance(n, Note)]
        o = b_from.get(j)
        if o is not None and o in kept:
            theirs.setdefault(o, []).extend(notes)
        else:
            for note in notes:
                if _note_key(note) in by_text:
                    labels[id(note)] = by_text[_note_key(note)]
    for o, notes in theirs.items():
        for (label, key), note in zip(chunks[o].notes, notes):
            if label:
                labels[id(note)] = label
                if _note_key(note) != key:
                    rewritten[label] = note
    return labels, rewritten


def _comments(text: str) -> list[tuple[str, str]]:
    """The HTML comments of a block that is rewritten; one right under its block stays right under."""
    out = []
    for m in _COMMENT.finditer(text):
        before = text[:m.start()].rstrip(" \t")
        tight = bool(before) and before.endswith("\n") and not before.endswith("\n\n")
        out.append(("comment-tight" if tight else "comment", m.group(0)))
    return out


def _join(pieces: list[tuple[str, str]], new_text: dict[str, str]) -> str:
    """The pieces in order; definitions of notes nothing refers to any more are dropped."""
    referenced: set[str] = set()
    for kind, text in pieces:
        if kind in ("chunk", "new", "new-note", "comment", "comment-tight"):
            body = "\n".join(line for line in text.split("\n") if not _DEFINITION.match(line))
            referenced.update(_REFERENCE.findall(body))
    out = ""
    previous = ""
    for kind, text in pieces:
        if kind == "chunk":
            for label, definition in _definitions_in(text):
                if label not in referenced:
                    text = text.replace(definition, "")
                elif label in new_text:
                    text = text.replace(definition, new_text[label])
        elif kind not in ("new", "new-note", "comment", "comment-tight") and kind not in referenced:
            continue
        elif kind in new_text:
            text = new_text[kind]
        if not out:
            out = text if kind == "chunk" else text.strip("\n")
        elif kind == "chunk" and previous == "chunk":
            out += "\n" + text  # consecutive source blocks: joined as they were
        elif kind == "comment-tight":
            out = out.rstrip("\n") + "\n" + text.strip("\n")
        else:
            out = out.rstrip("\n") + "\n\n" + (text.lstrip("\n") if kind == "chunk" else text.strip("\n"))
        previous = kind
    return out


def _definitions_in(text: str) -> list[tuple[str, str]]:
    lines = text.split("\n")
    return _chunk(lines, 0, len(lines)).definitions


def _merge_front(fm_lines: list[str], src: Document, imported: Document) -> str:
    ours = normal_meta(src.meta)
    theirs = replace(normal_meta(imported.meta), slug=src.meta.slug, pull_quote=src.meta.pull_quote,
                     extra=src.meta.extra)
    if not fm_lines:
        return front_matter(theirs) if meta_data(theirs) != meta_data(replace(ours, extra=src.meta.extra)) else ""
    old, new = meta_data(replace(ours, extra=src.meta.extra)), meta_data(theirs)
    if old == new:
        return "\n".join(fm_lines)
    key_lines = sorted((line - 1, key) for key, line in src.meta.lines)  # 0-based
    body_end = len(fm_lines) - 1  # the closing '---'
    spans: dict[str, tuple[int, int]] = {}
    for n, (start, key) in enumerate(key_lines):
        end = key_lines[n + 1][0] if n + 1 < len(key_lines) else body_end
        spans["authors" if key == "author" else key] = (start, end)
    replacement: dict[int, str | None] = {}
    skip: set[int] = set()
    for key in list(old) + [k for k in new if k not in old]:
        if old.get(key) == new.get(key):
            continue
        text = _dump(key, new[key]) if key in new else None
        if key in spans:
            start, end = spans[key]
            replacement[start] = text
            skip.update(range(start + 1, end))
        elif text is not None:
            replacement[body_end] = (replacement.get(body_end) or "") + text
    out: list[str] = []
    for i, line in enumerate(fm_lines):
        if i in replacement:
            if replacement[i] is not None:
                out.append(replacement[i].rstrip("\n"))
            if i == body_end:
                out.append(line)
            continue
        if i not in skip:
            out.append(line)
    return "\n".join(out)


def _dump(key: str, value: object) -> str:
    return yaml.safe_dump({key: value}, allow_unicode=True, sort_keys=False, width=1_000_000,
                          default_flow_style=False)


def unified_diff(before: str, after: str, name: str) -> str:
    return "".join(difflib.unified_diff(before.splitlines(keepends=True), after.splitlines(keepends=True),
                                        fromfile=name, tofile=f"{name} (from the DOCX)"))


def markdown_of(imported: Imported) -> str:
    """The imported document as Markdown, and each change's line in it."""
    text = write(imported.doc)
    change_lines(imported.changes, text)
    return text
