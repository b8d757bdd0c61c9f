"""``sblgen.testing``, the fake FastSpring for users' tests: where it listens, how sblgen is
pointed at it, the credentials it takes, what it logs and shows, the faults and answers a
test scripts, the state a test seeds, and the limits it keeps."""

from __future__ import annotations

import base64
import json
import os
import socket
import subprocess
import sys
from decimal import Decimal
from pathlib import Path
from unittest import mock

import httpx
import pytest

import sblgen
from sblgen import ApiConnectionError, AuthenticationError, ConfigurationError
from sblgen.api import Client
from sblgen.testing import (
    CLIENT_SECRET,
    FAULTS,
    MAX_BODY_BYTES,
    PASSWORD,
    USERNAME,
    FakeFastSpring,
    Recorded,
    async_client_for,
    client_for,
    oauth_client_for,
)
from sblgen.testing.v2 import DOCUMENTED_400
from tests.aio import run_async

DATA = Path(__file__).parent / "data"
PURCHASE = {"account": "acc-1", "items": [{"product": "falcon"}]}


def raw_exchange(fake: FakeFastSpring, head: bytes) -> tuple[bytes, bytes]:
    """Send ``head`` over a socket; the status line and the rest until the fake closes."""
    port = int(fake.base_url.rsplit(":", 1)[1])
    with socket.create_connection(("127.0.0.1", port), timeout=5) as sock:
        sock.sendall(head)
        chunks = []
        while chunk := sock.recv(65536):
            chunks.append(chunk)
    answer = b"".join(chunks)
    status, _, rest = answer.partition(b"\r\n")
    return status, rest


# ------------------------------------------------------------------------- where it is


def test_listens_on_loopback_only(fake: FakeFastSpring) -> None:
    assert fake._httpd.server_address[0] == "127.0.0.1"
    assert fake.base_url.startswith("http://127.0.0.1:")
    assert fake.token_url == fake.base_url + "/identity/oauth/token"


def test_each_fake_has_its_own_port_and_state() -> None:
    with FakeFastSpring() as one, FakeFastSpring() as two:
        assert one.base_url != two.base_url
        order = one.add_order()
        assert order["id"] in one.resources.orders
        assert order["id"] not in two.resources.orders


def test_close_is_idempotent_and_stops_serving() -> None:
    fake = FakeFastSpring()
    url = fake.base_url
    fake.close()
    fake.close()
    assert repr(fake) == "<FakeFastSpring closed>"
    with (
        Client(username=USERNAME, password=PASSWORD, base_url=url, max_retries=0) as client,
        pytest.raises(ApiConnectionError),
    ):
        client.create_session(PURCHASE)


# ------------------------------------------------------------- pointing sblgen at it


def test_env_points_client_from_the_environment(fake: FakeFastSpring) -> None:
    clean = {k: v for k, v in os.environ.items() if not k.startswith("FASTSPRING_")}
    with mock.patch.dict(os.environ, {**clean, **fake.env()}, clear=True), Client() as client:
        session = client.create_session(PURCHASE)
    assert session.id in fake.state["sessions"]
    assert fake.requests[-1].headers["Authorization"].startswith("Basic ")


def test_env_oauth_points_client_at_the_token_endpoint(fake: FakeFastSpring) -> None:
    clean = {k: v for k, v in os.environ.items() if not k.startswith("FASTSPRING_")}
    with mock.patch.dict(os.environ, {**clean, **fake.env(oauth=True)}, clear=True):
        with Client() as client:
            session = client.checkout("acme/popup-acme").create({"live": False})
        assert session.id in fake.state["v2"]
        assert [r.path for r in fake.requests] == [
            "/identity/oauth/token",
            "/v2/checkouts/acme/popup-acme/sessions",
        ]
        assert fake.requests[-1].headers["Authorization"] == "Bearer tok-1"


