"""Rendering one source from start to finish, alone or many at once.

`render_source` is the whole job for one source: parse, glyph check,
render, size budget, write the files and the manifest.  `run_batch` does it
for several sources, in worker processes when asked, and hands back one
`Outcome` per source in source order: what to print on stdout and stderr
and the error, if any.  Nothing here prints: the CLI does, in the parent,
so the output of a parallel run reads the same as a sequential one.
"""

from __future__ import annotations

import warnings
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

from .errors import BriefExportError, BriefExportWarning

if TYPE_CHECKING:
    from .delivery.bundle import RenderedFile
    from .theme import Theme
    from .tree import Document

    # A source parsed in the parent: its tree, and what parsing it warned.
    Parsed = tuple[Document, tuple[tuple[str, str], ...]]


# The formats that shape text themselves (reportlab through HarfBuzz); Word,
# LibreOffice and PowerPoint shape the DOCX and PPTX when they open them.
_SHAPING_FORMATS = frozenset({"pdf", "onepager"})


def glyph_check(doc: "Document", theme: "Theme", names: list[str], strict: bool,
                report: Callable[[str], None]) -> None:
    """Warn about (or, strict, refuse) characters no font of their chain can draw.

    With `strict`, each gap goes to `report` as an `error: ...` line before
    the error is raised.
    """
    from . import backends
    from .fonts.coverage import gaps, shaping_gaps

    if not any(getattr(backends.get(name), "draws_text", True) for name in names):
        return
    found: list = gaps(doc, theme)
    if any(name in _SHAPING_FORMATS for name in names):
        found += shaping_gaps(doc, theme)
    if not strict:
        for gap in found:
            warnings.warn(str(gap), BriefExportWarning, stacklevel=2)
        return
    for gap in found:
        report(f"error: {gap}")
    if found:
        raise BriefExportError(f"{len(found)} character(s) cannot be drawn right (--strict); nothing written",
                               doc.source)


def alt_check(doc: "Document", strict: bool, report: Callable[[str], None]) -> None:
    """Warn about (or, strict, refuse) images without alt text.

    The PDFs draw such an image as decoration (an artifact a screen reader
    skips); with `strict` nothing is written.
    """
    from .tree import Figure, walk

    found = [(node.line, node.src) for node in walk(doc) if isinstance(node, Figure) and not node.alt.strip()]
    image = doc.meta.image
    if image is not None and image.src and not (image.alt or image.caption).strip():
        found.insert(0, (doc.meta.line_of("image"), image.src))
    messages = [f"{doc.source}:{line}: a11y-no-alt: image {src!r} has no alt text, so it is drawn as "
                "decoration that screen readers skip" for line, src in found]
    if not strict:
        for message in messages:
            warnings.warn(message, BriefExportWarning, stacklevel=2)
        return
    for message in messages:
        report(f"error: {message}")
    if messages:
        raise BriefExportError(f"{len(messages)} image(s) have no alt text (--strict); nothing written", doc.source)


def render_source(source: Path, names: list[str], theme: "Theme", output_dir: Path, output: Path | None,
                  budget: int, strict: bool, report: Callable[[str], None],
                  resource_path: tuple[Path, ...] = (),
                  doc: "Document | None" = None, processes: int = 1) -> "tuple[Document, list[RenderedFile], Path]":
    """Render, check the budget, write the files and the manifest; nothing is written over budget.

    Citations are formatted first, so the glyph check sees the notes and the
    bibliography as they will be drawn.  `doc` is `source` already parsed
    (see `check_distinct_outputs`); else it is parsed here.  `processes` > 1
    lets the formats of this one source render in two processes."""
    from .readers.markdown import parse_file as parse
    from .delivery.bundle import check_budget, render_files, write_files
    from .delivery.manifest import manifest_path, write_manifest
    from .common.names import stem_for

    from .transforms.prepare import prepare

    if doc is None:
        doc = parse(source, resource_path=resource_path)
    doc = prepare(doc, theme)
    glyph_check(doc, theme, names, strict, report)
    alt_check(doc, strict, report)
    files = render_files(doc, names, theme, output_dir, output=output, processes=processes)
    check_budget(files, budget, strict=strict, source=str(source))
    write_files(files)
    target = manifest_path(output.parent if output is not None else output_dir, stem_for(doc.meta, doc.source))
    write_manifest(target, source, files, doc.meta, budget=budget)
    return doc, files, target


