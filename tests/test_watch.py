"""`briefexport watch` as a user runs it: a real process, real saves, Ctrl-C."""

from __future__ import annotations

import hashlib
import os
import queue
import re
import shutil
import signal
import subprocess
import sys
import threading
import time
from pathlib import Path

import pytest
from PIL import Image
from pypdf import PdfReader

from briefexport.tree import CitationMeta, Document, Figure, Meta
from briefexport.watch import document_files, theme_files

from conftest import ROOT

TIMEOUT = 60  # seconds for any one render to show up: generous for a loaded machine


class Watch:
    """A running `briefexport watch`, its stdout and stderr read line by line."""

    def __init__(self, folder: Path, *args: str) -> None:
        env = {**os.environ, "BRIEFEXPORT_SYSTEM_FONTS": "off", "PYTHONUNBUFFERED": "1"}
        # SIG_DFL: a test run started in the background inherits SIGINT ignored; Ctrl-C is what is tested.
        self.proc = subprocess.Popen([sys.executable, "-m", "briefexport", "watch", *args], cwd=folder, env=env,
                                     stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True,
                                     preexec_fn=lambda: signal.signal(signal.SIGINT, signal.SIG_DFL))
        self.out: queue.Queue[str] = queue.Queue()
        self.err: list[str] = []
        self.readers = [threading.Thread(target=self._read, args=(self.proc.stdout, self.out.put), daemon=True),
                        threading.Thread(target=self._read, args=(self.proc.stderr, self.err.append), daemon=True)]
        for reader in self.readers:
            reader.start()

    @staticmethod
    def _read(stream, put) -> None:  # type: ignore[no-untyped-def]
        for line in stream:
            put(line.rstrip("\n"))

    def next_line(self) -> str:
        try:
            return self.out.get(timeout=TIMEOUT)
        except queue.Empty:
            self.proc.kill()
            pytest.fail(f"watch printed nothing in {TIMEOUT} s; stderr: {self.err}")

    def until(self, wanted: str) -> str:
        """The next line holding `wanted`; a save may show as two renders (write, then touch)."""
        deadline = time.monotonic() + TIMEOUT
        while time.monotonic() < deadline:
            line = self.next_line()
            if wanted in line:
                return line
        pytest.fail(f"no line with {wanted!r} in {TIMEOUT} s")

    def until_pdf_has(self, pdf: Path, text: str) -> None:
        """Renders until `pdf` shows `text` (a save read half-written renders once more)."""
        deadline = time.monotonic() + TIMEOUT
        while text not in PdfReader(pdf).pages[0].extract_text():
            if time.monotonic() > deadline:
                pytest.fail(f"{pdf.name} never showed {text!r}")
            self.until(" rendered ")

    def said(self, start: str) -> bool:
        """Whether stderr has (or within the timeout gets) a line starting with `start`."""
        deadline = time.monotonic() + TIMEOUT
        while not any(line.startswith(start) for line in self.err):
            if time.monotonic() > deadline:
                return False
            time.sleep(0.01)
        return True

    def stop(self, sig: int = signal.SIGINT) -> int:
        self.proc.send_signal(sig)
        try:
            code = self.proc.wait(timeout=TIMEOUT)
        finally:
            if self.proc.poll() is None:
                self.proc.kill()
        for reader in self.readers:
            reader.join(timeout=TIMEOUT)  # everything it printed has been read
        return code


def _save(path: Path, text: str) -> None:
    """Write as an editor does, and make sure the modification time moves on."""
    before = path.stat().st_mtime_ns if path.exists() else 0
    path.write_text(text, encoding="utf-8")
    if path.stat().st_mtime_ns == before:
        os.utime(path, ns=(before + 1_000_000, before + 1_000_000))


def _picture(path: Path, colour: str) -> None:
    before = path.stat().st_mtime_ns if path.exists() else 0
    Image.new("RGB", (40, 30), colour).save(path)
    if path.stat().st_mtime_ns == before:
        os.utime(path, ns=(before + 1_000_000, before + 1_000_000))


SOURCE = """---
title: Watched brief
---

The first paragraph.

![A red square](square.png)
"""


