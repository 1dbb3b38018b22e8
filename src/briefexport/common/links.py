"""Which link targets and image paths a document may use.

One policy for every backend: only http, https and mailto links become
clickable (a `javascript:` or `file:` link is text), and an image may not
reach outside the source's folder.
"""

from __future__ import annotations

import re
from pathlib import Path
from urllib.parse import unquote

from ..errors import RenderError

ALLOWED_SCHEMES = ("http", "https", "mailto")
_SCHEME = re.compile(r"^([A-Za-z][A-Za-z0-9+.-]*):")


def external_target(url: str) -> str | None:
    """`url` if it may become a clickable external link, else None."""
    url = url.strip()
    if any(ord(c) < 0x20 or c in "\x7f" for c in url):
        return None
    m = _SCHEME.match(url)
    if m is None:
        return None
    return url if m.group(1).lower() in ALLOWED_SCHEMES else None


def internal_target(url: str) -> str | None:
    """The anchor name of an in-document link (`#section`), else None."""
    # markdown-it percent-encodes link targets: `#été` arrives as `#%C3%A9t%C3%A9`.
    if url.startswith("#") and len(url) > 1 and not any(c.isspace() for c in url):
        return unquote(url[1:])
    return None


def resolve_image(src: str, base_dir: Path, *, source: str = "", line: int = 0) -> Path:
    """The image file `src` names, inside `base_dir`; otherwise a RenderError.

    Remote URLs are refused (no network access while rendering) and so is any
    path that leaves the source's folder, `../x.png` or an absolute path alike.
    """
    if not src.strip():
        raise RenderError("image without a path", source, line)
    if _SCHEME.match(src) and not re.match(r"^[A-Za-z]:[\\/]", src):
        raise RenderError(f"image {src!r}: only local image files can be embedded", source, line)
    base = base_dir.resolve()
    candidate = (base / src).resolve()
    if candidate != base and base not in candidate.parents:
        raise RenderError(f"image {src!r} is outside the source's folder ({base_dir})", source, line)
    if not candidate.exists():
        raise RenderError(f"image {src!r} not found", source, line)
    if not candidate.is_file():
        raise RenderError(f"image {src!r} is not a regular file", source, line)
    return candidate
