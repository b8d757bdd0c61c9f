"""The package as users get it: public API, version, wheel contents, lazy imports."""

from __future__ import annotations

import ast
import subprocess
import sys
import zipfile
from pathlib import Path

import pytest

import sblgen

ROOT = Path(__file__).resolve().parent.parent


def test_all_is_sorted_and_unique() -> None:
    assert list(sblgen.__all__) == sorted(set(sblgen.__all__))


def test_all_is_complete() -> None:
    """Every public name the package defines or re-exports is in ``__all__``, and every name
    in ``__all__`` resolves."""
    lazy = set(sblgen._LAZY)
    assert lazy | {"__version__"} == set(sblgen.__all__)
    for name in sblgen.__all__:
        assert getattr(sblgen, name) is not None


def test_type_checking_imports_match_lazy_names() -> None:
    """The names type checkers see are exactly the lazily imported ones, from the same
    modules."""
    tree = ast.parse((ROOT / "sblgen" / "__init__.py").read_text())
    seen: dict[str, str] = {}
    for node in ast.walk(tree):
        if isinstance(node, ast.If):
            for child in node.body:
                if isinstance(child, ast.ImportFrom) and child.module:
                    for alias in child.names:
                        seen[alias.asname or alias.name] = child.module
    assert seen == sblgen._LAZY


def test_unknown_attribute() -> None:
    with pytest.raises(AttributeError, match="no attribute 'nope'"):
        _ = sblgen.nope


def test_version_matches_metadata() -> None:
    from importlib.metadata import version

    assert sblgen.__version__ == version("sblgen")


def test_import_does_not_load_heavy_dependencies() -> None:
    code = (
        "import sys, sblgen; "
        "heavy = [m for m in ('cryptography', 'httpx', 'django', 'flask') if m in sys.modules]; "
        "print(','.join(heavy))"
    )
    out = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, check=True
    ).stdout
    assert out.strip() == ""


def test_wheel_contains_package_data(tmp_path: Path) -> None:
    subprocess.run(
        [sys.executable, "-m", "hatchling", "build", "-t", "wheel", "-d", str(tmp_path)],
        cwd=ROOT,
        check=True,
        capture_output=True,
    )
    (wheel,) = tmp_path.glob("sblgen-*.whl")
    names = set(zipfile.ZipFile(wheel).namelist())
    expected = {
        "sblgen/py.typed",
        "sblgen/data/countries.txt",
        "sblgen/data/languages.txt",
        "sblgen/data/currencies.txt",
    }
    for folder in ("templates", "static"):
        for path in (ROOT / "sblgen" / folder).rglob("*"):
            if path.is_file() and "__pycache__" not in path.parts:
                expected.add(path.relative_to(ROOT).as_posix())
    assert expected <= names, sorted(expected - names)
    assert any(n.endswith("entry_points.txt") for n in names)
    entry = next(n for n in names if n.endswith("entry_points.txt"))
    assert "sblgen = sblgen.cli:main" in zipfile.ZipFile(wheel).read(entry).decode()
