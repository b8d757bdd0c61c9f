"""``sblgen.api`` as users import it: the lazy table, and data modules that stay data."""

from __future__ import annotations

import ast
import subprocess
import sys
from pathlib import Path

import pytest

import sblgen.api

API = Path(sblgen.api.__file__).parent
DATA_MODULES = ("models", "v2", "v2_path", "v2_types", "v2_responses", "v2_shaping")
IO_IMPORTS = ("httpx", "sblgen.render", "sblgen._cli", "sblgen.api.client", "sblgen.api.policy")


def _imports(path: Path) -> set[str]:
    """The modules a file imports, at the top, under TYPE_CHECKING or inside functions."""
    found: set[str] = set()
    for node in ast.walk(ast.parse(path.read_text())):
        if isinstance(node, ast.ImportFrom) and node.module:
            found.add(node.module)
        elif isinstance(node, ast.Import):
            found.update(alias.name for alias in node.names)
    return found


def test_all_is_the_data_names_and_the_lazy_table() -> None:
    from sblgen.api import models

    assert sblgen.api.__all__ == sorted({*models.__all__, *sblgen.api._LAZY})
    for name in sblgen.api.__all__:
        where = sblgen.api._LAZY.get(name, "sblgen.api.models")
        assert getattr(sblgen.api, name).__module__ == where


def test_type_checking_imports_match_the_lazy_table() -> None:
    seen: dict[str, str] = {}
    for node in ast.walk(ast.parse((API / "__init__.py").read_text())):
        if isinstance(node, ast.If):
            for child in node.body:
                if isinstance(child, ast.ImportFrom) and child.module:
                    seen.update({alias.name: child.module for alias in child.names})
    assert seen == sblgen.api._LAZY


def test_unknown_attribute() -> None:
    with pytest.raises(AttributeError, match="no attribute 'nope'"):
        _ = sblgen.api.nope


@pytest.mark.parametrize("module", DATA_MODULES)
def test_data_modules_import_no_io(module: str) -> None:
    imported = _imports(API / f"{module}.py")
    bad = sorted(m for m in imported if any(m == io or m.startswith(io + ".") for io in IO_IMPORTS))
    assert bad == []


def test_data_loads_without_httpx() -> None:
    code = (
        "import sys, sblgen.api.models, sblgen.api.v2; "
        "from sblgen.api import SessionRequest; "
        "print([m for m in ('httpx', 'sblgen.render') if m in sys.modules])"
    )
    out = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, check=True
    ).stdout
    assert out.strip() == "[]"
