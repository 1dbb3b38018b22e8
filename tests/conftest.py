"""Shared test fixtures: project paths, the article, the corpus, the theme."""

from __future__ import annotations

import atexit
import json
import os
import shutil
import subprocess
import tempfile
from pathlib import Path

import pytest
from hypothesis import settings

# In CI (CI=true) every property test draws the same examples each run, so a
# red build names a change rather than a lucky draw; `make fuzz` explores.
settings.register_profile("ci", derandomize=True, database=None)
if os.environ.get("CI"):
    settings.load_profile("ci")

# Every run starts with an empty font cache of its own (this process and the
# briefexport processes the tests start): whatever an earlier version of the
# code left in ~/.cache cannot decide what a test sees, and a cold cache is
# what a new user's first render meets.
_CACHE = tempfile.mkdtemp(prefix="briefexport-test-cache-")
os.environ["XDG_CACHE_HOME"] = _CACHE
atexit.register(shutil.rmtree, _CACHE, ignore_errors=True)

ROOT = Path(__file__).resolve().parents[1]
FIXTURES = ROOT / "tests" / "fixtures"
# The corpus lives beside the project (../shared/corpus), in CI too; a clone
# without it skips the tests that read it and passes everything else.
CORPUS = ROOT.parent / "shared" / "corpus"
ARTICLE = ROOT / "source" / "article.md"
ORIGINAL = FIXTURES / "article-original.txt"  # the article as published, to check the source against


def require_tool(name: str) -> str:
    """The path of a command-line tool, or skip naming the missing tool."""
    path = shutil.which(name)
    if path is None:
        pytest.skip(f"{name} is not installed (.ci/run installs it)")
    return path


def child_gone(pid: int) -> bool:
    """True when `pid` is no child of this process any more (ended and waited for)."""
    try:
        os.waitpid(pid, os.WNOHANG)
    except ChildProcessError:
        return True
    return False


def noto_cjk_installed() -> bool:
    """Whether fontconfig knows Noto CJK (Debian's fonts-noto-cjk)."""
    fc_list = shutil.which("fc-list")
    if fc_list is None:
        return False
    out = subprocess.run([fc_list, ":lang=zh", "family"], capture_output=True, text=True).stdout
    return "Noto Sans CJK" in out or "Noto Serif CJK" in out


@pytest.fixture(scope="session")
def corpus() -> Path:
    if not CORPUS.is_dir():
        pytest.skip(f"the shared corpus is missing at {CORPUS} (clone it beside the project to run these)")
    return CORPUS


@pytest.fixture(scope="session")
def commonmark_examples(corpus: Path) -> list[dict]:
    return json.loads((corpus / "commonmark-examples.json").read_text(encoding="utf-8"))


@pytest.fixture(scope="session")
def article():
    from briefexport import parse

    return parse(ARTICLE)


@pytest.fixture(scope="session")
def theme():
    from briefexport import load_theme

    return load_theme()
