"""What users write type-checks under plain ``mypy --strict``, without the pydantic plugin
(which the README never asks for): the README's Python examples, checked in a scratch folder
as a user's own project would be. (The starters in ``sblgen/starters/`` are templates and a
site.toml, with no Python to check.)"""

from __future__ import annotations

import ast
import builtins
import subprocess
import sys
from pathlib import Path

import pytest
from pydantic import BaseModel
from pydantic_core import PydanticUndefined

from sblgen import SblOptions
from tests.test_readme import readme_blocks

ROOT = Path(__file__).resolve().parent.parent

#: A user's mypy configuration: strict, and no ``plugins`` line.
CONFIG = """\
[mypy]
strict = True
python_version = 3.11
warn_unreachable = True

[mypy-django.*,csp.*]
ignore_missing_imports = True
"""

#: What the README's examples take from the reader's own code (test_readme passes the same).
CONTEXT = '''\
"""What a web view hands the README's webhook example."""

from collections.abc import Mapping

raw_body: bytes = b""
headers: Mapping[str, str] = {}
order_id: str = ""  # what the "After the purchase" page posts
'''


def _bound(tree: ast.Module) -> set[str]:
    """The names a block defines or imports."""
    names: set[str] = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Name) and isinstance(node.ctx, ast.Store):
            names.add(node.id)
        elif isinstance(node, ast.Import | ast.ImportFrom):
            names.update((a.asname or a.name).partition(".")[0] for a in node.names)
        elif isinstance(node, ast.FunctionDef | ast.AsyncFunctionDef | ast.ClassDef):
            names.add(node.name)
        elif isinstance(node, ast.arg):
            names.add(node.arg)
        elif isinstance(node, ast.ExceptHandler) and node.name:
            names.add(node.name)
    return names


def _used(tree: ast.Module) -> set[str]:
    return {
        node.id
        for node in ast.walk(tree)
        if isinstance(node, ast.Name) and isinstance(node.ctx, ast.Load)
    }


def _imports(tree: ast.Module) -> dict[str, str]:
    """Each name a block imports, with the one-name import statement that binds it."""
    lines: dict[str, str] = {}
    for node in ast.walk(tree):
        if isinstance(node, ast.Import | ast.ImportFrom):
            for alias in node.names:
                name = (alias.asname or alias.name).partition(".")[0]
                one = (
                    ast.Import([alias])
                    if isinstance(node, ast.Import)
                    else ast.ImportFrom(node.module, [alias], node.level)
                )
                lines[name] = ast.unparse(one)
    return lines


def readme_modules() -> dict[str, str]:
    """The README's Python blocks as modules, in order. The README's blocks build on each
    other (``options`` from one is used in the next): each module imports what it uses as
    a reader's own code would, a name an earlier block defined from that block, a name an
    earlier block imported with the same import."""
    context = ast.parse(CONTEXT)
    binding = dict.fromkeys(_bound(context), "from readme_context import {name}")
    modules = {"readme_context": CONTEXT}
    for number, code in enumerate(readme_blocks("python")):
        tree = ast.parse(code, f"README.md python block {number}")
        name = f"readme_block_{number}"
        free = sorted(_used(tree) - _bound(tree) - set(dir(builtins)))
        missing = [n for n in free if n not in binding]
        assert not missing, f"README python block {number} uses {missing}, defined nowhere"
        header = "".join(binding[n].format(name=n) + "\n" for n in free)
        modules[name] = header + code
        imports = _imports(tree)
        for bound in _bound(tree):
            binding[bound] = imports.get(bound, f"from {name} import {{name}}")
    return modules


@pytest.fixture(scope="module")
def mypy_cache(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return tmp_path_factory.mktemp("mypy-cache")


def run_mypy(folder: Path, cache: Path) -> subprocess.CompletedProcess[str]:
    (folder / "mypy.ini").write_text(CONFIG, encoding="utf-8")
    command = [sys.executable, "-m", "mypy", "--config-file", "mypy.ini", "--cache-dir", str(cache)]
    return subprocess.run(
        [*command, *sorted(p.name for p in folder.glob("*.py"))],
        cwd=folder,
        capture_output=True,
        text=True,
        timeout=300,
        check=False,
    )


def test_the_configuration_has_no_plugin() -> None:
    assert "plugins" not in CONFIG and "strict = True" in CONFIG


@pytest.mark.slow
def test_readme_examples_pass_plain_mypy_strict(tmp_path: Path, mypy_cache: Path) -> None:
    modules = readme_modules()
    assert len(modules) > 8
    assert any("SblOptions(" in code and "storefront=" in code for code in modules.values())
    for name, code in modules.items():
        (tmp_path / f"{name}.py").write_text(code, encoding="utf-8")
    result = run_mypy(tmp_path, mypy_cache)
    assert result.returncode == 0, result.stdout + result.stderr


@pytest.mark.slow
def test_a_wrong_call_is_still_caught(tmp_path: Path, mypy_cache: Path) -> None:
    """The check is not vacuous: sblgen's types are seen, and a wrong one is reported."""
    (tmp_path / "wrong.py").write_text(
        "import sblgen\n"
        "sblgen.SblOptions(storefront=42)\n"
        'sblgen.SblOptions(storefront="acme.onfastspring.com", acces_key="K")\n'
        "sblgen.script_tag(b'acme.onfastspring.com')\n",
        encoding="utf-8",
    )
    result = run_mypy(tmp_path, mypy_cache)
    assert result.returncode == 1
    assert result.stdout.count("error:") == 3, result.stdout
    assert '"storefront"' in result.stdout and '"acces_key"' in result.stdout


#: Models users construct directly whose signature for type checkers is written out (in an
#: ``if TYPE_CHECKING:`` block), because a field accepts more than its type says.
TYPED_INITS: list[type[BaseModel]] = [SblOptions]


@pytest.mark.parametrize("model", TYPED_INITS, ids=lambda m: m.__name__)
def test_written_out_signatures_match_the_fields(model: type[BaseModel]) -> None:
    module = sys.modules[model.__module__]
    source = Path(str(module.__file__)).read_text(encoding="utf-8")
    cls = next(
        node
        for node in ast.walk(ast.parse(source))
        if isinstance(node, ast.ClassDef) and node.name == model.__name__
    )
    init = next(
        node
        for block in cls.body
        if isinstance(block, ast.If) and ast.unparse(block.test) == "TYPE_CHECKING"
        for node in block.body
        if isinstance(node, ast.FunctionDef) and node.name == "__init__"
    )
    assert not init.args.args[1:] and init.args.vararg is None and init.args.kwarg is None
    params = [arg.arg for arg in init.args.kwonlyargs]
    assert params == list(model.model_fields)
    namespace = vars(module)
    for arg, default in zip(init.args.kwonlyargs, init.args.kw_defaults, strict=True):
        field = model.model_fields[arg.arg]
        if default is None:
            assert field.is_required(), arg.arg
        else:
            assert not field.is_required(), arg.arg
            assert field.default is not PydanticUndefined
            value = eval(compile(ast.Expression(default), "<default>", "eval"), namespace)  # noqa: S307
            assert value == field.default, arg.arg
