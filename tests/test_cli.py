"""The command line, run as a user runs it: a real process, real files."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

from briefexport.tree import from_json

from conftest import ARTICLE, ROOT

SLUG = "belarus-burgeoning-ties-with-russia-and-china"


def run(*args: str, cwd: Path = ROOT, env: dict[str, str] | None = None) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "briefexport", *args],
        cwd=cwd, capture_output=True, text=True, timeout=120, env={**os.environ, **(env or {})},
    )


def test_render_json_writes_the_slugged_file(tmp_path: Path) -> None:
    result = run("render", str(ARTICLE), "--format", "json", "--output-dir", str(tmp_path))
    assert result.returncode == 0, result.stderr
    out = tmp_path / f"{SLUG}.json"
    assert from_json(out.read_text(encoding="utf-8")).meta.title.startswith("Belarus")
    assert str(out) in result.stdout


def test_render_defaults_to_the_article_and_build(tmp_path: Path) -> None:
    (tmp_path / "source").mkdir()
    (tmp_path / "source" / "article.md").write_text("---\ntitle: Hello World\n---\nHi.\n", encoding="utf-8")
    result = run("render", "--format", "json", cwd=tmp_path)
    assert result.returncode == 0, result.stderr
    assert (tmp_path / "build" / "hello-world.json").is_file()


def test_output_option_and_quiet(tmp_path: Path) -> None:
    target = tmp_path / "exact.json"
    result = run("render", str(ARTICLE), "-f", "json", "-o", str(target), "--quiet")
    assert result.returncode == 0 and result.stdout == "" and target.is_file()
    result = run("render", str(ARTICLE), "-f", "json", "-f", "json", "-o", str(target))
    assert result.returncode == 0  # the same format twice is one format
    both = run("render", str(ARTICLE), str(ARTICLE), "-f", "json", "-o", str(target))
    assert both.returncode == 2 and "--output takes one source" in both.stderr


def test_tree_prints_the_article() -> None:
    result = run("tree")
    assert result.returncode == 0, result.stderr
    payload = json.loads(result.stdout)
    assert payload["format"] == "briefexport-tree"
    assert payload["document"]["meta"]["authors"][0]["name"] == "Huynh Tam Sang"


def test_formats_lists_registered_backends() -> None:
    result = run("formats")
    assert result.returncode == 0
    assert any(line.split()[:2] == ["json", ".json"] for line in result.stdout.splitlines())


RENDERING_LIBRARIES = ("reportlab", "docx", "pptx", "PIL", "fontTools", "lxml")


def test_formats_imports_no_rendering_library() -> None:
    code = (
        "import sys\n"
        "from briefexport.cli import main\n"
        "main(['formats'], standalone_mode=False)\n"
        f"print(sorted({{m.split('.')[0] for m in sys.modules}} & {set(RENDERING_LIBRARIES)!r}))\n"
    )
    result = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, cwd=ROOT, check=True)
    lines = result.stdout.strip().splitlines()
    assert any(line.split()[:2] == ["docx", ".docx"] for line in lines)  # it did list the formats
    assert lines[-1] == "[]"


def test_version() -> None:
    result = run("--version")
    assert result.returncode == 0 and "briefexport" in result.stdout


def one_error_line(result: subprocess.CompletedProcess[str]) -> str:
    lines = result.stderr.strip().splitlines()
    assert len(lines) == 1, result.stderr
    assert "Traceback" not in result.stderr
    return lines[0]


def test_bad_front_matter_is_one_line_with_file_and_line(tmp_path: Path) -> None:
    (tmp_path / "source").mkdir()
    (tmp_path / "source" / "x.md").write_text("---\ntitle: ok\nauthors: 3\n---\nBody\n", encoding="utf-8")
    result = run("render", "source/x.md", "--format", "json", cwd=tmp_path)
    assert result.returncode == 1
    assert one_error_line(result).startswith("Error: source/x.md:3: front matter `authors`")


@pytest.mark.parametrize(
    ("args", "fragment"),
    [
        (("render", "nope.md", "-f", "json"), "Error: nope.md: no such file"),
        (("tree", "nope.md"), "Error: nope.md: no such file"),
    ],
)
def test_user_errors_exit_1_with_one_line(args: tuple[str, ...], fragment: str) -> None:
    result = run(*args)
    assert result.returncode == 1
    assert one_error_line(result).startswith(fragment)


def test_bad_theme_is_one_line(tmp_path: Path) -> None:
    theme = tmp_path / "bad.toml"
    theme.write_text('extends = "default"\n[page]\nmargin-top = "twenty"\n', encoding="utf-8")
    result = run("render", str(ARTICLE), "-f", "json", "--style", str(theme), "-d", str(tmp_path))
    assert result.returncode == 1
    line = one_error_line(result)
    assert "bad.toml" in line and "page.margin-top" in line


def test_usage_errors_exit_2() -> None:
    assert run("render", "--no-such-option").returncode == 2
    assert run("frobnicate").returncode == 2


def test_warnings_go_to_stderr(tmp_path: Path) -> None:
    src = tmp_path / "w.md"
    src.write_text("---\ntitle: T\ncolour: blue\n---\nBody\n", encoding="utf-8")
    result = run("render", str(src), "-f", "json", "-d", str(tmp_path))
    assert result.returncode == 0
    assert f"warning: {src}:3: unknown front-matter key `colour`" in result.stderr


def test_failed_render_leaves_the_existing_output_intact(tmp_path: Path) -> None:
    src = tmp_path / "doc.md"
    src.write_text("---\ntitle: Doc\n---\nGood.\n", encoding="utf-8")
    assert run("render", str(src), "-f", "json", "-d", str(tmp_path)).returncode == 0
    out = tmp_path / "doc.json"
    before = out.read_bytes()
    src.write_text("---\ntitle: Doc\nauthors: 3\n---\nBroken.\n", encoding="utf-8")
    result = run("render", str(src), "-f", "json", "-d", str(tmp_path))
    assert result.returncode == 1
    assert out.read_bytes() == before
    # No temporary files left behind; the manifest is from the first, good render.
    assert sorted(p.name for p in tmp_path.iterdir()) == ["doc.json", "doc.manifest.json", "doc.md"]
