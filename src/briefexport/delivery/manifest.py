"""`<slug>.manifest.json`: which bytes were made from which source.

A sender who is later asked "which version did you send?" answers with the
manifest: the SHA-256 of the source and of every output, with sizes.  Outputs
rendered by an earlier run (say `--format pdf`, then `--format docx`) stay
listed as long as they were made from the same source bytes and are still on
disk unchanged; anything else is dropped rather than vouched for.
"""

from __future__ import annotations

import hashlib
import json
import os
from pathlib import Path
from typing import TYPE_CHECKING, Any

from ..common.stamps import timestamp
from .output import write_atomic

if TYPE_CHECKING:
    from .bundle import RenderedFile
    from ..tree import Meta

FORMAT = "briefexport-manifest"
FORMAT_VERSION = 1
SUFFIX = ".manifest.json"


def sha256(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


def manifest_path(directory: Path, stem: str) -> Path:
    return directory / f"{stem}{SUFFIX}"


def build_manifest(
    source: Path, source_bytes: bytes, files: "list[RenderedFile]", meta: "Meta", *,
    directory: Path, budget: int, previous: dict[str, Any] | None = None,
) -> dict[str, Any]:
    """The manifest as a JSON-ready dict; file names are relative to `directory`."""
    from .._version import __version__

    source_hash = sha256(source_bytes)
    entries = {f.format: _entry(f.format, f.path, f.media_type, f.data, directory) for f in files}
    for old in _still_valid(previous, source_hash, directory):
        entries.setdefault(old["format"], old)
    outputs = sorted(entries.values(), key=lambda e: (e["file"], e["format"]))
    return {
        "format": FORMAT,
        "version": FORMAT_VERSION,
        "generator": f"briefexport {__version__}",
        "date": timestamp(meta).strftime("%Y-%m-%dT%H:%M:%SZ"),
        "source": {"file": _relative(source, directory), "size": len(source_bytes), "sha256": source_hash},
        "outputs": outputs,
        "total_size": sum(e["size"] for e in outputs),
        "max_attachment_size": budget,
    }


def write_manifest(
    path: Path, source: Path, files: "list[RenderedFile]", meta: "Meta", *, budget: int
) -> dict[str, Any]:
    """Build the manifest for `files` rendered from `source` and write it to `path`."""
    manifest = build_manifest(
        source, source.read_bytes(), files, meta,
        directory=path.parent, budget=budget, previous=read_manifest(path),
    )
    write_atomic(path, manifest_bytes(manifest))
    return manifest


def manifest_bytes(manifest: dict[str, Any]) -> bytes:
    """The manifest file's bytes, so it can be written together with the outputs."""
    return (json.dumps(manifest, indent=2, ensure_ascii=False) + "\n").encode("utf-8")


def read_manifest(path: Path) -> dict[str, Any] | None:
    """An existing manifest, or None when there is none or it is not ours."""
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return None
    if not isinstance(data, dict) or data.get("format") != FORMAT or data.get("version") != FORMAT_VERSION:
        return None
    return data


def _entry(fmt: str, path: Path, media_type: str, data: bytes, directory: Path) -> dict[str, Any]:
    return {
        "format": fmt,
        "file": _relative(path, directory),
        "media_type": media_type,
        "size": len(data),
        "sha256": sha256(data),
    }


def _relative(path: Path, directory: Path) -> str:
    # Relative to the manifest: an absolute path would carry the sender's home
    # folder (and user name) in a file meant to travel, and would change with
    # how the source was typed.
    try:
        return Path(os.path.relpath(path.absolute(), directory.absolute())).as_posix()
    except ValueError:  # another drive on Windows
        return path.absolute().as_posix()


def _still_valid(previous: dict[str, Any] | None, source_hash: str, directory: Path) -> list[dict[str, Any]]:
    if not previous or previous.get("source", {}).get("sha256") != source_hash:
        return []
    kept = []
    for old in previous.get("outputs", []):
        try:
            on_disk = (directory / old["file"]).read_bytes()
        except (OSError, KeyError, TypeError):
            continue
        if sha256(on_disk) == old.get("sha256") and isinstance(old.get("format"), str):
            kept.append(old)
    return kept
