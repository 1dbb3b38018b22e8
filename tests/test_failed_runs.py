"""A failed run writes nothing and keeps every earlier file; each batch source is its own outcome."""

from __future__ import annotations

import hashlib
import json
import os
import resource
import signal
import subprocess
import sys
from pathlib import Path

import pytest
from click.testing import CliRunner

from briefexport.cli import main

GOOD = "# Good {n}\n\nA paragraph.\n"
# Emphasis nested 1,000 deep: at the time of writing a RecursionError in the
# parser; whatever it becomes, it must stay that one source's outcome.
DEEP = "# Deep\n\n" + "*a " * 1000 + "x" + " b*" * 1000 + "\n"


def _run(*args: str, env: dict[str, str] | None = None):
    return CliRunner().invoke(main, list(args), env=env)


def _digests(folder: Path) -> dict[str, str]:
    return {p.name: hashlib.sha256(p.read_bytes()).hexdigest() for p in sorted(folder.iterdir())}


@pytest.mark.parametrize("jobs", ["1", "2"])
def test_one_failing_source_does_not_stop_the_batch(tmp_path: Path, jobs: str) -> None:
    sources = []
    for name, text in (("a", GOOD.format(n=1)), ("bad", DEEP), ("c", GOOD.format(n=3))):
        path = tmp_path / f"{name}.md"
        path.write_text(text, encoding="utf-8")
        sources.append(str(path))
    result = _run("render", *sources, "-d", str(tmp_path / "out"), "-j", jobs)
    assert result.exit_code in (0, 1), result.output
    assert "Traceback" not in result.output
    assert {"good-1.pdf", "good-3.pdf", "good-1.manifest.json", "good-3.manifest.json"} <= set(
        p.name for p in (tmp_path / "out").iterdir())
    for line in result.stderr.splitlines():
        assert line.startswith(("Error: ", "warning: ")), line


def test_bad_source_date_epoch_writes_nothing(tmp_path: Path) -> None:
    source = tmp_path / "a.md"
    source.write_text(GOOD.format(n=1), encoding="utf-8")
    for formats in (["-f", "json"], ["-f", "json", "-f", "onepager", "-f", "pdf"]):
        result = _run("render", str(source), *formats, "-d", str(tmp_path / "out"),
                      env={"SOURCE_DATE_EPOCH": "yesterday"})
        assert result.exit_code == 1
        assert result.stderr.strip().endswith("SOURCE_DATE_EPOCH='yesterday' is not a Unix time in seconds")
        assert "Traceback" not in result.output
        assert not (tmp_path / "out").exists()


def test_a_failing_format_leaves_the_earlier_outputs_and_manifest_intact(tmp_path: Path) -> None:
    source = tmp_path / "a.md"
    source.write_text(GOOD.format(n=1), encoding="utf-8")
    out = tmp_path / "out"
    assert _run("render", str(source), "-f", "json", "-f", "docx", "-d", str(out)).exit_code == 0
    before = _digests(out)
    # The same source now names an image that is not there: docx and pdf fail
    # after json has rendered; nothing of the run may land.
    source.write_text(GOOD.format(n=1) + "\n![alt](missing.png)\n", encoding="utf-8")
    result = _run("render", str(source), "-f", "json", "-f", "docx", "-f", "pdf", "-d", str(out))
    assert result.exit_code == 1 and "missing.png" in result.stderr
    assert _digests(out) == before
    assert not [p for p in out.iterdir() if p.name.startswith(".")]  # no temporary file left


