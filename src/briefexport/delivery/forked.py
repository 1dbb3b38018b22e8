"""Two formats' libraries at once: the DOCX in a forked process while the PDFs render.

A cold `--format all` spends about a third of its time importing python-docx
and rendering the DOCX, and the rest on reportlab and the two PDFs; the two
share nothing after the document is parsed.  On a machine with a second free
core, `render_split` forks once: the child imports python-docx and renders
the DOCX while the parent renders the PDFs, and the child sends its bytes and
warnings back through a pipe.  Outputs, warnings and their order are the same
as in one process; if anything goes wrong in the child, the parent renders
those formats itself (so an error is raised, and worded, exactly as before).
"""

from __future__ import annotations

import os
import pickle
import warnings
from collections.abc import Callable
from typing import Any

from ..errors import BriefExportError

# Formats whose library no other built-in format loads.
ALONE = ("docx",)

Recorded = tuple[Any, list[tuple[str, type, str, int]], "BriefExportError | None"]


def _recorded(render_one: Callable[[str], Any], fmt: str) -> Recorded:
    """`render_one(fmt)` with the warnings it gave, and its error instead of raising it."""
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        try:
            result, error = render_one(fmt), None
        except BriefExportError as exc:
            result, error = None, exc
    return result, [(str(w.message), w.category, w.filename, w.lineno) for w in caught], error


def can_split(formats: list[str]) -> bool:
    return hasattr(os, "fork") and any(f in ALONE for f in formats) and any(f not in ALONE for f in formats)


def render_split(render_one: Callable[[str], Any], formats: list[str]) -> list[Any]:
    """`[render_one(f) for f in formats]`, the ALONE formats in a child process."""
    alone = [f for f in formats if f in ALONE]
    read_end, write_end = os.pipe()
    pid = os.fork()
    if pid == 0:  # the child: render, send, leave without running the parent's exit handlers
        os.close(read_end)
        try:
            done = [_recorded(render_one, f) for f in alone]
            payload = pickle.dumps(done if all(error is None for _, _, error in done) else None)
        except BaseException:
            payload = pickle.dumps(None)
        with os.fdopen(write_end, "wb") as pipe:
            pipe.write(payload)
        os._exit(0)
    os.close(write_end)
    try:
        results = {f: _recorded(render_one, f) for f in formats if f not in ALONE}
    finally:
        with os.fdopen(read_end, "rb") as pipe:
            raw = pipe.read()
        os.waitpid(pid, 0)
    try:
        theirs = pickle.loads(raw) if raw else None
    except Exception:
        theirs = None
    if theirs is not None:
        results.update(zip(alone, theirs))
    out = []
    for fmt in formats:
        result, caught, error = results[fmt] if fmt in results else _recorded(render_one, fmt)
        for message, category, filename, lineno in caught:  # in format order, as one process gives them
            warnings.warn_explicit(message, category, filename, lineno)
        if error is not None:
            raise error
        out.append(result)
    return out
