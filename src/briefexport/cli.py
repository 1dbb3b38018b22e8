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
from typing import Any, Callable, NoReturn, TypeVar

import click

from ._version import __version__
from .batch import expand_formats as _expand_formats
from .cli_import import import_command
from .errors import BriefExportError, BriefExportWarning, internal_error
from .watch import watch_command

DEFAULT_SOURCE = "source/article.md"
_F = TypeVar("_F", bound=Callable[..., Any])


@contextlib.contextmanager
def _user_errors(quiet: bool = False) -> Iterator[None]:
    """Turn user errors into click's one-line errors; print warnings as they come."""
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always", BriefExportWarning)
        try:
            yield
        except (click.ClickException, click.exceptions.Exit):
            raise
        except Exception as exc:  # noqa: BLE001 - a bug of ours is one line too, never a traceback
            _flush_warnings(caught, quiet)
            raise click.ClickException(str(exc) if isinstance(exc, BriefExportError) else internal_error(exc)) from None
    _flush_warnings(caught, quiet)


def _flush_warnings(caught: list[warnings.WarningMessage], quiet: bool) -> None:
    for item in caught:
        if issubclass(item.category, BriefExportWarning) and not quiet:
            click.echo(f"warning: {item.message}", err=True)
        elif not issubclass(item.category, BriefExportWarning):
            warnings.showwarning(item.message, item.category, item.filename, item.lineno)
    caught.clear()


def _check_formats(names: list[str], output: Path | None = None) -> None:
    """An unknown format, or an --output whose suffix is another format's, is a usage error (exit 2)."""
    from .batch import usage_problem

    with _user_errors():
        problem = usage_problem(names, output)
    if problem:
        raise click.UsageError(problem)


@click.group(context_settings={"help_option_names": ["-h", "--help"]}, commands=[import_command])
@click.version_option(__version__, "--version", prog_name="briefexport")
def main() -> None:
    """Turn one Markdown article into a PDF brief, a DOCX and a one-page slide."""


class _ByteSize(click.ParamType):
    name = "size"

    def convert(self, value: object, param: click.Parameter | None, ctx: click.Context | None) -> int:
        if isinstance(value, int):
            return value
        from .theme import parse_byte_size

        try:
            return parse_byte_size(str(value))
        except BriefExportError as exc:
            self.fail(str(exc), param, ctx)


def _budget_options(func: _F) -> _F:
    func = click.option("--strict", is_flag=True,
                        help="Fail instead of warning when the outputs exceed the size budget or a "
                             "character has no glyph in any font; nothing is written.")(func)
    return click.option(
        "--max-attachment-size", "max_size", type=_ByteSize(), metavar="SIZE",
        help="Size budget for the outputs of one source, e.g. 10MB or 500kB "
             "(default: the theme's [output] max-attachment-size, 10MB).",
    )(func)


PDF_STANDARDS = ("ua-1", "a-2b", "a-2a")  # theme.PDF_STANDARDS, without importing the theme (a test compares)
_resource_path_option = click.option(  # one decorator, applied to every command that reads a source
    "--resource-path", "resource_path", multiple=True, metavar="DIR", type=click.Path(file_okay=False, path_type=Path),
    help="A folder to look for the bibliography in, besides the source's (repeatable).")


def _pdf_standard_option(func: _F) -> _F:
    return click.option(
        "--pdf-standard", type=click.Choice(PDF_STANDARDS), metavar="STANDARD",
        help="The PDFs' standard: ua-1 (tagged, PDF/UA-1), or a-2b / a-2a for archival PDF/A-2 too "
             "(default: the theme's [output] pdf-standard, ua-1).",
    )(func)


def _echo_sizes(files: "tuple[tuple[Path, int], ...]", budget: int, manifest: Path) -> None:
    from .delivery.output import human_size

    for path, size in files:
        click.echo(f"{path} ({human_size(size)})")
    if len(files) > 1:
        click.echo(f"total {human_size(sum(size for _, size in files))} of the {human_size(budget)} budget")
    click.echo(f"{manifest} (manifest)")


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
@_budget_options
@_pdf_standard_option
@click.option("-j", "--jobs", type=click.IntRange(min=1), metavar="N",
              help="Render N sources at a time in worker processes, or one source's formats in up to N "
                   "(default: one per CPU core); 1 renders everything in this process.")
