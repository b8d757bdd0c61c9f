"""``sblgen --version`` and ``sblgen session validate``."""

from __future__ import annotations

import io
import subprocess
import sys
from pathlib import Path

import pytest

import sblgen
from sblgen.cli import main


def test_version(capsys: pytest.CaptureFixture[str]) -> None:
    with pytest.raises(SystemExit) as exc:
        main(["--version"])
    assert exc.value.code == 0
    assert capsys.readouterr().out.strip() == f"sblgen {sblgen.__version__}"


def test_no_command_prints_help(capsys: pytest.CaptureFixture[str]) -> None:
    assert main([]) == 2
    assert "usage: sblgen" in capsys.readouterr().err


def test_validate_ok_json(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    path = tmp_path / "s.json"
    path.write_text('{"reset": true, "products": [{"path": "a", "quantity": 1}]}')
    assert main(["session", "validate", str(path)]) == 0
    assert capsys.readouterr().out == "OK\n"


def test_validate_ok_toml(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    path = tmp_path / "s.toml"
    path.write_text('coupon = "SPRING"\n[[products]]\npath = "a"\nquantity = 2\n')
    assert main(["session", "validate", str(path)]) == 0
    assert capsys.readouterr().out == "OK\n"


def test_validate_reports_each_error(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    path = tmp_path / "s.json"
    path.write_text('{"products": [{"path": "a", "quantity": -1}], "coupon": "a b", "x": 1}')
    assert main(["session", "validate", str(path)]) == 2
    err = capsys.readouterr().err.splitlines()
    assert err[0] == "products.0.quantity: Input should be greater than or equal to 0"
    assert err[1].startswith("coupon: 'a b' is not a coupon code")
    assert err[2].startswith("x: unknown field; use one of 'reset', 'products'")


def test_validate_whole_object_rule(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    path = tmp_path / "s.json"
    path.write_text('{"clean": true}')
    assert main(["session", "validate", str(path)]) == 2
    assert capsys.readouterr().err.startswith("(top level): clean=True only works")


@pytest.mark.parametrize(
    ("content", "name", "message"),
    [
        ("{nope", "s.json", "not valid JSON (line 1, column 2"),
        ("a = ", "s.toml", "not valid TOML"),
        (b"\xff\xfe", "s.json", "cannot be read"),
    ],
)
def test_validate_bad_files(
    tmp_path: Path,
    capsys: pytest.CaptureFixture[str],
    content: str | bytes,
    name: str,
    message: str,
) -> None:
    path = tmp_path / name
    if isinstance(content, bytes):
        path.write_bytes(content)
    else:
        path.write_text(content)
    assert main(["session", "validate", str(path)]) == 2
    assert message in capsys.readouterr().err


def test_validate_missing_file(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["session", "validate", "/nonexistent/s.json"]) == 2
    assert "no such file" in capsys.readouterr().err


def test_validate_stdin(
    monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    monkeypatch.setattr(sys, "stdin", io.StringIO('{"coupon": ""}'))
    assert main(["session", "validate", "-"]) == 0
    assert capsys.readouterr().out == "OK\n"


def test_console_script_and_module_entry_points(tmp_path: Path) -> None:
    path = tmp_path / "s.json"
    path.write_text('{"country": "XX"}')
    result = subprocess.run(
        [sys.executable, "-m", "sblgen", "session", "validate", str(path)],
        capture_output=True,
        text=True,
        check=False,
    )
    assert result.returncode == 2
    assert result.stderr.startswith("country: 'XX' is not an ISO 3166-1")
    assert "Traceback" not in result.stderr
    version = subprocess.run(
        [Path(sys.executable).parent / "sblgen", "--version"],
        capture_output=True,
        text=True,
        check=True,
    )
    assert version.stdout.strip() == f"sblgen {sblgen.__version__}"
