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


def test_render_label(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    path = tmp_path / "s.json"
    path.write_text('{"products": [{"path": "pro-plan", "quantity": 2}]}')
    argv = ["embed", "--storefront", SHOP, "--session", str(path)]
    assert main([*argv, "--label", "Get {quantity} × {path}"]) == 0
    assert ">Get 2 × pro-plan</button>" in capsys.readouterr().out


@pytest.mark.parametrize(
    ("extra", "message"),
    [
        (["--no-buttons"], "--label: the snippet has no buttons"),
        (["--label", "Buy {name}"], "--label: 'Buy {name}' cannot be filled in (KeyError"),
        (["--label", "Buy {"], "write a literal brace as {{ or }}"),
    ],
)
def test_render_label_errors(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], extra: list[str], message: str
) -> None:
    path = tmp_path / "s.json"
    path.write_text('{"products": [{"path": "pro-plan"}]}')
    argv = ["embed", "--storefront", SHOP, "--session", str(path)]
    if "--label" not in extra:
        extra = [*extra, "--label", "Buy"]
    assert main([*argv, *extra]) == 2
    err = capsys.readouterr().err
    assert message in err and "Traceback" not in err
    assert len(err.strip().splitlines()) == 1


def test_render_refuses_what_the_sbl_would_misread(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    path = tmp_path / "s.json"
    path.write_text('{"paymentMethod": "paypal", "hideOtherPaymentMethods": true}')
    assert main(["embed", "--storefront", SHOP, "--session", str(path)]) == 2
    err = capsys.readouterr().err
    assert "hideOtherPaymentMethods is dropped by the SBL in a plain session" in err


def test_render_embedded_storefront_has_its_container(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    path = tmp_path / "s.json"
    path.write_text('{"products": [{"path": "pro-plan"}]}')
    shop = "demo.test.onfastspring.com/embedded-demo"
    assert main(["embed", "--storefront", shop, "--session", str(path)]) == 0
    out = capsys.readouterr().out
    assert out.endswith('<div id="fsc-embedded-checkout-container"></div>\n')
