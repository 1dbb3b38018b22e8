"""A computation handed to a spare core gives what it gives here, and leaves no process behind."""

from __future__ import annotations

import os
import time

import pytest

from briefexport.common import background
from briefexport.common.background import Background, spare_cores
from conftest import child_gone

pytestmark = pytest.mark.skipif(not hasattr(os, "fork"), reason="needs os.fork (POSIX)")


def _pid_and(value: int) -> tuple[int, int]:
    return os.getpid(), value * 2


def test_with_a_spare_core_it_runs_in_a_child_and_answers() -> None:
    with spare_cores(1), Background(_pid_and, 21) as job:
        child = job.pid
        assert child and background._spare == 0  # the core is taken while the child runs
        pid, value = job.result()
    assert (pid, value) == (child, 42) and pid != os.getpid()
    assert child_gone(child) and background._spare == 0  # spare_cores restored the caller's 0


def test_without_a_spare_core_or_when_not_worth_it_it_runs_here() -> None:
    with Background(_pid_and, 1) as job:
        assert job.result() == (os.getpid(), 2)
    with spare_cores(1), Background(_pid_and, 1, worth_it=False) as job:
        assert job.result() == (os.getpid(), 2)


def test_one_spare_core_means_one_child_at_a_time() -> None:
    with spare_cores(1), Background(_pid_and, 1) as first, Background(_pid_and, 2) as second:
        assert first.pid and not second.pid
        assert second.result() == (os.getpid(), 4)
        assert first.result()[1] == 2


def _fails_in_a_child(parent: int) -> str:
    if os.getpid() != parent:
        raise RuntimeError("only in the child")
    return "here"


def test_a_child_that_fails_is_replaced_by_this_process() -> None:
    with spare_cores(1), Background(_fails_in_a_child, os.getpid()) as job:
        assert job.pid
        assert job.result() == "here"


def test_an_error_is_raised_as_here() -> None:
    with spare_cores(1), Background(int, "not a number") as job, pytest.raises(ValueError, match="not a number"):
        job.result()


def test_leaving_without_the_result_ends_the_child() -> None:
    started = time.monotonic()
    with spare_cores(1), Background(time.sleep, 60) as job:
        child = job.pid
        assert child
    assert child_gone(child) and time.monotonic() - started < 30


def test_ctrl_c_while_waiting_ends_the_child_and_frees_its_core() -> None:
    import signal

    def interrupt(*_: object) -> None:
        raise KeyboardInterrupt

    previous = signal.signal(signal.SIGALRM, interrupt)
    try:
        with spare_cores(1):
            with pytest.raises(KeyboardInterrupt), Background(time.sleep, 60) as job:
                child = job.pid
                signal.setitimer(signal.ITIMER_REAL, 0.2)
                job.result()
            assert child_gone(child) and background._spare == 1
    finally:
        signal.setitimer(signal.ITIMER_REAL, 0)
        signal.signal(signal.SIGALRM, previous)


def test_a_frozen_process_stays_frozen_after_forking() -> None:
    import gc

    gc.freeze()
    try:
        frozen = gc.get_freeze_count()
        with spare_cores(1), Background(_pid_and, 1) as job:
            assert job.pid
            job.result()
        assert gc.get_freeze_count() >= frozen > 0
    finally:
        gc.unfreeze()
    with spare_cores(1), Background(_pid_and, 1) as job:
        job.result()
    assert gc.get_freeze_count() == 0
