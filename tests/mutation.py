"""``make mutate``: mutation testing (mutmut) of the security-critical modules, one module
at a time against the tests that pin it.

Run it as ``make mutate MODULE=sblgen/escape.py`` (or ``MODULE=all``); it is not part of
``make test``. For each module this makes a work folder ``build/mutate/<module>/`` whose
``pyproject.toml`` is the project's ``[tool.pytest.ini_options]`` and ``[tool.mutmut]``
with ``only_mutate`` narrowed to the module and the test selection set to
:data:`SUBSETS`\\ ``[module]`` (a few fast test files, never the browser tests), links the
sources and tests into it, runs ``mutmut run`` there and prints the score
(killed/total) and every surviving mutant as a diff. Results are cached in the work
folder: a second run tests only the functions that changed, and the survivors again.

>>> sorted(SUBSETS) == sorted(MODULES) == sorted(mutmut_settings()["only_mutate"])
True
>>> [arg for args in SUBSETS.values() for arg in args
...  if not arg.startswith("-") and not (ROOT / arg).exists()]
[]
>>> work_folder("sblgen/api/policy.py").name
'sblgen_api_policy'
"""

from __future__ import annotations

import argparse
import json
import os
import subprocess
import sys
import tomllib
from collections import Counter
from collections.abc import Sequence
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent

#: The modules ``make mutate`` covers: the input limits, escaping and rendering, webhooks,
#: crypto, the site output replacement, the API client's retry and error policy and its
#: per-call deadline.
MODULES = (
    "sblgen/limits.py",
    "sblgen/escape.py",
    "sblgen/render.py",
    "sblgen/actions.py",
    "sblgen/_templates.py",
    "sblgen/_checks.py",
    "sblgen/webhooks.py",
    "sblgen/crypto.py",
    "sblgen/site/output.py",
    "sblgen/api/policy.py",
    "sblgen/api/deadline.py",
)

_RENDER_TESTS = (
    "tests/test_render.py",
    "tests/test_render_faithful.py",
    "tests/test_hostile_text.py",
    "tests/test_properties_render.py",
    "tests/test_paths_render.py",
    "tests/test_helpers.py",
    "tests/test_integrations_jinja.py",
)
#: Module -> the pytest arguments that select its tests (the module's doctests included).
SUBSETS: dict[str, tuple[str, ...]] = {
    "sblgen/limits.py": (
        "sblgen/limits.py",
        "tests/test_limits.py",
        "tests/test_hostile_text.py",
        "tests/test_hostile_api.py",
        "tests/test_events_bounds.py",
        "tests/test_display.py",
        # Its memory bound is measured in a child process, which mutmut's tracing inflates;
        # the limit it checks is read_body's (sblgen/api/deadline.py).
        "--deselect=tests/test_hostile_api.py::"
        "test_a_decompression_bomb_stops_at_the_response_limit",
    ),
    "sblgen/escape.py": ("sblgen/escape.py", "tests/test_escape.py", *_RENDER_TESTS),
    "sblgen/render.py": (
        "sblgen/render.py",
        *_RENDER_TESTS,
        "tests/test_templates.py",
        "tests/test_checks.py",
        "tests/test_cli_render.py",
        "--deselect=tests/test_templates.py::test_memo_never_confuses_freed_keys",
    ),
    "sblgen/actions.py": ("sblgen/actions.py", *_RENDER_TESTS, "tests/test_cli_render.py"),
    "sblgen/_templates.py": (
        "sblgen/_templates.py",
        "tests/test_templates.py",
        *_RENDER_TESTS,
        "--deselect=tests/test_templates.py::test_memo_never_confuses_freed_keys",
    ),
    "sblgen/_checks.py": ("sblgen/_checks.py", "tests/test_checks.py", *_RENDER_TESTS),
    "sblgen/webhooks.py": (
        "sblgen/webhooks.py",
        "tests/test_webhooks.py",
        "tests/test_paths_webhooks.py",
        "tests/test_cli_webhook.py",
        "tests/test_events_receiver.py",
        "--deselect=tests/test_events_receiver.py::test_two_processes_sharing_one_sqlite_file",
    ),
    "sblgen/crypto.py": (
        "sblgen/crypto.py",
        "tests/test_crypto.py",
        "tests/test_paths_crypto.py",
        "tests/test_properties_crypto.py",
        "tests/test_batch.py",
        "tests/test_paths_batch.py",
        "tests/test_cli_secure.py",
    ),
    "sblgen/site/output.py": (
        # The fault tests first: collected after the module's doctests they fail (their
        # patches of _exchange and os.rename do not take), here and under mutmut.
        "tests/test_faults_swap.py",
        "tests/test_site_output.py",
        "tests/test_site_build.py",
        "tests/test_cli_site.py",
        "sblgen/site/output.py",
    ),
    "sblgen/api/policy.py": (
        "sblgen/api/policy.py",
        "tests/test_api_policy.py",
        "tests/test_api_errors.py",
        "tests/test_paths_api_errors.py",
        "tests/test_api_client.py",
        "tests/test_api_calls.py",
        "tests/test_errors_teach.py",
        "tests/test_properties_models.py",
        "tests/test_hostile_api.py",
        "tests/test_api_oauth.py",
        "tests/test_api_warnings.py",
        "--deselect=tests/test_hostile_api.py::"
        "test_a_decompression_bomb_stops_at_the_response_limit",
    ),
    "sblgen/api/deadline.py": (
        "sblgen/api/deadline.py",
        "tests/test_hostile_api.py",
        "tests/test_api_client.py",
        "tests/test_api_policy.py",
        "tests/test_api_oauth.py",
        # The bomb's memory bound cannot be measured under mutmut (see above); the test
        # test_a_mock_transport_is_still_bounded still pins read_body's size limit.
        "--deselect=tests/test_hostile_api.py::"
        "test_a_decompression_bomb_stops_at_the_response_limit",
    ),
}

