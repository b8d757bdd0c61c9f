"""``sblgen site build``: the CLI contract."""

from __future__ import annotations

from pathlib import Path

import pytest

from sblgen.cli import main
from tests.sites import DEMO


def test_cli_site_build(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["site", "build", str(DEMO), "--out", str(tmp_path / "x")]) == 0
    assert "built 14 pages" in capsys.readouterr().out
    assert main(["site", "build", str(tmp_path / "missing"), "--out", str(tmp_path / "y")]) == 2
    assert "site.toml: not found" in capsys.readouterr().err
