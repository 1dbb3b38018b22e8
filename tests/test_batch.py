"""Several sources in one `render`: in worker processes or one after another."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

from conftest import ARTICLE, ROOT

SLUG = "belarus-burgeoning-ties-with-russia-and-china"


def run(*args: str, cwd: Path) -> subprocess.CompletedProcess[str]:
    return subprocess.run([sys.executable, "-m", "briefexport", *args], cwd=cwd, capture_output=True, text=True,
                          timeout=300, env={**os.environ, "BRIEFEXPORT_SYSTEM_FONTS": "off"})


@pytest.fixture()
def sources(tmp_path: Path) -> list[str]:
    """The article (slowest first), a source with a warning, a broken one, a tiny one."""
    folder = tmp_path / "src"
    folder.mkdir()
    (folder / "a.md").write_text(ARTICLE.read_text(encoding="utf-8"), encoding="utf-8")
    (folder / "b.md").write_text("---\ntitle: Second\ncolour: blue\n---\nHello *world*.\n", encoding="utf-8")
    (folder / "c.md").write_text("---\ntitle: Broken\nauthors: 3\n---\nBody.\n", encoding="utf-8")
    (folder / "d.md").write_text("---\ntitle: Fourth\n---\nFour.\n", encoding="utf-8")
    return [f"src/{name}" for name in ("a.md", "b.md", "c.md", "d.md")]


def outputs(folder: Path) -> dict[str, bytes]:
    return {p.name: p.read_bytes() for p in sorted(folder.iterdir())}


def test_jobs_give_the_same_files_and_printout_as_one_process(tmp_path: Path, sources: list[str]) -> None:
    parallel = run("render", *sources, "-f", "pdf", "-f", "docx", "-d", "par", "--jobs", "3", cwd=tmp_path)
    serial = run("render", *sources, "-f", "pdf", "-f", "docx", "-d", "seq", "--jobs", "1", cwd=tmp_path)
    assert parallel.returncode == serial.returncode == 1
    assert parallel.stdout.replace("par/", "seq/") == serial.stdout
    assert parallel.stderr == serial.stderr
    assert outputs(tmp_path / "par") == outputs(tmp_path / "seq")
    # Source order, whichever worker finished first; the broken source has no files.
    printed = [line.split(" ")[0] for line in parallel.stdout.splitlines() if line.endswith("(manifest)")]
    assert printed == [f"par/{SLUG}.manifest.json", "par/second.manifest.json", "par/fourth.manifest.json"]
    assert not any(name.startswith("broken") for name in outputs(tmp_path / "par"))


def test_an_error_names_its_source_and_warnings_come_from_the_workers(tmp_path: Path, sources: list[str]) -> None:
    result = run("render", *sources, "-f", "json", "-d", "out", "--jobs", "2", cwd=tmp_path)
    assert result.returncode == 1
    errors = [line for line in result.stderr.splitlines() if line.startswith("Error:")]
    assert errors == [errors[0]] and errors[0].startswith("Error: src/c.md:3: front matter `authors`")
    assert result.stderr.count("warning: src/b.md:3: unknown front-matter key `colour`") == 1
    assert "Traceback" not in result.stderr
    assert {"second.json", "fourth.json", f"{SLUG}.json"} <= set(outputs(tmp_path / "out"))


def test_quiet_batch_prints_only_the_error(tmp_path: Path, sources: list[str]) -> None:
    result = run("render", *sources, "-f", "json", "-d", "out", "-j", "2", "-q", cwd=tmp_path)
    assert result.returncode == 1 and result.stdout == ""
    assert result.stderr.strip().splitlines() == [
        "Error: src/c.md:3: front matter `authors`: must be a list of names or of `name:` entries, not the number 3"
    ]


def test_all_good_sources_exit_0(tmp_path: Path, sources: list[str]) -> None:
    good = [s for s in sources if not s.endswith("c.md")]
    result = run("render", *good, "-f", "json", "-d", "out", "-j", "2", cwd=tmp_path)
    assert result.returncode == 0, result.stderr
    assert len([line for line in result.stdout.splitlines() if line.endswith("(manifest)")]) == 3


def test_workers_do_the_rendering(tmp_path: Path) -> None:
    # With two workers the parent process never loads the PDF library itself.
    second = tmp_path / "second.md"
    second.write_text("---\ntitle: Second\n---\nText.\n", encoding="utf-8")
    code = (
        "import sys\n"
        "from pathlib import Path\n"
        "from briefexport.batch import Job, run_batch\n"
        f"job = Job(('pdf',), None, Path({str(tmp_path / 'out')!r}), None, 10_000_000, False)\n"
        f"done = list(run_batch(job, [Path({str(ARTICLE)!r}), Path({str(second)!r})], 2))\n"
        "print([o.error for o in done], [len(o.files) for o in done], 'reportlab' in sys.modules)\n"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True, cwd=ROOT)
    assert out.stdout.strip() == "[None, None] [1, 1] False"
    assert (tmp_path / "out" / f"{SLUG}.pdf").read_bytes().startswith(b"%PDF")


def test_jobs_must_be_positive(tmp_path: Path) -> None:
    result = run("render", str(ARTICLE), "-f", "json", "--jobs", "0", cwd=tmp_path)
    assert result.returncode == 2 and "--jobs" in result.stderr


def test_two_sources_with_one_slug_are_refused_before_anything_is_written(tmp_path: Path) -> None:
    for name in ("a.md", "b.md"):
        (tmp_path / name).write_text("---\ntitle: Same Title\n---\nText.\n", encoding="utf-8")
    result = run("render", "a.md", "b.md", "-f", "json", "-d", "out", "--jobs", "2", cwd=tmp_path)
    assert result.returncode == 1
    assert result.stderr.strip() == (
        "Error: a.md and b.md would both write out/same-title.*; give one of them its own `slug:` in the front matter")
    assert not (tmp_path / "out").exists()


def test_an_unwritable_output_folder_is_one_line_per_source(tmp_path: Path) -> None:
    (tmp_path / "a.md").write_text("---\ntitle: A\n---\nText.\n", encoding="utf-8")
    (tmp_path / "b.md").write_text("---\ntitle: B\n---\nText.\n", encoding="utf-8")
    (tmp_path / "afile").write_text("not a folder", encoding="utf-8")
    result = run("render", "a.md", "b.md", "-f", "json", "-d", "afile/sub", "--jobs", "2", cwd=tmp_path)
    assert result.returncode == 1
    lines = result.stderr.strip().splitlines()
    assert lines == [
        "Error: a.md: afile/sub/a.json: cannot write here: Not a directory",
        "Error: b.md: afile/sub/b.json: cannot write here: Not a directory",
    ]


def test_a_batch_parses_each_source_once(tmp_path: Path, sources: list[str], monkeypatch: pytest.MonkeyPatch) -> None:
    # The parent parses every source to check their output names differ; the
    # render then uses those trees instead of parsing again (--jobs 1 runs in
    # this process, so the parses can be counted here).
    from briefexport.cli import main
    from briefexport.readers import markdown

    parsed: list[str] = []
    real = markdown.parse_file
    monkeypatch.setattr(markdown, "parse_file",
                        lambda source, **options: parsed.append(str(source)) or real(source, **options))
    monkeypatch.chdir(tmp_path)
    monkeypatch.setenv("BRIEFEXPORT_SYSTEM_FONTS", "off")
    with pytest.raises(SystemExit):
        main(["render", *sources, "-f", "json", "-d", "out", "--jobs", "1", "-q"])
    # The broken source is parsed again by its render, which reports its error.
    assert sorted(parsed) == sorted([*sources, "src/c.md"])


@pytest.mark.parametrize("text", [
    (ROOT / "tests" / "fixtures" / "onepager" / "many-points.md").read_text(encoding="utf-8"),  # warnings
    "---\ntitle: Missing picture\n---\n\n![gone](nowhere.png)\n",  # an error, in the DOCX and the PDF
])
def test_one_source_renders_alike_with_its_pdfs_in_a_second_process(tmp_path: Path, text: str) -> None:
    # With cores to spare (--jobs 2) the PDFs of a single source render in a
    # forked process; files, printout, warnings and errors are those of --jobs 1.
    (tmp_path / "a.md").write_text(text, encoding="utf-8")
    runs = {}
    for jobs in ("1", "2"):
        result = run("render", "a.md", "-f", "docx", "-f", "onepager", "-f", "pdf", "-d", f"out{jobs}",
                     "--jobs", jobs, cwd=tmp_path)
        runs[jobs] = (result.returncode, result.stdout.replace(f"out{jobs}/", "out/"), result.stderr)
        assert "Traceback" not in result.stderr
    assert runs["1"] == runs["2"]
    if (tmp_path / "out1").exists():
        assert outputs(tmp_path / "out1") == outputs(tmp_path / "out2")
    else:
        assert runs["1"][0] == 1 and not (tmp_path / "out2").exists()
