"""Runs one documentation page's examples, in order, in the current folder (a scratch one).

``python tests/docs_runner.py STEPS.json`` where the JSON is the list of steps
``tests/test_docs.py`` extracted from a page:

- ``file``: write ``text`` to ``path`` (a fenced block with a ``title="path"``);
- ``python``: run the code, all blocks of a page in one namespace, as a reader would in one
  interpreter session;
- ``sh``: run each ``sblgen ...`` line through the CLI (``sblgen site serve`` as a real
  process on a free port), after expanding ``$VARIABLES``; it must exit with status 0;
- ``output``: the standard output of the step before it must be exactly this text.

A failure prints ``page:line: what went wrong`` and exits with status 1. It runs in its own
process so that an example can configure Django or change the working directory freely.
"""

from __future__ import annotations

import contextlib
import doctest
import io
import json
import os
import re
import shlex
import subprocess
import sys
import traceback
import urllib.request
from pathlib import Path
from typing import Any


class ExampleError(Exception):
    """One example did not work as written."""


def _serve(argv: list[str]) -> None:
    """``sblgen site serve ...`` for real, on a free port; its index page must load."""
    command = [sys.executable, "-m", "sblgen", *argv, "--port", "0"]
    with subprocess.Popen(command, stdout=subprocess.PIPE, text=True) as process:
        try:
            assert process.stdout is not None
            banner = process.stdout.readline()
            url = re.search(r"http://127\.0\.0\.1:\d+/", banner)
            if url is None:
                raise ExampleError(f"no URL in the banner: {banner!r}")
            with urllib.request.urlopen(url.group(0) + "index.html", timeout=10) as response:
                response.read()
        finally:
            process.terminate()


def _sblgen(line: str) -> str:
    from sblgen.cli import main

    argv = shlex.split(os.path.expandvars(line), comments=True)[1:]
    if argv[:2] == ["site", "serve"]:
        _serve(argv)
        return ""
    out, err = io.StringIO(), io.StringIO()
    with contextlib.redirect_stdout(out), contextlib.redirect_stderr(err):
        try:
            code = main(argv)
        except SystemExit as exit_:  # --help, --version
            code = exit_.code if isinstance(exit_.code, int) else 1
    if code != 0:
        raise ExampleError(f"{line!r} exited with status {code}: {err.getvalue().strip()}")
    return out.getvalue()


def _run_sh(text: str) -> str:
    output = []
    for raw in text.splitlines():
        line = raw.strip()
        if not line or line.startswith("#"):
            continue
        if not line.startswith("sblgen "):
            raise ExampleError(f"{line!r}: only sblgen commands can run here")
        output.append(_sblgen(line))
    return "".join(output)


def _run_python(code: str, where: str, namespace: dict[str, Any]) -> str:
    out = io.StringIO()
    with contextlib.redirect_stdout(out):
        exec(compile(code, where, "exec"), namespace)  # noqa: S102
    return out.getvalue()


def _same_output(shown: str, printed: str) -> bool:
    """The page shows what the block printed; ``...`` on the page stands for any text (as in
    doctest), e.g. the inline runtime ``(function(w,d,o,a){...})``."""
    shown, printed = shown.rstrip(), printed.rstrip()
    if "..." not in shown:
        return shown == printed
    checker = doctest.OutputChecker()
    return checker.check_output(shown + "\n", printed + "\n", doctest.ELLIPSIS)


def run(steps: list[dict[str, Any]]) -> None:
    namespace: dict[str, Any] = {"__name__": "__main__"}
    last = ""
    for step in steps:
        where = f"{step['page']}:{step['line']}"
        kind = step["kind"]
        try:
            if kind == "file":
                path = Path(step["path"])
                path.parent.mkdir(parents=True, exist_ok=True)
                path.write_text(step["text"], encoding="utf-8")
            elif kind == "python":
                last = _run_python(step["text"], where, namespace)
            elif kind == "sh":
                last = _run_sh(step["text"])
            elif kind == "output":
                if not _same_output(step["text"], last):
                    raise ExampleError(
                        f"the block before printed:\n{last.rstrip()}\n"
                        f"but the page shows:\n{step['text'].rstrip()}"
                    )
            else:
                raise ExampleError(f"unknown step kind {kind!r}")
        except ExampleError as err:
            print(f"{where}: {err}", file=sys.stderr)
            sys.exit(1)
        except Exception:
            print(f"{where}: the example raised:\n{traceback.format_exc()}", file=sys.stderr)
            sys.exit(1)


if __name__ == "__main__":
    # The page's files (app.py, settings.py, ...) import from the working folder, not from
    # the folder this script is in.
    sys.path[0] = os.getcwd()
    run(json.loads(Path(sys.argv[1]).read_text(encoding="utf-8")))
