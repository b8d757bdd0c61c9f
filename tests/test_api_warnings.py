"""FastSpring's ``warnings[]`` on a v2 session: typed, and logged, raised or ignored as the
client's ``on_warning`` says (against the fake FastSpring over real sockets)."""

from __future__ import annotations

import logging

import pytest

from sblgen import ConfigurationError, SessionWarningError
from sblgen.api import AsyncClient, Client
from sblgen.cli import main
from sblgen.testing import PASSWORD, USERNAME, FakeFastSpring, client_for
from tests.aio import run_async

TEST_CHECKOUT = "acme.test/popup-acme"  # a store in test mode: live sessions get a warning


def _records(caplog: pytest.LogCaptureFixture) -> list[str]:
    return [r.getMessage() for r in caplog.records if r.name == "sblgen.api"]


def test_warnings_log_raise_ignore(fake: FakeFastSpring, caplog: pytest.LogCaptureFixture) -> None:
    caplog.set_level(logging.WARNING, logger="sblgen.api")
    with client_for(fake) as client:
        checkout = client.checkout(TEST_CHECKOUT)
        created = checkout.create({"cart": {"lineItems": [{"productPath": "p"}]}})
    (record,) = _records(caplog)
    assert "CHECKOUT_NOT_LIVE" in record and created.id in record and "on live" in record
    assert [w.code for w in created.warnings] == ["CHECKOUT_NOT_LIVE"]
    assert created.live is False

    caplog.clear()
    with client_for(fake, on_warning="raise") as client, pytest.raises(SessionWarningError) as exc:
        client.checkout(TEST_CHECKOUT).create({"cart": {"couponCode": "NOPE"}})
    err = exc.value
    assert err.session.id in fake.state["v2"]  # the session exists
    assert [w.code for w in err.warnings] == ["CHECKOUT_NOT_LIVE", "INVALID_PROMO_CODE"]
    assert str(err).startswith(f"POST {fake.base_url}/v2/checkouts/{TEST_CHECKOUT}/sessions ")
    assert (
        f"created session {err.session.id} with FastSpring warnings: CHECKOUT_NOT_LIVE (live)"
        in str(err)
    )
    assert "INVALID_PROMO_CODE (promoCode)" in str(err) and "use err.session" in str(err)
    assert _records(caplog) == []

    with client_for(fake, on_warning="ignore") as client:
        quiet = client.checkout(TEST_CHECKOUT).create({})
        assert quiet.warnings and _records(caplog) == []
    with client_for(fake) as client:
        fetched = client.checkout(TEST_CHECKOUT).get(created.id)
    assert [w.code for w in fetched.warnings] == ["CHECKOUT_NOT_LIVE"]
    assert _records(caplog) == []  # D6: a read reports nothing


def test_live_false_gives_no_warning(
    fake: FakeFastSpring, caplog: pytest.LogCaptureFixture
) -> None:
    caplog.set_level(logging.WARNING, logger="sblgen.api")
    with client_for(fake, on_warning="raise") as client:
        assert client.checkout(TEST_CHECKOUT).create({"live": False}).warnings == []


def test_update_reports_its_own_warnings(fake: FakeFastSpring) -> None:
    with client_for(fake, on_warning="raise") as client:
        checkout = client.checkout("acme/popup-acme")
        sid = checkout.create({}).id
        with pytest.raises(SessionWarningError, match=f"updated session {sid} with"):
            checkout.update(sid, {"cart": {"couponCode": "NOPE"}})


def test_async_warnings_raise(fake: FakeFastSpring) -> None:
    async def scenario() -> None:
        async with AsyncClient(
            username=USERNAME, password=PASSWORD, base_url=fake.base_url, on_warning="raise"
        ) as client:
            with pytest.raises(SessionWarningError):
                await client.checkout(TEST_CHECKOUT).create({})

    run_async(scenario)


def test_on_warning_is_checked_when_the_client_is_made() -> None:
    with pytest.raises(ConfigurationError, match="on_warning='loud'"):
        Client(username="u", password="p", on_warning="loud")  # type: ignore[arg-type]


def test_cli_reports_warnings(
    fake: FakeFastSpring, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    monkeypatch.setenv("FASTSPRING_API_USERNAME", USERNAME)
    monkeypatch.setenv("FASTSPRING_API_PASSWORD", PASSWORD)
    monkeypatch.setenv("FASTSPRING_API_BASE_URL", fake.base_url)
    argv = ["api", "v2", "create-session", "--checkout", TEST_CHECKOUT, "--on-warning", "raise"]
    monkeypatch.setattr("sys.stdin", __import__("io").StringIO("{}"))
    assert main(argv) == 2
    err = capsys.readouterr().err.strip().splitlines()
    assert len(err) == 1 and "CHECKOUT_NOT_LIVE" in err[0] and "The session exists" in err[0]
