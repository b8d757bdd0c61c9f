"""Fault injection in the output swap, on every path it has: the atomic exchange, the two
renames and their rollback, the clean-up of what killed builds left, and SIGTERM."""

from __future__ import annotations

import errno
import os
import signal
import sys
import threading
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest

import sblgen.site.output as output
from sblgen import SiteError
from sblgen.site import BUILD_MARKER, build_site
from sblgen.site.output import remove_stale, signals_clean_up, staged_output
from tests.sites import built_files, make_site

pytestmark = pytest.mark.skipif(sys.platform == "win32", reason="POSIX renames and locks")

_PAGES = '[[pages]]\npath = "a.html"\ntitle = "A"\ntemplate = "t.html"\n'


@pytest.fixture
def site(tmp_path: Path) -> Path:
    return make_site(tmp_path, _PAGES, {"t.html": "one"})


def _rebuild(site: Path, out: Path, text: str, **kwargs: Any) -> None:
    (site / "templates" / "t.html").write_text(text)
    build_site(site, out, **kwargs)


def _left(tmp_path: Path) -> list[str]:
    return sorted(p.name for p in tmp_path.iterdir())


def _failing_rename(
    monkeypatch: pytest.MonkeyPatch, fails: Callable[[Path, Path], bool]
) -> list[tuple[str, str]]:
    """``os.rename`` failing (EIO) when ``fails(src, dst)``; the renames that happened."""
    real = os.rename
    done: list[tuple[str, str]] = []

    def rename(src: Any, dst: Any) -> None:
        if fails(Path(src), Path(dst)):
            raise OSError(errno.EIO, "Input/output error", os.fspath(dst))
        real(src, dst)
        done.append((Path(src).name.split("-")[0], Path(dst).name.split("-")[0]))

    monkeypatch.setattr(os, "rename", rename)
    return done


# ------------------------------------------------------------------------ the exchange


@pytest.mark.skipif(sys.platform != "linux", reason="renameat2 is Linux's")
def test_exchange_swaps_two_folders_in_one_step(tmp_path: Path) -> None:
    (tmp_path / "a").mkdir()
    (tmp_path / "a" / "x").write_text("a")
    (tmp_path / "b").mkdir()
    assert output._exchange(tmp_path / "a", tmp_path / "b")
    assert [p.name for p in (tmp_path / "b").iterdir()] == ["x"]
    assert list((tmp_path / "a").iterdir()) == []
    with pytest.raises(FileNotFoundError):
        output._exchange(tmp_path / "a", tmp_path / "missing")