def test_cli_commands_use_the_environment(
    fake: FakeFastSpring, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from sblgen.cli import main

    for name, value in fake.env().items():
        monkeypatch.setenv(name, value)
    request = tmp_path / "request.json"
    request.write_text(json.dumps(PURCHASE), encoding="utf-8")
    assert main(["api", "create-session", str(request)]) == 0
    assert fake.requests[-1].json() == {"account": "acc-1", "items": [{"product": "falcon"}]}


def test_custom_credentials(fake: FakeFastSpring) -> None:
    with FakeFastSpring(username="shop", password="s3cret-Pw", client_secret="x") as custom:
        assert custom.env()["FASTSPRING_API_USERNAME"] == "shop"
        assert custom.env()["FASTSPRING_API_PASSWORD"] == "s3cret-Pw"
        with client_for(custom) as client:
            assert client.create_session(PURCHASE).id
        with (
            Client(username=USERNAME, password=PASSWORD, base_url=custom.base_url) as client,
            pytest.raises(AuthenticationError),
        ):
            client.create_session(PURCHASE)
        with oauth_client_for(custom) as client:
            assert client.checkout("acme/popup-acme").create({"live": False}).id


def test_oauth_client_is_v2_only(fake: FakeFastSpring) -> None:
    with oauth_client_for(fake) as client, pytest.raises(ConfigurationError):
        client.create_session(PURCHASE)
    assert fake.requests == []


def test_async_client_for(fake: FakeFastSpring) -> None:
    fake.fail_next("503", retry_after=0.5)  # retried at once: the client never sleeps

    async def scenario() -> str:
        async with async_client_for(fake) as client:
            return (await client.create_session(PURCHASE)).id

    assert run_async(scenario) in fake.state["sessions"]
    assert len(fake.requests) == 2


# ---------------------------------------------------------------------- what it shows


def test_reprs_show_no_credentials(fake: FakeFastSpring) -> None:
    with FakeFastSpring(password="hunter2-Pw", client_secret="oauth-hunter2") as custom:
        with client_for(custom) as client:
            client.create_session(PURCHASE)
        with oauth_client_for(custom) as client:
            client.checkout("acme/popup-acme").create({"live": False})
        shown = repr(custom) + repr(custom.requests)
    for secret in ("hunter2-Pw", "oauth-hunter2"):
        assert secret not in shown
        assert base64.b64encode(secret.encode()).decode()[:8] not in shown
    assert "Bearer" not in shown and "Basic" not in shown
    assert shown.count("'Authorization': '<redacted>'") == 3


def test_recorded_request() -> None:
    request = Recorded("POST", "/sessions?x=1", {"Cookie": "a=b", "X-Other": "1"}, b"")
    assert request.json() is None
    assert "a=b" not in repr(request) and "'X-Other': '1'" in repr(request)
    assert Recorded("GET", "/", {}, b"[1]").json() == [1]


def test_requests_are_logged_in_order(fake: FakeFastSpring) -> None:
    order = fake.add_order()
    with client_for(fake) as client:
        client.create_session(PURCHASE)
        client.orders.get(order["id"])
    assert [(r.method, r.path) for r in fake.requests] == [
        ("POST", "/sessions"),
        ("GET", f"/orders/{order['id']}"),
    ]
    assert fake.requests[0].json() == PURCHASE


# ------------------------------------------------------------------------- scripting


def test_fail_next_refuses_what_it_does_not_know(fake: FakeFastSpring) -> None:
    with pytest.raises(ValueError, match=r"^unknown fault '418': use one of slow, 400, "):
        fake.fail_next("418")
    with pytest.raises(ValueError, match=r"^on='both': give 'api' \(the default\) or 'token'$"):
        fake.fail_next("500", on="both")  # type: ignore[arg-type]
    with pytest.raises(ValueError, match=r"^count=0: give 1 or more$"):
        fake.respond_next(200, count=0)
    assert fake.faults == []
    assert "reply" not in FAULTS and {"429", "503", "drop", "reset", "slow"} <= set(FAULTS)


def test_fail_next_count_and_order(fake: FakeFastSpring) -> None:
    fake.fail_next("500", count=2)
    with client_for(fake, max_retries=0) as client:
        for _ in range(2):
            with pytest.raises(sblgen.ServerError):
                client.create_session(PURCHASE)
        assert client.create_session(PURCHASE).id


def test_respond_next_scripts_any_answer(fake: FakeFastSpring) -> None:
    fake.respond_next(
        200, {"id": "SCRIPTED", "currency": "EUR", "expires": 1_900_000_000_000}, count=2
    )
    fake.respond_next(418, raw=b"teapot", headers={"Content-Type": "text/plain"})
    with client_for(fake, max_retries=0) as client:
        assert client.create_session(PURCHASE).id == "SCRIPTED"
        assert client.create_session(PURCHASE).currency == "EUR"
        with pytest.raises(sblgen.UnexpectedResponseError, match="HTTP 418"):
            client.create_session(PURCHASE)
        assert client.create_session(PURCHASE).id.startswith("SE")
    assert len(fake.state["sessions"]) == 1  # only the request that reached the fake's logic


def test_respond_next_on_the_token_request(fake: FakeFastSpring) -> None:
    fake.respond_next(401, {"error": "invalid_client"}, on="token")
    with oauth_client_for(fake) as client, pytest.raises(AuthenticationError):
        client.checkout("acme/popup-acme").create({"live": False})
    assert [r.path for r in fake.requests] == ["/identity/oauth/token"]


def test_the_documented_400_is_the_documented_example() -> None:
    assert (
        DATA / "sessions_api" / "v2" / "create-response-400.json"
    ).read_bytes() == DOCUMENTED_400


# --------------------------------------------------------------------------- seeding


def test_seeded_state_reads_back_through_the_api(fake: FakeFastSpring) -> None:
    account = fake.add_account("grace@example.com", custom="user-7", first="Grace")
    subscription = fake.add_subscription(account["id"], "pro-yearly", live=True)
    order = fake.add_order(account_id=account["id"], items=[("basic-monthly", 3)], tags={"a": "1"})
    fake.set_price("gadget", "FR", "EUR", 12.5, "12,50 €")
    fake.add_event("account.updated", {"account": account["id"]})
    with client_for(fake) as client:
        got = client.accounts.get(account["id"])
        assert got.contact is not None and got.contact.first == "Grace"
        assert got.contact.email == "grace@example.com"
        sub = client.subscriptions.get(subscription["id"])
        assert (sub.product, sub.live) == ("pro-yearly", True)
        got_order = client.orders.get(order["id"])
        assert got_order.tags == {"a": "1"}
        assert [(i.product, i.quantity) for i in got_order.items] == [("basic-monthly", 3)]
        price = client.products.price("gadget").pricing["FR"]
        assert (price.currency, price.price, price.display) == ("EUR", Decimal("12.5"), "12,50 €")
        types = [event.type for event in client.events.unprocessed(days=1)]
    assert types == ["order.completed", "account.updated"]
    assert fake.resources.accounts[account["id"]]["orders"] == [order["id"]]


# ------------------------------------------------------------------------------ limits


def test_a_body_over_the_limit_gets_413_unread(fake: FakeFastSpring) -> None:
    head = (
        f"POST /sessions HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Length: {MAX_BODY_BYTES + 1}"
        "\r\n\r\n"
    ).encode()
    status, rest = raw_exchange(fake, head)
    assert status == b"HTTP/1.1 413 Request Entity Too Large"
    assert f"at most {MAX_BODY_BYTES}".encode() in rest
    assert fake.requests == []


def test_a_body_at_the_limit_is_read(fake: FakeFastSpring) -> None:
    body = b" " * (MAX_BODY_BYTES - 2) + b"{}"
    auth = base64.b64encode(f"{USERNAME}:{PASSWORD}".encode())
    head = (
        b"POST /sessions HTTP/1.1\r\nHost: 127.0.0.1\r\nConnection: close\r\n"
        b"Authorization: Basic " + auth + b"\r\nContent-Length: " + str(len(body)).encode()
    )
    status, _ = raw_exchange(fake, head + b"\r\n\r\n" + body)
    assert status == b"HTTP/1.1 400 Bad Request"  # read, and refused as FastSpring would
    assert len(fake.requests[0].body) == MAX_BODY_BYTES


@pytest.mark.parametrize(
    ("header", "status"),
    [
        (b"Content-Length: -5", b"400 Bad Request"),
        (b"Content-Length: abc", b"400 Bad Request"),
        (b"Transfer-Encoding: chunked", b"411 Length Required"),
    ],
)
def test_bodies_without_a_usable_length(fake: FakeFastSpring, header: bytes, status: bytes) -> None:
    answer, _ = raw_exchange(fake, b"POST /sessions HTTP/1.1\r\nHost: x\r\n" + header + b"\r\n\r\n")
    assert answer == b"HTTP/1.1 " + status
    assert fake.requests == []


def test_a_handler_crash_answers_500(fake: FakeFastSpring) -> None:
    auth = (USERNAME, PASSWORD)
    answer = httpx.get(f"{fake.base_url}/events/unprocessed?begin=soon", auth=auth)
    assert answer.status_code == 500
    assert answer.json() == {"message": "Internal error (ValueError)"}
    assert httpx.post(f"{fake.base_url}/sessions", auth=auth, json=PURCHASE).status_code == 200


def test_wrong_credentials_answer_401(fake: FakeFastSpring) -> None:
    for auth in ((USERNAME, "wrong"), ("oauth-client", CLIENT_SECRET)):
        answer = httpx.post(f"{fake.base_url}/sessions", auth=auth, json=PURCHASE)
        assert answer.status_code == 401
    assert fake.state["sessions"] == {}


# --------------------------------------------------------------- import hygiene, plugin


def test_the_lazy_table_matches_the_type_checking_imports() -> None:
    import ast

    import sblgen.testing as testing

    source = Path(testing.__file__).read_text(encoding="utf-8")
    seen: dict[str, str] = {}
    for node in ast.walk(ast.parse(source)):
        if isinstance(node, ast.If):
            for child in node.body:
                if isinstance(child, ast.ImportFrom) and child.module:
                    seen.update({alias.name: child.module for alias in child.names})
    assert seen == testing._LAZY
    assert testing.__all__ == sorted(seen)
    for name in testing.__all__:
        assert getattr(testing, name) is getattr(sys.modules[seen[name]], name)
    assert set(testing.__all__) <= set(dir(testing))
    with pytest.raises(AttributeError, match=r"^module 'sblgen\.testing' has no attribute 'nope'$"):
        _ = testing.nope


def test_importing_the_package_needs_neither_pytest_nor_httpx() -> None:
    code = (
        "import sys\n"
        "from sblgen.testing import FakeFastSpring\n"
        "print(sorted(m for m in ('pytest', 'httpx', 'flask', 'django') if m in sys.modules))\n"
    )
    out = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, check=True, timeout=60
    ).stdout
    assert out.strip() == "[]"


def test_the_plugin_module_loads_only_pytest() -> None:
    """pytest loads the plugin in every run: the fake loads when a test asks for it."""
    code = (
        "import sys\n"
        "import sblgen.testing.pytest_plugin\n"
        "print('sblgen.testing.server' in sys.modules, 'pytest' in sys.modules)\n"
    )
    out = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, check=True, timeout=60
    ).stdout
    assert out.strip() == "False True"
