"""`briefexport watch`: render once, then again whenever an input changes.

The inputs are the source, the theme file (and the theme file it extends),
and the images and bibliography the document names; they are found again
after every good render, so a figure added to the text is watched from then
on.  The process stays alive between renders, so the interpreter, imports,
theme, registered fonts and prepared images are paid for once, not per save.

Changes are found by polling `os.stat` every 20 ms rather than with an
event library (watchfiles, inotify): a document has a handful of inputs, so
a poll costs a few microseconds of CPU; it behaves the same on every
platform and file system (network shares, editors that save by writing a
new file and renaming it); and it adds on average 10 ms to a re-render,
which is what an event watcher spends gathering a burst of events anyway
(watchfiles waits 50 ms for quiet by default).  No dependency for that.

A save that does not parse, or fails to render, prints its error and leaves
the last good outputs where they are (every output is written atomically
and a failed render writes nothing).  Ctrl-C (or SIGTERM) ends the watch:
exit status 0.  `--serve` also shows the outputs on a page of this machine
that reloads after each render (`delivery.preview`).
"""

from __future__ import annotations

import os
import signal
import time
import warnings
from collections.abc import Callable, Iterable
from pathlib import Path
from typing import TYPE_CHECKING

import click

from .errors import BriefExportError, BriefExportWarning

if TYPE_CHECKING:
    from .delivery.preview import Preview
    from .theme import Theme
    from .tree import Document

POLL_S = 0.02


def stamp(path: Path) -> "tuple[int, int, int] | None":
    """(mtime_ns, size, inode) of `path`, None when it is missing."""
    try:
        st = os.stat(path)
    except OSError:
        return None
    return (st.st_mtime_ns, st.st_size, st.st_ino)


def snapshot(paths: Iterable[Path]) -> "dict[Path, tuple[int, int, int] | None]":
    return {p: stamp(p) for p in paths}


def theme_files(style: Path | None) -> list[Path]:
    """The theme file, and the theme file it extends when that is one beside it."""
    if style is None:
        return []
    out = [style]
    try:
        import tomllib

        base = tomllib.loads(style.read_text(encoding="utf-8")).get("extends")
    except (OSError, ValueError):
        return out
    if isinstance(base, str) and (style.parent / f"{base}.toml").is_file():
        out.append(style.parent / f"{base}.toml")
    return out


def document_files(doc: "Document", folder: Path) -> list[Path]:
    """The local files `doc` draws on, relative to `folder` (its source's folder).

    Images, and the bibliographies and citation style the front matter
    names; those may also be found in the document's `--resource-path`
    folders, so each is watched in every folder where it may be.
    """
    from .tree import Figure, Image, walk

    names: list[str] = []
    if doc.meta.image is not None and doc.meta.image.src:
        names.append(doc.meta.image.src)
    names.extend(node.src for node in walk(doc) if isinstance(node, (Figure, Image)) and node.src)
    out: list[Path] = []
    for name in names:
        if "://" not in name and not name.startswith(("data:", "mailto:")) and folder / name not in out:
            out.append(folder / name)
    citations = doc.meta.citations
    folders = [folder, *(Path(p) for p in doc.resource_path)]
    for name in (*citations.bibliography, *([citations.csl] if citations.csl else [])):
        out.extend(f / name for f in folders if f / name not in out)
    return out


