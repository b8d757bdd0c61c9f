"""``sblgen api orders|subscriptions|accounts|prices|events`` against the fake FastSpring:
JSON out, one-line errors with exit 2, no tracebacks, secrets from the environment only."""

from __future__ import annotations

import json
from collections.abc import Iterator

import pytest

from sblgen._cli.api_resources import parse_since
from sblgen.cli import main
from sblgen.testing import PASSWORD, USERNAME, FakeFastSpring
from sblgen.testing.resources import FakeResources, now_ms
from tests import pull_handlers


@pytest.fixture
def fake(monkeypatch: pytest.MonkeyPatch) -> Iterator[FakeFastSpring]:
    server = FakeFastSpring()
    monkeypatch.setenv("FASTSPRING_API_USERNAME", USERNAME)
    monkeypatch.setenv("FASTSPRING_API_PASSWORD", PASSWORD)
    monkeypatch.setenv("FASTSPRING_API_BASE_URL", server.base_url)
    yield server
    server.close()


def _fails(argv: list[str], capsys: pytest.CaptureFixture[str]) -> str:
    assert main(argv) == 2
    captured = capsys.readouterr()
    lines = captured.err.strip().splitlines()
    assert len(lines) == 1, captured.err
    assert "Traceback" not in captured.err and PASSWORD not in captured.err + captured.out
    return lines[0]


def test_orders_get(data: FakeResources, capsys: pytest.CaptureFixture[str]) -> None:
    placed = data.add_order()
    assert main(["api", "orders", "get", placed["order"]]) == 0
    printed = json.loads(capsys.readouterr().out)
    assert printed["order"] == placed["order"]
    assert printed["changed"].startswith("20")  # ISO-8601, from the ms timestamp
    assert printed["totalDisplay"] == placed["totalDisplay"]  # unknown fields kept
    assert "several at once" in _fails(["api", "orders", "get", "a,b"], capsys)
    assert "HTTP 400: order: Not found" in _fails(["api", "orders", "get", "nope"], capsys)


def test_subscriptions(data: FakeResources, capsys: pytest.CaptureFixture[str]) -> None:
    sid = data.add_subscription(data.add_account()["account"])["id"]
    assert main(["api", "subscriptions", "get", sid]) == 0
    assert json.loads(capsys.readouterr().out)["state"] == "active"
    assert main(["api", "subscriptions", "cancel", sid]) == 0
    assert json.loads(capsys.readouterr().out) == {
        "action": "subscription.cancel",
        "result": "success",
        "subscription": sid,
    }
    assert main(["api", "subscriptions", "uncancel", sid]) == 0
    assert json.loads(capsys.readouterr().out)["state"] == "active"
    assert main(["api", "subscriptions", "cancel", "--now", sid]) == 0
    capsys.readouterr()
    assert data.subscriptions[sid]["state"] == "deactivated"
    line = _fails(["api", "subscriptions", "uncancel", sid], capsys)
    assert line.endswith("uncancel: Subscription is not active.")


def test_accounts(data: FakeResources, capsys: pytest.CaptureFixture[str]) -> None:
    account = data.add_account("ada@example.com", custom="user-42")["account"]
    assert main(["api", "accounts", "lookup", "--email", "ada@example.com"]) == 0
    assert json.loads(capsys.readouterr().out) == [account]
    assert main(["api", "accounts", "lookup", "--custom", "user-42"]) == 0
    assert json.loads(capsys.readouterr().out) == [account]
    assert main(["api", "accounts", "portal", account, "--subscriptions"]) == 0
    url = capsys.readouterr().out.strip()
    assert url.startswith("https://") and url.endswith("#/subscriptions")
    assert "HTTP 500: account: Not found" in _fails(["api", "accounts", "portal", "nope"], capsys)


def test_accounts_lookup_needs_one_key(fake: FakeFastSpring) -> None:
    with pytest.raises(SystemExit) as caught:
        main(["api", "accounts", "lookup"])
    assert caught.value.code == 2


def test_prices(fake: FakeFastSpring, capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["api", "prices", "--country", "de"]) == 0
    products = json.loads(capsys.readouterr().out)
    assert {p["product"]: sorted(p["pricing"]) for p in products}["pro-monthly"] == ["DE"]
    assert main(["api", "prices", "--product", "pro-yearly"]) == 0
    assert json.loads(capsys.readouterr().out)["pricing"]["US"]["setupFeePrice"] == "10.0"
    assert "not an ISO 3166-1" in _fails(["api", "prices", "--country", "XX"], capsys)
    assert "needs country=" in _fails(["api", "prices", "--currency", "EUR"], capsys)


