"""``sblgen api create-session`` and ``sblgen api v2`` against the fake FastSpring."""

from __future__ import annotations

import json
from collections.abc import Iterator
from pathlib import Path

import pytest

from sblgen.cli import main
from sblgen.testing import PASSWORD, USERNAME, FakeFastSpring


@pytest.fixture
def fake(monkeypatch: pytest.MonkeyPatch) -> Iterator[FakeFastSpring]:
    server = FakeFastSpring()
    monkeypatch.setenv("FASTSPRING_API_USERNAME", USERNAME)
    monkeypatch.setenv("FASTSPRING_API_PASSWORD", PASSWORD)
    monkeypatch.setenv("FASTSPRING_API_BASE_URL", server.base_url)
    yield server
    server.close()


def test_create_session(
    fake: FakeFastSpring, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    request = tmp_path / "r.json"
    request.write_text('{"account": "acc-1234", "items": [{"product": "falcon"}]}')
    assert main(["api", "create-session", str(request)]) == 0
    out = capsys.readouterr().out.splitlines()
    session_id = out[0].removeprefix("id: ")
    assert out[1].startswith("expires: 2030-")
    assert out[2] == f'<script>var fscSession = {{"checkout":"{session_id}"}};</script>'
    argv = ["api", "create-session", str(request), "--storefront", "acme.onfastspring.com/acme"]
    assert main(argv) == 0
    text = capsys.readouterr().out
    assert "hosted checkout: https://acme.onfastspring.com/acme/session/SE" in text
    assert 'id="fsc-api"' in text


def test_create_session_with_an_id_the_sbl_cannot_open(
    fake: FakeFastSpring,
    tmp_path: Path,
    capsys: pytest.CaptureFixture[str],
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    """The session exists once FastSpring answered: the command prints its id and exits 0,
    then says why the id cannot be handed to the browser (the SBL's > 10 characters rule)."""
    request = tmp_path / "r.json"
    request.write_text('{"account": "acc-1234", "items": [{"product": "falcon"}]}')
    # FastSpring's ids are long; the fake answers with one the SBL would not open.
    monkeypatch.setattr(fake, "next_id", lambda prefix: "SHORT12345")
    for extra in ([], ["--storefront", "acme.onfastspring.com/popup-acme"]):
        assert main(["api", "create-session", str(request), *extra]) == 0
        captured = capsys.readouterr()
        assert captured.out.splitlines()[0] == "id: SHORT12345"
        assert "fsc-api" not in captured.out and "fscSession" not in captured.out
        assert captured.err.splitlines() == [
            "sblgen: the session was created, but its id cannot be handed to the browser: "
            "'SHORT12345' cannot be handed to the SBL as a session id: the SBL treats a "
            "checkout string of 10 characters or fewer as a plain 'open checkout' and drops "
            "it; pass the 'id' returned by the Sessions API."
        ]


def test_create_session_errors(
    fake: FakeFastSpring, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    request = tmp_path / "r.json"
    request.write_text('{"items": [{"product": "falcon"}]}')
    assert main(["api", "create-session", str(request)]) == 2
    assert "exactly one of account" in capsys.readouterr().err
    request.write_text('{"account": "a", "items": [{"product": "falcon"}]}')
    fake.fail_next("400")
    assert main(["api", "create-session", str(request)]) == 2
    err = capsys.readouterr().err
    assert "HTTP 400: Invalid product path" in err and PASSWORD not in err


def test_missing_credentials(
    monkeypatch: pytest.MonkeyPatch, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    monkeypatch.delenv("FASTSPRING_API_USERNAME", raising=False)
    request = tmp_path / "r.json"
    request.write_text('{"account": "a", "items": [{"product": "falcon"}]}')
    assert main(["api", "create-session", str(request)]) == 2
    assert "credentials are missing" in capsys.readouterr().err


def test_v2_commands(
    fake: FakeFastSpring, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    body = tmp_path / "body.json"
    body.write_text('{"live": false, "cart": {"lineItems": [{"productPath": "a"}]}}')
    base = ["api", "v2"]
    assert main([*base, "create-session", "--checkout", "acme/popup-acme", str(body)]) == 0
    created = json.loads(capsys.readouterr().out)
    sid = created["id"]
    assert created["checkoutUrls"]["webcheckoutUrl"].endswith(sid)
    item = tmp_path / "item.json"
    item.write_text('{"productPath": "b", "quantity": 2}')
    assert main([*base, "add-item", "--checkout", "acme/popup-acme", sid, str(item)]) == 0
    added = json.loads(capsys.readouterr().out)
    assert (added["productPath"], added["quantity"]) == ("b", 2)
    assert main([*base, "remove-item", "--checkout", "acme/popup-acme", sid, "a"]) == 0
    assert json.loads(capsys.readouterr().out) == {"ok": True}
    assert main([*base, "get", "--checkout", "acme/popup-acme", sid]) == 0
    got = json.loads(capsys.readouterr().out)
    assert [(i["productPath"], i["quantity"]) for i in got["cart"]["lineItems"]] == [("b", 2)]
    assert got["cart"]["withTaxNetTotal"] == 19.8
    assert main([*base, "get", "--checkout", "acme/popup-acme", "missing"]) == 2
    assert "HTTP 404" in capsys.readouterr().err
    assert main([*base, "get", "--checkout", "acme", sid]) == 2
    assert "not a checkout path" in capsys.readouterr().err


def test_cli_error_line_has_error_id(
    fake: FakeFastSpring, capsys: pytest.CaptureFixture[str]
) -> None:
    assert main(["api", "v2", "get", "--checkout", "acme/popup-acme", "missing"]) == 2
    err = capsys.readouterr().err.splitlines()
    assert len(err) == 1 and "HTTP 404: Session not found" in err[0] and "[error id FS" in err[0]
