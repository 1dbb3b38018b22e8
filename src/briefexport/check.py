"""`briefexport check`: what a render would get wrong, found without rendering.

Each finding names the source file and line.  Errors are what stops a render
or leaves the brief without what it must have; warnings are what a reader
would miss (a character drawn as a box, an image without alt text, a link
that cannot be clicked).  The `a11y-*` findings are what a screen reader or
a reader with low vision would miss: images without alt text, skipped
heading levels, tables without a header row, links that do not say where
they go, and theme text colours too faint for WCAG 2 AA.
"""

from __future__ import annotations

import importlib
import re
import warnings
from collections.abc import Iterator
from dataclasses import asdict, dataclass, fields
from pathlib import Path
from typing import Any, Literal

from .errors import BriefExportError, BriefExportWarning, MissingTitleWarning, RenderError
from .common.links import external_target, internal_target, resolve_image
from .theme import Theme
from .tree import (
    Block, Document, Figure, Heading, Image, LineBreak, Link, SoftBreak, Table, children, inline_text,
)

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


def check_file(source: str | Path, theme: Theme, *, resource_path: tuple[str | Path, ...] = ()) -> list[Finding]:
    """Parse `source` and check it; a source that cannot be parsed is one error.

    Citations are formatted as a render would (the engine runs when the
    source cites something): missing keys, unknown cross-references and a
    bibliography that cannot be read are reported with their lines."""
    from .readers.markdown import parse_file
    from .transforms.citations import CitationError
    from .transforms.prepare import prepare

    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always", BriefExportWarning)
        comments: list[tuple[int, str]] = []
        try:
            doc = parse_file(source, resource_path=resource_path, comments=comments)
        except BriefExportError as exc:
            return [Finding("error", exc.path or str(source), exc.line, "parse-error", exc.message)]
        try:
            doc = prepare(doc, theme)
        except CitationError as exc:
            caught_now = [_from_warning(str(w.message), str(source), w.category) for w in caught
                          if issubclass(w.category, BriefExportWarning)]
            error = Finding("error", exc.path or str(source), exc.line, "bibliography-error", exc.message)
            return sorted([*caught_now, error], key=_order)
    found = [_from_warning(str(w.message), str(source), w.category) for w in caught
             if issubclass(w.category, BriefExportWarning)]
    for line, text in comments:
        shown = " ".join(text.split())
        shown = shown if len(shown) <= 70 else shown[:69] + "…"
        found.append(Finding("warning", str(source), line, "html-comment",
                             f"HTML comment left out of every output: {shown}"))
    seen = {(f.code, f.line) for f in found}
    return sorted(found + [f for f in check(doc, theme) if (f.code, f.line) not in seen], key=_order)


def _order(f: Finding) -> tuple[int, bool, str, str]:
    return (f.line, f.severity != "error", f.code, f.message)


_WARNING = re.compile(r"^(?P<path>.*?)(?::(?P<line>\d+))?: (?P<message>.*)$", re.DOTALL)


def _from_warning(text: str, source: str, category: type[Warning] = BriefExportWarning) -> Finding:
    """A parser warning (`path:line: message`) as a finding."""
    m = _WARNING.match(text)
    path, line, message = (m["path"], int(m["line"] or 0), m["message"]) if m else (source, 0, text)
    if issubclass(category, MissingTitleWarning):
        code = "missing-title"
    elif "footnote reference" in message:
        code = "footnote-undefined"
    elif "never referenced" in message:
        code = "footnote-unused"
    elif message.startswith("tracked-change:"):
        code = "tracked-change"
    elif "front-matter key" in message:
        code = "unknown-key"
    elif message.startswith("citation @"):
        code = "citation-missing"
    elif message.startswith("cross-reference @"):
        code = "crossref-unknown"
    else:
        code = "parse-warning"
    return Finding("warning", path, line, code, message)


def check(doc: Document, theme: Theme, *, base_dir: str | Path | None = None) -> list[Finding]:
    """Everything `check` reports about a parsed document, in source order."""
    if base_dir is None:
        base_dir = Path(doc.source).parent if doc.source and not doc.source.startswith("<") else Path.cwd()
    from .transforms.strip import strip_citations

    # The citation engine's links (a DOI shown as its address) are the style's, not the author's.
    own = strip_citations(doc)
    found = [*_meta(doc), *_images(doc, Path(base_dir)), *_links(doc), *_headings(doc), *_tables(doc),
             *_link_texts(own), *_glyphs(doc, theme), *onepager_fit(own, theme), *contrast(theme)]
    return sorted(found, key=_order)