def test_a_failing_exchange_keeps_the_previous_output(
    site: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    out = tmp_path / "out"
    build_site(site, out)

    def broken(a: Path, b: Path) -> bool:
        raise OSError(errno.EIO, "Input/output error", os.fspath(b))

    monkeypatch.setattr(output, "_exchange", broken)
    with pytest.raises(OSError, match="Input/output"):
        _rebuild(site, out, "two")
    assert built_files(out) == {"a.html": "one"}
    assert _left(tmp_path) == ["out", "site"]


def test_a_forced_replace_that_fails_leaves_the_folder_as_it_was(
    site: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    mine = tmp_path / "mine"
    mine.mkdir()
    (mine / "notes.txt").write_text("keep me")
    monkeypatch.setattr(output, "_exchange", lambda a, b: False)
    _failing_rename(monkeypatch, lambda src, dst: src.name.startswith(".mine.building"))
    with pytest.raises(OSError, match="Input/output"):
        build_site(site, mine, force=True)
    assert sorted(p.name for p in mine.iterdir()) == ["notes.txt"]  # no marker added
    assert _left(tmp_path) == ["mine", "site"]


# ------------------------------------------------------------------------ two renames


def test_without_an_exchange_two_renames_swap_the_output(
    site: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    out = tmp_path / "out"
    build_site(site, out)
    monkeypatch.setattr(output, "_exchange", lambda a, b: False)
    renames = _failing_rename(monkeypatch, lambda src, dst: False)
    _rebuild(site, out, "two")
    assert renames == [("out", ".out.old"), (".out.building", "out"), (".out.old", ".out.building")]
    assert built_files(out) == {"a.html": "two"}
    assert _left(tmp_path) == ["out", "site"]


@pytest.mark.parametrize("step", ["aside", "in"])
def test_a_failing_rename_keeps_or_restores_the_previous_output(
    site: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch, step: str
) -> None:
    """The first rename (previous output aside) or the second (new output in) fails: the
    previous output is where it was, whole, and nothing is left beside it."""
    out = tmp_path / "out"
    build_site(site, out)
    monkeypatch.setattr(output, "_exchange", lambda a, b: False)
    first = step == "aside"
    renames = _failing_rename(
        monkeypatch,
        lambda src, dst: (src == out) if first else (src.name.startswith(".out.building")),
    )
    with pytest.raises(OSError, match="Input/output"):
        _rebuild(site, out, "two")
    assert renames == ([] if first else [("out", ".out.old"), (".out.old", "out")])
    assert built_files(out) == {"a.html": "one"}
    assert _left(tmp_path) == ["out", "site"]


def test_a_failed_restore_names_the_folder_and_the_next_build_puts_it_back(
    site: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    out = tmp_path / "out"
    build_site(site, out)
    monkeypatch.setattr(output, "_exchange", lambda a, b: False)
    _failing_rename(monkeypatch, lambda src, dst: dst == out)  # the new one, and the old one
    with pytest.raises(SiteError, match=r"previous output could not be moved back .*\.out\.old-"):
        _rebuild(site, out, "two")
    assert not out.exists()
    assert [name.split("-")[0] for name in _left(tmp_path)] == [".out.old", "site"]
    monkeypatch.undo()
    with pytest.raises(SiteError):  # even a build that fails puts the previous output back
        _rebuild(site, out, "{{ nope }}")
    assert built_files(out) == {"a.html": "one"}
    assert _left(tmp_path) == ["out", "site"]


def test_a_failing_last_rename_still_removes_the_previous_output(
    site: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    out = tmp_path / "out"
    build_site(site, out)
    monkeypatch.setattr(output, "_exchange", lambda a, b: False)
    _failing_rename(monkeypatch, lambda src, dst: src.name.startswith(".out.old"))
    _rebuild(site, out, "two")
    assert built_files(out) == {"a.html": "two"}
    assert _left(tmp_path) == ["out", "site"]


def test_a_failing_first_output_leaves_nothing(
    site: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    _failing_rename(monkeypatch, lambda src, dst: True)
    with pytest.raises(OSError, match="Input/output"):
        build_site(site, tmp_path / "out")
    assert _left(tmp_path) == ["site"]


# ------------------------------------------------------------------------ stale folders


def _leftover(parent: Path, name: str, *, marker: bool = True, files: int = 2) -> Path:
    folder = parent / name
    folder.mkdir()
    for i in range(files):
        (folder / f"{i}.html").write_text(str(i))
    if marker:
        (folder / BUILD_MARKER).write_text("")
    return folder


def test_stale_folders_of_killed_builds_are_removed_and_no_one_elses(tmp_path: Path) -> None:
    out = tmp_path / "out"
    out.mkdir()
    (out / BUILD_MARKER).write_text("")
    ours = [
        _leftover(tmp_path, ".out.building-0123abcd"),
        _leftover(tmp_path, ".out.old-4567ef_9"),
        _leftover(tmp_path, ".out.building-89abcdef", files=0, marker=False),  # empty
        _leftover(tmp_path, ".out.building-0000aaaa", files=0),  # only the marker left
    ]
    theirs = [
        _leftover(tmp_path, ".out.building-11112222", marker=False),  # no marker
        _leftover(tmp_path, ".out.building-abc"),  # not sblgen's name pattern
        _leftover(tmp_path, ".out.building-ABCDEFGH"),
        _leftover(tmp_path, ".out.building-123456789"),
        _leftover(tmp_path, ".other.building-12345678"),  # another output's
        _leftover(tmp_path, "out.building-12345678"),
        _leftover(tmp_path, ".out.backup-12345678"),
    ]
    target = _leftover(tmp_path, "target")
    (tmp_path / ".out.building-33334444").symlink_to(target)  # a link: never followed
    (tmp_path / ".out.old-55556666").write_text("a file, not a folder")
    odd_marker = _leftover(tmp_path, ".out.building-77778888", marker=False)
    (odd_marker / BUILD_MARKER).symlink_to(target / "0.html")  # a marker that is a link
    dir_marker = _leftover(tmp_path, ".out.building-9999aaaa", marker=False)
    (dir_marker / BUILD_MARKER).mkdir()  # a marker that is a folder
    remove_stale(out)
    assert not any(p.exists() for p in ours)
    assert [p.name for p in theirs if not p.is_dir() or len(list(p.iterdir())) < 2] == []
    assert sorted(p.name for p in target.iterdir()) == sorted(["0.html", "1.html", BUILD_MARKER])
    assert (tmp_path / ".out.building-33334444").is_symlink()
    assert (tmp_path / ".out.old-55556666").is_file()
    assert odd_marker.exists() and dir_marker.exists()
    assert (out / BUILD_MARKER).exists()


@pytest.mark.skipif(sys.platform != "linux", reason="flock")
def test_a_running_builds_folder_is_never_removed(tmp_path: Path) -> None:
    import fcntl

    out = tmp_path / "out"
    live = _leftover(tmp_path, ".out.building-0123abcd")
    fd = os.open(live / BUILD_MARKER, os.O_RDONLY)
    fcntl.flock(fd, fcntl.LOCK_EX)  # what a running build holds
    try:
        remove_stale(out)
        assert live.exists()
    finally:
        os.close(fd)  # the build ended (or died)
    remove_stale(out)
    assert not live.exists()


def test_a_build_holds_its_folder_while_it_runs(site: Path, tmp_path: Path) -> None:
    out = tmp_path / "out"
    with staged_output(out) as tmp:
        remove_stale(out)  # another build starting now
        assert tmp.is_dir() and (tmp / BUILD_MARKER).is_file()
        (tmp / "a.html").write_text("x")
    assert sorted(p.name for p in out.iterdir()) == [BUILD_MARKER, "a.html"]


def test_an_output_left_aside_comes_back_only_when_the_output_is_missing(tmp_path: Path) -> None:
    out = tmp_path / "out"
    aside = _leftover(tmp_path, ".out.old-0123abcd")
    remove_stale(out)
    assert not aside.exists()
    assert sorted(p.name for p in out.iterdir()) == sorted(["0.html", "1.html", BUILD_MARKER])
    again = _leftover(tmp_path, ".out.old-4567abcd")
    remove_stale(out)  # the output exists: the one aside is an older one
    assert not again.exists()
    assert sorted(p.name for p in out.iterdir()) == sorted(["0.html", "1.html", BUILD_MARKER])


def test_the_marker_goes_last(tmp_path: Path) -> None:
    folder = _leftover(tmp_path, ".out.building-0123abcd", files=3)
    (folder / "sub").mkdir()
    (folder / "sub" / "x").write_text("x")
    seen: list[list[str]] = []
    real_unlink = os.unlink

    def unlink(path: Any, *args: Any, **kwargs: Any) -> None:
        seen.append(sorted(p.name for p in folder.iterdir()))
        real_unlink(path, *args, **kwargs)

    with pytest.MonkeyPatch.context() as patch:
        patch.setattr(os, "unlink", unlink)
        output._remove_tree(folder)
    assert not folder.exists()
    assert all(BUILD_MARKER in names for names in seen)


# ------------------------------------------------------------------------ signals


def test_sigterm_during_a_build_cleans_up_then_ends_the_process(
    site: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Here the process is not really ended: ``os.kill`` is recorded instead."""
    import sblgen.site.build as build

    out = tmp_path / "out"
    build_site(site, out)
    kills: list[tuple[int, int]] = []
    monkeypatch.setattr(os, "kill", lambda pid, sig: kills.append((pid, sig)))

    def copy_static(*args: Any) -> None:
        assert signal.getsignal(signal.SIGTERM) not in (signal.SIG_DFL, signal.SIG_IGN)
        signal.raise_signal(signal.SIGTERM)

    monkeypatch.setattr(build, "_copy_static", copy_static)
    with pytest.raises(BaseException, match=str(int(signal.SIGTERM))):
        _rebuild(site, out, "two")
    assert kills == [(os.getpid(), signal.SIGTERM)]
    assert signal.getsignal(signal.SIGTERM) is signal.SIG_DFL
    assert built_files(out) == {"a.html": "one"}
    assert _left(tmp_path) == ["out", "site"]


def test_signal_handlers_are_left_alone_when_not_ours_to_change() -> None:
    def mine(signum: int, frame: object) -> None:
        """A program's own handler."""

    previous = signal.signal(signal.SIGTERM, mine)
    try:
        with signals_clean_up():
            assert signal.getsignal(signal.SIGTERM) is mine
    finally:
        signal.signal(signal.SIGTERM, previous)
    seen: list[object] = []

    def in_a_thread() -> None:
        with signals_clean_up():
            seen.append(signal.getsignal(signal.SIGTERM))

    thread = threading.Thread(target=in_a_thread)
    thread.start()
    thread.join()
    assert seen == [signal.SIG_DFL]
    with signals_clean_up():
        assert callable(signal.getsignal(signal.SIGTERM))
    assert signal.getsignal(signal.SIGTERM) is signal.SIG_DFL
