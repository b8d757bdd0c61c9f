"""The development set-up is reproducible and the package carries its license: the pinned
tool versions cover every dependency the project names, satisfy its ranges and are what
``make`` installs; LICENSE is in the wheel and the sdist."""

from __future__ import annotations

import re
import subprocess
import sys
import tarfile
import tomllib
import zipfile
from importlib.metadata import PackageNotFoundError, version
from pathlib import Path

from packaging.requirements import Requirement
from packaging.utils import canonicalize_name

ROOT = Path(__file__).resolve().parent.parent
PINS = ROOT / "requirements" / "dev.lock"
PYPROJECT = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))


def pins() -> dict[str, str]:
    """Package name (canonical) -> pinned version."""
    pinned: dict[str, str] = {}
    for line in PINS.read_text(encoding="utf-8").splitlines():
        if not line.strip() or line.startswith("#"):
            continue
        match = re.fullmatch(r"([A-Za-z0-9._-]+)==([A-Za-z0-9.+!-]+)", line.strip())
        assert match, f"{PINS.name}: {line!r} is not an exact name==version pin"
        pinned[canonicalize_name(match[1])] = match[2]
    return pinned


def dev_requirements() -> list[Requirement]:
    """What ``pip install -e '.[dev]'`` asks for: the runtime dependencies and the dev
    extra, with the extras it names of sblgen itself expanded."""
    project = PYPROJECT["project"]
    extras: dict[str, list[str]] = project["optional-dependencies"]
    wanted = [Requirement(r) for r in project["dependencies"]]
    todo, seen = ["dev"], set()
    while todo:
        extra = todo.pop()
        seen.add(extra)
        for text in extras[extra]:
            requirement = Requirement(text)
            if canonicalize_name(requirement.name) == "sblgen":
                todo.extend(e for e in requirement.extras if e not in seen)
            else:
                wanted.append(requirement)
    return wanted


def test_pins_cover_every_requirement_within_its_range() -> None:
    """A dependency added to pyproject.toml, or a range moved past its pin, needs
    ``make pins``."""
    pinned = pins()
    assert "sblgen" not in pinned
    for requirement in dev_requirements():
        name = canonicalize_name(requirement.name)
        assert name in pinned, f"{requirement.name} is not pinned: run make pins"
        assert requirement.specifier.contains(pinned[name], prereleases=True), (
            f"{name}=={pinned[name]} is outside {requirement}: run make pins"
        )


def test_dev_extra_includes_the_docs_tools() -> None:
    names = {canonicalize_name(r.name) for r in dev_requirements()}
    assert {"mkdocs", "mkdocs-material", "mkdocstrings", "griffe-pydantic"} <= names


def test_make_installs_the_pins() -> None:
    makefile = (ROOT / "Makefile").read_text(encoding="utf-8")
    stamp_rule = re.search(r"^\$\(STAMP\):(.*)$", makefile, re.M)
    assert stamp_rule and "$(PINS)" in stamp_rule[1], "the set-up must rerun when pins change"
    installs = re.findall(r"^\t\$\(PIP\) install .*$", makefile, re.M)
    assert installs and all("--constraint $(PINS)" in line for line in installs)
    assert re.search(r"^PINS := requirements/dev\.lock$", makefile, re.M)


def test_this_environment_matches_the_pins() -> None:
    """``make`` built this environment from the pins (a drifted .venv: run make again)."""
    drifted = {}
    for name, pinned in pins().items():
        try:
            installed = version(name)
        except PackageNotFoundError:
            continue  # a pin for another platform's dependency
        if installed != pinned:
            drifted[name] = (installed, pinned)
    assert not drifted, f"installed != pinned: {drifted}"


def test_license_is_in_the_wheel_and_the_sdist(tmp_path: Path) -> None:
    subprocess.run(
        [sys.executable, "-m", "hatchling", "build", "-d", str(tmp_path)],
        cwd=ROOT,
        check=True,
        capture_output=True,
    )
    license_text = (ROOT / "LICENSE").read_bytes()
    assert license_text.startswith(b"MIT License")
    (wheel,) = tmp_path.glob("sblgen-*.whl")
    with zipfile.ZipFile(wheel) as archive:
        (name,) = [n for n in archive.namelist() if n.endswith(".dist-info/licenses/LICENSE")]
        assert archive.read(name) == license_text
    (sdist,) = tmp_path.glob("sblgen-*.tar.gz")
    with tarfile.open(sdist) as archive:
        top = archive.getnames()[0].split("/")[0]
        member = archive.extractfile(f"{top}/LICENSE")
        assert member is not None and member.read() == license_text
        names = set(archive.getnames())
    # The sdist can run `make test`: the pins and the docs sources come along.
    for path in ("requirements/dev.lock", "mkdocs.yml", "docs/index.md"):
        assert f"{top}/{path}" in names, path