def test_events_pull(data: FakeResources, capsys: pytest.CaptureFixture[str]) -> None:
    order = data.add_order()  # an order.completed event
    data.add_event("account.updated", {"account": order["account"]})
    assert main(["api", "events", "pull", "--since", "2h"]) == 0
    out = capsys.readouterr().out.splitlines()
    assert out[-1] == "2 unprocessed; nothing marked (give --handler MODULE:FUNCTION)."
    assert not any(e["processed"] for e in data.events)
    pull_handlers.SEEN.clear()
    assert main(["api", "events", "pull", "--handler", "tests.pull_handlers:accept_orders"]) == 0
    assert capsys.readouterr().out.strip() == "2 fetched, 1 processed, 1 declined, 0 not marked"
    assert [e["processed"] for e in data.events] == [True, False]
    assert [e["id"] for e in data.events] == pull_handlers.SEEN


def test_events_pull_errors(
    fake: FakeFastSpring, data: FakeResources, capsys: pytest.CaptureFixture[str]
) -> None:
    data.add_order()
    pull = ["api", "events", "pull"]
    assert "more than 30 days ago" in _fails([*pull, "--since", "31d"], capsys)
    assert "--since 'soon'" in _fails([*pull, "--since", "soon"], capsys)
    assert "MODULE:FUNCTION" in _fails([*pull, "--handler", "nothing"], capsys)
    assert "cannot import" in _fails([*pull, "--handler", "no_such_mod:f"], capsys)
    assert "has no function" in _fails(
        [*pull, "--handler", "tests.pull_handlers:NOT_CALLABLE"], capsys
    )
    line = _fails([*pull, "--handler", "tests.pull_handlers:explode"], capsys)
    assert "raised RuntimeError on event" in line and "mail server down" in line
    assert "returned str" in _fails([*pull, "--handler", "tests.pull_handlers:say_maybe"], capsys)
    assert not any(e["processed"] for e in data.events)


def test_events_pull_reports_unmarked(
    fake: FakeFastSpring, data: FakeResources, capsys: pytest.CaptureFixture[str]
) -> None:
    data.add_order()
    fake.fail_next("503")  # the fetch is refused once and retried
    real = pull_handlers.accept_orders

    def accept_then_fail(event: dict[str, object]) -> bool:
        fake.fail_next("500")  # the mark that follows fails
        return real(event)

    pull_handlers.accept_then_fail = accept_then_fail  # type: ignore[attr-defined]
    try:
        argv = ["api", "events", "pull", "--handler", "tests.pull_handlers:accept_then_fail"]
        assert main(argv) == 1
    finally:
        del pull_handlers.accept_then_fail  # type: ignore[attr-defined]
    out = capsys.readouterr().out.splitlines()
    assert out[0] == "1 fetched, 0 processed, 0 declined, 1 not marked"
    assert out[1].startswith("not marked: ") and "HTTP 500" in out[1]


def test_credentials_come_from_the_environment(
    monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    monkeypatch.delenv("FASTSPRING_API_PASSWORD", raising=False)
    assert "credentials are missing" in _fails(["api", "orders", "get", "o1"], capsys)


def test_fastspring_errors_are_one_line(
    fake: FakeFastSpring, capsys: pytest.CaptureFixture[str]
) -> None:
    fake.fail_next("500")
    assert "HTTP 500: Internal error" in _fails(["api", "subscriptions", "cancel", "s1"], capsys)
    fake.fail_next("malformed")
    assert "not JSON" in _fails(["api", "orders", "get", "o1"], capsys)


def test_parse_since_relative_hours() -> None:
    since = parse_since("12h")
    assert abs(now_ms() - 12 * 3_600_000 - since.timestamp() * 1000) < 60_000


def test_oauth_credentials_are_refused_in_one_line(
    fake: FakeFastSpring, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    monkeypatch.delenv("FASTSPRING_API_USERNAME")
    monkeypatch.delenv("FASTSPRING_API_PASSWORD")
    monkeypatch.setenv("FASTSPRING_OAUTH_CLIENT_ID", "cid")
    monkeypatch.setenv("FASTSPRING_OAUTH_CLIENT_SECRET", "csecret")
    line = _fails(["api", "orders", "get", "o1"], capsys)
    assert "document HTTP Basic only" in line and "csecret" not in line
    assert fake.requests == []
