"""`briefexport check`: what a render would get wrong, found without rendering.

Each finding names the source file and line.  Errors are what stops a render
or leaves the brief without what it must have; warnings are what a reader
would miss (a character drawn as a box, an image without alt text, a link
that cannot be clicked).
"""

from __future__ import annotations

import importlib
import re
import warnings
from collections.abc import Iterator
from dataclasses import asdict, dataclass
from pathlib import Path
from typing import Any, Literal

from .errors import BriefExportError, BriefExportWarning, RenderError
from .common.links import external_target, internal_target, resolve_image
from .theme import Theme
from .tree import Block, Document, Figure, Image, LineBreak, Link, SoftBreak, children, inline_text

Severity = Literal["error", "warning"]


@dataclass(frozen=True)
class Finding:
    severity: Severity
    path: str
    line: int
    code: str
    message: str

    def __str__(self) -> str:
        where = f"{self.path}:{self.line}" if self.line else self.path
        return f"{where}: {self.severity}: {self.message} [{self.code}]"

    def as_dict(self) -> dict[str, Any]:
        return asdict(self)


def check_file(source: str | Path, theme: Theme) -> list[Finding]:
    """Parse `source` and check it; a source that cannot be parsed is one error."""
    from .readers.markdown import parse_file

    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always", BriefExportWarning)
        try:
            doc = parse_file(source)
        except BriefExportError as exc:
            return [Finding("error", exc.path or str(source), exc.line, "parse-error", exc.message)]
    found = [_from_warning(str(w.message), str(source)) for w in caught if issubclass(w.category, BriefExportWarning)]
    return sorted(found + check(doc, theme), key=_order)


def _order(f: Finding) -> tuple[int, bool, str, str]:
    return (f.line, f.severity != "error", f.code, f.message)


_WARNING = re.compile(r"^(?P<path>.*?)(?::(?P<line>\d+))?: (?P<message>.*)$", re.DOTALL)


def _from_warning(text: str, source: str) -> Finding:
    """A parser warning (`path:line: message`) as a finding."""
    m = _WARNING.match(text)
    path, line, message = (m["path"], int(m["line"] or 0), m["message"]) if m else (source, 0, text)
    if "footnote reference" in message:
        code = "footnote-undefined"
    elif "never referenced" in message:
        code = "footnote-unused"
    elif "front-matter key" in message:
        code = "unknown-key"
    else:
        code = "parse-warning"
    return Finding("warning", path, line, code, message)


def check(doc: Document, theme: Theme, *, base_dir: str | Path | None = None) -> list[Finding]:
    """Everything `check` reports about a parsed document, in source order."""
    if base_dir is None:
        base_dir = Path(doc.source).parent if doc.source and not doc.source.startswith("<") else Path.cwd()
    found = [*_meta(doc), *_images(doc, Path(base_dir)), *_links(doc), *_glyphs(doc, theme),
             *onepager_fit(doc, theme)]
    return sorted(found, key=_order)


# -------------------------------------------------------------- the checks


def _meta(doc: Document) -> Iterator[Finding]:
    meta, src = doc.meta, doc.source
    # Front matter starts on line 1; without any, the findings point at the file.
    top = 1 if meta.lines else 0
    stem = Path(src).stem.replace("-", " ").replace("_", " ").strip() if src else ""
    # Without `title:` or a level-1 heading the parser falls back to the file name.
    if not meta.title.strip() or (not meta.line_of("title") and meta.title == stem):
        yield Finding("error", src, top, "missing-title", "no title (set `title:` in the front matter or start with a # heading)")
    if not meta.authors:
        yield Finding("warning", src, top, "missing-authors", "no authors (`authors:` in the front matter)")
    if not meta.date.strip():
        yield Finding("warning", src, top, "missing-date",
                      "no date (`date:`); outputs are stamped with SOURCE_DATE_EPOCH or a fixed date")
    if not meta.key_points:
        yield Finding("warning", src, top, "missing-key-points",
                      "no key points (`key_points:`); the takeaways box and the one-pager need them")


def _lined(blocks: tuple[Block, ...], line: int = 0) -> Iterator[tuple[Any, int]]:
    """Every node below `blocks` with the source line it stands on."""
    for block in blocks:
        yield from _node_lines(block, getattr(block, "line", 0) or line)


def _node_lines(node: Any, line: int) -> Iterator[tuple[Any, int]]:
    yield node, line
    current = line
    for child in children(node):
        if isinstance(child, (SoftBreak, LineBreak)):
            current = current + 1 if current else 0
            continue
        start = getattr(child, "line", 0) or current
        yield from _node_lines(child, start)


def _images(doc: Document, base_dir: Path) -> Iterator[Finding]:
    src = doc.source
    image = doc.meta.image
    if image is not None and image.src:
        line = doc.meta.line_of("image")
        yield from _image(image.src, image.alt, base_dir, src, line)
    for node, line in _lined(doc.blocks):
        if isinstance(node, Figure):
            yield from _image(node.src, node.alt, base_dir, src, line)
        elif isinstance(node, Image):
            yield from _image(node.src, inline_text(node.alt), base_dir, src, line)


def _image(ref: str, alt: str, base_dir: Path, src: str, line: int) -> Iterator[Finding]:
    try:
        resolve_image(ref, base_dir, source=src, line=line)
    except RenderError as exc:
        text = exc.message
        code = ("image-outside" if "outside" in text else "image-remote" if "only local" in text
                else "image-missing")
        yield Finding("error", src, line, code, text)
    if not alt.strip():
        yield Finding("warning", src, line, "image-no-alt", f"image {ref!r} has no alt text (screen readers and the DOCX need one)")


def _links(doc: Document) -> Iterator[Finding]:
    for node, line in _lined(doc.blocks):
        if isinstance(node, Link) and external_target(node.url) is None and internal_target(node.url) is None:
            scheme = re.match(r"^([A-Za-z][A-Za-z0-9+.-]*):", node.url.strip())
            why = f"scheme `{scheme.group(1)}:` is not allowed" if scheme else "not an http, https or mailto address"
            yield Finding("warning", doc.source, line, "link-scheme",
                          f"link {node.url!r}: {why}; it is shown as plain text")


def _glyphs(doc: Document, theme: Theme) -> Iterator[Finding]:
    from .fonts.coverage import gaps

    for gap in gaps(doc, theme):
        yield Finding("warning", gap.source, gap.line, "missing-glyph", gap.message)


# ------------------------------------------------------- one-pager hook

# The one-pager backend may offer `fit_findings(doc, theme)`, returning an
# iterable of (severity, line, code, message) tuples: e.g. ("warning", 12,
# "onepager-shrink", "key points set at 18pt instead of 24pt to fit") or
# ("warning", 14, "onepager-drop", "key point 6 of 6 does not fit and is left
# out").  The first of these modules that has it is asked.
FIT_MODULES = ("briefexport.backends.onepager_fit", "briefexport.backends.onepager")


def onepager_fit(doc: Document, theme: Theme) -> list[Finding]:
    """Whether the one-pager would shrink text or drop points, from its own fitter."""
    for name in FIT_MODULES:
        try:
            module = importlib.import_module(name)
        except ImportError:
            continue
        fit = getattr(module, "fit_findings", None)
        if fit is None:
            continue
        return [Finding(severity, doc.source, line, code, message) for severity, line, code, message in fit(doc, theme)]
    return []

