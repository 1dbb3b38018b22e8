"""The installed version, in a module of its own so that any layer may import it."""

from __future__ import annotations

from importlib.metadata import PackageNotFoundError, version

try:
    __version__ = version("briefexport")
except PackageNotFoundError:  # running from a source tree without installing
    __version__ = "0+unknown"