@click.option("-q", "--quiet", is_flag=True, help="Print nothing but errors.")
@_resource_path_option
def render(sources: tuple[Path, ...], formats: tuple[str, ...], output_dir: Path, output: Path | None,
           style: Path | None, max_size: int | None, strict: bool, pdf_standard: str | None, jobs: int | None,
           quiet: bool, resource_path: tuple[Path, ...]) -> None:
    """Render SOURCES (default: source/article.md) into the chosen formats.

    Prints each file's size and writes OUTPUT_DIR/<slug>.manifest.json with
    the SHA-256 of the source and of every output.  A source that fails is
    reported and the others are still written (exit status 1).
    """
    from . import backends, load_theme
    from .batch import Job, check_distinct_outputs, default_jobs, run_batch
    from .delivery.forked import Warm

    sources = sources or (Path(DEFAULT_SOURCE),)
    names = _expand_formats(formats)
    if output is not None and (len(names) > 1 or len(sources) > 1):
        raise click.UsageError("--output takes one source and one format; use --output-dir for more")
    _check_formats(names, output)  # before any work is done
    jobs = jobs or default_jobs()
    with _user_errors(quiet):
        for name in names:
            backends.get(name)  # a plug-in that cannot load is a run error (exit 1)
    # One source and cores to spare: reportlab and python-docx import in other processes while this one parses.
    with Warm(names, jobs if len(sources) == 1 else 1) as warm:
        with _user_errors(quiet):
            theme = load_theme(style)  # a bad theme fails once, before any source
            budget = max_size if max_size is not None else theme.output.max_attachment_size
            parsed = (check_distinct_outputs(list(sources), output_dir, tuple(resource_path), strict)
                      if len(sources) > 1 else {})
        job = Job(tuple(names), style, output_dir, output, budget, strict, pdf_standard, tuple(resource_path))
        failed = False
        for outcome in run_batch(job, list(sources), jobs, parsed, warm):
            for kind, text in outcome.stderr:
                if kind == "python-warning":
                    click.echo(text, err=True, nl=False)
                elif kind == "line" or not quiet:
                    click.echo(text if kind == "line" else f"warning: {text}", err=True)
            if outcome.error is not None:
                failed = True
                click.echo(f"Error: {outcome.error}", err=True)
            elif not quiet and outcome.manifest is not None:
                _echo_sizes(outcome.files, budget, outcome.manifest)
    if failed:
        raise click.exceptions.Exit(1)


@main.command("email")
@click.argument("source", required=False, type=click.Path(dir_okay=False, path_type=Path))
@click.option("--to", "to", multiple=True, required=True, metavar="ADDR",
              help="Recipient (repeatable): name@example.org or 'Name <name@example.org>'.")
@click.option("--cc", multiple=True, metavar="ADDR", help="Copy recipient (repeatable).")
@click.option("--from", "sender", metavar="ADDR", help="Sender; required with --send.")
@click.option("--subject", help="Subject line; default: the title.")
@click.option("-f", "--format", "formats", multiple=True, metavar="FORMAT",
              help="Format to attach (repeatable); default: pdf, docx and onepager.")
@click.option("-o", "--output", type=click.Path(dir_okay=False, path_type=Path),
              help="The .eml file; default: OUTPUT_DIR/<slug>.eml.")
@click.option("-d", "--output-dir", type=click.Path(file_okay=False, path_type=Path), default=Path("build"),
              show_default=True, help="Folder for the attachments, the manifest and the .eml.")
@click.option("-s", "--style", type=click.Path(dir_okay=False, path_type=Path),
              help="Theme file (TOML); default: the built-in styles/default.toml.")
@_budget_options
@_pdf_standard_option
@click.option("--send", is_flag=True, help="Also send the message over SMTP (the .eml is written first).")
@click.option("--smtp-host", metavar="HOST", help="SMTP server to send through.")
@click.option("--smtp-port", type=click.IntRange(1, 65535), metavar="PORT",
              help="SMTP port; default: 25, 587 with --starttls, 465 with --ssl.")
