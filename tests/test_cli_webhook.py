"""``sblgen webhook verify``: valid, invalid and unreadable bodies; secrets from the environment."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from sblgen.cli import main
from sblgen.webhooks import sign


def test_webhook_verify(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    body = tmp_path / "body.json"
    raw = json.dumps({"events": [{"id": "e1", "type": "order.completed"}]})
    body.write_text(raw)
    signature = sign(raw.encode(), "new")
    argv = ["webhook", "verify", "--secret", "old", "--secret", "new", "--signature", signature]
    assert main([*argv, str(body)]) == 0
    assert capsys.readouterr().out.startswith("valid: 1 event(s): order.completed")
    assert main(["webhook", "verify", "--secret", "x", "--signature", signature, str(body)]) == 1
    assert capsys.readouterr().out.startswith("invalid:")
    body.write_text("nope")
    assert (
        main(["webhook", "verify", "--secret", "x", "--signature", sign(b"nope", "x"), str(body)])
        == 2
    )


def test_webhook_secret_from_the_environment(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    body = tmp_path / "body.json"
    raw = b'{"events": [{"id": "e1", "type": "order.completed"}]}'
    body.write_bytes(raw)
    verify = ["webhook", "verify", "--signature", sign(raw, "new-secret"), str(body)]
    monkeypatch.setenv("FS_WEBHOOK_OLD", "old-secret")
    monkeypatch.setenv("FS_WEBHOOK_NEW", "new-secret")
    assert main([*verify, "--secret-env", "FS_WEBHOOK_OLD", "--secret-env", "FS_WEBHOOK_NEW"]) == 0
    assert capsys.readouterr().out.startswith("valid: 1 event(s)")
    assert main([*verify, "--secret-env", "FS_WEBHOOK_OLD"]) == 1
    assert main([*verify, "--secret-env", "FS_WEBHOOK_UNSET"]) == 2
    assert "FS_WEBHOOK_UNSET is not set" in capsys.readouterr().err
    assert main(verify) == 2  # no secret at all
    assert "--secret-env" in capsys.readouterr().err
