"""One way to start worker processes, shared by ``encrypt_many`` and parallel site builds.

Workers never outlive the process that started them and never hold its output open:

- each worker's standard input, output and error are ``/dev/null`` (a worker reports
  through its results, never by printing), so a ``| tee`` or a CI step reading the parent's
  output sees its end when the parent ends, whatever the workers do;
- each worker watches the parent and exits as soon as it is gone, even when the parent was
  killed with SIGKILL (Linux: ``PR_SET_PDEATHSIG`` and a pidfd; elsewhere a poll);
- workers ignore Ctrl+C (the parent handles it) and die of SIGTERM;
- when the block using the pool ends with an error or an interruption, the queued work is
  cancelled and the workers are stopped at once, before the caller cleans up after them.
"""

from __future__ import annotations

import ctypes
import multiprocessing
import os
import select
import signal
import sys
import threading
import time
from collections.abc import Callable, Iterator, Sequence
from concurrent.futures import ProcessPoolExecutor
from contextlib import contextmanager
from multiprocessing.context import BaseContext
from typing import Any, TypeVar

__all__ = ["chunks", "process_pool", "start_context"]

_T = TypeVar("_T")

#: How often a worker without a pidfd checks that its parent is alive (seconds).
_POLL_SECONDS = 0.2
#: How long stopping a pool waits for a terminated worker before killing it (seconds).
_STOP_SECONDS = 5.0
_PR_SET_PDEATHSIG = 1


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


@contextmanager
def process_pool(
    workers: int, initializer: Callable[..., None], initargs: tuple[Any, ...]
) -> Iterator[ProcessPoolExecutor]:
    """A process pool of ``workers`` processes, each set up once by ``initializer``.

    Leaving the block normally waits for the submitted work; leaving it with an exception
    (a failed task, Ctrl+C, a signal) cancels what is queued and stops every worker before
    the exception goes on.

    >>> with process_pool(2, _no_setup, ()) as pool:
    ...     list(pool.map(abs, [-1, -2, 3]))
    [1, 2, 3]
    """
    pool = ProcessPoolExecutor(
        max_workers=workers,
        mp_context=start_context(),
        initializer=_start_worker,
        initargs=(os.getpid(), initializer, initargs),
    )
    try:
        yield pool
    except BaseException:
        _stop(pool)
        raise
    pool.shutdown(wait=True)


def _no_setup() -> None:
    """An initializer that does nothing (for examples)."""


def _stop(pool: ProcessPoolExecutor) -> None:
    """Cancel the queued work and end every worker now (SIGTERM, then SIGKILL)."""
    processes = list((pool._processes or {}).values())
    pool.shutdown(wait=False, cancel_futures=True)
    for process in processes:
        if process.is_alive():
            process.terminate()
    deadline = time.monotonic() + _STOP_SECONDS
    for process in processes:
        process.join(max(0.0, deadline - time.monotonic()))
        if process.is_alive():  # pragma: no cover - a worker that ignores SIGTERM
            process.kill()
            process.join()


# ------------------------------------------------------------------------ in the worker


def _start_worker(owner: int, initializer: Callable[..., None], initargs: tuple[Any, ...]) -> None:
    """Runs first in every worker: detach from the parent's output and signals, exit when
    the parent ``owner`` is gone, then the caller's own set-up."""
    _detach_stdio()
    signal.signal(signal.SIGINT, signal.SIG_IGN)  # Ctrl+C reaches the parent, which stops us
    signal.signal(signal.SIGTERM, signal.SIG_DFL)  # not a handler inherited through fork
    _exit_with(owner)
    initializer(*initargs)


def _detach_stdio() -> None:
    """Point file descriptors 0, 1 and 2 at ``/dev/null``: a worker must never keep the
    parent's terminal, pipe or log file open."""
    null = os.open(os.devnull, os.O_RDWR)
    try:
        for fd in (0, 1, 2):
            os.dup2(null, fd)
    finally:
        if null > 2:
            os.close(null)


def _exit_with(owner: int) -> None:
    """Make this worker exit as soon as process ``owner`` (the pool's creator) ends."""
    if sys.platform == "linux" and os.getppid() == owner:  # started by fork: a direct child
        try:
            libc = ctypes.CDLL(None, use_errno=True)
            libc.prctl(_PR_SET_PDEATHSIG, signal.SIGKILL, 0, 0, 0)
        except (OSError, AttributeError):  # pragma: no cover - no prctl: the watcher does it
            pass
    pidfd = -1
    if hasattr(os, "pidfd_open"):
        try:
            pidfd = os.pidfd_open(owner)
        except ProcessLookupError:  # it died before we started watching
            os._exit(1)
        except OSError:  # pragma: no cover - an old kernel: poll instead
            pidfd = -1
    if not _alive(owner):  # it died before we started watching
        os._exit(1)
    watch = threading.Thread(
        target=_watch, args=(owner, pidfd), name="sblgen-parent-watch", daemon=True
    )
    watch.start()


def _alive(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:  # pragma: no cover - exists, owned by someone else
        return True
    return True


def _watch(owner: int, pidfd: int) -> None:
    """Block until ``owner`` ends (on its pidfd when there is one, else by polling), then
    end this worker at once: what it would still write is no longer wanted."""
    if pidfd >= 0:
        poller = select.poll()
        poller.register(pidfd, select.POLLIN)
        poller.poll()
    else:  # pragma: no cover - platforms without pidfd
        while _alive(owner):
            time.sleep(_POLL_SECONDS)
    os._exit(1)


def chunks(items: Sequence[_T], workers: int, *, per_worker: int, least: int) -> list[list[_T]]:
    """``items`` cut, in order, into about ``per_worker`` chunks for each of ``workers``
    processes, each holding at least ``least`` items (fewer, larger chunks cost less to send).

    >>> [len(c) for c in chunks(range(100), 2, per_worker=4, least=16)]
    [16, 16, 16, 16, 16, 16, 4]
    """
    size = max(least, len(items) // (workers * per_worker))
    return [list(items[i : i + size]) for i in range(0, len(items), size)]
