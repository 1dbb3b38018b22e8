"""Formats rendered in forked processes give what one process gives, and leave no process behind."""

from __future__ import annotations

import os
import pickle
import signal
import subprocess
import sys
from pathlib import Path

import pytest

import briefexport
from briefexport.delivery import forked
from briefexport.delivery.bundle import render_files

from conftest import ARTICLE, child_gone

pytestmark = pytest.mark.skipif(not hasattr(os, "fork"), reason="needs os.fork (POSIX)")

FORMATS = ["pdf", "docx", "onepager", "json"]


def _files(files: list) -> list[tuple[str, str, bytes]]:
    return [(f.format, f.path.name, f.data) for f in files]


@pytest.fixture()
def article(monkeypatch: pytest.MonkeyPatch) -> tuple[briefexport.Document, object]:
    monkeypatch.setenv("SOURCE_DATE_EPOCH", "1700000000")  # the children inherit it: one date for both renders
    return briefexport.parse(ARTICLE), briefexport.load_theme()


def test_one_child_per_library_and_the_same_files_as_one_process(tmp_path: Path, article) -> None:
    doc, theme = article
    alone = render_files(doc, FORMATS, theme, tmp_path)
    warm = forked.Warm(FORMATS, 2)
    # reportlab's two formats share a child; the cheapest library (python-docx)
    # renders here after the request is sent, and json needs no library.
    assert sorted(warm.children) == ["reportlab"]
    assert warm.children["reportlab"][0] == ["pdf", "onepager"]
    pids = [pid for _group, pid, _to, _from in warm.children.values()]
    together = render_files(doc, FORMATS, theme, tmp_path, warm=warm)
    assert _files(together) == _files(alone)
    assert warm.answered == ["pdf", "onepager"]
    assert warm.children == {} and all(child_gone(pid) for pid in pids)


def test_more_processes_fork_more_children(tmp_path: Path, article) -> None:
    doc, theme = article
    formats = ["pdf", "docx", "onepager-pptx"]
    alone = render_files(doc, formats, theme, tmp_path)
    warm = forked.Warm(formats, 3)
    assert sorted(warm.children) == ["python-pptx", "reportlab"]  # and the DOCX here
    assert _files(render_files(doc, formats, theme, tmp_path, warm=warm)) == _files(alone)
    assert sorted(warm.answered) == ["onepager-pptx", "pdf"]


def test_a_single_library_renders_in_its_child() -> None:
    with forked.Warm(["docx"], 2) as warm:
        assert sorted(warm.children) == ["python-docx"]


def test_a_child_that_dies_is_replaced_by_this_process(tmp_path: Path, article) -> None:
    doc, theme = article
    warm = forked.Warm(["pdf", "docx"], 2)
    _group, pid, _to, _from = warm.children["reportlab"]
    os.kill(pid, signal.SIGKILL)
    os.waitpid(pid, 0)
    files = render_files(doc, ["pdf", "docx"], theme, tmp_path, warm=warm)
    assert warm.answered == []
    assert _files(files) == _files(render_files(doc, ["pdf", "docx"], theme, tmp_path))


def test_children_not_asked_leave_when_closed() -> None:
    with forked.Warm(["pdf", "docx", "onepager-pptx"], 3) as warm:
        pids = [pid for _group, pid, _to, _from in warm.children.values()]
        assert len(pids) == 2
    assert all(child_gone(pid) for pid in pids)


def test_one_process_means_no_child() -> None:
    assert forked.Warm(["pdf", "docx"], 1).children == {}
    assert forked.Warm(["json"], 2).children == {}


def test_a_request_the_child_cannot_read_is_rendered_here(tmp_path: Path, article) -> None:
    doc, theme = article
    warm = forked.Warm(["docx"], 2)
    made = lambda fmt, data: (fmt, data)  # noqa: E731
    out = warm.render(lambda fmt: (fmt, briefexport.render(doc, fmt, theme)), ["docx"],
                      lambda mine: b"not a pickle", made)
    assert out == [("docx", briefexport.render(doc, "docx", theme))] and warm.answered == []
    assert pickle.dumps(out)  # what the parent holds is plain data


@pytest.mark.parametrize("source, message", [
    ("---\ntitle: Broken\nauthors: 3\n---\nBody.\n", "authors"),  # fails before any format renders
    ("---\ntitle: Missing picture\n---\n\n![gone](nowhere.png)\n", "nowhere.png"),  # fails in the backends
])
def test_a_failed_source_exits_as_with_one_process_and_leaves_no_child(tmp_path: Path, source: str,
                                                                       message: str) -> None:
    (tmp_path / "a.md").write_text(source, encoding="utf-8")
    runs = []
    for jobs in ("1", "2"):
        # A child left behind would hold stdout open, and `run` would wait for it: the timeout fails the test.
        result = subprocess.run([sys.executable, "-m", "briefexport", "render", "a.md", "-f", "all", "--jobs", jobs],
                                cwd=tmp_path, capture_output=True, text=True, timeout=120,
                                env={**os.environ, "BRIEFEXPORT_SYSTEM_FONTS": "off"})
        runs.append((result.returncode, result.stdout, result.stderr))
    assert runs[0] == runs[1]
    assert runs[0][0] == 1 and message in runs[0][2] and "Traceback" not in runs[0][2]
    assert not (tmp_path / "build").exists()


@pytest.mark.parametrize("formats, processes, spare", [
    (["docx"], 2, 1),  # this process only waits: the DOCX child may use a core for its digest
    (["pdf", "docx"], 2, 0),  # this process renders the DOCX meanwhile
    (["pdf", "docx"], 3, 1),
])
def test_each_child_is_told_the_cores_left(monkeypatch, formats: list[str], processes: int, spare: int) -> None:
    sent = []
    monkeypatch.setattr(forked, "_send", lambda fd, payload: (sent.append(payload[0]), os.close(fd)))
    with forked.Warm(formats, processes) as warm:
        warm.start(formats, lambda mine: b"")
    assert sent == [spare]


def test_a_long_source_in_a_child_with_its_digest_apart_gives_the_same_docx(tmp_path: Path) -> None:
    """Past `_DIGEST_APART` blocks the DOCX child computes its round-trip digest
    in a child of its own: the bytes are those of one process."""
    from briefexport.backends.brief_docx.build import _DIGEST_APART

    body = "\n\n".join(f"Paragraph {n} of a long brief, with *emphasis* and a [link](https://example.org/{n})."
                       for n in range(_DIGEST_APART + 10))
    (tmp_path / "long.md").write_text(f"---\ntitle: A long brief\n---\n\n{body}\n", encoding="utf-8")
    outputs = []
    for jobs in ("1", "2"):
        subprocess.run([sys.executable, "-m", "briefexport", "render", "long.md", "-f", "docx", "--jobs", jobs,
                        "--output-dir", f"out{jobs}"], cwd=tmp_path, check=True, capture_output=True, timeout=120,
                       env={**os.environ, "SOURCE_DATE_EPOCH": "1700000000", "BRIEFEXPORT_SYSTEM_FONTS": "off"})
        outputs.append((tmp_path / f"out{jobs}" / "a-long-brief.docx").read_bytes())
    assert outputs[0] == outputs[1]
