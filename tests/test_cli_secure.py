"""The secure payload CLI contract: keygen, secure encrypt|decrypt|check."""

from __future__ import annotations

import io
import json
import stat
import sys
from pathlib import Path

import pytest

from sblgen.cli import main

KEYS = Path(__file__).parent / "data" / "keys"
KEY = str(KEYS / "test-privatekey.pem")
CERT = str(KEYS / "test-publicCert.pem")


def _run(argv: list[str], capsys: pytest.CaptureFixture[str]) -> tuple[int, str, str]:
    code = main(argv)
    out, err = capsys.readouterr()
    return code, out, err


def test_keygen(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    code, out, _ = _run(["keygen", "--out-dir", str(tmp_path)], capsys)
    assert code == 0
    assert "privatekey.pem" in out and "publicCert.pem" in out
    assert stat.S_IMODE((tmp_path / "privatekey.pem").stat().st_mode) == 0o600
    code, _, err = _run(["keygen", "--out-dir", str(tmp_path)], capsys)
    assert code == 2 and "already exist" in err and "--force" in err
    assert _run(["keygen", "--out-dir", str(tmp_path), "--force"], capsys)[0] == 0
    (tmp_path / "file").write_text("not a folder")
    code, out, err = _run(["keygen", "--out-dir", str(tmp_path / "file" / "keys")], capsys)
    assert (code, out) == (2, "")  # an OS error is one line, not a traceback
    assert err.startswith("sblgen: ") and "file" in err and "Traceback" not in err


def test_encrypt_then_decrypt(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    payload = tmp_path / "p.json"
    payload.write_text('{"coupon": "SPRING", "tags": {"who": "Zoë"}}', encoding="utf-8")
    code, out, _ = _run(["secure", "encrypt", "--private-key", KEY, str(payload)], capsys)
    assert code == 0
    request = json.loads(out)
    assert set(request) == {"payload", "key"}
    secure = tmp_path / "s.json"
    secure.write_text(out)
    code, out, _ = _run(["secure", "decrypt", "--cert", CERT, str(secure)], capsys)
    assert code == 0
    assert json.loads(out) == {"coupon": "SPRING", "tags": {"who": "Zoë"}}


def test_encrypt_stdin_and_test_mode(
    monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    monkeypatch.setattr(sys, "stdin", io.StringIO('{"coupon": "SPRING"}'))
    code, out, _ = _run(["secure", "encrypt", "--test-mode", "-"], capsys)
    assert code == 0
    assert json.loads(out) == {"payload": {"coupon": "SPRING"}}


def test_encrypt_password_env(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    payload = tmp_path / "p.json"
    payload.write_text("{}")
    enc = str(KEYS / "test-encrypted.pem")
    monkeypatch.setenv("KEY_PASSWORD", "s3cret")
    argv = [
        "secure",
        "encrypt",
        "--private-key",
        enc,
        "--password-env",
        "KEY_PASSWORD",
        str(payload),
    ]
    assert _run(argv, capsys)[0] == 0
    monkeypatch.setenv("KEY_PASSWORD", "nope")
    code, _, err = _run(argv, capsys)
    assert code == 2 and "wrong password" in err


def test_check(capsys: pytest.CaptureFixture[str]) -> None:
    code, out, _ = _run(["secure", "check", "--private-key", KEY, "--cert", CERT], capsys)
    assert code == 0 and out.startswith("OK")
    other = str(KEYS / "other-publicCert.pem")
    code, out, _ = _run(["secure", "check", "--private-key", KEY, "--cert", other], capsys)
    assert code == 1 and out.startswith("MISMATCH")


@pytest.mark.parametrize(
    ("argv", "content", "message"),
    [
        (["secure", "encrypt", "--private-key", KEY], "{nope", "not valid JSON"),
        (["secure", "encrypt", "--private-key", KEY], '{"coupon": "a b"}', "coupon:"),
        (["secure", "encrypt", "--private-key", "/nonexistent.pem"], "{}", "does not exist"),
        (["secure", "encrypt", "--private-key", str(KEYS / "ec.pem")], "{}", "must be RSA"),
        (["secure", "encrypt"], "{}", "needs --private-key"),
        (["secure", "decrypt", "--cert", CERT], '{"payload": "x", "key": "y"}', "base64"),
        (["secure", "decrypt", "--cert", CERT], "[1]", "JSON object"),
        (["secure", "decrypt", "--cert", KEY], '{"payload": "QQ==", "key": "QQ=="}', "certificate"),
    ],
)
def test_user_errors_exit_2(
    tmp_path: Path,
    capsys: pytest.CaptureFixture[str],
    argv: list[str],
    content: str,
    message: str,
) -> None:
    path = tmp_path / "in.json"
    path.write_text(content)
    code, _, err = _run([*argv, str(path)], capsys)
    assert code == 2
    assert message in err
    assert "Traceback" not in err
    assert "PRIVATE KEY" not in err
