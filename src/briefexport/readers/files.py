"""Reading an input file: a regular file only, within a size, every failure a ParseError naming it."""

from __future__ import annotations

import os
import stat
from pathlib import Path

from ..errors import ParseError

# Documented in the README's "Errors and limits": a brief is a few hundred
# kilobytes; 50 MB is a hundred times the longest book-length source we met.
MAX_SOURCE_BYTES = 50_000_000


def read_input(path: str | Path, *, kind: str, role: str, limit: int | None) -> bytes:
    """The bytes of the regular file `path`, of at most `limit` bytes (None: any size).

    Opened without blocking and checked on the open descriptor, so a FIFO
    cannot hang the run and /dev/zero cannot fill the memory.  `kind` names
    the file in errors ("a folder, not a Markdown file"), `role` what it is
    read as ("a device, FIFO or socket cannot be a source").
    """
    p = Path(path)
    try:
        fd = os.open(p, os.O_RDONLY | getattr(os, "O_NONBLOCK", 0) | getattr(os, "O_BINARY", 0))
    except FileNotFoundError:
        raise ParseError("no such file", str(p)) from None
    except IsADirectoryError:
        raise ParseError(f"is a folder, not a {kind} file", str(p)) from None
    except OSError as exc:
        raise ParseError(f"cannot read: {exc.strerror or exc}", str(p)) from None
    info = os.fstat(fd)
    # Checked before the descriptor becomes a file object: on Linux a folder
    # opens, and os.fdopen then raises IsADirectoryError of its own.
    if not stat.S_ISREG(info.st_mode):
        os.close(fd)
        if stat.S_ISDIR(info.st_mode):
            raise ParseError(f"is a folder, not a {kind} file", str(p))
        raise ParseError(f"is not a regular file (a device, FIFO or socket cannot be {role})", str(p))
    with os.fdopen(fd, "rb") as handle:
        if limit is not None and info.st_size > limit:
            raise ParseError(f"is {info.st_size:,} bytes; {role} may have at most {limit:,} bytes "
                             f"({limit // 1_000_000} MB)", str(p))
        try:
            raw = handle.read() if limit is None else handle.read(limit + 1)
        except OSError as exc:
            raise ParseError(f"cannot read: {exc.strerror or exc}", str(p)) from None
    if limit is not None and len(raw) > limit:  # it grew while we read it
        raise ParseError(f"is over {limit:,} bytes ({limit // 1_000_000} MB), the most {role} may have", str(p))
    return raw
