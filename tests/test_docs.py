"""The documentation site tells the truth: its reference lists every public name, its
examples run as written, and the site-template guide lists every variable a template sees.

How a page's fenced blocks are treated (``tests/docs_runner.py`` runs them, one process per
page, in a scratch folder, with FastSpring faked on 127.0.0.1):

- a block with ``title="path"`` is a file: it is written to that path;
- a ``python`` block runs; all of a page's blocks share one namespace, in order;
- a ``sh`` block's ``sblgen ...`` lines run (any other command fails the test);
- a ``text`` block right after a ``python`` or ``sh`` block is that block's exact output;
- ``toml`` and ``json`` blocks must parse.

The installation page's commands (pip, venv) run for real in ``tests/test_install.py``.
"""

from __future__ import annotations

import json
import os
import re
import shlex
import subprocess
import sys
import tomllib
from collections.abc import Iterator
from importlib import import_module
from pathlib import Path
from typing import Any

import jinja2
import jinja2.filters
import pytest

import sblgen
from sblgen.testing import PASSWORD, USERNAME, FakeFastSpring

ROOT = Path(__file__).resolve().parent.parent
DOCS = ROOT / "docs"
REFERENCE = DOCS / "reference"
RUNNER = Path(__file__).with_name("docs_runner.py")
FENCE = re.compile(r"^```(?P<info>[^\n`]*)\n(?P<body>.*?)^```[ \t]*$", re.S | re.M)
TITLE = re.compile(r'title="([^"]+)"')
DIRECTIVE = re.compile(r"^::: ([\w.]+)[ \t]*$", re.M)
INSTALLATION = DOCS / "installation.md"


def pages() -> list[Path]:
    return sorted(p for p in DOCS.rglob("*.md") if "_ext" not in p.parts)


def page_steps(page: Path) -> list[dict[str, Any]]:
    """The page's fenced blocks as runner steps (see the module docstring)."""
    text = page.read_text(encoding="utf-8")
    steps: list[dict[str, Any]] = []
    previous_end = -1
    for match in FENCE.finditer(text):
        info = match["info"].strip()
        language = info.split()[0] if info else ""
        where = {
            "page": str(page.relative_to(ROOT)),
            "line": text.count("\n", 0, match.start()) + 1,
        }
        body = match["body"]
        title = TITLE.search(info)
        follows = previous_end >= 0 and not text[previous_end : match.start()].strip()
        if title:
            steps.append({**where, "kind": "file", "path": title[1], "text": body})
        elif language in ("python", "sh"):
            steps.append({**where, "kind": language, "text": body})
        elif language == "text" and follows and steps and steps[-1]["kind"] in ("python", "sh"):
            steps.append({**where, "kind": "output", "text": body})
        if language == "toml":
            tomllib.loads(body)
        elif language == "json":
            json.loads(body)
        previous_end = match.end()
    return steps


def runnable_pages() -> list[Path]:
    return [p for p in pages() if p != INSTALLATION and page_steps(p)]


# ------------------------------------------------------------------------- reference


def directives() -> list[str]:
    return [
        name
        for page in sorted(REFERENCE.glob("*.md"))
        for name in DIRECTIVE.findall(page.read_text(encoding="utf-8"))
    ]


def test_reference_lists_every_public_name() -> None:
    """A new name in ``sblgen.__all__`` needs its ``::: sblgen.Name`` entry in the reference
    (through the top-level package, where users import it from)."""
    documented = {name.removeprefix("sblgen.") for name in directives()}
    missing = sorted(set(sblgen.__all__) - documented)
    assert not missing, f"add '::: sblgen.<name>' to a page in docs/reference/ for {missing}"


def test_reference_entries_exist_once() -> None:
    names = directives()
    assert len(names) == len(set(names)), "an object is documented twice"
    for name in names:
        module, _, attribute = name.rpartition(".")
        try:
            target = import_module(name)
        except ModuleNotFoundError:
            target = getattr(import_module(module), attribute)
        assert target is not None, name


