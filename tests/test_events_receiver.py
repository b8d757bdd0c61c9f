"""receive(): the framework-free endpoint, its refusals, and the whole delivery story over a
real SQLite file: twice, concurrently from threads and from two processes, one handler
failing until it is healed."""

from __future__ import annotations

from pathlib import Path

import pytest

from sblgen.events import (
    MAX_BODY_BYTES,
    EventStore,
    MemoryStore,
    SQLiteStore,
    WebhookReply,
    receive,
)
from sblgen.webhooks import sign
from tests.webhook_apps import (
    MIXED,
    RESENT,
    SECRET,
    check_racing_replies,
    concurrently,
    pids,
    recording_dispatcher,
    run_peers,
    runs,
    signed_headers,
    worker_argv,
)


def _deliver(body: bytes, store: EventStore, tmp_path: Path) -> WebhookReply:
    dispatcher = recording_dispatcher(tmp_path / "log", tmp_path / "heal")
    return receive(body, signed_headers(body), SECRET, dispatcher, store)


def test_refusals_are_one_line_and_run_nothing(tmp_path: Path) -> None:
    store = MemoryStore()
    log = tmp_path / "log"
    dispatcher = recording_dispatcher(log, tmp_path / "heal")

    def reply(
        body: bytes, headers: dict[str, str], secrets: str | list[str] = SECRET
    ) -> WebhookReply:
        return receive(body, headers, secrets, dispatcher, store)

    unsigned = reply(MIXED, {})
    assert unsigned == (401, unsigned.body) and "no X-FS-Signature header" in unsigned.body
    wrong = reply(MIXED, {"x-fs-signature": sign(MIXED, "other")})
    assert wrong.status == 401 and "does not match" in wrong.body
    tampered = reply(MIXED.replace(b"o1", b"o2"), signed_headers(MIXED))
    assert tampered.status == 401
    no_secret = reply(MIXED, signed_headers(MIXED), secrets=[])
    assert no_secret.status == 500 and "No webhook secret is configured" in no_secret.body
    not_events = b'{"orders": []}'
    assert reply(not_events, signed_headers(not_events)).status == 400
    deep = b'{"events": [], "x": ' + b"[" * 100 + b"]" * 100 + b"}"
    deep_reply = reply(deep, signed_headers(deep))
    assert deep_reply.status == 400 and "MAX_JSON_DEPTH" in deep_reply.body
    big = b" " * (MAX_BODY_BYTES + 1)
    big_reply = reply(big, signed_headers(big))
    assert big_reply.status == 413 and "MAX_BODY_BYTES" in big_reply.body
    small_limit = receive(
        MIXED, signed_headers(MIXED), SECRET, dispatcher, store, max_body_bytes=10
    )
    assert small_limit.status == 413
    for refused in (unsigned, wrong, tampered, no_secret, deep_reply, big_reply):
        assert "\n" not in refused.body
    assert not log.exists()


def test_rotation_accepts_either_secret(tmp_path: Path) -> None:
    dispatcher = recording_dispatcher(tmp_path / "log", tmp_path / "heal")
    (tmp_path / "heal").touch()
    headers = {"X-FS-Signature": sign(MIXED, "new-secret")}
    got = receive(MIXED, headers, ["old-secret", "new-secret"], dispatcher, MemoryStore())
    assert got == (200, "")


def test_delivered_twice_then_healed_then_resent(tmp_path: Path) -> None:
    store = SQLiteStore(tmp_path / "claims.sqlite3")
    log, heal = tmp_path / "log", tmp_path / "heal"
    first = _deliver(MIXED, store, tmp_path)
    assert first == (202, "evt-1")  # evt-2's handler failed: only evt-1 is acknowledged
    again = _deliver(MIXED, store, tmp_path)
    assert again == (202, "evt-1")  # evt-1 is a duplicate, evt-2 fails again
    assert (runs(log, "fulfil o1"), runs(log, "dun-attempt s1"), runs(log, "dun s1")) == (1, 2, 0)
    heal.touch()
    healed = _deliver(MIXED, store, tmp_path)
    assert healed == (200, "")
    resent = _deliver(RESENT, store, tmp_path)  # new event ids, same changes
    assert resent == (200, "")
    assert (runs(log, "fulfil o1"), runs(log, "dun-attempt s1"), runs(log, "dun s1")) == (1, 3, 1)


def test_concurrent_deliveries_from_threads_run_each_handler_once(tmp_path: Path) -> None:
    store = SQLiteStore(tmp_path / "claims.sqlite3")
    log, heal = tmp_path / "log", tmp_path / "heal"
    dispatcher = recording_dispatcher(log, heal, slow=0.3)
    replies = concurrently(
        lambda: receive(MIXED, signed_headers(MIXED), SECRET, dispatcher, store),
        8,
    )
    check_racing_replies(replies)
    assert runs(log, "fulfil o1") == 1
    heal.touch()
    assert (
        concurrently(
            lambda: receive(MIXED, signed_headers(MIXED), SECRET, dispatcher, store),
            4,
        ).count((200, ""))
        >= 1
    )
    assert receive(MIXED, signed_headers(MIXED), SECRET, dispatcher, store) == (200, "")
    assert (runs(log, "fulfil o1"), runs(log, "dun s1")) == (1, 1)


@pytest.mark.slow
def test_two_processes_sharing_one_sqlite_file(tmp_path: Path) -> None:
    db, log, heal = tmp_path / "claims.sqlite3", tmp_path / "log", tmp_path / "heal"
    body = tmp_path / "body.json"
    body.write_bytes(MIXED)

    def run_workers(ready: Path, threads: int) -> list[tuple[int, str]]:
        return run_peers(
            worker_argv(
                "receive", db, log, heal, slow=0.3, body=body, ready=ready, peers=2, threads=threads
            )
        )

    replies = run_workers(tmp_path / "ready-1", threads=3)
    check_racing_replies(replies)
    assert runs(log, "fulfil o1") == 1
    # Which process runs a handler is the race's to decide: under load one process can
    # claim every event before the other starts, so only "at most two" is guaranteed.
    assert 1 <= len(pids(log)) <= 2
    heal.touch()
    healed = run_workers(tmp_path / "ready-2", threads=1)
    assert (200, "") in healed
    assert (runs(log, "fulfil o1"), runs(log, "dun s1")) == (1, 1)
