"""The output folder a build replaces whole: whether it may be replaced, and replacing it
atomically with a folder staged beside it.

A build writes into a temporary folder next to the output; only when everything succeeded
is the build marker written and the folder swapped in (two renames). On any error the
previous output stays as it was and the temporary folder is removed.

>>> import pathlib, tempfile
>>> out = pathlib.Path(tempfile.mkdtemp()) / "out"
>>> check_replaceable(out, lambda: {"index.html"}, force=False)  # does not exist yet: fine
>>> with staged_output(out) as tmp:
...     _ = (tmp / "index.html").write_text("<p>hi</p>")
>>> sorted(p.name for p in out.iterdir())
['.sblgen-build', 'index.html']
"""

from __future__ import annotations

import os
import shutil
import tempfile
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path

from sblgen.errors import SiteError

__all__ = ["BUILD_MARKER", "check_replaceable", "staged_output"]

#: Written into every build; only a folder holding it (or an empty one) is replaced.
BUILD_MARKER = ".sblgen-build"
_MARKER_TEXT = "Built by sblgen: `sblgen site build` replaces this whole folder.\n"


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


@contextmanager
def staged_output(out: Path) -> Iterator[Path]:
    """A new temporary folder beside ``out`` to build into. When the block ends without an
    error, the folder gets the build marker and replaces ``out``; on any error it is removed
    and ``out`` is left untouched. Call :func:`check_replaceable` first."""
    out.parent.mkdir(parents=True, exist_ok=True)
    tmp = Path(tempfile.mkdtemp(prefix=f".{out.name}.building-", dir=out.parent))
    try:
        yield tmp
        (tmp / BUILD_MARKER).write_text(_MARKER_TEXT, encoding="utf-8")
        _swap(tmp, out)
    except BaseException:
        shutil.rmtree(tmp, ignore_errors=True)
        raise


def _swap(tmp: Path, out: Path) -> None:
    """Replace ``out`` with ``tmp`` (two renames; the old output is removed last)."""
    old: Path | None = None
    if out.exists():  # a folder: check_replaceable ran before the build
        old = Path(tempfile.mkdtemp(prefix=f".{out.name}.old-", dir=out.parent))
        old.rmdir()
        out.rename(old)
    try:
        tmp.rename(out)
    except BaseException:
        if old is not None:
            old.rename(out)
        raise
    if old is not None:
        shutil.rmtree(old, ignore_errors=True)
