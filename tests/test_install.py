"""Installing sblgen into one's own project works as the README and the installation page
say: their commands run as written in a scratch home folder, with fresh virtual
environments (no dev tools), from the clone and from a wheel built from it. In the wheel's
environment, the documentation's Flask and Django apps run, ``sblgen starter`` prints the
starter pages, and ``sblgen site init`` + ``sblgen site build`` make a site.

One slow test (a minute or so: each install resolves the dependencies, from pip's cache
when it has them).
"""

from __future__ import annotations

import json
import os
import re
import shutil
import subprocess
import zipfile
from pathlib import Path

import pytest

import sblgen
from sblgen.render import loader_js
from tests.test_docs import DOCS, FENCE, INSTALLATION, RUNNER, page_steps

ROOT = Path(__file__).resolve().parent.parent
README_SECTION = "## Install into your own project"


def install_blocks() -> list[str]:
    """The installation page's shell blocks, in order."""
    text = INSTALLATION.read_text(encoding="utf-8")
    return [m["body"] for m in FENCE.finditer(text) if m["info"].strip() == "sh"]


def readme_install_blocks() -> list[str]:
    """The shell blocks of the README's install section."""
    text = (ROOT / "README.md").read_text(encoding="utf-8")
    section = text[text.index(README_SECTION) :]
    section = section[: section.find("\n## ", len(README_SECTION))]
    return [m["body"] for m in FENCE.finditer(section) if m["info"].strip() == "sh"]


def test_readme_install_section_is_the_installation_page() -> None:
    """What the README tells a new user is what the slow test below runs."""
    blocks = readme_install_blocks()
    assert len(blocks) >= 3
    assert blocks == install_blocks()
    section = (ROOT / "README.md").read_text(encoding="utf-8").split(README_SECTION)[1]
    for extra in ("api", "flask", "django"):
        assert f"`{extra}`" in section, f"the README's install section names the {extra} extra"
    assert ".venv/bin/sblgen" in section and "python -m sblgen" in section


def _run(block: str, env: dict[str, str]) -> str:
    result = subprocess.run(
        ["bash", "-euo", "pipefail", "-c", block],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=300,
    )
    assert result.returncode == 0, f"{block}\n{result.stderr}"
    return result.stdout


@pytest.mark.slow
@pytest.mark.timeout(600)
def test_install_and_use_in_a_fresh_environment(tmp_path: Path) -> None:
    cache = os.environ.get("PIP_CACHE_DIR") or str(Path.home() / ".cache" / "pip")
    env = {**os.environ, "HOME": str(tmp_path), "PIP_CACHE_DIR": cache}
    for name in ("VIRTUAL_ENV", "PYTHONPATH", "PYTHONHOME"):
        env.pop(name, None)
    venv = tmp_path / "shop" / ".venv"
    for block in install_blocks():
        if "-m venv" in block and venv.exists():
            shutil.rmtree(venv)  # each install starts afresh
        out = _run(block, env)
        if "--version" in block:
            assert out.strip() == f"sblgen {sblgen.__version__}"
            assert not (venv / "bin" / "pytest").exists(), "the dev tools are not for users"
    python = venv / "bin" / "python"

    # The environment runs the wheel's sblgen, not this checkout.
    where = subprocess.run(
        [str(python), "-c", "import sblgen, flask, django; print(sblgen.__file__)"],
        cwd=tmp_path,
        env=env,
        capture_output=True,
        text=True,
        check=True,
    ).stdout.strip()
    assert "site-packages" in where and not where.startswith(str(ROOT))
    # The wheel carries the starters and the loader, also as a Django static file.
    (wheel,) = (tmp_path / "wheels").glob("sblgen-*.whl")
    with zipfile.ZipFile(wheel) as archive:
        names = set(archive.namelist())
        django_loader = archive.read("sblgen/integrations/django/static/sblgen/sbl-loader.js")
    assert django_loader.decode() == loader_js()
    for path in (ROOT / "sblgen" / "starters").rglob("*"):
        if path.is_file():
            assert path.relative_to(ROOT).as_posix() in names

    # The site the installation page's last block made.
    built = tmp_path / "shop" / "site" / "_build"
    assert sorted(p.name for p in built.glob("*.html")) == [
        "index.html",
        "pricing.html",
        "privacy.html",
        "refunds.html",
        "terms.html",
    ]
    assert (built / "static" / "favicon.svg").is_file()
    assert 'id="fsc-api"' in (built / "index.html").read_text(encoding="utf-8")

    # The documentation's Flask and Django apps (and its Jinja2 and starter examples), run
    # by the installed sblgen, as the docs tests run them.
    steps = tmp_path / "steps.json"
    steps.write_text(json.dumps(page_steps(DOCS / "guides" / "templates.md")), encoding="utf-8")
    work = tmp_path / "work"
    work.mkdir()
    result = subprocess.run(
        [str(python), str(RUNNER), str(steps)],
        cwd=work,
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert result.returncode == 0, result.stderr
    assert (work / "app.py").is_file() and (work / "settings.py").is_file()
    # `python -m sblgen` is the same command.
    version = subprocess.run(
        [str(python), "-m", "sblgen", "--version"],
        cwd=tmp_path,
        env=env,
        capture_output=True,
        text=True,
        check=True,
    ).stdout
    assert re.fullmatch(rf"sblgen {re.escape(sblgen.__version__)}\s*", version)
