"""Reproducible bytes: the same source and SOURCE_DATE_EPOCH give the same files.

Each run is a fresh process (its own hash seed, no warm caches), as two
people rendering the same commit would be.  Every registered format is
checked, so a backend added later is covered without editing this file.
"""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

from briefexport import backends, output_name
from briefexport import parse
from conftest import ARTICLE, ROOT

FORMATS = backends.names()
# Outputs that carry no date, so they cannot change with SOURCE_DATE_EPOCH.
UNDATED = {"json"}
STEM = "belarus-burgeoning-ties-with-russia-and-china"
KINDS = [*FORMATS, "manifest", "eml"]


def _run(out: Path, epoch: str, seed: str) -> dict[str, bytes]:
    args = [sys.executable, "-m", "briefexport", "email", str(ARTICLE), "-d", str(out), "-q",
            "--to", "someone@example.org", "--max-attachment-size", "1GB"]
    for fmt in FORMATS:
        args += ["-f", fmt]
    env = {**os.environ, "SOURCE_DATE_EPOCH": epoch, "PYTHONHASHSEED": seed}
    result = subprocess.run(args, cwd=ROOT, env=env, capture_output=True, text=True, timeout=300)
    assert result.returncode == 0, result.stderr
    doc = parse(ARTICLE)
    files = {fmt: (out / output_name(doc, fmt)).read_bytes() for fmt in FORMATS}
    files["manifest"] = (out / f"{STEM}.manifest.json").read_bytes()
    files["eml"] = (out / f"{STEM}.eml").read_bytes()
    return files


@pytest.fixture(scope="module")
def runs(tmp_path_factory: pytest.TempPathFactory) -> dict[str, dict[str, bytes]]:
    base = tmp_path_factory.mktemp("reproducible")
    return {
        "first": _run(base / "first", "1700000000", "1"),
        "again": _run(base / "again", "1700000000", "2"),
        "later": _run(base / "later", "1800000000", "3"),
    }


@pytest.mark.parametrize("kind", KINDS)
def test_same_epoch_gives_identical_bytes(runs: dict[str, dict[str, bytes]], kind: str) -> None:
    assert runs["first"][kind] == runs["again"][kind]


@pytest.mark.parametrize("kind", [k for k in KINDS if k not in UNDATED])
def test_another_epoch_gives_another_date(runs: dict[str, dict[str, bytes]], kind: str) -> None:
    assert runs["first"][kind] != runs["later"][kind]


def test_without_epoch_the_front_matter_date_is_used(tmp_path: Path) -> None:
    source = tmp_path / "dated.md"
    source.write_text("---\ntitle: Dated\ndate: 2022-01-10\n---\n\nText.\n", encoding="utf-8")
    env = {k: v for k, v in os.environ.items() if k != "SOURCE_DATE_EPOCH"}
    args = [sys.executable, "-m", "briefexport", "email", str(source), "-f", "json", "-d", str(tmp_path / "b"),
            "-q", "--to", "someone@example.org"]
    subprocess.run(args, env=env, check=True, timeout=120)
    eml = (tmp_path / "b" / "dated.eml").read_bytes()
    assert b"Date: Mon, 10 Jan 2022 00:00:00 +0000\r\n" in eml
    assert b"10 January 2022" in eml