def test_watch_renders_on_every_save_keeps_good_outputs_and_stops_cleanly(tmp_path: Path) -> None:
    source = tmp_path / "brief.md"
    source.write_text(SOURCE, encoding="utf-8")
    _picture(tmp_path / "square.png", "red")
    theme = tmp_path / "theme.toml"
    theme.write_text('extends = "default"\n', encoding="utf-8")
    pdf = tmp_path / "out" / "watched-brief.pdf"
    watch = Watch(tmp_path, "brief.md", "-f", "pdf", "-f", "docx", "-d", "out", "-s", "theme.toml")
    try:
        first = watch.next_line()
        assert " rendered pdf, docx in " in first and first.endswith("ms (out)"), first
        assert pdf.is_file() and (tmp_path / "out" / "watched-brief.docx").is_file()

        _save(source, SOURCE + "\nA paragraph added while watching.\n")
        watch.until_pdf_has(pdf, "added while watching")

        for change in (lambda: _picture(tmp_path / "square.png", "blue"),
                       lambda: _save(theme, 'extends = "default"\n[colors]\naccent = "#7A1F2B"\n')):
            before = pdf.read_bytes()
            change()
            watch.until(" rendered pdf, docx in ")
            assert pdf.read_bytes() != before  # the picture and the accent colour are in the PDF

        time.sleep(0.3)  # any second render of the last change is done
        good = hashlib.sha256(pdf.read_bytes()).hexdigest()
        _save(source, "---\ntitle: Watched brief\nauthors: 3\n---\nBroken.\n")
        watch.until("not rendered: the last good outputs are kept")
        assert hashlib.sha256(pdf.read_bytes()).hexdigest() == good
        assert watch.said("Error: brief.md:3: front matter `authors`"), watch.err

        _save(source, SOURCE + "\nFixed again.\n")
        watch.until_pdf_has(pdf, "Fixed again")
    finally:
        code = watch.stop()
    assert code == 0
    assert "Traceback" not in "\n".join(watch.err)
    assert watch.err[-1] == "stopped"


def test_watch_reports_warnings_on_its_line(tmp_path: Path) -> None:
    source = tmp_path / "brief.md"
    source.write_text("---\ntitle: W\ncolour: blue\n---\nText.\n", encoding="utf-8")
    watch = Watch(tmp_path, "brief.md", "-f", "docx", "-d", "out")
    try:
        line = watch.next_line()
        assert " rendered docx in " in line and ", 1 warning (out)" in line, line
    finally:
        assert watch.stop() == 0
    assert watch.said("warning: brief.md:3: unknown front-matter key `colour`"), watch.err


def test_a_missing_source_or_unknown_format_fails_at_once(tmp_path: Path) -> None:
    missing = subprocess.run([sys.executable, "-m", "briefexport", "watch", "nope.md"], cwd=tmp_path,
                             capture_output=True, text=True, timeout=TIMEOUT)
    assert missing.returncode == 2 and "nope.md" in missing.stderr
    (tmp_path / "a.md").write_text("# A\n", encoding="utf-8")
    unknown = subprocess.run([sys.executable, "-m", "briefexport", "watch", "a.md", "-f", "html"], cwd=tmp_path,
                             capture_output=True, text=True, timeout=TIMEOUT)
    assert unknown.returncode == 1 and unknown.stderr.startswith("Error: unknown format 'html'")


def test_the_inputs_are_the_source_theme_images_and_bibliography(tmp_path: Path) -> None:
    theme = tmp_path / "mine.toml"
    (tmp_path / "base.toml").write_text('name = "base"\n', encoding="utf-8")
    theme.write_text('extends = "base"\n', encoding="utf-8")
    assert theme_files(theme) == [theme, tmp_path / "base.toml"]
    assert theme_files(ROOT / "tests" / "fixtures" / "two-column.toml") == [ROOT / "tests" / "fixtures" / "two-column.toml"]
    doc = Document(meta=Meta(title="x", citations=CitationMeta(bibliography=("refs.bib",), csl="apa.csl")),
                   blocks=(Figure(src="fig.png", alt=""), Figure(src="https://example.org/x.png", alt="")),
                   resource_path=(str(tmp_path / "library"),))
    assert document_files(doc, tmp_path) == [
        tmp_path / "fig.png", tmp_path / "refs.bib", tmp_path / "library" / "refs.bib",
        tmp_path / "apa.csl", tmp_path / "library" / "apa.csl",
    ]


def test_a_bibliography_in_use_is_watched(tmp_path: Path) -> None:
    shutil.copytree(ROOT / "tests" / "fixtures" / "citations", tmp_path / "c")
    folder = tmp_path / "c"
    bib = folder / "sources.bib"
    shutil.move(folder / "library" / "sources.bib", bib)  # beside the source, no --resource-path needed
    watch = Watch(folder, "brief.md", "-f", "json", "-d", "out")
    try:
        watch.until(" rendered json in ")
        tree = folder / "out" / "belarus-between-moscow-and-beijing.json"
        before = tree.read_bytes()
        text = bib.read_text(encoding="utf-8")
        _save(bib, re.sub(r"title\s*=\s*\{", "title = {Edited: ", text, count=1))
        watch.until(" rendered json in ")
        after = tree.read_bytes()
    finally:
        assert watch.stop() == 0
    assert after != before and b"Edited: " in after


