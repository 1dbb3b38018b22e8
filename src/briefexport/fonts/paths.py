"""Where fonts made or measured by briefexport are kept on disk."""

from __future__ import annotations

import functools
import hashlib
import importlib.util
import os
import tempfile
from pathlib import Path

# What writes the fonts briefexport makes: fontTools cuts and subsets them,
# and packs their layout tables with HarfBuzz's repacker when uharfbuzz is
# there, so another version of either writes other bytes for the same font.
_FONT_WRITERS = ("fontTools", "uharfbuzz")


def cache_dir(kind: str = "") -> Path:
    """The on-disk font cache (`kind`: a subfolder such as "facts"), made if missing."""
    base = os.environ.get("XDG_CACHE_HOME") or os.path.join(os.path.expanduser("~"), ".cache")
    path = Path(base) / "briefexport" / "fonts" / kind
    try:
        path.mkdir(parents=True, exist_ok=True)
        return path
    except OSError:
        fallback = Path(tempfile.gettempdir()) / "briefexport-fonts" / kind
        fallback.mkdir(parents=True, exist_ok=True)
        return fallback


@functools.cache
def font_writers() -> str:
    """A fingerprint of the installed `_FONT_WRITERS`, for the key of every font file made.

    A cut made before an upgrade (or before uharfbuzz was installed) would
    otherwise be used for ever, and that machine would write other PDF and
    DOCX bytes than a fresh one.  The size and time of each package's
    `__init__.py` change with every install, and asking for them imports
    neither package (importing fontTools is the cost the cache avoids).  Cuts
    made under an earlier install stay in the cache, unused, until it is cleared.
    """
    parts = []
    for name in _FONT_WRITERS:
        spec = importlib.util.find_spec(name)
        if spec is None or spec.origin is None:
            parts.append(f"{name}:-")
            continue
        try:
            stat = os.stat(spec.origin)
        except OSError:  # not a file of its own (a zip import): its location stands in
            parts.append(f"{name}:{spec.origin}")
            continue
        parts.append(f"{name}:{stat.st_size}:{stat.st_mtime_ns}")
    return "|".join(parts)


def cache_file(kind: str, font: Path, tag: str, suffix: str) -> Path | None:
    """Where something made from the font file `font` is kept, in the cache folder `kind`.

    The name carries a digest of the file's path, size and modification time
    and of `tag` (what was made, and its format version), so a changed font
    file or a new format is made again.  None when no cache folder can be made.
    """
    stat = font.stat()
    key = f"{font.resolve()}|{tag}|{stat.st_size}|{stat.st_mtime_ns}"
    digest = hashlib.sha256(key.encode()).hexdigest()[:20]
    try:
        return cache_dir(kind) / f"{font.stem.replace('[', '').replace(']', '')}-{digest}{suffix}"
    except OSError:
        return None


def store(target: Path, data: bytes) -> None:
    """Put `data` in the cache at `target`, whole or not at all; a cache that
    cannot be written only costs the time of making the entry again."""
    try:
        fd, tmp = tempfile.mkstemp(dir=target.parent, suffix=".tmp")
    except OSError:
        return
    try:
        with os.fdopen(fd, "wb") as fh:
            fh.write(data)
        os.replace(tmp, target)
    except OSError:
        pass
    finally:
        if os.path.exists(tmp):
            os.unlink(tmp)
