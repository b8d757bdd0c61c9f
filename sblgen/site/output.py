"""The output folder a build replaces whole: whether it may be replaced, and replacing it
atomically with a folder staged beside it, leaving nothing behind.

A build writes into a temporary folder next to the output (``.OUT.building-XXXXXXXX``)
that holds the build marker from its first moment and stays locked while the build runs.
Only when everything succeeded is it swapped in: in one atomic exchange where the system
has one (Linux), else in two renames (the previous output waits as ``.OUT.old-XXXXXXXX``
for the instant between them). The previous output is removed last. On any error the
previous output stays as it was and the temporary folder is removed.

A build that was killed (SIGKILL, a power cut) cannot clean up; the next build into the
same output does: it removes each of those folders beside the output that carries
sblgen's name pattern and marker and is not locked by a running build (and puts a previous
output that was moved aside back, if the kill came between the two renames). Folders
without the marker are never touched.

>>> import pathlib, tempfile
>>> out = pathlib.Path(tempfile.mkdtemp()) / "out"
>>> check_replaceable(out, lambda: {"index.html"}, force=False)  # does not exist yet: fine
>>> with staged_output(out) as tmp:
...     _ = (tmp / "index.html").write_text("<p>hi</p>")
>>> sorted(p.name for p in out.iterdir())
['.sblgen-build', 'index.html']
"""

from __future__ import annotations

import ctypes
import errno
import functools
import os
import re
import secrets
import shutil
import signal
import stat
import sys
import threading
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path
from types import FrameType
from typing import Any

from sblgen.errors import SiteError

if sys.platform != "win32":
    import fcntl

__all__ = [
    "BUILD_MARKER",
    "check_replaceable",
    "remove_stale",
    "signals_clean_up",
    "staged_output",
]

#: Written into every build; only a folder holding it (or an empty one) is replaced.
BUILD_MARKER = ".sblgen-build"
_MARKER_TEXT = "Built by sblgen: `sblgen site build` replaces this whole folder.\n"
#: The kinds of folder a build makes beside its output, by the word in their name.
_BUILDING, _OLD = "building", "old"
_RETRIES = 5
_NOFOLLOW = getattr(os, "O_NOFOLLOW", 0)  # not on Windows


def _foreign_files(out: Path, planned: set[str]) -> list[str]:
    """Entries under ``out`` that a build would not write again (symlinks not followed)."""
    foreign: list[str] = []
    for folder, dirs, files in os.walk(out):
        base = Path(folder).relative_to(out)
        links = [d for d in dirs if (Path(folder) / d).is_symlink()]
        dirs[:] = [d for d in dirs if d not in links]
        names = [(base / name).as_posix() for name in [*links, *files]]
        foreign.extend(name for name in names if name not in planned)
    return sorted(foreign)


def check_replaceable(out: Path, planned: Callable[[], set[str]], force: bool) -> None:
    """Refuse, before any work, to replace a folder holding files this build would lose.

    A folder is replaceable when it is empty, when an earlier build made it (its
    ``.sblgen-build`` marker), or when every file in it is one this build writes again
    (an output made before the marker existed): ``planned()`` gives those relative paths,
    and is called only when needed."""
    if not out.exists():
        return
    if not out.is_dir():
        raise SiteError(f"{out}: exists and is not a folder; choose another --out.")
    if force or (out / BUILD_MARKER).is_file():
        return
    foreign = _foreign_files(out, planned())
    if not foreign:
        return
    shown = ", ".join(foreign[:3]) + (f" and {len(foreign) - 3} more" if len(foreign) > 3 else "")
    raise SiteError(
        f"{out}: exists and was not built by sblgen (no {BUILD_MARKER} file); it holds files "
        f"this build would not write ({shown}) and each build replaces the whole folder, so "
        "choose a new or empty folder, or pass --force (force=True) to replace it."
    )


# ------------------------------------------------------------------------ staging