@dataclass(frozen=True)
class Job:
    """What every source of a batch shares."""

    names: tuple[str, ...]
    style: Path | None
    output_dir: Path
    output: Path | None
    budget: int
    strict: bool
    pdf_standard: str | None = None  # --pdf-standard, over the theme's [output] pdf-standard
    resource_path: tuple[Path, ...] = ()  # --resource-path: more folders for the bibliography


@dataclass(frozen=True)
class Outcome:
    """One source's result, in the order things happened."""

    source: Path
    files: tuple[tuple[Path, int], ...]  # (path, size) of each written output
    manifest: Path | None
    stderr: tuple[tuple[str, str], ...]  # (kind, text); kind: "warning", "python-warning", "line"
    error: str | None  # the one-line error, None when the source was written


def _stderr_items(caught: list[warnings.WarningMessage]) -> list[tuple[str, str]]:
    out = []
    for item in caught:
        if issubclass(item.category, BriefExportWarning):
            out.append(("warning", str(item.message)))
        else:
            out.append(("python-warning", warnings.formatwarning(
                item.message, item.category, item.filename, item.lineno, item.line)))
    return out


def _one(job: Job, source: Path, parsed: "Parsed | None" = None, processes: int = 1) -> Outcome:
    from . import load_theme

    # What parsing in the parent warned comes first, as if parsed here.
    stderr: list[tuple[str, str]] = list(parsed[1]) if parsed is not None else []
    files: tuple[tuple[Path, int], ...] = ()
    manifest: Path | None = None
    error: str | None = None
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always", BriefExportWarning)
        try:
            # cached per process: loaded once per worker
            theme = load_theme(job.style).with_pdf_standard(job.pdf_standard)
            _doc, rendered, manifest = render_source(
                source, list(job.names), theme, job.output_dir, job.output, job.budget, job.strict,
                lambda line: stderr.append(("line", line)), job.resource_path,
                parsed[0] if parsed is not None else None, processes,
            )
            files = tuple((f.path, f.size) for f in rendered)
        except BriefExportError as exc:
            error = str(exc)
            # A batch names the source each error belongs to.
            if str(source) not in error:
                error = f"{source}: {error}"
    stderr.extend(_stderr_items(caught))
    return Outcome(source, files, manifest, tuple(stderr), error)


def check_distinct_outputs(sources: list[Path], output_dir: Path,
                           resource_path: tuple[Path, ...] = ()) -> "dict[Path, Parsed]":
    """Refuse a batch in which two sources would write the same files.

    Outputs are named by slug, so two articles with one title (or one file
    named twice) would overwrite each other, and the later manifest would
    vouch for the other's bytes.  Sources that do not parse are left to the
    render, which reports them.  Returns the sources that parsed, each with
    what parsing it warned, for `run_batch`: a source is parsed once.
    """
    from .readers.markdown import parse_file as parse
    from .common.names import stem_for

    seen: dict[str, Path] = {}
    parsed: dict[Path, Parsed] = {}
    for source in sources:
        with warnings.catch_warnings(record=True) as caught:
            warnings.simplefilter("always", BriefExportWarning)
            try:
                doc = parse(source, resource_path=resource_path)
            except BriefExportError:
                continue
        parsed[source] = (doc, tuple(_stderr_items(caught)))  # printed with the source's render
        stem = stem_for(doc.meta, source)
        if stem in seen:
            raise BriefExportError(
                f"{seen[stem]} and {source} would both write {output_dir / stem}.*; "
                "give one of them its own `slug:` in the front matter"
            )
        seen[stem] = source
    return parsed


def default_jobs() -> int:
    """Processes to use when `--jobs` is not given: one per core this process may run on."""
    import os

    try:
        return len(os.sched_getaffinity(0))
    except (AttributeError, OSError):
        return os.cpu_count() or 1


def run_batch(job: Job, sources: list[Path], jobs: int,
              parsed: "dict[Path, Parsed] | None" = None) -> Iterator[Outcome]:
    """Each source's outcome, in source order; `jobs` > 1 renders in that many processes.

    `parsed` holds sources already parsed (see `check_distinct_outputs`).
    """
    workers = max(1, min(jobs, len(sources)))
    given = [(parsed or {}).get(source) for source in sources]
    if workers == 1:
        # One source and cores to spare: its formats may render side by side.
        processes = jobs if len(sources) == 1 else 1
        for source, pre in zip(sources, given):
            yield _one(job, source, pre, processes)
        return
    from concurrent.futures import ProcessPoolExecutor
    from functools import partial

    with ProcessPoolExecutor(max_workers=workers) as pool:
        # One source per task and results in submission order: the printout
        # does not depend on which worker finishes first.
        yield from pool.map(partial(_one, job), sources, given)
