"""Worker processes: the start method, how work is cut into chunks, and workers that never
outlive their parent nor hold its output."""

from __future__ import annotations

import multiprocessing
import sys
import threading
import time
from multiprocessing.process import BaseProcess

import pytest

import sblgen._parallel
from sblgen._parallel import _no_setup, chunks, process_pool, start_context
from tests.processes import fail_first, worker_facts


def test_chunks_keep_order_and_sizes() -> None:
    items = list(range(1000))
    cut = chunks(items, 2, per_worker=4, least=16)
    assert [x for chunk in cut for x in chunk] == items
    assert {len(chunk) for chunk in cut} == {125}  # 1000 // (2 * 4)
    assert [len(c) for c in chunks(items[:40], 4, per_worker=8, least=16)] == [16, 16, 8]
    assert chunks([], 2, per_worker=4, least=16) == []


def test_no_fork_while_other_threads_run() -> None:
    assert start_context().get_start_method() in ("fork", "forkserver", "spawn")
    release = threading.Event()
    other = threading.Thread(target=release.wait)
    other.start()
    try:
        assert start_context().get_start_method() != "fork"
    finally:
        release.set()
        other.join()


@pytest.mark.skipif(sys.platform != "linux", reason="reads /proc/self/fd")
@pytest.mark.parametrize("method", ["fork", "forkserver"])
def test_workers_detach_from_the_parents_output_and_ctrl_c(
    monkeypatch: pytest.MonkeyPatch, method: str
) -> None:
    monkeypatch.setattr(
        sblgen._parallel, "start_context", lambda: multiprocessing.get_context(method)
    )
    with process_pool(2, _no_setup, ()) as pool:
        facts = set(pool.map(worker_facts, range(4)))
    assert facts == {("/dev/null", "/dev/null", "/dev/null", True, True)}


def test_a_failing_task_stops_the_queued_work_and_the_workers() -> None:
    """Without the stop, leaving the block would wait for every queued task (~5 s here)."""
    started = time.monotonic()
    processes: list[BaseProcess] = []

    def run() -> None:
        with process_pool(2, _no_setup, ()) as pool:
            results = pool.map(fail_first, range(40))  # every task is queued at once
            processes.extend(pool._processes.values())
            list(results)

    with pytest.raises(ValueError, match="item 0 fails"):
        run()
    assert time.monotonic() - started < 3
    assert processes and not any(p.is_alive() for p in processes)
