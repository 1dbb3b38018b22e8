"""Where fonts made or measured by briefexport are kept on disk."""

from __future__ import annotations

import os
import tempfile
from pathlib import Path


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