@click.option("--starttls", is_flag=True, help="Upgrade the connection with STARTTLS.")
@click.option("--ssl", "use_ssl", is_flag=True, help="Connect over TLS from the start (SMTPS).")
@click.option("--smtp-user", metavar="USER",
              help="Log in as USER; the password comes from $BRIEFEXPORT_SMTP_PASSWORD only.")
@click.option("-q", "--quiet", is_flag=True, help="Print nothing but errors.")
@_resource_path_option
def email_command(source: Path | None, to: tuple[str, ...], cc: tuple[str, ...], sender: str | None,
                  subject: str | None, formats: tuple[str, ...], output: Path | None, output_dir: Path,
                  style: Path | None, max_size: int | None, strict: bool, pdf_standard: str | None, send: bool,
                  smtp_host: str | None, smtp_port: int | None, starttls: bool, use_ssl: bool, smtp_user: str | None,
                  quiet: bool, resource_path: tuple[Path, ...]) -> None:
    """Write SOURCE's outputs as an email draft (OUTPUT_DIR/<slug>.eml), and send it with --send.

    The draft has the title as subject, a summary (authors, date, standfirst,
    key points, the attachments and their sizes) as plain text and HTML, and
    the rendered files attached.  It opens as a draft in Outlook and as a
    message to "Edit as New" in Thunderbird and Apple Mail.
    """
    import os

    from . import ALL_FORMATS, backends, load_theme
    from .delivery import mail
    from .delivery.bundle import total_size
    from .batch import prepare_source
    from .delivery.output import human_size, write_all
    from .common.names import stem_for

    if starttls and use_ssl:
        raise click.UsageError("--starttls and --ssl exclude each other")
    smtp_given = [name for name, value in (("--smtp-host", smtp_host), ("--smtp-port", smtp_port),
                  ("--starttls", starttls), ("--ssl", use_ssl), ("--smtp-user", smtp_user)) if value]
    if smtp_given and not send:
        raise click.UsageError(f"{smtp_given[0]} is only used with --send")
    if send and not smtp_host:
        raise click.UsageError("--send needs --smtp-host")
    if send and not sender:
        raise click.UsageError("--send needs --from")
    password = os.environ.get(mail.PASSWORD_ENV, "")
    if smtp_user and not password:
        raise click.UsageError(f"--smtp-user needs the password in the environment variable {mail.PASSWORD_ENV}")
    names = _expand_formats(formats, ALL_FORMATS)
    _check_formats(names)
    if output is not None and output.suffix.lower() != ".eml":
        raise click.UsageError(f"--output {output}: the email draft is an .eml file")
    source = source or Path(DEFAULT_SOURCE)
    with _user_errors(quiet):
        to_addrs = tuple(a for value in to for a in mail.parse_addresses(value, "--to"))
        cc_addrs = tuple(a for value in cc for a in mail.parse_addresses(value, "--cc"))
        from_addr = None
        if sender:
            found = mail.parse_addresses(sender, "--from")
            if len(found) != 1:
                raise mail.AddressError(f"--from takes one address, not {len(found)}")
            from_addr = found[0]
        for name in names:
            backends.get(name)
        theme = load_theme(style).with_pdf_standard(pdf_standard)
        budget = max_size if max_size is not None else theme.output.max_attachment_size
        ready = prepare_source(source, names, theme, output_dir, None, budget, strict,
                               lambda line: click.echo(line, err=True), resource_path)
        doc, files, manifest = ready.doc, ready.files, ready.manifest
        attachments = [mail.Attachment(f.path.name, f.media_type, f.data) for f in files]
        message = mail.build_message(doc, attachments, theme, to=to_addrs, cc=cc_addrs, sender=from_addr,
                                     subject=subject)
        data = mail.message_bytes(message)
        target = output if output is not None else output_dir / f"{stem_for(doc.meta, doc.source)}.eml"
        # The attachments, the manifest and the draft: all written, or none.
        write_all([(f.path, f.data) for f in files] + [(manifest, ready.manifest_data), (target, data)])
        if not quiet:
            for f in files:
                click.echo(f"{f.path} ({human_size(f.size)})")
            click.echo(f"attachments {human_size(total_size(files))} of the {human_size(budget)} budget")
            click.echo(f"{manifest} (manifest)")
            click.echo(f"{target} ({human_size(len(data))}, draft to {', '.join(a.addr_spec for a in to_addrs)})")
        if send:
            assert smtp_host is not None and from_addr is not None
            settings = mail.SmtpSettings(
                host=smtp_host, port=smtp_port,
                security="starttls" if starttls else "ssl" if use_ssl else "plain",
                user=smtp_user or "", password=password,
            )
            if password and not smtp_user and not quiet:
                click.echo(f"warning: {mail.PASSWORD_ENV} is set but --smtp-user is not: not logging in", err=True)
            refused = mail.send(mail.prepare_for_sending(message, from_addr), settings)
            for addr, (code, reply) in sorted(refused.items()):
                click.echo(f"warning: {settings.host} refused {addr}: {code} "
                           f"{reply.decode('utf-8', 'replace')}", err=True)
            if not quiet:
                delivered = [a.addr_spec for a in to_addrs + cc_addrs if a.addr_spec not in refused]
                click.echo(f"sent to {', '.join(delivered)} through {settings.host}:{settings.effective_port}")


