"""Run one site build in this process, stopping at a chosen moment so that a test can kill
it there: ``python -m tests.fault_driver SITE OUT MOMENT READY_FILE``.

Moments (the build writes READY_FILE, then sleeps until it is killed):

- ``render``: no stop; pages render slowly on two workers started by fork (the test
  watches the temporary folder fill up);
- ``render-forkserver``: the same with workers started by forkserver (another thread runs,
  so fork is not used);
- ``swap``: every page is written, the swap is next;
- ``renames``: the swap by two renames (no atomic exchange), between the first and the
  second: the previous output is moved aside and the new one is not yet in place;
- ``remove-old``: the new output is in place and the previous one is half removed.
"""

from __future__ import annotations

import os
import sys
import threading
import time
from pathlib import Path
from typing import Any


def _pause(ready: Path) -> None:
    ready.write_text(str(os.getpid()))
    time.sleep(60)  # the test kills us long before


def main() -> None:
    site, out_arg, moment, ready_arg = sys.argv[1:5]
    out, ready = Path(out_arg).resolve(), Path(ready_arg)
    import sblgen.site.build as build
    import sblgen.site.output as output

    if moment.startswith("render"):
        build._PARALLEL_THRESHOLD = 10
    if moment == "render-forkserver":
        threading.Thread(target=time.sleep, args=(3600,), daemon=True).start()
    if moment == "swap":
        real_exchange = output._exchange

        def exchange(a: Path, b: Path) -> bool:
            _pause(ready)
            return real_exchange(a, b)

        output._exchange = exchange
    if moment == "renames":
        output._exchange = lambda a, b: False
        real_rename = os.rename

        def rename(src: Any, dst: Any, *args: Any, **kwargs: Any) -> None:
            if Path(dst) == out and Path(src).name.startswith(f".{out.name}.building-"):
                _pause(ready)
            real_rename(src, dst, *args, **kwargs)

        os.rename = rename
    if moment == "remove-old":
        real_remove = output._remove_tree
        calls: list[Path] = []

        def remove_tree(path: Path) -> None:
            calls.append(path)
            if len(calls) == 1:
                pages = sorted(path.glob("**/*.html"))
                pages[0].unlink()  # half removed
                _pause(ready)
            real_remove(path)

        output._remove_tree = remove_tree
    result = build.build_site(site, out, workers=2, progress=False)
    print(f"built {result.pages} pages", flush=True)


if __name__ == "__main__":
    main()
