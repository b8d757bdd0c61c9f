"""Worker processes: the start method and how work is cut into chunks."""

from __future__ import annotations

import threading

from sblgen._parallel import chunks, start_context


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
