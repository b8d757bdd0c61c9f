"""What the Flask and Django endpoints share: the settings, reading the body within its
limit, the default store per app or database, and the reply."""

from __future__ import annotations

import io
from pathlib import Path

import pytest

from sblgen.errors import ConfigurationError
from sblgen.events import Dispatcher, EventStore, MemoryStore, OrderCompleted, WebhookReply
from sblgen.events.endpoint import SETTING, StoreChoice, WebhookSettings, answer, read_limited
from sblgen.events.receiver import SECRET_ENV
from tests.webhook_apps import MIXED, SECRET, envelope, order_completed, signed_headers


def test_settings(tmp_path: Path) -> None:
    settings = WebhookSettings.from_mapping(
        {"SECRET": ["old", "new"], "SECRET_ENV": ["A", "B"], "MAX_BODY_BYTES": 1024},
        setting="S",
    )
    assert settings.secrets({"A": "env-a", "B": ""}) == ["old", "new", "env-a"]
    assert "old" not in repr(settings) and "new" not in repr(settings)
    assert WebhookSettings.from_mapping(None, setting="S").secret_env == (SECRET_ENV,)
    for bad, message in [
        ({"SECRET": ""}, r"S\['SECRET'\] must be a non-empty string or a list of them\."),
        ({"SECRET_ENV": [1]}, r"S\['SECRET_ENV'\] must be"),
        ({"MAX_BODY_BYTES": 0}, r"S\['MAX_BODY_BYTES'\] must be a positive number of bytes"),
        ({"SQLITE_PATH": 3}, r"S\['SQLITE_PATH'\] must be a file path\."),
        ({"SECRTE": "x"}, r"S has unknown keys SECRTE; use MAX_BODY_BYTES, SECRET, "),
        (["SECRET"], r"S must be a dict of settings\."),
    ]:
        with pytest.raises(ConfigurationError, match=message):
            WebhookSettings.from_mapping(bad, setting="S")  # type: ignore[arg-type]


def test_the_setting_is_named_once() -> None:
    assert SETTING == "SBLGEN_WEBHOOKS"


def test_read_limited_stops_at_the_limit_or_the_declared_length() -> None:
    class Trickle(io.BytesIO):
        def read(self, size: int | None = -1) -> bytes:  # fewer bytes than asked, as sockets do
            return super().read(min(3, size if size is not None and size >= 0 else 3))

    assert read_limited(Trickle(b"0123456789").read, 10) == b"0123456789"
    assert read_limited(Trickle(b"0123456789").read, 9) is None
    untouched = io.BytesIO(b"abc")
    assert read_limited(untouched.read, 2, declared=3) is None
    assert untouched.tell() == 0  # a declared length over the limit reads nothing
    assert read_limited(io.BytesIO(b"abc").read, 3, declared=3) == b"abc"


def test_store_choice_makes_one_default_store_per_key() -> None:
    made: list[str] = []

    def make(name: str) -> EventStore:
        made.append(name)
        return MemoryStore()

    choice = StoreChoice()
    first = choice.get("app-1", lambda: make("app-1"))
    assert choice.get("app-1", lambda: make("again")) is first
    assert choice.get(("db.sqlite3", "default"), lambda: make("db")) is not first
    assert made == ["app-1", "db"]
    given = MemoryStore()
    assert StoreChoice(given).get("app-1", lambda: make("never")) is given
    assert made == ["app-1", "db"]


def test_answer_refuses_a_large_body_before_making_the_store() -> None:
    config = WebhookSettings.from_mapping({"SECRET": SECRET, "MAX_BODY_BYTES": 100}, setting="S")

    def no_store() -> EventStore:
        raise AssertionError("a refused body needs no store")

    message = "The webhook body is larger than the 100 bytes allowed (MAX_BODY_BYTES)."
    assert answer(None, {}, config, None, Dispatcher(), no_store) == (413, message)
    assert answer(MIXED, signed_headers(MIXED), config, None, Dispatcher(), no_store) == (
        413,
        message,
    )


def test_answer_receives_with_the_settings_secrets_or_the_given_ones(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    body = envelope(order_completed("e1"))
    store = MemoryStore()
    dispatcher = Dispatcher()
    dispatcher.on(OrderCompleted)(lambda event: None)
    from_env = WebhookSettings.from_mapping({"SECRET_ENV": "SHOP_FS_SECRET"}, setting="S")
    unset = answer(body, signed_headers(body), from_env, None, Dispatcher(), lambda: store)
    assert unset.status == 500 and "No webhook secret is configured" in unset.body
    monkeypatch.setenv("SHOP_FS_SECRET", SECRET)
    reply = answer(body, signed_headers(body), from_env, None, dispatcher, lambda: store)
    assert reply == WebhookReply(200, "") and store.is_done("event:e1")
    given = answer(body, signed_headers(body, "b"), from_env, ["a", "b"], Dispatcher(), MemoryStore)
    assert given == (200, "")