class Watcher:
    """One watch: what to render, and the inputs the last good render used."""

    def __init__(self, source: Path, names: list[str], style: Path | None, output_dir: Path, strict: bool,
                 echo: Callable[[str, bool], None], preview: "Preview | None" = None) -> None:
        self.source = source
        self.preview = preview  # told of each render (`--serve`)
        self.names = names
        self.style = style
        self.output_dir = output_dir
        self.strict = strict
        self.echo = echo  # (text, to stderr)
        self.inputs: list[Path] = [source, *theme_files(style)]
        self.stamps: "dict[Path, tuple[int, int, int] | None]" = {}
        self._theme_stamps = snapshot(self.inputs[1:])

    def _theme(self, files: list[Path]) -> "Theme":
        """The theme, read again when one of its `files` (`theme_files`) changed."""
        from .theme import load, load_theme

        now = snapshot(files)
        if now != self._theme_stamps:
            # Themes are cached by path for the process: an edited one is read again.
            load._load_cached.cache_clear()
            self._theme_stamps = now
        return load_theme(self.style)

    def render(self) -> bool:
        """Render every format once and print one line; True when the outputs were written."""
        from .batch import parse_source, render_source

        start = time.perf_counter()
        clock = time.strftime("%H:%M:%S")
        lines: list[str] = []
        with warnings.catch_warnings(record=True) as caught:
            warnings.simplefilter("always", BriefExportWarning)
            try:
                themes = theme_files(self.style)
                theme = self._theme(themes)
                parsed = parse_source(self.source)
                doc = parsed[0]
                # The files the document names, stamped before the render reads them.
                inputs = [self.source, *themes, *document_files(doc, self.source.parent)]
                stamps = snapshot(inputs)
                doc, files, _ = render_source(self.source, self.names, theme, self.output_dir, None,
                                              theme.output.max_attachment_size, self.strict, lines.append,
                                              parsed=parsed)
            except BriefExportError as exc:
                if self.preview is not None:  # the page knows before the line is printed
                    self.preview.failed(f"{clock} {exc}")
                for line in lines:
                    self.echo(line, True)
                self.echo(f"Error: {exc}", True)
                self.echo(f"{clock} not rendered: the last good outputs are kept", False)
                return False
        found = [str(w.message) for w in caught if issubclass(w.category, BriefExportWarning)]
        ms = (time.perf_counter() - start) * 1000
        # Warnings first: the summary line is the last thing a render prints.
        for text in found:
            self.echo(f"warning: {text}", True)
        for w in caught:
            if not issubclass(w.category, BriefExportWarning):
                warnings.showwarning(w.message, w.category, w.filename, w.lineno)
        tail = f", {len(found)} warning{'s' if len(found) != 1 else ''}" if found else ""
        where = sorted({str(f.path.parent) for f in files})
        if self.preview is not None:
            self.preview.update([f.path for f in files], doc.meta.title)
        self.echo(f"{clock} rendered {', '.join(self.names)} in {ms:.0f} ms{tail} ({', '.join(where)})", False)
        self.inputs, self.stamps = inputs, stamps
        return True

    def run(self, poll: float = POLL_S) -> None:
        """Render, then render again on every change, until interrupted."""
        seen = self._rendered(snapshot(self.inputs))
        while True:
            now = snapshot(self.inputs)
            if now != seen:
                seen = self._rendered(now)
                continue
            time.sleep(poll)

    def _rendered(self, before: "dict[Path, tuple[int, int, int] | None]") -> "dict[Path, tuple[int, int, int] | None]":
        """Render; the stamps to compare with next, all taken before the render
        read the files (so a save during a render renders again)."""
        self.render()
        return {p: before[p] if p in before else self.stamps.get(p) for p in self.inputs}


@click.command("watch")
@click.argument("source", required=False, type=click.Path(exists=True, dir_okay=False, path_type=Path))
@click.option("-f", "--format", "formats", multiple=True, metavar="FORMAT",
              help="Output format (repeatable), or 'all' for pdf, docx and onepager. Default: pdf.")
@click.option("-d", "--output-dir", type=click.Path(file_okay=False, path_type=Path), default=Path("build"),
              show_default=True, help="Folder for the outputs.")
@click.option("-s", "--style", type=click.Path(exists=True, dir_okay=False, path_type=Path),
              help="Theme file (TOML); default: the built-in styles/default.toml.")
@click.option("--strict", is_flag=True, help="Refuse to write outputs over budget or with missing glyphs.")
@click.option("--serve", is_flag=True,
              help="Also show the outputs on a page at http://127.0.0.1 (this machine only) that reloads after each render.")
@click.option("--port", type=click.IntRange(0, 65535), default=0, show_default=True,
              help="The page's port with --serve (0: any free one).")
def watch_command(source: Path | None, formats: tuple[str, ...], output_dir: Path, style: Path | None,
                  strict: bool, serve: bool, port: int) -> None:
    """Render SOURCE, then again whenever it, its theme, images or bibliography change.

    One line per render with its time; errors and warnings on stderr.  A
    save with an error keeps the last good outputs.  With --serve, a page
    on this machine shows them and reloads after each render.  Ctrl-C stops.
    """
    from . import backends, load_theme
    from .batch import expand_formats

    source = source or Path("source/article.md")
    if not source.is_file():
        raise click.UsageError(f"no source {source}: give one, or run where source/article.md is")
    names = expand_formats(formats)
    try:
        for name in names:
            backends.get(name)
        load_theme(style)  # a broken theme at the start is an error, not a watch
    except BriefExportError as exc:
        raise click.ClickException(str(exc)) from None
    preview = None
    if serve:
        from .delivery.preview import HOST, Preview

        try:
            preview = Preview(source.name, port)
        except OSError as exc:
            raise click.ClickException(f"cannot serve on {HOST}:{port}: {exc.strerror or exc}") from None
    watcher = Watcher(source, names, style, output_dir, strict, lambda text, err: click.echo(text, err=err), preview)
    click.echo(f"watching {source} and what it uses; Ctrl-C stops", err=True)
    if preview is not None:
        preview.start()
        click.echo(f"serving {preview.url} (this machine only)", err=True)
    # A service manager's (or `kill`'s) SIGTERM stops it as cleanly as Ctrl-C.
    signal.signal(signal.SIGTERM, signal.default_int_handler)
    try:
        watcher.run()
    except KeyboardInterrupt:
        click.echo("stopped", err=True)
    finally:
        if preview is not None:
            preview.stop()