@main.command()
@click.argument("source", required=False, type=click.Path(dir_okay=False, path_type=Path))
@click.option("-s", "--style", type=click.Path(dir_okay=False, path_type=Path),
              help="Theme file (TOML); default: the built-in styles/default.toml.")
@click.option("--json", "as_json", is_flag=True, help="Print the findings as a JSON list.")
@click.option("--strict", is_flag=True, help="Exit 1 on warnings too.")
@_resource_path_option
def check(source: Path | None, style: Path | None, as_json: bool, strict: bool, resource_path: tuple[Path, ...]) -> None:
    """Report what rendering SOURCE would get wrong, without rendering it.

    Exit status 0 when there are no errors (warnings are allowed), 1 otherwise.
    """
    import json

    from . import load_theme
    from .check import check_file

    with _user_errors():
        theme = load_theme(style)
        findings = check_file(source or Path(DEFAULT_SOURCE), theme, resource_path=tuple(resource_path))
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
@click.option("--resolved", is_flag=True, help="The tree the backends get: citations and cross-references formatted.")
@_resource_path_option
def tree(source: Path | None, resolved: bool, resource_path: tuple[Path, ...]) -> None:
    """Print the document tree of SOURCE as JSON: citations as written, or (--resolved) as the json format has them."""
    from . import backends, load_theme, parse
    from .tree import to_json

    with _user_errors():
        doc = parse(source or Path(DEFAULT_SOURCE), resource_path=resource_path)
        click.echo(backends.render(doc, "json", load_theme()).decode().rstrip() if resolved else to_json(doc))


main.add_command(watch_command)


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


def run() -> NoReturn:
    """The console script and `python -m briefexport`: `main`, then a quick exit.

    A render holds tens of thousands of long-lived objects (modules, fonts,
    styles); the collector's default thresholds scan them over and over, and
    tearing the interpreter down at exit costs about as much as writing a
    DOCX.  So the process collects less often, and once `main` is done, its
    files written and closed, it leaves without the teardown.  Nothing here
    applies when `main` is called in-process (tests, other programs).
    """
    import atexit
    import gc
    import os

    gc.set_threshold(20_000, 20, 20)
    try:
        main.main()
        code: object = 0
    except SystemExit as exc:
        code = exc.code
    if code is None:
        code = 0
    elif not isinstance(code, int):
        print(code, file=sys.stderr)
        code = 1
    atexit._run_exitfuncs()  # what a normal exit would still run (logging flushes, finalizers)
    for stream in (sys.stdout, sys.stderr):
        try:
            stream.flush()
        except (OSError, ValueError):  # a closed pipe: nothing more to say there
            code = code or 1
    os._exit(code)


if __name__ == "__main__":  # pragma: no cover
    run()