@contextmanager
def staged_output(out: Path) -> Iterator[Path]:
    """A new temporary folder beside ``out`` to build into. When the block ends without an
    error, the folder replaces ``out`` (it already holds the build marker); on any error it
    is removed and ``out`` is left untouched. Folders that killed builds left beside
    ``out`` are removed first. Call :func:`check_replaceable` first."""
    out.parent.mkdir(parents=True, exist_ok=True)
    remove_stale(out)
    stage = _Stage(out)
    try:
        yield stage.tmp
        stage.swap_in()
    except BaseException:
        stage.discard()
        raise
    finally:
        stage.release()


class _Stage:
    """One build's temporary folder and the swap that puts it in place of ``out``."""

    def __init__(self, out: Path) -> None:
        self.out = out
        self.tmp, self._lock_fd = _new_folder(out)
        self._previous_fd = -1  # our lock on the previous output's marker
        self._marked_previous = False  # we wrote that marker (a --force replace)
        self.aside: Path | None = None  # the previous output, moved aside (rename swap)
        self.swapped = False  # the new output is in place

    def swap_in(self) -> None:
        """Put the new output in place, then remove the previous one."""
        if not os.path.lexists(self.out):
            os.rename(self.tmp, self.out)
            self.swapped = True
            return
        self._hold_previous()
        if _exchange(self.tmp, self.out):  # one atomic step: ``out`` is never missing
            self.swapped = True
        else:
            self._rename_swap()
        _remove_tree(self.tmp)  # now the previous output

    def _rename_swap(self) -> None:
        aside = _free_name(self.out, _OLD)
        os.rename(self.out, aside)
        self.aside = aside
        os.rename(self.tmp, self.out)
        self.swapped = True
        try:
            os.rename(aside, self.tmp)  # under the name a clean-up always removes
        except OSError:
            self.tmp = aside  # remove it where it is
        self.aside = None

    def _hold_previous(self) -> None:
        """Lock the previous output's marker (writing one into a folder replaced with
        ``force``), so that no other build's clean-up takes it while it is moved aside."""
        marker = self.out / BUILD_MARKER
        try:
            try:
                fd = os.open(marker, os.O_WRONLY | os.O_CREAT | os.O_EXCL | _NOFOLLOW, 0o644)
            except FileExistsError:
                self._previous_fd = os.open(marker, os.O_RDONLY | _NOFOLLOW)
            else:
                self._previous_fd, self._marked_previous = fd, True
                os.write(fd, _MARKER_TEXT.encode())
        except OSError:  # a read-only folder, a symlink, a full disk: swap without the lock
            return
        _lock(self._previous_fd)

    def discard(self) -> None:
        """After an error: keep (or put back) the previous output, remove the new one."""
        stuck: OSError | None = None
        if self.aside is not None:
            if os.path.lexists(self.out):  # the new output is in place: the old one goes
                _remove_tree(self.aside)
            else:
                try:
                    os.rename(self.aside, self.out)
                except OSError as err:
                    stuck = err
        if not self.swapped and self._marked_previous and stuck is None:
            (self.out / BUILD_MARKER).unlink(missing_ok=True)
        if os.path.lexists(self.tmp):
            _remove_tree(self.tmp)
        if stuck is not None:
            raise SiteError(
                f"{self.out}: the build failed while swapping folders and the previous "
                f"output could not be moved back ({stuck.strerror}); it is kept whole in "
                f"{self.aside}, and the next build puts it back."
            ) from stuck
        self.aside = None

    def release(self) -> None:
        for fd in (self._previous_fd, self._lock_fd):
            if fd >= 0:
                os.close(fd)
        self._previous_fd = self._lock_fd = -1


def _pattern(out: Path) -> re.Pattern[str]:
    """The names of the folders builds of ``out`` make beside it."""
    return re.compile(rf"\.{re.escape(out.name)}\.({_BUILDING}|{_OLD})-[a-z0-9_]{{8}}")