def test_every_page_is_in_the_nav() -> None:
    nav = (ROOT / "mkdocs.yml").read_text(encoding="utf-8")
    for page in pages():
        assert str(page.relative_to(DOCS)) in nav, f"{page} is not in mkdocs.yml's nav"


# -------------------------------------------------------------------------- examples


def test_pages_have_examples() -> None:
    runnable = {p.relative_to(DOCS).as_posix() for p in runnable_pages()}
    assert {"guides/templates.md", "guides/secure-payloads.md", "guides/site-templates.md"} <= (
        runnable
    )
    assert sum(len(page_steps(p)) for p in pages()) >= 60


@pytest.fixture(scope="module")
def fastspring() -> Iterator[FakeFastSpring]:
    server = FakeFastSpring()
    yield server
    server.close()


@pytest.mark.slow
@pytest.mark.parametrize("page", runnable_pages(), ids=lambda p: p.relative_to(DOCS).as_posix())
def test_page_examples_run_as_written(
    page: Path, tmp_path: Path, fastspring: FakeFastSpring
) -> None:
    steps = tmp_path / "steps.json"
    steps.write_text(json.dumps(page_steps(page)), encoding="utf-8")
    work = tmp_path / "work"
    work.mkdir()
    env = {
        **os.environ,
        "FASTSPRING_API_USERNAME": USERNAME,
        "FASTSPRING_API_PASSWORD": PASSWORD,
        "FASTSPRING_API_BASE_URL": fastspring.base_url,
    }
    result = subprocess.run(
        [sys.executable, str(RUNNER), str(steps)],
        cwd=work,
        env=env,
        capture_output=True,
        text=True,
        timeout=110,
    )
    assert result.returncode == 0, result.stderr


def test_installation_blocks_are_one_command_a_line() -> None:
    """Each line is a whole command (the test runs the blocks with bash -e)."""
    text = INSTALLATION.read_text(encoding="utf-8")
    for match in FENCE.finditer(text):
        if match["info"].strip() == "sh":
            for line in match["body"].splitlines():
                assert shlex.split(line, comments=True), line


# -------------------------------------------------------------------- site templates

# A template can reach its own context (jinja2 keeps it on the ``self`` reference).
_DUMP = """{{ {"variables": self._TemplateReference__context.keys()|list,
    "filters": self._TemplateReference__context.environment.filters.keys()|list,
    "site": site.__class__.model_fields.keys()|list,
    "page": page.__class__.model_fields.keys()|list,
    "product": (products[0][1]).__class__.model_fields.keys()|list}|tojson }}
"""


def template_view(tmp_path: Path) -> dict[str, list[str]]:
    """What a page template sees, from a real build: every variable and filter that is not
    Jinja2's own, and the fields of ``site``, ``page`` and a catalog product."""
    (tmp_path / "templates").mkdir()
    (tmp_path / "templates" / "dump.html").write_text(_DUMP, encoding="utf-8")
    (tmp_path / "site.toml").write_text(
        '[site]\ntitle = "T"\nstorefront = "acme.test.onfastspring.com/popup-acme"\n'
        '[catalog.a]\nname = "A"\n'
        '[[pages]]\npath = "index.html"\ntemplate = "dump.html"\ntitle = "P"\nproducts = ["a"]\n',
        encoding="utf-8",
    )
    sblgen.build_site(tmp_path, tmp_path / "out")
    view: dict[str, list[str]] = json.loads((tmp_path / "out" / "index.html").read_text())
    view["variables"] = sorted(set(view["variables"]) - set(jinja2.defaults.DEFAULT_NAMESPACE))
    view["filters"] = sorted(set(view["filters"]) - set(jinja2.filters.FILTERS))
    return view


def test_site_template_guide_lists_every_variable(tmp_path: Path) -> None:
    guide = (DOCS / "guides" / "site-templates.md").read_text(encoding="utf-8")
    listed = set(re.findall(r"^\| `(\w+)`", guide, re.M))
    view = template_view(tmp_path)
    assert listed == set(view["variables"]) | set(view["filters"])
    for owner in ("site", "page", "product"):
        for field in view[owner]:
            assert f"`{owner}.{field}`" in guide, f"{owner}.{field} is not in the guide"
