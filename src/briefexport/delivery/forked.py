"""Formats' libraries at once: renders in forked processes while this one works.

A cold render spends most of its time importing: markdown-it and the theme
here, then reportlab (the PDFs) or python-docx (the DOCX).  The formats share
nothing but the parsed document, so on a machine with a second free core
`Warm` forks, as soon as the formats are known, a child per library
(reportlab's formats together, python-docx's, python-pptx's) but the
cheapest, which renders here; each child imports its library while this
process loads the theme and parses.  `start` hands each child the document
and theme (pickled) before the glyph check, `render` renders the rest here
and takes back the children's bytes and warnings.

Outputs, warnings and their order are the same as in one process; if a child
fails in any way, this process renders those formats itself (so an error is
raised, and worded, exactly as before).
"""

from __future__ import annotations

import importlib
import os
import warnings
from collections.abc import Callable
from typing import Any

from ..common.background import spare_cores
from ..errors import BriefExportError

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


def _replay(render_one: Callable[[str], Any], formats: list[str], results: dict[str, Recorded]) -> list[Any]:
    """The results in format order, each format's warnings given again where it
    stands (as one process gives them); a format without a result renders here."""
    out = []
    for fmt in formats:
        result, caught, error = results[fmt] if fmt in results else _recorded(render_one, fmt)
        for message, category, filename, lineno in caught:
            warnings.warn_explicit(message, category, filename, lineno)
        if error is not None:
            raise error
        out.append(result)
    return out


# ------------------------------------------------------------------ warm


def library_groups(formats: list[str]) -> dict[str, list[str]]:
    """The formats that import a library worth a process, by library, in the order asked."""
    from .. import backends

    groups: dict[str, list[str]] = {}
    for fmt in formats:
        library = getattr(backends.get(fmt), "library", "")
        if library:
            groups.setdefault(library, []).append(fmt)
    return groups