def _free_name(out: Path, kind: str) -> Path:
    """A name for a folder beside ``out`` that nothing has yet."""
    while True:
        path = out.parent / f".{out.name}.{kind}-{secrets.token_hex(4)}"
        if not os.path.lexists(path):
            return path


def _new_folder(out: Path) -> tuple[Path, int]:
    """A new, empty folder beside ``out`` holding the build marker, and the open marker
    file, locked for as long as it stays open (so that no clean-up takes it)."""
    for _attempt in range(_RETRIES):
        path = _free_name(out, _BUILDING)
        try:
            path.mkdir(mode=0o777)  # the umask applies, as for any folder the user makes
        except FileExistsError:  # pragma: no cover - another build took the name just now
            continue
        try:
            fd = os.open(
                path / BUILD_MARKER, os.O_WRONLY | os.O_CREAT | os.O_EXCL | _NOFOLLOW, 0o644
            )
        except FileNotFoundError:  # pragma: no cover - another build's clean-up took it
            continue
        _lock(fd)
        if os.fstat(fd).st_nlink == 0:  # pragma: no cover - removed before we locked it
            os.close(fd)
            continue
        os.write(fd, _MARKER_TEXT.encode())
        return path, fd
    raise SiteError(  # pragma: no cover - only under a storm of concurrent builds
        f"{out.parent}: could not make a temporary folder to build in; try again."
    )


def _remove_tree(path: Path) -> None:
    """Remove ``path`` and everything in it, the build marker last: a removal that is cut
    short leaves a folder that the next build still recognises as sblgen's."""
    try:
        # os.fspath: never os.scandir(None), which lists the working folder (a mutant that
        # passes None here emptied mutmut's own folder); the pragma keeps mutmut off it.
        entries = list(os.scandir(os.fspath(path)))  # pragma: no mutate
    except FileNotFoundError:
        return
    except OSError:  # pragma: no cover - unreadable: leave it
        return
    for entry in entries:
        if entry.name == BUILD_MARKER:
            continue
        try:
            if entry.is_dir(follow_symlinks=False):
                shutil.rmtree(entry.path)
            else:
                os.unlink(entry.path)
        except FileNotFoundError:  # pragma: no cover - someone else removed it
            pass
        except OSError:  # pragma: no cover - undeletable: keep the marker, so a later
            return  # build can try again
    try:
        (path / BUILD_MARKER).unlink(missing_ok=True)
        path.rmdir()
    except OSError:  # pragma: no cover
        pass


def remove_stale(out: Path) -> None:
    """Remove what killed builds of ``out`` left beside it: each folder named
    ``.OUT.building-XXXXXXXX`` or ``.OUT.old-XXXXXXXX`` that is empty, or holds sblgen's
    build marker and is not locked by a running build. A previous output that a build
    killed between its two renames left aside is put back when ``out`` is missing.

    >>> import pathlib, tempfile
    >>> parent = pathlib.Path(tempfile.mkdtemp())
    >>> (parent / ".out.building-0123abcd").mkdir()            # empty: a build's leftover
    >>> (parent / ".out.building-4567abcd").mkdir()
    >>> _ = (parent / ".out.building-4567abcd" / "mine.txt").write_text("no marker")
    >>> remove_stale(parent / "out")
    >>> [p.name for p in parent.iterdir()]  # only the folder without the marker is left
    ['.out.building-4567abcd']
    """
    pattern = _pattern(out)
    try:
        entries = list(os.scandir(out.parent))
    except OSError:
        return
    for entry in entries:
        match = pattern.fullmatch(entry.name)
        if match is not None and entry.is_dir(follow_symlinks=False):
            _remove_if_stale(Path(entry.path), match[1], out)


