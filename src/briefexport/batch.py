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

from .errors import BriefExportError, BriefExportWarning, MissingTitleWarning, internal_error

if TYPE_CHECKING:
    from .delivery.bundle import RenderedFile
    from .delivery.forked import Warm
    from .theme import Theme
    from .tree import Document

    # A source parsed once, and what parsing it warned: (category, message, file, line).
    Parsed = tuple[Document, tuple[tuple[type[Warning], str, str, int], ...]]


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


@dataclass(frozen=True)
class Prepared:
    """One source rendered and checked, nothing written yet."""

    doc: "Document"
    files: "list[RenderedFile]"
    manifest: Path
    manifest_data: bytes


def prepare_source(source: Path, names: list[str], theme: "Theme", output_dir: Path, output: Path | None,
                   budget: int, strict: bool, report: Callable[[str], None],
                   resource_path: tuple[Path, ...] = (), parsed: "Parsed | None" = None,
                   warm: "Warm | None" = None) -> Prepared:
    """Parse, check, render every format and build the manifest, writing nothing.

    Everything that can fail (the source, SOURCE_DATE_EPOCH, a backend, the
    budget) fails here, so a failed run leaves every earlier file as it was.
    Citations are formatted first, so the glyph check sees the notes and the
    bibliography as they will be drawn.  `parsed` is the source already
    parsed (see `check_distinct_outputs`), its warnings replayed here;
    `warm`, processes that imported the formats' libraries meanwhile.
    """
    from .common.names import stem_for
    from .common.stamps import timestamp
    from .delivery.bundle import check_budget, render_files
    from .delivery.manifest import build_manifest, manifest_bytes, manifest_path, read_manifest
    from .readers.markdown import read_source
    from .transforms.prepare import prepare

    doc, parse_warnings = parsed if parsed is not None else parse_source(source, resource_path, strict)
    for category, message, filename, lineno in parse_warnings:
        if strict and issubclass(category, MissingTitleWarning):
            raise BriefExportError(f"{message.split(': ', 1)[1]} (--strict); nothing written",
                                   message.split(": ", 1)[0])
        warnings.warn_explicit(message, category, filename, lineno)
    doc = prepare(doc, theme)
    timestamp(doc.meta)  # a bad SOURCE_DATE_EPOCH fails before any backend runs
    if warm is not None:
        from .delivery.forked import request_for

        warm.start(names, request_for(doc, theme))  # they render while the checks run here
    glyph_check(doc, theme, names, strict, report)
    alt_check(doc, strict, report)
    files = render_files(doc, names, theme, output_dir, output=output, warm=warm)
    check_budget(files, budget, strict=strict, source=str(source))
    target = manifest_path(output.parent if output is not None else output_dir, stem_for(doc.meta, doc.source))
    manifest = build_manifest(source, read_source(source), files, doc.meta, directory=target.parent,
                              budget=budget, previous=read_manifest(target))
    return Prepared(doc, files, target, manifest_bytes(manifest))


def parse_source(source: Path, resource_path: tuple[Path, ...] = (), strict: bool = False) -> "Parsed":
    """`source` parsed, with what parsing it warned, to replay where it renders."""
    from .readers.markdown import parse_file as parse

    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always", BriefExportWarning)
        # Open CriticMarkup changes render accepted with a warning; under --strict they are an error.
        doc = parse(source, resource_path=resource_path, changes="error" if strict else "accept")
    return doc, tuple((item.category, str(item.message), item.filename, item.lineno) for item in caught)


def render_source(source: Path, names: list[str], theme: "Theme", output_dir: Path, output: Path | None,
                  budget: int, strict: bool, report: Callable[[str], None],
                  resource_path: tuple[Path, ...] = (), parsed: "Parsed | None" = None,
                  warm: "Warm | None" = None) -> "tuple[Document, list[RenderedFile], Path]":
    """Render, check the budget, then write the files and the manifest: all of them or none."""
    from .delivery.output import write_all

    ready = prepare_source(source, names, theme, output_dir, output, budget, strict, report, resource_path,
                           parsed, warm)
    write_all([(f.path, f.data) for f in ready.files] + [(ready.manifest, ready.manifest_data)])
    return ready.doc, ready.files, ready.manifest


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


