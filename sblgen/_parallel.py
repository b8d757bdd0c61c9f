"""One way to start worker processes, shared by ``encrypt_many`` and parallel site builds."""

from __future__ import annotations

import multiprocessing
import threading
from collections.abc import Callable, Sequence
from concurrent.futures import ProcessPoolExecutor
from multiprocessing.context import BaseContext
from typing import Any, TypeVar

__all__ = ["chunks", "process_pool", "start_context"]

_T = TypeVar("_T")


def start_context() -> BaseContext:
    """``fork`` when this process runs a single thread (workers start at once, nothing to
    re-import); otherwise ``forkserver`` (or the platform default): forking a process that
    has other threads can leave a lock held forever in the child, and Python 3.12+ warns.

    >>> start_context().get_start_method() in ("fork", "forkserver", "spawn")
    True
    """
    methods = multiprocessing.get_all_start_methods()
    if threading.active_count() == 1 and "fork" in methods:
        return multiprocessing.get_context("fork")
    if "forkserver" in methods:
        return multiprocessing.get_context("forkserver")
    return multiprocessing.get_context()


def process_pool(
    workers: int, initializer: Callable[..., None], initargs: tuple[Any, ...]
) -> ProcessPoolExecutor:
    """A process pool of ``workers`` processes, each set up once by ``initializer``."""
    return ProcessPoolExecutor(
        max_workers=workers,
        mp_context=start_context(),
        initializer=initializer,
        initargs=initargs,
    )


def chunks(items: Sequence[_T], workers: int, *, per_worker: int, least: int) -> list[list[_T]]:
    """``items`` cut, in order, into about ``per_worker`` chunks for each of ``workers``
    processes, each holding at least ``least`` items (fewer, larger chunks cost less to send).

    >>> [len(c) for c in chunks(range(100), 2, per_worker=4, least=16)]
    [16, 16, 16, 16, 16, 16, 4]
    """
    size = max(least, len(items) // (workers * per_worker))
    return [list(items[i : i + size]) for i in range(0, len(items), size)]
