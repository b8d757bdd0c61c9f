"""The Flask webhook blueprint on a real socket (werkzeug's server on 127.0.0.1): signed
posts delivered twice, concurrently from threads and to two server processes sharing one
SQLite file, with one handler failing until it is healed."""

from __future__ import annotations

import itertools
import json
import subprocess
from collections.abc import Iterator
from pathlib import Path

import httpx
import pytest
from flask import Flask

from sblgen.errors import ConfigurationError
from sblgen.events import Dispatcher, MemoryStore, OrderCompleted
from sblgen.integrations.flask_webhooks import DEFAULT_SQLITE_NAME, webhook_blueprint
from sblgen.webhooks import sign
from tests.webhook_apps import (
    MIXED,
    RESENT,
    ROOT,
    SECRET,
    check_racing_replies,
    concurrently,
    envelope,
    flask_app,
    order_completed,
    runs,
    serve,
    signed_headers,
    worker_argv,
)

URL = "/fastspring/webhooks"


def _post(base: str, body: bytes, headers: dict[str, str] | None = None) -> tuple[int, str]:
    response = httpx.post(base + URL, content=body, headers=headers or signed_headers(body))
    assert response.headers["content-type"] == "text/plain; charset=utf-8"
    return response.status_code, response.text


@pytest.fixture
def server(tmp_path: Path) -> Iterator[str]:
    app = flask_app(tmp_path / "claims.sqlite3", tmp_path / "log", tmp_path / "heal", slow=0.3)
    with serve(app) as base:
        yield base


def test_twice_concurrently_failing_then_healed(server: str, tmp_path: Path) -> None:
    log, heal = tmp_path / "log", tmp_path / "heal"
    assert _post(server, MIXED) == (202, "evt-1")  # evt-2's handler failed
    assert _post(server, MIXED) == (202, "evt-1")  # evt-1 not fulfilled again
    assert (runs(log, "fulfil o1"), runs(log, "dun-attempt s1")) == (1, 2)
    # A new order delivered 6 times at once: fulfilled once.
    new = envelope(order_completed("evt-10", "o10"))
    replies = concurrently(lambda: _post(server, new), 6)
    assert runs(log, "fulfil o10") == 1
    assert set(replies) <= {(200, ""), (500, "No event was processed; deliver them again.")}
    assert (200, "") in replies
    heal.touch()
    assert _post(server, MIXED) == (200, "")  # the redelivery processes evt-2
    assert _post(server, RESENT) == (200, "")  # a manual resend (new ids) runs nothing
    assert _post(server, new) == (200, "")
    assert (runs(log, "fulfil o1"), runs(log, "dun s1"), runs(log, "fulfil o10")) == (1, 1, 1)


def test_refusals(server: str, tmp_path: Path) -> None:
    assert httpx.get(server + URL).status_code == 405
    status, text = _post(server, MIXED, {"X-FS-Signature": sign(MIXED, "wrong")})
    assert status == 401 and "does not match" in text
    status, text = _post(server, MIXED, {"Content-Type": "application/json"})
    assert status == 401 and "no X-FS-Signature" in text
    assert not (tmp_path / "log").exists()


def test_body_limit_with_and_without_content_length(tmp_path: Path) -> None:
    app = flask_app(tmp_path / "c.sqlite3", tmp_path / "log", tmp_path / "heal")
    app.config["SBLGEN_WEBHOOKS"]["MAX_BODY_BYTES"] = 200
    big = envelope(*(order_completed(f"e{i}") for i in range(5)))
    with serve(app) as base:
        status, text = _post(base, big)
        assert status == 413 and "larger than the 200 bytes allowed" in text

        def chunks() -> Iterator[bytes]:  # chunked: no Content-Length to check first
            for start in range(0, len(big), 50):
                yield big[start : start + 50]

        response = httpx.post(base + URL, content=chunks(), headers=signed_headers(big))
        assert response.status_code == 413
        small = envelope(order_completed("e1"))
        assert len(small) <= 200
        assert _post(base, small) == (200, "")