def _one(job: Job, source: Path, parsed: "Parsed | None" = None, warm: "Warm | None" = None) -> Outcome:
    from . import load_theme

    stderr: list[tuple[str, str]] = []
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
                lambda line: stderr.append(("line", line)), job.resource_path, parsed, warm,
            )
            files = tuple((f.path, f.size) for f in rendered)
        except BriefExportError as exc:
            error = str(exc)
        except Exception as exc:  # noqa: BLE001 - one source's bug must not stop the others
            error = internal_error(exc)
        if error is not None and str(source) not in error:
            # A batch names the source each error belongs to.
            error = f"{source}: {error}"
    for item in caught:
        if issubclass(item.category, BriefExportWarning):
            stderr.append(("warning", str(item.message)))
        else:
            stderr.append(("python-warning", warnings.formatwarning(
                item.message, item.category, item.filename, item.lineno, item.line)))
    return Outcome(source, files, manifest, tuple(stderr), error)


def check_distinct_outputs(sources: list[Path], output_dir: Path, resource_path: tuple[Path, ...] = (),
                           strict: bool = False) -> "dict[Path, Parsed]":
    """Refuse a batch in which two sources would write the same files.

    Outputs are named by slug, so two articles with one title (or one file
    named twice) would overwrite each other, and the later manifest would
    vouch for the other's bytes.  Sources that do not parse are left to the
    render, which reports them.  Returns the parsed sources, so that the
    render does not parse them again.
    """
    from .common.names import stem_for

    seen: dict[str, Path] = {}
    parsed: dict[Path, Parsed] = {}
    for source in sources:
        try:
            parsed[source] = parse_source(source, resource_path, strict)
        except Exception:  # noqa: BLE001 - the render reports it, as that source's outcome
            continue
        stem = stem_for(parsed[source][0].meta, source)
        if stem in seen:
            raise BriefExportError(
                f"{seen[stem]} and {source} would both write {output_dir / stem}.*; "
                "give one of them its own `slug:` in the front matter"
            )
        seen[stem] = source
    return parsed


def expand_formats(formats: tuple[str, ...], default: tuple[str, ...] = ("pdf",)) -> list[str]:
    """The format names asked for, `all` spelled out, each once, in the order given."""
    from . import ALL_FORMATS

    out: list[str] = []
    for fmt in formats or default:
        for name in ALL_FORMATS if fmt == "all" else (fmt,):
            if name not in out:
                out.append(name)
    return out


def usage_problem(names: list[str], output: Path | None) -> str | None:
    """What makes the formats asked for a usage mistake: an unknown name, or an
    --output whose suffix is another format's (`-f pdf -o x.docx`)."""
    from . import backends
    from .errors import UnknownFormatError

    for name in names:
        try:
            backends.get(name)
        except UnknownFormatError as exc:
            if name not in backends.names():
                return str(exc)
    if output is not None and len(names) == 1:
        suffix = backends.get(names[0]).suffix
        if output.suffix.lower() != suffix.lower():
            return f"--output {output}: a {names[0]} file ends in {suffix}, not {output.suffix or 'no suffix'}"
    return None


def default_jobs() -> int:
    """One worker per core this process may use."""
    import os

    try:
        return len(os.sched_getaffinity(0))
    except (AttributeError, OSError):
        return os.cpu_count() or 1


def run_batch(job: Job, sources: list[Path], jobs: int,
              parsed: "dict[Path, Parsed] | None" = None, warm: "Warm | None" = None) -> Iterator[Outcome]:
    """Each source's outcome, in source order; `jobs` > 1 renders in that many processes.

    `parsed` holds sources already parsed (see `check_distinct_outputs`);
    `warm`, for a single source, processes importing its formats' libraries.

    A worker that dies (killed for memory, a crash in a C library) costs only
    the source it was rendering: the others are rendered again in a fresh
    worker, one at a time, and the one that kills its worker again is reported.
    """
    workers = max(1, min(jobs, len(sources)))
    given = [(parsed or {}).get(source) for source in sources]
    if workers == 1:
        for source, pre in zip(sources, given):
            yield _one(job, source, pre, warm if len(sources) == 1 else None)
        return
    from concurrent.futures import ProcessPoolExecutor
    from concurrent.futures.process import BrokenProcessPool
    from functools import partial

    with ProcessPoolExecutor(max_workers=workers) as pool:
        # One source per task and results in submission order: the printout
        # does not depend on which worker finishes first.
        futures = [pool.submit(partial(_one, job), source, pre) for source, pre in zip(sources, given)]
        for source, future in zip(sources, futures):
            try:
                yield future.result()
            except BrokenProcessPool:
                yield _alone(job, source)


def _alone(job: Job, source: Path) -> Outcome:
    from concurrent.futures import ProcessPoolExecutor
    from concurrent.futures.process import BrokenProcessPool

    with ProcessPoolExecutor(max_workers=1) as pool:
        try:
            return pool.submit(_one, job, source).result()
        except BrokenProcessPool:
            return Outcome(source, (), None, (), f"{source}: the process rendering it stopped unexpectedly "
                                                  "(out of memory?); nothing was written for it")
