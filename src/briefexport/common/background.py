"""Work a render can hand to a spare core: a forked child computes it meanwhile.

A backend wraps a pure, silent computation of the tree (the DOCX's round-trip
digest) in `Background`; it runs in a forked child while the render goes on,
when the caller has said that a core is free (`spare_cores`), and here
otherwise.  The command line says so when its own processes leave a core
idle (`delivery.forked.Warm`); a program that calls `briefexport.render`
gets no process it did not ask for.

The child shares the tree by fork (nothing is pickled on the way in) and
sends back the pickled result.  If anything goes wrong there, the work is
done here, so an error is raised exactly as it would have been.
"""

from __future__ import annotations

import contextlib
import os
import threading
from collections.abc import Callable, Iterator
from typing import Any, Generic, TypeVar

T = TypeVar("T")

_spare = 0  # cores free for a background computation, as the caller said


@contextlib.contextmanager
def spare_cores(count: int) -> Iterator[None]:
    """Let `Background` use up to `count` forked children in this block."""
    global _spare
    saved, _spare = _spare, max(count, 0)
    try:
        yield
    finally:
        _spare = saved


class Background(Generic[T]):
    """`fn(*args)`, computed in a forked child when a core is free and `worth_it`.

    Use it as a context manager; `result()` waits for the value.  Leaving the
    block without asking for it ends the child.
    """

    def __init__(self, fn: Callable[..., T], *args: Any, worth_it: bool = True) -> None:
        self.fn, self.args, self.worth_it = fn, args, worth_it
        self.pid = 0
        self.fd = -1

    def __enter__(self) -> Background[T]:
        global _spare
        # A process with threads must not fork (a lock held by another thread stays held in the child).
        if not (self.worth_it and _spare > 0 and hasattr(os, "fork") and threading.active_count() == 1):
            return self
        import gc

        read, write = os.pipe()
        # Frozen, what exists now is never scanned by the child's collector,
        # whose writes would copy those pages into it.  A process that froze
        # them itself (a `Warm` child) keeps them frozen.
        frozen = gc.get_freeze_count() > 0
        gc.freeze()
        try:
            pid = os.fork()
        except OSError:
            pid = -1
        if pid == 0:
            _child(write, read, self.fn, self.args)
        if not frozen:
            gc.unfreeze()
        os.close(write)
        if pid < 0:
            os.close(read)
            return self
        self.pid, self.fd = pid, read
        _spare -= 1
        return self

    def result(self) -> T:
        if not self.pid:
            return self.fn(*self.args)
        import pickle

        fd, self.fd = self.fd, -1  # whatever happens while reading, the file is closed once
        with os.fdopen(fd, "rb") as pipe:
            raw = pipe.read()
        ok = self._reap(kill=False)
        if ok and raw:
            try:
                return pickle.loads(raw)
            except Exception:  # noqa: BLE001 - a broken answer: compute it here
                pass
        return self.fn(*self.args)

    def __exit__(self, *exc: object) -> None:
        if self.fd >= 0:
            fd, self.fd = self.fd, -1
            os.close(fd)
        if self.pid:
            self._reap(kill=True)

    def _reap(self, *, kill: bool) -> bool:
        """Wait for the child (ended first with `kill`); True when it exited cleanly.

        The child counts as gone only once waited for: interrupted here (Ctrl-C
        while waiting for the result), `__exit__` ends it and waits again.
        """
        global _spare
        if kill:
            import signal

            with contextlib.suppress(ProcessLookupError):
                os.kill(self.pid, signal.SIGKILL)
        try:
            _, status = os.waitpid(self.pid, 0)
        except ChildProcessError:
            status = -1
        self.pid = 0
        _spare += 1
        return status >= 0 and os.WIFEXITED(status) and os.WEXITSTATUS(status) == 0


def _child(write: int, read: int, fn: Callable[..., Any], args: tuple[Any, ...]) -> None:
    """Compute, answer, and leave without running this process's exit handlers."""
    code = 1
    try:
        os.close(read)
        import pickle

        payload = pickle.dumps(fn(*args), pickle.HIGHEST_PROTOCOL)
        with os.fdopen(write, "wb") as pipe:
            pipe.write(payload)
        code = 0
    finally:
        os._exit(code)
