"""End to end: the stand-in SBL's popup-closed callback posts the order id to a real Flask
(and Django) server on 127.0.0.1, which confirms it against the fake FastSpring over real
HTTP, under a strict Content-Security-Policy and the framework's CSRF check. A forged id
and a live order on this test storefront are refused, naming the check; the webhook that
follows a confirmed order is a duplicate."""

from __future__ import annotations

import json
import subprocess
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from sblgen.api import Client
from sblgen.events import SQLiteStore
from sblgen.testing import FakeFastSpring, client_for
from sblgen.testing.resources import FakeResources
from sblgen.webhooks import sign
from tests.browser.harness import settle, wire_requests
from tests.confirm_apps import (
    WEBHOOK_SECRET,
    django_argv,
    flask_app,
    fulfilled,
    serving,
)

pytestmark = pytest.mark.browser

ROOT = Path(__file__).resolve().parent.parent.parent


@pytest.fixture
def client(fake: FakeFastSpring) -> Iterator[Client]:
    with client_for(fake, timeout=5.0) as api:
        yield api


def _posts(page: Any) -> list[Any]:
    """The confirm requests the page sent (Playwright sees loopback requests too)."""
    posts: list[Any] = []
    page.on("request", lambda r: posts.append(r) if r.method == "POST" else None)
    return posts


def _wait_for(page: Any, done: Any, timeout_s: float = 10.0) -> None:
    """Poll from Python: ``wait_for_function`` evaluates a string, which the page's CSP
    (no 'unsafe-eval') forbids."""
    deadline = time.monotonic() + timeout_s
    while not done():
        if time.monotonic() > deadline:
            raise AssertionError("the page never reported the confirmation")
        page.wait_for_timeout(25)


def _close_popup_with(page: Any, order: dict[str, Any] | None) -> list[Any]:
    """Open the checkout, then let the checkout frame report a close (as FastSpring's
    does, with the order's id and reference, or with none); return the page's record of
    confirm outcomes once the new one arrived."""
    seen = len(page.evaluate("window.__confirm"))
    requests = len(wire_requests(page))
    page.evaluate("fastspring.builder.checkout()")
    page.wait_for_selector("#fsc-popup-frame", state="attached")
    message: dict[str, Any] = {"action": "close"}
    if order is not None:
        message["orderReferences"] = {"id": order["order"], "reference": order["reference"]}
    page.evaluate("m => window.postMessage({fscPopupMessage: m}, '*')", message)
    _wait_for(page, lambda: len(page.evaluate("window.__confirm")) > seen)
    page.wait_for_selector("#fscCanvas", state="detached")
    settle(page, requests + 2)  # the finalize, then the reset after the close
    record: list[Any] = page.evaluate("window.__confirm")
    return record[seen:]


def _assert_confirmations(page: Any, fake: FakeFastSpring, data: FakeResources, log: Path) -> None:
    good = data.add_order(live=False, items=[("pro-monthly", 1)])
    live = data.add_order(live=True)
    posts = _posts(page)

    [(event, detail)] = _close_popup_with(page, good)
    assert event == "order-confirmed"
    assert detail["order"] == good["order"] and detail["reference"] == good["reference"]
    assert detail["live"] is False and detail["duplicate"] is False
    assert detail["items"] == [{"product": "pro-monthly", "quantity": 1}]
    assert detail["subscriptions"] == [good["items"][0]["subscription"]]
    # Only the id left the browser; the server read the order from FastSpring itself.
    assert json.loads(posts[-1].post_data) == {"id": good["order"]}
    assert posts[-1].headers["content-type"] == "application/json"
    assert posts[-1].headers.get("x-csrftoken")
    assert any(r.path == f"/orders/{good['order']}" for r in fake.requests)

    forged = {"order": "FORGEDorder0000000001", "reference": "ACM000001-1265-35113"}
    [(event, detail)] = _close_popup_with(page, forged)
    assert (event, detail["result"], detail["check"]) == ("order-refused", "refused", "found")

    [(event, detail)] = _close_popup_with(page, live)
    assert (event, detail["check"]) == ("order-refused", "live")
    assert "is a live order, but a test order was expected" in detail["message"]

    [(event, detail)] = _close_popup_with(page, None)  # closed without buying: nothing sent
    assert (event, detail) == ("order-none", None)

    [(event, detail)] = _close_popup_with(page, good)  # a second close: confirmed, not granted
    assert (event, detail["duplicate"]) == ("order-confirmed", True)
    assert fulfilled(log) == [f"popup {good['order']}"]
    assert page.page_errors == []
    assert page.evaluate("window.__violations") == []