#: What the tests read besides themselves and the sources (linked into each work folder).
_LINKED = ("sblgen", "tests", "templates", "demo_site", "conftest.py", "README.md")
#: mutmut exit codes (``mutants/<file>.meta``) by what they mean for the score.
_KILLED = {1, 3}
_TIMEOUT = {36, 24, -24, 152, 255}
_SURVIVED = {0}
_NO_TESTS = {5, 33}


def work_folder(module: str) -> Path:
    """Where ``module``'s mutants and cached results live."""
    return ROOT / "build" / "mutate" / module.removesuffix(".py").replace("/", "_")


def _toml_value(value: Any) -> str:
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, int | float):
        return repr(value)
    if isinstance(value, str):
        return json.dumps(value)  # a JSON string is a TOML basic string
    if isinstance(value, list | tuple):
        return "[" + ", ".join(_toml_value(v) for v in value) + "]"
    raise TypeError(f"cannot write {value!r} as TOML")  # pragma: no cover


def _table(name: str, values: dict[str, Any]) -> str:
    lines = [f"[{name}]"]
    lines += [f"{key} = {_toml_value(value)}" for key, value in values.items()]
    return "\n".join(lines) + "\n"


def mutmut_settings() -> dict[str, Any]:
    """The project's ``[tool.mutmut]`` settings."""
    project = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))
    return dict(project["tool"]["mutmut"])


def configuration(module: str) -> str:
    """The work folder's ``pyproject.toml`` for ``module``.

    >>> text = configuration("sblgen/escape.py")
    >>> 'only_mutate = ["sblgen/escape.py"]' in text and "[tool.pytest.ini_options]" in text
    True
    """
    project = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))
    pytest_options = dict(project["tool"]["pytest"]["ini_options"])
    mutmut = mutmut_settings()
    mutmut["only_mutate"] = [module]
    mutmut["pytest_add_cli_args_test_selection"] = list(SUBSETS[module])
    return (
        "# Written by `make mutate` (tests/mutation.py); do not edit.\n"
        + _table("tool.pytest.ini_options", pytest_options)
        + "\n"
        + _table("tool.mutmut", mutmut)
    )


