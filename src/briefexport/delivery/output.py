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
        os.replace(tmp_name, path)
    except BaseException as exc:
        try:
            os.unlink(tmp_name)
        except FileNotFoundError:
            pass
        if isinstance(exc, OSError):
            raise BriefExportError(f"cannot write: {exc.strerror or exc}", str(path)) from None
        raise


def human_size(size: int) -> str:
    if size < 1000:
        return f"{size} B"
    if size < 1000**2:
        return f"{size / 1000:.1f} kB"
    return f"{size / 1000**2:.2f} MB"