def test_a_write_error_is_one_line_and_keeps_the_old_files(tmp_path: Path) -> None:
    """A disk that fills up half-way (here: a file-size limit the kernel enforces)."""
    source = tmp_path / "a.md"
    source.write_text(GOOD.format(n=1) + "\n" + "Words and more words. " * 3000 + "\n", encoding="utf-8")
    out = tmp_path / "out"
    (out).mkdir()
    (out / "good-1.pdf").write_bytes(b"the good old PDF")
    (out / "good-1.manifest.json").write_bytes(b"{}")
    before = _digests(out)

    def limit() -> None:
        signal.signal(signal.SIGXFSZ, signal.SIG_IGN)  # a write past the limit fails with EFBIG instead
        resource.setrlimit(resource.RLIMIT_FSIZE, (20_000, 20_000))

    proc = subprocess.run([sys.executable, "-m", "briefexport", "render", str(source), "-f", "json", "-f", "pdf",
                           "-d", str(out)], capture_output=True, text=True, preexec_fn=limit, timeout=120,
                          env={**os.environ, "SOURCE_DATE_EPOCH": "1700000000"})
    assert proc.returncode == 1, proc.stderr
    assert proc.stderr.startswith("Error: ") and proc.stderr.count("\n") == 1, proc.stderr
    assert "cannot write" in proc.stderr
    assert _digests(out) == before


def test_unknown_format_is_a_usage_error(tmp_path: Path) -> None:
    result = _run("render", "x.md", "-f", "nope", "-d", str(tmp_path))
    assert result.exit_code == 2 and "unknown format 'nope'" in result.stderr


@pytest.mark.parametrize(("fmt", "name", "ok"), [("pdf", "out.docx", False), ("docx", "out.pdf", False),
                                                  ("onepager", "slide.pdf", True), ("json", "tree.json", True),
                                                  ("pdf", "noext", False)])
def test_output_suffix_must_match_the_format(tmp_path: Path, fmt: str, name: str, ok: bool) -> None:
    source = tmp_path / "a.md"
    source.write_text(GOOD.format(n=1), encoding="utf-8")
    result = _run("render", str(source), "-f", fmt, "-o", str(tmp_path / name))
    assert result.exit_code == (0 if ok else 2), result.output
    assert (tmp_path / name).exists() == ok


def test_email_output_must_be_eml(tmp_path: Path) -> None:
    source = tmp_path / "a.md"
    source.write_text(GOOD.format(n=1), encoding="utf-8")
    result = _run("email", str(source), "--to", "a@example.org", "-o", str(tmp_path / "x.pdf"))
    assert result.exit_code == 2 and ".eml" in result.stderr


@pytest.mark.skipif(not hasattr(os, "mkfifo"), reason="no FIFOs on this system")
def test_sources_must_be_regular_files(tmp_path: Path) -> None:
    fifo = tmp_path / "pipe.md"
    os.mkfifo(fifo)
    for path in (str(fifo), "/dev/zero"):
        for command in (["render", path, "-d", str(tmp_path / "out")], ["check", path], ["tree", path]):
            proc = subprocess.run([sys.executable, "-m", "briefexport", *command], capture_output=True, text=True,
                                  timeout=30)
            assert proc.returncode == 1
            assert "is not a regular file" in proc.stdout + proc.stderr and "Traceback" not in proc.stderr


def test_a_source_over_50_mb_is_refused(tmp_path: Path) -> None:
    big = tmp_path / "big.md"
    with big.open("wb") as handle:
        handle.truncate(50_000_001)  # sparse: no 50 MB written to disk
    result = _run("tree", str(big))
    assert result.exit_code == 1 and "at most 50,000,000 bytes" in result.stderr


def test_a_missing_title_is_one_rule_in_render_and_check(tmp_path: Path) -> None:
    source = tmp_path / "untitled-notes.md"
    source.write_text("Just a paragraph.\n", encoding="utf-8")
    render = _run("render", str(source), "-f", "json", "-d", str(tmp_path / "out"))
    assert render.exit_code == 0 and "warning: " in render.stderr and "no title" in render.stderr
    check = _run("check", str(source), "--json")
    assert check.exit_code == 0
    assert any(f["code"] == "missing-title" and f["severity"] == "warning" for f in json.loads(check.stdout))
    strict = _run("render", str(source), "-f", "json", "-d", str(tmp_path / "strict"), "--strict")
    assert strict.exit_code == 1 and "no title" in strict.stderr and not (tmp_path / "strict").exists()
    assert _run("check", str(source), "--strict").exit_code == 1