def _prepare(module: str) -> Path:
    folder = work_folder(module)
    folder.mkdir(parents=True, exist_ok=True)
    for name in _LINKED:
        link = folder / name
        if not link.is_symlink():
            link.symlink_to(ROOT / name)
    config = folder / "pyproject.toml"
    text = configuration(module)
    if not config.exists() or config.read_text(encoding="utf-8") != text:
        config.write_text(text, encoding="utf-8")
    return folder


def _mutmut(folder: Path, *args: str, capture: bool = False) -> subprocess.CompletedProcess[str]:
    env = {**os.environ, "PYTHONDONTWRITEBYTECODE": "1"}
    env.pop("PYTEST_ADDOPTS", None)
    return subprocess.run(
        [sys.executable, "-m", "mutmut", *args],
        cwd=folder,
        env=env,
        text=True,
        capture_output=capture,
        check=False,
    )


def results(module: str) -> dict[str, int | None]:
    """Mutant name -> mutmut's exit code for it (``None``: not run yet)."""
    meta = work_folder(module) / "mutants" / f"{module}.meta"
    data = json.loads(meta.read_text(encoding="utf-8"))
    codes: dict[str, int | None] = data["exit_code_by_key"]
    return codes


def summary(module: str, codes: dict[str, int | None]) -> tuple[str, list[str]]:
    """The score line for ``module`` and the names of its surviving mutants."""
    kinds: Counter[str] = Counter()
    survivors = []
    for name, code in sorted(codes.items()):
        if code in _KILLED:
            kinds["killed"] += 1
        elif code in _TIMEOUT:
            kinds["timeout"] += 1
        elif code in _SURVIVED:
            kinds["survived"] += 1
            survivors.append(name)
        elif code in _NO_TESTS:
            kinds["no tests"] += 1
            survivors.append(name)
        else:
            kinds[f"other ({code})"] += 1
    total = sum(kinds.values())
    caught = kinds["killed"] + kinds["timeout"]
    detail = ", ".join(f"{count} {kind}" for kind, count in sorted(kinds.items()))
    line = f"{module}: {caught}/{total} killed ({detail})"
    return line, survivors


def _forget_survivors(module: str) -> None:
    """Test the cached survivors again (mutmut keeps every cached verdict, so a test added
    since would not get its chance)."""
    meta = work_folder(module) / "mutants" / f"{module}.meta"
    if not meta.exists():
        return
    data = json.loads(meta.read_text(encoding="utf-8"))
    codes = data["exit_code_by_key"]
    for name, code in codes.items():
        if code in _SURVIVED or code in _NO_TESTS:
            codes[name] = None
    meta.write_text(json.dumps(data, indent=4), encoding="utf-8")


def run(module: str, jobs: int) -> tuple[str, list[str]]:
    folder = _prepare(module)
    _forget_survivors(module)
    print(f"== mutmut on {module} in {folder.relative_to(ROOT)}", flush=True)
    done = _mutmut(folder, "run", "--max-children", str(jobs))
    if done.returncode != 0:
        raise SystemExit(f"mutmut failed on {module} (exit {done.returncode}); see above.")
    line, survivors = summary(module, results(module))
    report = [line]
    for name in survivors:
        shown = _mutmut(folder, "show", name, capture=True)
        report.append(shown.stdout.rstrip())
    (folder / "report.txt").write_text("\n\n".join(report) + "\n", encoding="utf-8")
    return line, survivors


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="make mutate", description=__doc__.split("\n")[0])
    parser.add_argument(
        "modules", nargs="*", default=["all"], help=f"some of {', '.join(MODULES)}, or all"
    )
    parser.add_argument("--jobs", type=int, default=2, help="mutants tested at once")
    args = parser.parse_args(argv)
    modules = list(MODULES) if args.modules in (["all"], []) else args.modules
    unknown = [m for m in modules if m not in SUBSETS]
    if unknown:
        parser.error(f"not covered by make mutate: {', '.join(unknown)}; use {', '.join(MODULES)}")
    lines = []
    for module in modules:
        line, survivors = run(module, args.jobs)
        lines.append(line)
        print(line)
        for name in survivors:
            print(f"    survived: {name}")
        print(f"    diffs: {(work_folder(module) / 'report.txt').relative_to(ROOT)}")
    print("\n".join(["", "mutation scores:", *lines]))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