def test_secret_from_the_environment_and_default_store(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    app = Flask(__name__, instance_path=str(tmp_path / "instance"))
    dispatcher = Dispatcher()
    fulfilled: list[str] = []

    @dispatcher.on(OrderCompleted)
    def fulfil(event: OrderCompleted) -> None:
        fulfilled.append(event.id)

    app.register_blueprint(webhook_blueprint(dispatcher, url="/hooks/fs"))
    body = envelope(order_completed("e1"))
    with serve(app) as base:
        unset = httpx.post(base + "/hooks/fs", content=body, headers=signed_headers(body))
        assert unset.status_code == 500 and "SBLGEN_WEBHOOK_SECRET" in unset.text
        monkeypatch.setenv("SBLGEN_WEBHOOK_SECRET", SECRET)
        ok = httpx.post(base + "/hooks/fs", content=body, headers=signed_headers(body))
        assert (ok.status_code, ok.text) == (200, "")
        again = httpx.post(base + "/hooks/fs", content=body, headers=signed_headers(body))
        assert again.status_code == 200
    assert fulfilled == ["e1"]
    assert (tmp_path / "instance" / DEFAULT_SQLITE_NAME).is_file()


def test_explicit_store_and_secret(tmp_path: Path) -> None:
    app = Flask(__name__)
    dispatcher = Dispatcher()
    dispatcher.on(OrderCompleted)(lambda event: None)
    store = MemoryStore()
    app.register_blueprint(webhook_blueprint(dispatcher, store=store, secrets=["a", "b"]))
    body = envelope(order_completed("e1"))
    reply = app.test_client().post(URL, data=body, headers={"X-FS-Signature": sign(body, "b")})
    assert reply.status_code == 200 and store.is_done("event:e1")


def test_a_settings_typo_fails_at_registration() -> None:
    app = Flask(__name__)
    app.config["SBLGEN_WEBHOOKS"] = {"SECRET_ENVS": "X"}
    with pytest.raises(ConfigurationError, match=r"app.config\['SBLGEN_WEBHOOKS'\] has unknown"):
        app.register_blueprint(webhook_blueprint(Dispatcher()))


@pytest.mark.slow
def test_two_server_processes_sharing_one_sqlite_file(tmp_path: Path) -> None:
    db, log, heal = tmp_path / "claims.sqlite3", tmp_path / "log", tmp_path / "heal"
    argv = worker_argv("flask-server", db, log, heal, slow=0.3)
    servers = [
        subprocess.Popen(
            argv,
            cwd=ROOT,
            stdin=subprocess.PIPE,
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            text=True,
        )
        for _ in range(2)
    ]
    try:
        bases = [json.loads(s.stdout.readline()) for s in servers]  # type: ignore[union-attr]
        turn = itertools.count()

        def deliver() -> tuple[int, str]:
            return _post(bases[next(turn) % 2], MIXED)

        replies = concurrently(deliver, 6)  # three at each server, at once
        check_racing_replies(replies)
        assert runs(log, "fulfil o1") == 1
        heal.touch()
        assert _post(bases[0], MIXED) == (200, "")
        assert _post(bases[1], MIXED) == (200, "")
        assert _post(bases[1], RESENT) == (200, "")
        assert (runs(log, "fulfil o1"), runs(log, "dun s1")) == (1, 1)
    finally:
        for process in servers:
            process.communicate(input="", timeout=30)
    assert all(process.returncode == 0 for process in servers)


def test_the_template_extension_accepts_the_webhook_settings() -> None:
    from sblgen.integrations.flask import Sblgen

    app = Flask(__name__)
    app.config["SBLGEN_STOREFRONT"] = "acme.test.onfastspring.com/popup-acme"
    app.config["SBLGEN_WEBHOOKS"] = {"SECRET": SECRET}
    Sblgen(app)
    app.register_blueprint(webhook_blueprint(Dispatcher()))