def _webhook(url: str, order: dict[str, Any], path: str) -> int:
    import urllib.request

    body = json.dumps(
        {
            "events": [
                {
                    "id": "evt-conf-1",
                    "type": "order.completed",
                    "live": False,
                    "created": 1764000000000,
                    "data": order,
                }
            ]
        }
    ).encode()
    request = urllib.request.Request(
        url + path,
        data=body,
        headers={"X-FS-Signature": sign(body, WEBHOOK_SECRET), "Content-Type": "application/json"},
    )
    with urllib.request.urlopen(request, timeout=10) as response:
        return int(response.status)


@pytest.mark.parametrize("mode", ["inline", "external"])
def test_flask_confirms_the_popup_order(
    page: Any,
    fake: FakeFastSpring,
    data: FakeResources,
    client: Client,
    tmp_path: Path,
    mode: str,
) -> None:
    log = tmp_path / "fulfilled.log"
    store = SQLiteStore(tmp_path / "claims.sqlite3")
    with serving(flask_app(client, store, log, mode=mode)) as url:
        page.goto(url + "/checkout")
        settle(page, 1)
        _assert_confirmations(page, fake, data, log)
        # The order.completed webhook that follows is acknowledged, and fulfils nothing.
        order = next(o for o in data.orders.values() if not o["live"] and o["completed"])
        assert _webhook(url, order, "/fastspring/webhooks") == 200
    assert fulfilled(log) == [f"popup {order['order']}"]


def test_flask_refuses_a_post_without_the_csrf_token(
    fake: FakeFastSpring, data: FakeResources, client: Client, tmp_path: Path
) -> None:
    app = flask_app(client, SQLiteStore(tmp_path / "c.sqlite3"), tmp_path / "log")
    order = data.add_order(live=False)
    reply = app.test_client().post("/orders/confirm", json={"id": order["order"]})
    assert reply.status_code == 403
    assert not any(r.path.startswith("/orders/") for r in fake.requests)


@pytest.fixture
def django_shop(fake: FakeFastSpring, tmp_path: Path) -> Iterator[tuple[str, Path]]:
    log = tmp_path / "fulfilled.log"
    argv = django_argv(fake.base_url, tmp_path / "shop.sqlite3", log)
    with subprocess.Popen(argv, cwd=ROOT, stdout=subprocess.PIPE, text=True) as process:
        try:
            assert process.stdout is not None
            url = process.stdout.readline().strip()
            assert url.startswith("http://127.0.0.1:"), url
            yield url, log
        finally:
            process.terminate()
            process.wait(10)


def test_django_confirms_the_popup_order(
    page: Any, fake: FakeFastSpring, data: FakeResources, django_shop: tuple[str, Path]
) -> None:
    url, log = django_shop
    page.goto(url + "/checkout")
    settle(page, 1)
    _assert_confirmations(page, fake, data, log)
    order = next(o for o in data.orders.values() if not o["live"] and o["completed"])
    assert _webhook(url, order, "/fastspring/webhooks/") == 200
    assert fulfilled(log) == [f"popup {order['order']}"]


def test_django_csrf_middleware_refuses_a_post_without_the_token(
    data: FakeResources, django_shop: tuple[str, Path]
) -> None:
    import urllib.error
    import urllib.request

    url, _log = django_shop
    order = data.add_order(live=False)
    request = urllib.request.Request(
        url + "/orders/confirm/",
        data=json.dumps({"id": order["order"]}).encode(),
        headers={"Content-Type": "application/json"},
    )
    with pytest.raises(urllib.error.HTTPError) as refused:
        urllib.request.urlopen(request, timeout=10)
    refused.value.close()
    assert refused.value.code == 403
