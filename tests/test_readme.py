"""Every `briefexport` command in the README's shell blocks runs, as a reader would type it.

Each line is taken from a fenced `sh` block (a line ending in a backslash
goes on), run with bash in a fresh folder laid out like a checkout (the
article in `source/`, the themes in `styles/`, a few briefs in `archive/`),
and must exit 0.  Lines whose comment says they need the network or a mail
server, or run until Ctrl-C, are left out; usage synopses are `text` blocks,
not commands.
"""

from __future__ import annotations

import os
import re
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from conftest import FIXTURES, ROOT

README = ROOT / "README.md"
# Left out: what needs the outside world, and `watch`, which runs until Ctrl-C
# (tests/test_watch.py runs it as a process and stops it).
_NEEDS_OUTSIDE = re.compile(r"#.*\b(?:needs (?:the network|a mail server)|runs until Ctrl-C)\b")
_COMMAND = re.compile(r"^(?:[A-Z_]+=\S+\s+)*(?:\.venv/bin/)?briefexport\b")


def readme_commands() -> list[str]:
    commands, block, pending = [], None, ""
    for line in README.read_text(encoding="utf-8").splitlines():
        fence = re.match(r"^```(\w*)", line)
        if fence:
            block = None if block is not None else fence.group(1)
            continue
        if block not in ("sh", "bash", "console"):
            continue
        line = pending + line.strip()
        if line.endswith("\\"):
            pending = line[:-1] + " "
            continue
        pending = ""
        if _COMMAND.match(line) and not _NEEDS_OUTSIDE.search(line):
            commands.append(line)
    return commands


def test_the_readme_has_commands_to_run() -> None:
    commands = readme_commands()
    assert len(commands) >= 6
    assert any("--style styles/letter.toml" in c for c in commands)
    assert not any("--send" in c for c in commands)  # marked as needing a mail server


@pytest.fixture(scope="module")
def checkout(tmp_path_factory) -> Path:
    folder = tmp_path_factory.mktemp("readme")
    shutil.copytree(ROOT / "source", folder / "source")
    shutil.copytree(ROOT / "styles", folder / "styles", ignore=shutil.ignore_patterns("__pycache__", "*.py"))
    (folder / "archive").mkdir()
    shutil.copy(ROOT / "source" / "article.md", folder / "archive" / "belarus.md")
    shutil.copy(FIXTURES / "river-basins.md", folder / "archive" / "river-basins.md")
    shutil.copy(FIXTURES / "chart.png", folder / "archive" / "chart.png")
    # A brief with citations, its bibliography in a folder of its own (--resource-path).
    shutil.copytree(FIXTURES / "citations", folder / "citations")
    return folder


@pytest.mark.parametrize("command", readme_commands())
def test_a_readme_command_runs(command: str, checkout: Path) -> None:
    bin_dir = Path(sys.executable).parent
    if not (bin_dir / "briefexport").exists():
        pytest.skip(f"the briefexport command is not installed beside {sys.executable}")
    env = {**os.environ, "PATH": f"{bin_dir}{os.pathsep}{os.environ.get('PATH', '')}"}
    # `.venv/bin/briefexport` is the reader's own venv; here it is the one running the tests.
    line = command.replace(".venv/bin/briefexport", str(bin_dir / "briefexport"))
    done = subprocess.run(["bash", "-c", line], cwd=checkout, env=env, capture_output=True, text=True,
                          timeout=120)
    assert done.returncode == 0, f"{command}\n{done.stdout}\n{done.stderr}"
    assert "Traceback" not in done.stderr
