"""The command line: a thin click shell over the Python API.

The only module that prints or exits.  A user error (`BriefExportError`)
becomes one line, `Error: FILE:LINE: message`, and exit status 1; warnings
raised while working become `warning: ...` lines on stderr.
"""

from __future__ import annotations

import contextlib
import sys
import warnings
from collections.abc import Iterator
from pathlib import Path
from typing import TYPE_CHECKING

import click

from . import ALL_FORMATS, __version__
from .errors import BriefExportError, BriefExportWarning

if TYPE_CHECKING:
    from .theme import Theme
    from .tree import Document

DEFAULT_SOURCE = "source/article.md"


@contextlib.contextmanager
def _user_errors(quiet: bool = False) -> Iterator[None]:
    """Turn user errors into click's one-line errors; print warnings as they come."""
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always", BriefExportWarning)
        try:
            yield
        except BriefExportError as exc:
            _flush_warnings(caught, quiet)
            raise click.ClickException(str(exc)) from None
    _flush_warnings(caught, quiet)


def _flush_warnings(caught: list[warnings.WarningMessage], quiet: bool) -> None:
    for item in caught:
        if issubclass(item.category, BriefExportWarning) and not quiet:
            click.echo(f"warning: {item.message}", err=True)
        elif not issubclass(item.category, BriefExportWarning):
            warnings.showwarning(item.message, item.category, item.filename, item.lineno)
    caught.clear()


def _expand_formats(formats: tuple[str, ...]) -> list[str]:
    out: list[str] = []
    for fmt in formats or ("pdf",):
        for name in ALL_FORMATS if fmt == "all" else (fmt,):
            if name not in out:
                out.append(name)
    return out


@click.group(context_settings={"help_option_names": ["-h", "--help"]})
@click.version_option(__version__, "--version", prog_name="briefexport")
def main() -> None:
    """Turn one Markdown article into a PDF brief, a DOCX and a one-page slide."""


@main.command()
@click.argument("sources", nargs=-1, type=click.Path(dir_okay=False, path_type=Path))
@click.option(
    "-f", "--format", "formats", multiple=True, metavar="FORMAT",
    help="Output format (repeatable): pdf, docx, onepager, json, ... or 'all' for pdf, docx and onepager. Default: pdf.",
)
@click.option("-d", "--output-dir", type=click.Path(file_okay=False, path_type=Path), default=Path("build"),
              show_default=True, help="Folder for the outputs.")
@click.option("-o", "--output", type=click.Path(dir_okay=False, path_type=Path),
              help="Exact output file (one source and one format only).")
@click.option("-s", "--style", type=click.Path(dir_okay=False, path_type=Path),
              help="Theme file (TOML); default: the built-in styles/default.toml.")
@click.option("-q", "--quiet", is_flag=True, help="Print nothing but errors.")
@click.option("--strict", is_flag=True,
              help="Treat characters that no font can draw as errors: write nothing, exit 1.")
def render(sources: tuple[Path, ...], formats: tuple[str, ...], output_dir: Path, output: Path | None,
           style: Path | None, quiet: bool, strict: bool = False) -> None:
    """Render SOURCES (default: source/article.md) into the chosen formats."""
    from . import backends, load_theme, output_name, parse
    from . import render as render_doc
    from .output import human_size, write_atomic

    sources = sources or (Path(DEFAULT_SOURCE),)
    names = _expand_formats(formats)
    if output is not None and (len(names) > 1 or len(sources) > 1):
        raise click.UsageError("--output takes one source and one format; use --output-dir for more")
    with _user_errors(quiet):
        for name in names:
            backends.get(name)  # an unknown format fails before any work is done
        theme = load_theme(style)
        for source in sources:
            doc = parse(source)
            _glyph_check(doc, theme, names, strict)
            for name in names:
                data = render_doc(doc, name, theme)
                target = output if output is not None else output_dir / output_name(doc, name)
                write_atomic(target, data)
                if not quiet:
                    click.echo(f"{target} ({human_size(len(data))})")


def _glyph_check(doc: "Document", theme: "Theme", names: list[str], strict: bool) -> None:
    """Warn about (or, strict, refuse) characters no font of their chain can draw."""
    from . import backends
    from .coverage import gaps

    if not any(getattr(backends.get(name), "draws_text", True) for name in names):
        return
    found = gaps(doc, theme)
    if not strict:
        for gap in found:
            warnings.warn(str(gap), BriefExportWarning, stacklevel=2)
        return
    for gap in found:
        click.echo(f"error: {gap}", err=True)
    if found:
        raise BriefExportError(f"{len(found)} character(s) have no glyph in any font (--strict); nothing written",
                               doc.source)


@main.command()
@click.argument("source", required=False, type=click.Path(dir_okay=False, path_type=Path))
@click.option("-s", "--style", type=click.Path(dir_okay=False, path_type=Path),
              help="Theme file (TOML); default: the built-in styles/default.toml.")
@click.option("--json", "as_json", is_flag=True, help="Print the findings as a JSON list.")
@click.option("--strict", is_flag=True, help="Exit 1 on warnings too.")
def check(source: Path | None, style: Path | None, as_json: bool, strict: bool) -> None:
    """Report what rendering SOURCE would get wrong, without rendering it.

    Exit status 0 when there are no errors (warnings are allowed), 1 otherwise.
    """
    import json

    from . import load_theme
    from .check import check_file

    with _user_errors():
        theme = load_theme(style)
        findings = check_file(source or Path(DEFAULT_SOURCE), theme)
    if as_json:
        click.echo(json.dumps([f.as_dict() for f in findings], ensure_ascii=False, indent=1))
    else:
        for finding in findings:
            click.echo(str(finding))
        errors = sum(f.severity == "error" for f in findings)
        click.echo(f"{errors} error(s), {len(findings) - errors} warning(s)", err=True)
    if any(f.severity == "error" or strict for f in findings):
        sys.exit(1)


@main.command()
@click.argument("source", required=False, type=click.Path(dir_okay=False, path_type=Path))
def tree(source: Path | None) -> None:
    """Print the document tree of SOURCE as JSON."""
    from . import parse
    from .tree import to_json

    with _user_errors():
        doc = parse(source or Path(DEFAULT_SOURCE))
        click.echo(to_json(doc))


@main.command()
def formats() -> None:
    """List the registered output formats."""
    from . import backends

    with _user_errors():
        rows = []
        for name in backends.names():
            try:
                backend = backends.get(name)
            except (BriefExportError, ImportError) as exc:
                rows.append((name, "?", f"(cannot load: {exc})"))
                continue
            rows.append((name, backend.suffix, backend.description))
    width = max((len(r[0]) for r in rows), default=0)
    for name, suffix, description in rows:
        click.echo(f"{name.ljust(width)}  {suffix.ljust(6)}  {description}")


if __name__ == "__main__":  # pragma: no cover
    main(sys.argv[1:])
