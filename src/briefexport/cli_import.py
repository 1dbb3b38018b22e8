"""`briefexport import`: the command line of the DOCX round trip (the work is in `roundtrip`).

Exit status 0 when done (with `--diff`: nothing changed), 3 when `--diff`
found changes, 1 for a bad file, 2 for a usage mistake.
"""

from __future__ import annotations

import contextlib
import json
import sys
import warnings
from collections.abc import Iterator
from pathlib import Path

import click

from .errors import BriefExportError, BriefExportWarning

CHANGED = 3


@contextlib.contextmanager
def _errors() -> Iterator[None]:
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always", BriefExportWarning)
        try:
            yield
        except BriefExportError as exc:
            _flush(caught)
            raise click.ClickException(str(exc)) from None
    _flush(caught)


def _flush(caught: list[warnings.WarningMessage]) -> None:
    for item in caught:
        if issubclass(item.category, BriefExportWarning):
            click.echo(f"warning: {item.message}", err=True)
    caught.clear()


@click.command("import")
@click.argument("docx_file", metavar="EDITED.docx", type=click.Path(path_type=Path, dir_okay=True))
@click.option("-o", "--output", type=click.Path(path_type=Path, dir_okay=False),
              help="Write the Markdown here (default: standard output).")
@click.option("--changes", type=click.Choice(["keep", "accept", "reject"]), default="keep", show_default=True,
              help="Tracked changes and comments: as CriticMarkup, applied, or undone.")
@click.option("--json", "as_json", is_flag=True,
              help="Print every tracked change and comment as JSON (kind, author, date, text, line).")
@click.option("--diff", "diff_source", type=click.Path(path_type=Path, dir_okay=False), metavar="SOURCE.md",
              help="Print the edits as a unified diff of SOURCE.md; exit 3 when there are any.")
@click.option("--into", "into_source", type=click.Path(path_type=Path, dir_okay=False), metavar="SOURCE.md",
              help="Rewrite SOURCE.md with the edits (a SOURCE.md.orig backup is kept).")
@click.option("--resource-path", "resource_path", multiple=True, type=click.Path(path_type=Path, file_okay=False),
              help="A folder where SOURCE.md's bibliography may be, as for render (repeatable).")
def import_command(docx_file: Path, output: Path | None, changes: str, as_json: bool, diff_source: Path | None,
                   into_source: Path | None, resource_path: tuple[Path, ...]) -> None:
    """Read a DOCX that briefexport wrote (and an editor changed) back into Markdown."""
    if diff_source and into_source:
        raise click.UsageError("--diff and --into cannot be used together")
    if as_json and diff_source:
        raise click.UsageError("--json and --diff both print to standard output: use one")
    from .delivery.output import write_atomic
    from .readers.docx import read_docx
    from .readers.markdown import read_text
    from .roundtrip import change_lines, markdown_of, merge, unified_diff

    code = 0
    with _errors():
        imported = read_docx(docx_file, changes=changes)
        source = diff_source or into_source
        if source is not None:
            before = read_text(source)
            text = merge(before, str(source), imported.doc, imported.digest, resource_path=resource_path)
            change_lines(imported.changes, text)
        else:
            text = markdown_of(imported)
        if diff_source is not None:
            diff = unified_diff(before, text, str(diff_source))
            click.echo(diff, nl=False)
            code = CHANGED if diff else 0
        if into_source is not None:
            if text != before.replace("\r\n", "\n"):
                write_atomic(into_source.with_name(into_source.name + ".orig"), before.encode("utf-8"))
                write_atomic(into_source, text.encode("utf-8"))
                click.echo(f"{into_source} updated from {docx_file} (backup: {into_source.name}.orig)", err=True)
            else:
                click.echo(f"{into_source} unchanged: the DOCX holds no edits", err=True)
        if output is not None:
            write_atomic(output, text.encode("utf-8"))
        folder = output.parent if output is not None else into_source.parent if into_source is not None else None
        if folder is not None:
            for name, data in imported.images.items():
                write_atomic(folder / name, data)
        elif imported.images:
            click.echo(f"warning: {len(imported.images)} inserted picture(s) not saved: give -o FILE.md or --into",
                       err=True)
        elif source is None and not as_json:
            click.echo(text, nl=False)
        if as_json:
            click.echo(json.dumps({"changes": [c.as_json() for c in imported.changes]}, ensure_ascii=False, indent=1))
    sys.exit(code)
