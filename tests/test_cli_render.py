"""``sblgen render``."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from sblgen import SecureRequest, Session
from sblgen.cli import main

SHOP = "demo.test.onfastspring.com/popup-demo"


def test_render_session(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    path = tmp_path / "s.json"
    path.write_text('{"products": [{"path": "pro-plan", "quantity": 1}], "coupon": "SPRING"}')
    assert main(["render", "--storefront", SHOP, "--session", str(path)]) == 0
    out = capsys.readouterr().out
    session = Session.model_validate(json.loads(path.read_text()))
    assert f'(window,document,"session",{session.to_json()});' in out
    assert 'data-storefront="demo.test.onfastspring.com/popup-demo"' in out
    assert "fastspring-builder.min.js" in out
    assert 'data-fsc-item-path-value="pro-plan"' in out


def test_render_secure_nonce_external(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    secure = tmp_path / "secure.json"
    secure.write_text(json.dumps(SecureRequest.plaintext({"coupon": "SPRING"}).to_dict()))
    argv = ["render", "--storefront", SHOP, "--secure", str(secure), "--access-key", "K"]
    assert main([*argv, "--nonce", "abc"]) == 0
    out = capsys.readouterr().out
    assert '<script nonce="abc">var fscSession = (function(' in out
    assert '(window,document,"session",{"secure":' in out
    assert main([*argv, "--mode", "external"]) == 0
    captured = capsys.readouterr()
    assert "<script>" not in captured.out and "sbl-loader.js" in captured.out
    assert "script-src 'self'" in captured.err


@pytest.mark.parametrize(
    ("argv", "message"),
    [
        (["render", "--storefront", "example.com"], "not a FastSpring storefront"),
        (["render", "--storefront", SHOP, "--nonce", "a b"], "not a CSP nonce"),
        (["render", "--storefront", SHOP, "--session", "/nope.json"], "no such file"),
    ],
)
def test_render_errors(argv: list[str], message: str, capsys: pytest.CaptureFixture[str]) -> None:
    assert main(argv) == 2
    assert message in capsys.readouterr().err


def test_render_plaintext_secure_live_refused(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    secure = tmp_path / "secure.json"
    secure.write_text('{"payload": {"coupon": "X"}, "key": ""}')
    argv = ["render", "--storefront", "demo.onfastspring.com/popup-demo", "--secure", str(secure)]
    assert main([*argv, "--access-key", "K"]) == 2
    assert "live storefront" in capsys.readouterr().err