# -------------------------------------------------------------- the checks


def _meta(doc: Document) -> Iterator[Finding]:
    meta, src = doc.meta, doc.source
    # Front matter starts on line 1; without any, the findings point at the file.
    top = 1 if meta.lines else 0
    stem = Path(src).stem.replace("-", " ").replace("_", " ").strip() if src else ""
    # Without `title:` or a level-1 heading the parser falls back to the file name.
    if not meta.title.strip() or (not meta.line_of("title") and meta.title == stem):
        # A warning, as in render; --strict makes it an error in both.
        yield Finding("warning", src, top, "missing-title",
                      "no title (set `title:` in the front matter or start with a # heading)")
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
        yield Finding("warning", src, line, "a11y-no-alt",
                      f"image {ref!r} has no alt text: a screen reader has nothing to say for it")


def _links(doc: Document) -> Iterator[Finding]:
    for node, line in _lined(doc.blocks):
        if isinstance(node, Link) and external_target(node.url) is None and internal_target(node.url) is None:
            scheme = re.match(r"^([A-Za-z][A-Za-z0-9+.-]*):", node.url.strip())
            why = f"scheme `{scheme.group(1)}:` is not allowed" if scheme else "not an http, https or mailto address"
            yield Finding("warning", doc.source, line, "link-scheme",
                          f"link {node.url!r}: {why}; it is shown as plain text")


# --------------------------------------------------------- accessibility

# Link texts that do not say where the link goes (WCAG 2.4.4, link purpose).
VAGUE_LINK_TEXTS = frozenset({"here", "click here", "link", "this link", "more", "read more", "click"})
_ADDRESS = re.compile(r"^(?:(?:https?|ftp)://|mailto:|www\.)\S*$", re.IGNORECASE)


def _headings(doc: Document) -> Iterator[Finding]:
    """A heading more than one level below the one before it (the first below the top level)."""
    headings = [(node, line) for node, line in _lined(doc.blocks) if isinstance(node, Heading)]
    if not headings:
        return
    # The shallowest level used is the brief's H1 (the title sits in the band).
    top = min(h.level for h, _ in headings)
    previous = top - 1
    for index, (heading, line) in enumerate(headings):
        if heading.level > previous + 1:
            after = f"after level {previous}" if index else f"first, below the top level {top} the document uses"
            yield Finding("warning", doc.source, line, "a11y-heading-skip",
                          f"heading {_quote(inline_text(heading.children))} is level {heading.level} {after}: "
                          "a screen reader's list of headings skips a level")
        previous = heading.level


def _tables(doc: Document) -> Iterator[Finding]:
    for node, line in _lined(doc.blocks):
        if isinstance(node, Table) and not any(inline_text(cell.children).strip() for cell in node.head):
            yield Finding("warning", doc.source, line, "a11y-table-no-header",
                          "table without a header row: a screen reader cannot name the column of a cell")


def _link_texts(doc: Document) -> Iterator[Finding]:
    for node, line in _lined(doc.blocks):
        if not isinstance(node, Link) or (external_target(node.url) is None and internal_target(node.url) is None):
            continue  # not a link in the outputs (link-scheme says so)
        text = " ".join(inline_text(node.children).split())
        words = re.sub(r"[^\w\s]", "", text.lower()).strip()
        if not text:
            why = "has no text"
        elif _ADDRESS.match(text) or text == node.url.strip():
            why = "is only its address"
        elif words in VAGUE_LINK_TEXTS:
            why = "does not say where it goes"
        else:
            continue
        yield Finding("warning", doc.source, line, "a11y-link-text",
                      f"link {_quote(text)} to {node.url!r} {why}; name what it links to")


def _quote(text: str, limit: int = 60) -> str:
    return "\u201c" + (text if len(text) <= limit else text[: limit - 1] + "\u2026") + "\u201d"


