"""Run every benchmark in ``bench/bench_*.py`` and print each figure as a ratio.

Each benchmark module defines ``figures() -> list[Figure]``. A figure is a ratio against a
baseline measured in the same run on the same machine (machines here are noisy), with the
goal the issue set. Benchmarks are never tests: nothing here fails the build.
"""

from __future__ import annotations

import importlib.util
import subprocess
import sys
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

HERE = Path(__file__).parent
ROOT = HERE.parent
#: Width of the figure-name column (the longest names are the webhook figures').
_NAME = 72


@dataclass(frozen=True)
class Figure:
    """One printed figure: ``ratio`` compared with ``goal`` in direction ``better``."""

    name: str
    ratio: float
    goal: float
    better: str  # ">=" (higher is better) or "<="
    detail: str = ""

    @property
    def meets_goal(self) -> bool:
        return self.ratio >= self.goal if self.better == ">=" else self.ratio <= self.goal


def best_of(fn: Callable[[], object], *, repeat: int = 5, number: int = 1) -> float:
    """Best wall time of ``repeat`` rounds of ``number`` calls, per call, in seconds."""
    best = float("inf")
    for _ in range(repeat):
        start = time.perf_counter()
        for _ in range(number):
            fn()
        best = min(best, (time.perf_counter() - start) / number)
    return best


@contextmanager
def fake_server(setup: str = "") -> Iterator[list[str]]:
    """A fake FastSpring in a process of its own, so that it does not share the measured
    process's GIL (the same server answers both sides of a figure). ``setup`` runs with
    ``fake`` bound and may append words to ``extra``; yields the first line the server
    prints, as words (its base URL, then ``extra``), and stops the server afterwards."""
    script = (
        f"import sys; sys.path.insert(0, {str(ROOT)!r})\n"
        "from sblgen.testing import FakeFastSpring\n"
        "fake, extra = FakeFastSpring(), []\n"
        f"{setup}\n"
        "print(fake.base_url, *extra, flush=True)\n"
        "sys.stdin.read()\n"
    )
    server = subprocess.Popen(
        [sys.executable, "-c", script], stdin=subprocess.PIPE, stdout=subprocess.PIPE, text=True
    )
    if server.stdout is None:  # pragma: no cover
        raise RuntimeError("no pipe to the fake server")
    try:
        yield server.stdout.readline().split()
    finally:
        server.communicate("")


def _load(path: Path) -> object:
    spec = importlib.util.spec_from_file_location(path.stem, path)
    if spec is None or spec.loader is None:
        raise ImportError(f"cannot load benchmark {path}")
    module = importlib.util.module_from_spec(spec)
    sys.modules[path.stem] = module
    spec.loader.exec_module(module)
    return module


def main(argv: list[str]) -> int:
    wanted = set(argv)
    sys.path.insert(0, str(HERE))
    print(f"{'figure':<{_NAME}} {'ratio':>8}  goal      ok")
    for path in sorted(HERE.glob("bench_*.py")):
        if wanted and path.stem.removeprefix("bench_") not in wanted:
            continue
        module = _load(path)
        for figure in module.figures():  # type: ignore[attr-defined]
            mark = "yes" if figure.meets_goal else "NO"
            goal = f"{figure.better} {figure.goal:g}"
            print(f"{figure.name:<{_NAME}} {figure.ratio:>8.3f}  {goal:<9} {mark}")
            if figure.detail:
                print(f"    {figure.detail}")
            sys.stdout.flush()
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
