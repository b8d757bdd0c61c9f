"""Ctrl+C in any CLI command: one line, exit status 130, no traceback (in this process and
in a real one that gets SIGINT); the preview server's Ctrl+C is its way to stop."""

from __future__ import annotations

import io
import os
import signal
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest

from sblgen.cli import EXIT_INTERRUPTED, main
from tests.processes import session, wait_for, wait_gone
from tests.sites import DEMO


class _CtrlC(io.StringIO):
    """Standard input where the user presses Ctrl+C while the command reads."""

    def read(self, *args: Any) -> str:
        raise KeyboardInterrupt

    @property
    def buffer(self) -> Any:
        return self


@pytest.mark.parametrize(
    "argv",
    [
        ["session", "validate", "-"],
        ["secure", "encrypt", "--test-mode", "-"],
        ["embed", "--storefront", "a.test.onfastspring.com/popup-a", "--session", "-"],
        ["webhook", "verify", "--secret", "s", "--signature", "x", "-"],
    ],
    ids=lambda argv: argv[0],
)
def test_ctrl_c_while_reading_stdin(
    argv: list[str], monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    monkeypatch.setattr(sys, "stdin", _CtrlC())
    assert main(argv) == EXIT_INTERRUPTED == 130
    assert capsys.readouterr() == ("", "sblgen: interrupted\n")


@pytest.mark.parametrize(
    ("argv", "target"),
    [
        (["site", "build", str(DEMO), "--out", "{tmp}/out"], "sblgen.site.build_site"),
        (["keygen", "--out-dir", "{tmp}/keys"], "sblgen.keygen.generate_key_pair"),
    ],
    ids=["site build", "keygen"],
)
def test_ctrl_c_while_working(
    argv: list[str],
    target: str,
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
) -> None:
    def interrupted(*args: Any, **kwargs: Any) -> Any:
        raise KeyboardInterrupt

    monkeypatch.setattr(target, interrupted)
    assert main([arg.format(tmp=tmp_path) for arg in argv]) == 130
    assert capsys.readouterr() == ("", "sblgen: interrupted\n")


@pytest.mark.skipif(sys.platform != "linux", reason="reads /proc")
def test_sigint_in_a_real_process_waiting_for_stdin() -> None:
    args = ["-m", "sblgen", "secure", "encrypt", "--test-mode", "-"]
    with session(args, stdin=subprocess.PIPE) as proc:
        # Started, imported and blocked in read(): its main thread waits on stdin.
        wait_for(lambda: _waits_on_read(proc.pid), proc, what="the command to read stdin")
        os.kill(proc.pid, signal.SIGINT)
        proc.wait(timeout=20)  # before communicate() closes its stdin
        stdout, stderr = proc.communicate(timeout=20)
        assert wait_gone(proc.pid) == []
    assert (proc.returncode, stdout, stderr) == (130, b"", b"sblgen: interrupted\n")


@pytest.mark.skipif(sys.platform != "linux", reason="reads /proc")
def test_ctrl_c_stops_the_preview_server_quietly(tmp_path: Path) -> None:
    from sblgen.site import build_site

    build_site(DEMO, tmp_path / "out")
    with session(["-m", "sblgen", "site", "serve", str(tmp_path / "out"), "--port", "0"]) as proc:
        assert proc.stdout is not None
        assert b"Ctrl+C to stop" in proc.stdout.readline()
        os.kill(proc.pid, signal.SIGINT)
        _stdout, stderr = proc.communicate(timeout=20)
    assert (proc.returncode, stderr) == (0, b"")


def _waits_on_read(pid: int) -> bool:
    """Whether process ``pid`` sleeps in a read (its syscall is read(0, ...))."""
    try:
        syscall = Path(f"/proc/{pid}/syscall").read_text().split()
    except OSError:
        return False
    return len(syscall) > 1 and syscall[0] == "0" and int(syscall[1], 16) == 0  # read, fd 0