# The page has no theme colour: white paper (and a white slide).
PAGE_COLOR = "#FFFFFF"
# Where the backends set each text style: the band's on the accent colour;
# boxes (key takeaways, `:::` notes, code blocks, the one-pager's quote panel)
# on the tint, and blocks inside notes too; the rest on the page.
_ON_ACCENT = frozenset({"series", "title", "subtitle"})
_ON_TINT = frozenset({"takeaways-label", "takeaways", "body", "h1", "h2", "h3", "pullquote",
                      "pullquote-attribution", "blockquote", "code", "table", "table-header", "figure-label",
                      "caption"})
_NOT_ON_PAGE = _ON_ACCENT | {"code"}
# WCAG 2 AA (success criterion 1.4.3): 4.5:1, or 3:1 for large text
# (at least 18 pt, or 14 pt bold).
AA_NORMAL, AA_LARGE = 4.5, 3.0


def relative_luminance(hex_color: str) -> float:
    """WCAG 2's relative luminance of an sRGB colour `#RRGGBB`."""
    def linear(channel: int) -> float:
        c = channel / 255
        return c / 12.92 if c <= 0.04045 else ((c + 0.055) / 1.055) ** 2.4

    value = hex_color.lstrip("#")
    r, g, b = (int(value[i:i + 2], 16) for i in (0, 2, 4))
    return 0.2126 * linear(r) + 0.7152 * linear(g) + 0.0722 * linear(b)


def contrast_ratio(first: str, second: str) -> float:
    """WCAG 2's contrast ratio of two colours, from 1 (none) to 21 (black on white)."""
    light, dark = sorted((relative_luminance(first), relative_luminance(second)), reverse=True)
    return (light + 0.05) / (dark + 0.05)


def contrast(theme: Theme) -> Iterator[Finding]:
    """Each theme text colour below WCAG AA on a background the backends set it on."""
    colors = theme.colors
    grounds = {"the page": PAGE_COLOR, "the accent band (colors.accent)": colors.accent,
               "the tint boxes (colors.tint)": colors.tint}
    pairs = []  # (key path, colour, size, bold, where)
    for field in fields(theme.styles):
        name = field.name.replace("_", "-")
        style = getattr(theme.styles, field.name)
        places = ([] if name in _NOT_ON_PAGE else ["the page"]) + (
            ["the accent band (colors.accent)"] if name in _ON_ACCENT else []) + (
            ["the tint boxes (colors.tint)"] if name in _ON_TINT else [])
        pairs += [(f"styles.{name}.color", style.color, style.size, style.bold, place) for place in places]
    body = theme.styles.body
    pairs += [("colors.link", colors.link, body.size, body.bold, place)
              for place in ("the page", "the tint boxes (colors.tint)")]
    for key, fg, size, bold, place in pairs:
        large = size >= 18 or (bold and size >= 14)
        needed = AA_LARGE if large else AA_NORMAL
        ratio = contrast_ratio(fg, grounds[place])
        if ratio < needed:
            yield Finding("warning", theme.source, _theme_line(theme.source, key), "a11y-contrast",
                          f"{key} {fg} on {place} ({grounds[place]}) has a contrast of {ratio:.2f}:1, below "
                          f"WCAG AA's {needed:g}:1 for {'large' if large else 'normal'} text ({size:g} pt)")


def _theme_line(source: str, key: str) -> int:
    """The line of `key` (`styles.caption.color`) in the theme file, else of its table, else 0."""
    table, _, name = key.rpartition(".")
    try:
        rows = Path(source).read_text(encoding="utf-8").split("\n")
    except (OSError, UnicodeDecodeError):
        return 0
    header = 0
    for number, row in enumerate(rows, 1):
        stripped = row.strip()
        if stripped.startswith("["):
            if header:
                break
            header = number if stripped.replace(" ", "") == f"[{table}]" else 0
        elif header and re.match(rf"{re.escape(name)}\s*=", stripped):
            return number
    return header


def _glyphs(doc: Document, theme: Theme) -> Iterator[Finding]:
    from .fonts.coverage import gaps, shaping_gaps

    for gap in gaps(doc, theme):
        yield Finding("warning", gap.source, gap.line, "missing-glyph", gap.message)
    for need in shaping_gaps(doc, theme):
        yield Finding("warning", need.source, need.line, "needs-shaping", need.message)


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

