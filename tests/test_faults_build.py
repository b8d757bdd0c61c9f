"""Fault injection: a build killed (SIGKILL, SIGTERM) at each moment of its life leaves the
previous output whole, no live workers, nothing holding its output open, and nothing
behind once the next build ran (SIGTERM: nothing behind at once)."""

from __future__ import annotations

import os
import signal
import sys
from pathlib import Path

import pytest

from sblgen import SiteError
from sblgen.site import build_site
from tests.processes import session, wait_for, wait_gone
from tests.sites import built_files, make_site

pytestmark = pytest.mark.skipif(sys.platform != "linux", reason="reads /proc")

_PAGES = 200
_SLOW = "{% for i in range(300000) %}{% endfor %}"  # about 20 ms a page


def _site(tmp_path: Path) -> Path:
    pages = "".join(
        f'[[pages]]\npath = "p/{i}.html"\ntitle = "P{i}"\ntemplate = "t.html"\n'
        for i in range(_PAGES)
    )
    return make_site(tmp_path, pages, {"t.html": "V1 {{ page.title }}"})


def _template(site: Path, text: str) -> None:
    (site / "templates" / "t.html").write_text(text)


def _beside(tmp_path: Path) -> list[str]:
    """What builds left beside the output."""
    return sorted(p.name for p in tmp_path.iterdir() if p.name.startswith(".out."))


@pytest.mark.parametrize("sig", [signal.SIGKILL, signal.SIGTERM], ids=["KILL", "TERM"])
@pytest.mark.parametrize("moment", ["render", "render-forkserver", "swap", "renames", "remove-old"])
def test_a_killed_build_leaves_nothing_behind(tmp_path: Path, moment: str, sig: int) -> None:
    site, out, ready = _site(tmp_path), tmp_path / "out", tmp_path / "ctl" / "ready"
    ready.parent.mkdir()
    build_site(site, out)
    before = built_files(out)
    new = {name: text.replace("V1", "V2") for name, text in before.items()}
    slow = moment.startswith("render")
    _template(site, (_SLOW if slow else "") + "V2 {{ page.title }}")

    args = ["-m", "tests.fault_driver", str(site), str(out), moment, str(ready)]
    with session(args) as proc:
        if slow:  # killed while the workers write pages
            wait_for(lambda: len(list(tmp_path.glob(".out.building-*/p/*.html"))) >= 4, proc)
        else:
            wait_for(ready.exists, proc, what=f"the build to reach {moment}")
        os.kill(proc.pid, sig)
        _stdout, stderr = proc.communicate(timeout=30)  # EOF: no one holds its output open
        assert proc.returncode == -sig
        assert wait_gone(proc.pid) == []  # no worker (nor forkserver) outlives it
    assert b"Traceback" not in stderr

    left = _beside(tmp_path)
    if moment == "remove-old":
        assert built_files(out) == new  # the new output was already in place
    elif moment == "renames" and sig == signal.SIGKILL:
        assert not out.exists()  # killed between the renames: the previous output is aside,
        kinds = {name.split("-")[0]: tmp_path / name for name in left}  # whole
        assert sorted(kinds) == [".out.building", ".out.old"]
        assert built_files(kinds[".out.old"]) == before
    else:
        assert built_files(out) == before
    if sig == signal.SIGTERM:
        assert left == []  # cleaned up before it ended
    else:
        assert left != []  # SIGKILL: nothing could clean up

    # The next build, even a failing one, cleans up and keeps (or puts back) the output.
    _template(site, "{{ nope }}")
    with pytest.raises(SiteError):
        build_site(site, out)
    assert built_files(out) == (new if moment == "remove-old" else before)
    assert _beside(tmp_path) == []
    _template(site, "V3 {{ page.title }}")
    build_site(site, out)
    assert set(built_files(out).values()) == {f"V3 P{i}" for i in range(_PAGES)}
    assert sorted(p.name for p in tmp_path.iterdir()) == ["ctl", "out", "site"]


def test_ctrl_c_in_a_parallel_cli_build(tmp_path: Path) -> None:
    """Ctrl+C in a terminal reaches the whole process group: the workers ignore it, the
    build stops them, cleans up and says so in one line; exit status 130."""
    site, out = _site(tmp_path), tmp_path / "out"
    build_site(site, out)
    before = built_files(out)
    _template(site, _SLOW + "V2")
    args = ["-m", "sblgen", "site", "build", str(site), "--out", str(out), "--workers", "2"]
    # A site this size builds in one process; lower the threshold through a tiny wrapper.
    code = (
        "import sys, sblgen.site.build as b; b._PARALLEL_THRESHOLD = 10; "
        "from sblgen.cli import main; sys.exit(main(sys.argv[1:]))"
    )

    def both_workers_write() -> bool:  # chunks of 50 pages: pages 0.. and 50.. are theirs
        names = {int(p.stem) for p in tmp_path.glob(".out.building-*/p/*.html")}
        return any(n < 50 for n in names) and any(50 <= n < 100 for n in names)

    with session(["-c", code, *args[2:]]) as proc:
        wait_for(both_workers_write, proc)  # so both ignore Ctrl+C by now
        os.killpg(proc.pid, signal.SIGINT)
        stdout, stderr = proc.communicate(timeout=30)
        assert wait_gone(proc.pid) == []
    assert proc.returncode == 130
    assert stderr.decode() == "sblgen: interrupted\n"
    assert stdout == b""
    assert built_files(out) == before
    assert sorted(p.name for p in tmp_path.iterdir()) == ["out", "site"]
