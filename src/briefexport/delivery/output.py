"""Writing outputs: atomic replacement, and sizes as people read them."""

from __future__ import annotations

import os
import tempfile
from pathlib import Path

from ..errors import BriefExportError


def write_atomic(path: Path, data: bytes) -> None:
    """Write `data` to `path` so that readers see the old file or the new, never half.

    A folder that cannot be made or written is a user error naming the path.
    """
    tmp_name = _stage(path, data)
    try:
        os.replace(tmp_name, path)
    except BaseException as exc:
        _unlink(tmp_name)
        if isinstance(exc, OSError):
            raise BriefExportError(f"cannot write: {exc.strerror or exc}", str(path)) from None
        raise


def write_all(items: "list[tuple[Path, bytes]]") -> None:
    """Write several files so that either all are replaced or none is.

    Every file is first written in full beside its target (a full disk fails
    here, and the old files are untouched); only then are they renamed into
    place.  Should a rename fail, the ones already renamed are put back.
    """
    staged: list[tuple[Path, str]] = []
    try:
        for path, data in items:
            staged.append((path, _stage(path, data)))
    except BaseException:
        for _, tmp in staged:
            _unlink(tmp)
        raise
    done: list[tuple[Path, str | None]] = []  # (target, backup of the old file)
    try:
        for path, tmp in staged:
            backup = None
            if path.exists():
                backup = f"{tmp}.old"
                os.link(path, backup)
            done.append((path, backup))
            os.replace(tmp, path)
    except OSError as exc:
        for path, backup in reversed(done):
            if backup is not None:
                os.replace(backup, path)
            else:
                _unlink(str(path))
        for _, tmp in staged:
            _unlink(tmp)
        raise BriefExportError(f"cannot write: {exc.strerror or exc}", str(path)) from None
    for _, backup in done:
        if backup is not None:
            _unlink(backup)


def _stage(path: Path, data: bytes) -> str:
    """`data` in a temporary file beside `path`, flushed to disk; its name."""
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        fd, tmp_name = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".tmp", dir=path.parent)
    except OSError as exc:
        raise BriefExportError(f"cannot write here: {exc.strerror or exc}", str(path)) from None
    try:
        with os.fdopen(fd, "wb") as handle:
            handle.write(data)
            handle.flush()
            os.fsync(handle.fileno())
        umask = os.umask(0)
        os.umask(umask)
        os.chmod(tmp_name, 0o666 & ~umask)
    except BaseException as exc:
        _unlink(tmp_name)
        if isinstance(exc, OSError):
            raise BriefExportError(f"cannot write: {exc.strerror or exc}", str(path)) from None
        raise
    return tmp_name


def _unlink(name: str) -> None:
    try:
        os.unlink(name)
    except FileNotFoundError:
        pass


def human_size(size: int) -> str:
    if size < 1000:
        return f"{size} B"
    if size < 1000**2:
        return f"{size / 1000:.1f} kB"
    return f"{size / 1000**2:.2f} MB"