def _remove_if_stale(path: Path, kind: str, out: Path) -> None:
    try:
        path.rmdir()  # empty: a build that died before it wrote its marker
        return
    except OSError:
        pass
    try:
        fd = os.open(path / BUILD_MARKER, os.O_RDONLY | _NOFOLLOW)
    except OSError:  # no marker (or a symlink): not ours, or not surely: keep it
        return
    try:
        info = os.fstat(fd)
        if not stat.S_ISREG(info.st_mode) or info.st_nlink == 0 or not _try_lock(fd):
            return  # not a marker, already removed, or a build still running
        if kind == _OLD and not os.path.lexists(out):
            os.rename(path, out)  # a build killed mid-swap: the previous output goes back
        else:
            _remove_tree(path)
    except OSError:  # pragma: no cover - leave it for another time
        pass
    finally:
        os.close(fd)


def _lock(fd: int) -> None:
    """Wait for, then hold, an exclusive lock on the open file ``fd`` (released when it
    is closed, or when the process dies however it dies)."""
    if sys.platform != "win32":
        fcntl.flock(fd, fcntl.LOCK_EX)


def _try_lock(fd: int) -> bool:
    """Take the lock on ``fd`` if no one holds it. Without locks (Windows) a running build
    cannot be told from a dead one, so nothing counts as stale."""
    if sys.platform == "win32":
        return False
    try:
        fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
    except BlockingIOError:
        return False
    return True


_AT_FDCWD = -100
_RENAME_EXCHANGE = 2
_NO_EXCHANGE = {errno.ENOSYS, errno.EINVAL, errno.EOPNOTSUPP, errno.ENOTSUP, errno.EPERM}


@functools.cache
def _renameat2() -> Any:
    """Linux's ``renameat2`` from the C library, or ``None``."""
    if sys.platform != "linux":
        return None
    try:
        func = ctypes.CDLL(None, use_errno=True).renameat2
    except (OSError, AttributeError):  # pragma: no cover - a C library without it
        return None
    func.argtypes = [ctypes.c_int, ctypes.c_char_p, ctypes.c_int, ctypes.c_char_p, ctypes.c_uint]
    func.restype = ctypes.c_int
    return func


def _exchange(a: Path, b: Path) -> bool:
    """Swap the folders ``a`` and ``b`` in one atomic step; ``False`` (nothing done) where
    the system or the file system cannot."""
    func = _renameat2()
    if func is None:  # pragma: no cover - not Linux
        return False
    if func(_AT_FDCWD, os.fsencode(a), _AT_FDCWD, os.fsencode(b), _RENAME_EXCHANGE) == 0:
        return True
    code = ctypes.get_errno()
    if code in _NO_EXCHANGE:  # pragma: no cover - a file system without RENAME_EXCHANGE
        return False
    raise OSError(code, os.strerror(code), os.fspath(b))


# ------------------------------------------------------------------------ signals

#: Signals that end a process at once by default, and that a build turns into a clean end.
_CLEAN_END = tuple(getattr(signal, name) for name in ("SIGTERM", "SIGHUP") if hasattr(signal, name))


class _Ended(BaseException):
    """A signal asked the process to end: unwind, cleaning up, then end of that signal."""


@contextmanager
def signals_clean_up() -> Iterator[None]:
    """While the block runs, SIGTERM and SIGHUP (when they would end the process at once)
    raise instead, so that every ``except``/``finally`` in the block cleans up; when the
    block has unwound, the process ends of the same signal, as it would have.

    Does nothing outside the main thread, or for a signal the program handles itself.

    >>> with signals_clean_up():
    ...     "no signal, no change"
    'no signal, no change'
    """
    if threading.current_thread() is not threading.main_thread():
        yield
        return
    mine = [s for s in _CLEAN_END if signal.getsignal(s) is signal.SIG_DFL]
    received: list[int] = []

    def handler(signum: int, frame: FrameType | None) -> None:
        received.append(signum)
        for sig in mine:  # one is enough: finish cleaning up, then end
            signal.signal(sig, signal.SIG_IGN)
        raise _Ended(signum)

    for sig in mine:
        signal.signal(sig, handler)
    try:
        yield
    finally:
        for sig in mine:
            signal.signal(sig, signal.SIG_DFL)
        if received:
            os.kill(os.getpid(), received[0])
