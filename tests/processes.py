"""What the fault tests share: running a command in its own session, finding the processes
left in that session (from /proc, no psutil), and waiting for them to go."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
from collections.abc import Callable, Iterator, Sequence
from contextlib import contextmanager, suppress
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


def session_members(sid: int) -> list[int]:
    """The live (not zombie) processes of session ``sid``: a command started with
    ``start_new_session=True`` and everything it started (workers, a forkserver...)."""
    found = []
    for entry in os.listdir("/proc"):
        if not entry.isdigit():
            continue
        try:
            text = (Path("/proc") / entry / "stat").read_text()
        except OSError:  # ended while we looked
            continue
        state, _ppid, _pgrp, session = text[text.rindex(")") + 2 :].split()[:4]
        if int(session) == sid and state not in ("Z", "X"):
            found.append(int(entry))
    return found


def wait_gone(sid: int, timeout: float = 10.0) -> list[int]:
    """Wait until session ``sid`` has no live process; those still there at the end."""
    deadline = time.monotonic() + timeout
    while (left := session_members(sid)) and time.monotonic() < deadline:
        time.sleep(0.05)
    return left


def wait_for(
    predicate: Callable[[], object],
    proc: subprocess.Popen[bytes] | None = None,
    timeout: float = 20.0,
    what: str = "",
) -> None:
    """Poll ``predicate()`` until it is true; fail after ``timeout`` seconds, or as soon as
    ``proc`` has ended (showing what it printed)."""
    deadline = time.monotonic() + timeout
    while not predicate():
        if proc is not None and proc.poll() is not None:
            out, err = proc.communicate()
            raise AssertionError(f"ended ({proc.returncode}) first: {out!r} {err.decode()}")
        if time.monotonic() > deadline:
            raise AssertionError(f"timed out waiting for {what or predicate}")
        time.sleep(0.01)


@contextmanager
def session(
    args: Sequence[str], *, stdin: int = subprocess.DEVNULL
) -> Iterator[subprocess.Popen[bytes]]:
    """Start ``python ARGS`` (from the project folder) in a new session; on the way out,
    kill whatever of the session is left, so that a failing test leaks nothing."""
    proc = subprocess.Popen(
        [sys.executable, *args],
        cwd=ROOT,
        stdin=stdin,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        start_new_session=True,
    )
    try:
        yield proc
    finally:
        for pid in session_members(proc.pid):
            with suppress(ProcessLookupError):
                os.kill(pid, signal.SIGKILL)
        if proc.returncode is None:
            proc.kill()
            proc.communicate()


# Tasks for worker processes (importable by name, as workers need them).


def worker_facts(_item: int) -> tuple[str, str, str, bool, bool]:
    """Where a worker's stdin, stdout and stderr lead, and whether it ignores Ctrl+C and
    dies of SIGTERM."""
    fds = tuple(os.readlink(f"/proc/self/fd/{fd}") for fd in (0, 1, 2))
    return (
        fds[0],
        fds[1],
        fds[2],
        signal.getsignal(signal.SIGINT) is signal.SIG_IGN,
        signal.getsignal(signal.SIGTERM) is signal.SIG_DFL,
    )


def fail_first(item: int) -> int:
    """Fail on item 0; take a while on every other one."""
    if item == 0:
        raise ValueError("item 0 fails")
    time.sleep(0.25)
    return item