def test_polling_costs_little_cpu_while_idle(tmp_path: Path) -> None:
    source = tmp_path / "a.md"
    source.write_text("# A\n\nText.\n", encoding="utf-8")
    watch = Watch(tmp_path, "a.md", "-f", "json", "-d", "out")
    try:
        watch.next_line()
        with open(f"/proc/{watch.proc.pid}/stat") as fh:
            before = sum(int(v) for v in fh.read().split()[13:15])
        time.sleep(2)
        with open(f"/proc/{watch.proc.pid}/stat") as fh:
            after = sum(int(v) for v in fh.read().split()[13:15])
    finally:
        assert watch.stop() == 0
    ticks = os.sysconf("SC_CLK_TCK")
    assert (after - before) / ticks < 0.2  # under 10 % of one core while nothing changes


def test_sigterm_stops_it_cleanly_too(tmp_path: Path) -> None:
    (tmp_path / "a.md").write_text("# A\n\nText.\n", encoding="utf-8")
    watch = Watch(tmp_path, "a.md", "-f", "json", "-d", "out")
    watch.next_line()
    assert watch.stop(signal.SIGTERM) == 0
    assert watch.err[-1] == "stopped" and "Traceback" not in "\n".join(watch.err)


def _get(url: str, host: str | None = None) -> tuple[int, str, bytes]:
    """(status, content type, body) of a GET, with another `Host` header if given."""
    import http.client
    from urllib.parse import urlsplit

    parts = urlsplit(url)
    conn = http.client.HTTPConnection(parts.hostname, parts.port, timeout=TIMEOUT)
    try:
        conn.request("GET", parts.path or "/", headers={"Host": host} if host else {})
        answer = conn.getresponse()
        return answer.status, answer.getheader("Content-Type", ""), answer.read()
    finally:
        conn.close()


def _state(url: str) -> dict:
    import json

    return json.loads(_get(url + "state")[2])


def test_serve_shows_the_outputs_on_this_machine_and_follows_each_save(tmp_path: Path) -> None:
    import io

    source = tmp_path / "brief.md"
    source.write_text(SOURCE, encoding="utf-8")
    _picture(tmp_path / "square.png", "red")
    pdf = tmp_path / "build" / "watched-brief.pdf"
    watch = Watch(tmp_path, "brief.md", "--serve", "-f", "pdf", "-f", "docx")
    try:
        watch.next_line()
        assert watch.said("serving http://127.0.0.1:"), watch.err
        url = next(line for line in watch.err if line.startswith("serving ")).split()[1]
        status, kind, page = _get(url)
        assert status == 200 and kind.startswith("text/html")
        assert b"<title>Watched brief" in page and b'data-src="/out/watched-brief.pdf"' in page
        assert b'href="/out/watched-brief.docx"' in page
        assert _state(url) == {"version": 1, "error": "", "files": ["watched-brief.pdf", "watched-brief.docx"]}
        status, kind, served = _get(url + "out/watched-brief.pdf")
        assert (status, kind, served) == (200, "application/pdf", pdf.read_bytes())

        _save(source, SOURCE + "\nA paragraph added while serving.\n")
        watch.until_pdf_has(pdf, "added while serving")
        time.sleep(0.3)  # any second render of the save is done
        assert _state(url)["version"] >= 2
        served = _get(url + "out/watched-brief.pdf")[2]
        assert "added while serving" in PdfReader(io.BytesIO(served)).pages[0].extract_text()

        _save(source, "---\ntitle: Watched brief\nauthors: 3\n---\nBroken.\n")
        watch.until("not rendered")
        state = _state(url)
        assert "front matter `authors`" in state["error"] and state["files"]
        assert _get(url + "out/watched-brief.pdf")[2] == served  # the last good one

        # Only the outputs, and only to a page that asks this machine by its own address.
        for path in ("out/brief.md", "out/../brief.md", "out/%2e%2e%2fbrief.md", "build/watched-brief.pdf",
                     "square.png", "out/"):
            assert _get(url + path)[0] == 404, path
        assert _get(url + "state", host="attacker.example")[0] == 403
        assert _get(url + "state", host=f"localhost:{url.rsplit(':', 1)[1].strip('/')}")[0] == 200
    finally:
        code = watch.stop()
    assert code == 0 and watch.err[-1] == "stopped"
    with pytest.raises(OSError):
        _get(url + "state")  # the server stopped with the watch


def test_serve_on_a_port_in_use_is_a_one_line_error(tmp_path: Path) -> None:
    import socket

    (tmp_path / "brief.md").write_text("# Brief\n\nText.\n", encoding="utf-8")
    with socket.socket() as taken:
        taken.bind(("127.0.0.1", 0))
        taken.listen()
        port = taken.getsockname()[1]
        result = subprocess.run([sys.executable, "-m", "briefexport", "watch", "brief.md", "--serve", "--port", str(port)],
                                cwd=tmp_path, capture_output=True, text=True, timeout=TIMEOUT)
    assert result.returncode == 1
    assert result.stderr.strip().splitlines() == [f"Error: cannot serve on 127.0.0.1:{port}: Address already in use"]
    assert not (tmp_path / "build").exists()
