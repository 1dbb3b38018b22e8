"""`<slug>.manifest.json`: each output's format, size and SHA-256, and the source's."""

from __future__ import annotations

import hashlib
import json
import subprocess
import sys
import os
import shutil
from pathlib import Path

from click.testing import CliRunner

from briefexport.delivery.bundle import RenderedFile
from briefexport.cli import main
from briefexport.delivery.manifest import read_manifest, write_manifest
from briefexport.tree import Meta
from conftest import ARTICLE

STEM = "belarus-burgeoning-ties-with-russia-and-china"


def _sha(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


def test_render_writes_manifest_with_hashes(tmp_path: Path) -> None:
    build = tmp_path / "build"
    result = CliRunner().invoke(main, ["render", str(ARTICLE), "-f", "json", "-d", str(build)])
    assert result.exit_code == 0, result.output
    manifest_file = build / f"{STEM}.manifest.json"
    assert f"{manifest_file} (manifest)" in result.stdout.splitlines()
    manifest = json.loads(manifest_file.read_text(encoding="utf-8"))
    output = build / f"{STEM}.json"
    assert manifest["format"] == "briefexport-manifest"
    assert manifest["source"] == {
        "file": Path(os.path.relpath(ARTICLE, build)).as_posix(), "size": ARTICLE.stat().st_size, "sha256": _sha(ARTICLE.read_bytes()),
    }
    assert manifest["outputs"] == [{
        "format": "json", "file": output.name, "media_type": "application/json",
        "size": output.stat().st_size, "sha256": _sha(output.read_bytes()),
    }]
    assert manifest["total_size"] == output.stat().st_size
    assert manifest["max_attachment_size"] == 10_000_000


def test_manifest_sits_beside_an_explicit_output(tmp_path: Path) -> None:
    target = tmp_path / "out" / "tree.json"
    result = CliRunner().invoke(main, ["render", str(ARTICLE), "-f", "json", "-o", str(target)])
    assert result.exit_code == 0, result.output
    manifest = json.loads((target.parent / f"{STEM}.manifest.json").read_text(encoding="utf-8"))
    assert [o["file"] for o in manifest["outputs"]] == ["tree.json"]
    assert manifest["outputs"][0]["sha256"] == _sha(target.read_bytes())


def _file(directory: Path, name: str, fmt: str, data: bytes) -> RenderedFile:
    path = directory / name
    path.write_bytes(data)
    return RenderedFile(fmt, path, "application/octet-stream", data)


def test_earlier_outputs_stay_listed_only_while_still_true(tmp_path: Path) -> None:
    source = tmp_path / "article.md"
    shutil.copy(ARTICLE, source)
    path = tmp_path / "brief.manifest.json"
    meta = Meta(title="Brief")
    pdf = _file(tmp_path, "brief.pdf", "pdf", b"%PDF one")
    write_manifest(path, source, [pdf], meta, budget=100)

    docx = _file(tmp_path, "brief.docx", "docx", b"PK docx")
    manifest = write_manifest(path, source, [docx], meta, budget=100)
    assert [(o["format"], o["sha256"]) for o in manifest["outputs"]] == [
        ("docx", _sha(b"PK docx")), ("pdf", _sha(b"%PDF one")),
    ]
    assert manifest["total_size"] == len(b"PK docx") + len(b"%PDF one")

    # The PDF changed on disk since: the manifest no longer vouches for it.
    pdf.path.write_bytes(b"%PDF edited by hand")
    manifest = write_manifest(path, source, [docx], meta, budget=100)
    assert [o["format"] for o in manifest["outputs"]] == ["docx"]

    # A new source version: outputs from the old one are dropped.
    write_manifest(path, source, [pdf], meta, budget=100)
    source.write_text(source.read_text(encoding="utf-8") + "\nOne more line.\n", encoding="utf-8")
    manifest = write_manifest(path, source, [docx], meta, budget=100)
    assert [o["format"] for o in manifest["outputs"]] == ["docx"]
    assert manifest["source"]["sha256"] == _sha(source.read_bytes())
    assert read_manifest(path) == manifest


def test_foreign_or_broken_manifest_is_replaced(tmp_path: Path) -> None:
    source = tmp_path / "article.md"
    shutil.copy(ARTICLE, source)
    path = tmp_path / "brief.manifest.json"
    path.write_text("{not json", encoding="utf-8")
    assert read_manifest(path) is None
    docx = _file(tmp_path, "brief.docx", "docx", b"PK")
    manifest = write_manifest(path, source, [docx], Meta(), budget=1)
    assert [o["file"] for o in manifest["outputs"]] == ["brief.docx"]


def test_manifest_is_the_same_however_the_source_path_is_typed(tmp_path: Path) -> None:
    (tmp_path / "src").mkdir()
    shutil.copy(ARTICLE, tmp_path / "src" / "a.md")
    runs = []
    for typed in ("src/a.md", str(tmp_path / "src" / "a.md")):
        out = tmp_path / f"out-{len(runs)}"
        result = subprocess.run([sys.executable, "-m", "briefexport", "render", typed, "-f", "json", "-d", str(out)],
                                cwd=tmp_path, capture_output=True, text=True, timeout=120)
        assert result.returncode == 0, result.stderr
        runs.append({p.name: p.read_bytes() for p in out.iterdir()})
    assert runs[0] == runs[1]
    manifest = json.loads(next(v for k, v in runs[0].items() if k.endswith(".manifest.json")))
    assert manifest["source"]["file"] == "../src/a.md"
    assert str(tmp_path) not in json.dumps(manifest)