class Warm:
    """Children that import the formats' libraries now and render when `render` is called.

    Each child reads one request (a byte, the cores left when every process
    is at work, then a pickled document, theme and formats) to the end of
    its pipe, renders, answers, and leaves; a pipe closed without a request
    (`close`) lets it leave at once.  The cores left are what the backends
    may hand work to (`common.background`), here as in the children.
    """

    def __init__(self, formats: list[str], processes: int) -> None:
        self.children: dict[str, tuple[list[str], int, int, int]] = {}  # library -> (formats, pid, to, from)
        self.asked: dict[str, list[str]] = {}  # library -> the formats its child was sent
        self.answered: list[str] = []  # the formats a child rendered (the others rendered here)
        self.processes = processes
        if processes < 2 or not hasattr(os, "fork"):
            return
        from .. import backends

        groups = list(library_groups(formats).items())
        costs = [sum(getattr(backends.get(f), "cold_cost", 0) for f in group) for _, group in groups]
        if len(groups) > 1:
            # The cheapest library's formats render here once the others are
            # sent off: this process has its own work (the parse) first, and
            # two processes on two cores do not queue for a core as three do
            # (`--format all` on two cores: 189 ms every time, against 190 or
            # 225 with the DOCX in a third process, as the scheduler placed it).
            home = costs.index(min(costs))
            del groups[home], costs[home]
        groups, costs = groups[:processes - 1], costs[:processes - 1]
        # With more children than that, the one with the most work keeps its
        # priority and the others yield to it: the last to finish sets the time.
        longest = costs.index(max(costs)) if costs else 0
        import gc

        # Frozen, the objects made so far are never scanned by a child's
        # collector, whose writes to them would copy their pages into the child.
        gc.freeze()
        try:
            for index, (library, group) in enumerate(groups):
                modules = tuple(m for fmt in group for m in getattr(backends.get(fmt), "preload", ()))
                if not self._fork(library, group, modules, nice=index != longest):
                    break  # no process to be had: what is left renders here
        finally:
            gc.unfreeze()

    def _fork(self, library: str, group: list[str], modules: tuple[str, ...], *, nice: bool) -> bool:
        request_r, request_w = os.pipe()
        answer_r, answer_w = os.pipe()
        try:
            pid = os.fork()
        except OSError:
            for fd in (request_r, request_w, answer_r, answer_w):
                os.close(fd)
            return False
        if pid == 0:
            # Another child's pipes would keep it waiting for an end that never comes.
            for fd in (*(fd for _g, _p, *ends in self.children.values() for fd in ends), request_w, answer_r):
                os.close(fd)
            if nice:
                os.nice(5)
            _serve(request_r, answer_w, modules)
        os.close(request_r)
        os.close(answer_w)
        self.children[library] = (group, pid, request_w, answer_r)
        return True

    def __enter__(self) -> Warm:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()  # children not asked (a source that failed first) leave unasked

    def covers(self, formats: list[str]) -> bool:
        return any(f in group for group, *_ in self.children.values() for f in formats)

    def start(self, formats: list[str], request: Callable[[list[str]], bytes]) -> None:
        """Hand each child its formats now; the caller's checks go on meanwhile.

        `request(formats)` is what a child is sent (`request_for`).  Once per child.
        """
        sending = {library: [f for f in formats if f in group] for library, (group, *_) in self.children.items()
                   if library not in self.asked}
        sending = {library: mine for library, mine in sending.items() if mine}
        self.asked.update(sending)
        # Each child is told the cores left when every process is at work,
        # for what it can do in a child of its own (`common.background`).
        spare = min(self._spare(here=not all(self.covers([f]) for f in formats)), 255)
        for library, mine in sending.items():
            _send(self.children[library][2], bytes([spare]) + request(mine))

    def _spare(self, *, here: bool) -> int:
        """The cores left with the asked children at work, and this process too when `here`."""
        return max(self.processes - len(self.asked) - here, 0)

    def render(self, render_one: Callable[[str], Any], formats: list[str],
               request: Callable[[list[str]], bytes], result: Callable[[str, bytes], Any]) -> list[Any]:
        """`[render_one(f) for f in formats]`, each child's formats from its answer.

        The children not yet started are started with `request`;
        `result(fmt, data)` makes a child's bytes what `render_one(fmt)`
        would have returned.
        """
        try:
            self.start(formats, request)
            results: dict[str, Recorded] = {}
            # This process renders the rest while the asked children render theirs.
            with spare_cores(self._spare(here=True)):
                for fmt in formats:
                    if not any(fmt in mine for mine in self.asked.values()):
                        results[fmt] = _recorded(render_one, fmt)
            for library, mine in self.asked.items():
                answer = _receive(self.children[library][3])
                if answer is not None:
                    results.update((fmt, (result(fmt, data), caught, None)) for fmt, (data, caught) in zip(mine, answer))
                    self.answered += mine
        finally:
            self.close()
        return _replay(render_one, formats, results)

    def close(self) -> None:
        """Let every child leave (those not asked leave unasked) and wait for them."""
        children, self.children = self.children, {}
        for _group, pid, to_child, from_child in children.values():
            for fd in (to_child, from_child):
                try:
                    os.close(fd)
                except OSError:  # already closed by `_send` / `_receive`
                    pass
            try:
                os.waitpid(pid, 0)
            except ChildProcessError:
                pass


def request_for(doc: Any, theme: Any) -> Callable[[list[str]], bytes]:
    """What a child is sent to render `doc` in its formats."""
    import pickle  # here, not at the top: every render imports this module, few fork

    return lambda formats: pickle.dumps((doc, theme, formats), pickle.HIGHEST_PROTOCOL)


def _serve(request_fd: int, answer_fd: int, modules: tuple[str, ...]) -> None:
    """The child: import, wait for the request, render it, answer; never return."""
    try:
        try:
            for module in modules:
                importlib.import_module(module)
        except Exception:  # noqa: BLE001 - the parent renders it and reports what failed
            pass
        with os.fdopen(request_fd, "rb") as pipe:
            raw = pipe.read()
        payload = b""
        if raw:
            import pickle

            from .. import backends

            try:
                doc, theme, formats = pickle.loads(raw[1:])
                with spare_cores(raw[0]):
                    done = [_recorded(lambda f: backends.render(doc, f, theme), f) for f in formats]
                ok = all(error is None for _, _, error in done)
                payload = pickle.dumps([(data, caught) for data, caught, _ in done] if ok else None)
            except BaseException:  # noqa: BLE001 - any failure: the parent renders these itself
                payload = pickle.dumps(None)
        with os.fdopen(answer_fd, "wb") as pipe:
            pipe.write(payload)
    finally:
        os._exit(0)


def _send(fd: int, payload: bytes) -> None:
    try:
        with os.fdopen(fd, "wb") as pipe:
            pipe.write(payload)
    except OSError:  # the child is gone: its answer will be empty
        pass


def _receive(fd: int) -> Any:
    import pickle

    try:
        with os.fdopen(fd, "rb") as pipe:
            raw = pipe.read()
        return pickle.loads(raw) if raw else None
    except Exception:  # noqa: BLE001 - a broken answer: render here instead
        return None
