"""The claim stores: the protocol for each, and a unique key deciding races between
threads and between processes sharing one SQLite file."""

from __future__ import annotations

import json
import subprocess
import sys
import threading
from datetime import timedelta
from pathlib import Path
from typing import Any

import pytest

from sblgen.errors import ConfigurationError
from sblgen.events import EventStore, MemoryStore, SQLiteStore
from tests.webhook_apps import check_store_protocol

ROOT = Path(__file__).resolve().parent.parent


def test_memory_store_protocol() -> None:
    shared: list[MemoryStore] = []

    def make(**options: Any) -> MemoryStore:  # one process: every handle is the same store
        if not shared:
            shared.append(MemoryStore(**options))
        return shared[0]

    check_store_protocol(make)
    assert isinstance(MemoryStore(), EventStore)


def test_sqlite_store_protocol(tmp_path: Path) -> None:
    path = tmp_path / "claims.sqlite3"
    check_store_protocol(lambda **kw: SQLiteStore(path, **kw))
    assert isinstance(SQLiteStore(path), EventStore)
    assert repr(SQLiteStore(path)) == f"SQLiteStore({str(path)!r})"


def test_sqlite_store_is_wal_and_survives_reopening(tmp_path: Path) -> None:
    path = tmp_path / "claims.sqlite3"
    store = SQLiteStore(path)
    store.mark_done("event:e1")
    store.close()
    reopened = SQLiteStore(path)
    assert reopened.is_done("event:e1") and not reopened.claim("event:e1")
    import sqlite3

    with sqlite3.connect(path) as conn:
        assert conn.execute("PRAGMA journal_mode").fetchone()[0] == "wal"
    reopened.close()


def test_sqlite_purge_keeps_recent_and_pending(tmp_path: Path) -> None:
    now = [1_000_000_000.0]
    store = SQLiteStore(tmp_path / "c.sqlite3", clock=lambda: now[0])
    store.mark_done("old")
    store.claim("pending")
    now[0] += timedelta(days=91).total_seconds()
    store.mark_done("new")
    assert store.purge() == 1
    assert not store.is_done("old") and store.is_done("new")
    assert store.claim("pending") is True  # its lease ran out long ago, it was not purged
    store.close()


def test_sqlite_missing_folder_is_one_line(tmp_path: Path) -> None:
    with pytest.raises(ConfigurationError, match=r"folder '.*nope' does not exist"):
        SQLiteStore(tmp_path / "nope" / "c.sqlite3").claim("k")


@pytest.mark.parametrize("kind", ["memory", "sqlite"])
def test_threads_racing_for_one_key_one_wins(tmp_path: Path, kind: str) -> None:
    store: EventStore = MemoryStore() if kind == "memory" else SQLiteStore(tmp_path / "c.db")
    count = 16
    barrier = threading.Barrier(count)
    wins: list[str] = []
    lock = threading.Lock()

    def race(key: str) -> None:
        barrier.wait()
        if store.claim(key):
            with lock:
                wins.append(key)

    for round_ in range(5):
        threads = [threading.Thread(target=race, args=(f"k{round_}",)) for _ in range(count)]
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join(30)
        barrier.reset()
    assert sorted(wins) == [f"k{i}" for i in range(5)]


_OPENER = """
import sys
from pathlib import Path
from sblgen.events import SQLiteStore
from tests.webhook_apps import wait_for_peers
wait_for_peers(Path(sys.argv[2]), sys.argv[3], 2)  # both open the new file at once
SQLiteStore(sys.argv[1]).claim("first-" + sys.argv[3])
"""


@pytest.mark.slow
def test_two_processes_opening_a_new_file_at_once_both_work(tmp_path: Path) -> None:
    """Two web workers starting together on a store file that does not exist yet: SQLite
    refuses one of two simultaneous switches to WAL mode at once ("database is locked",
    no busy wait); the store waits and retries instead of failing the worker."""
    for round_ in range(12):
        db, ready = tmp_path / f"new-{round_}.sqlite3", tmp_path / f"ready-{round_}"
        workers = [
            subprocess.Popen(
                [sys.executable, "-c", _OPENER, str(db), str(ready), name],
                cwd=ROOT,
                stderr=subprocess.PIPE,
                text=True,
            )
            for name in ("a", "b")
        ]
        errors = [worker.communicate(timeout=90)[1] for worker in workers]
        assert [worker.returncode for worker in workers] == [0, 0], errors


_CLAIMER = """
import json, sys
from pathlib import Path
from sblgen.events import SQLiteStore
from tests.webhook_apps import wait_for_peers
store = SQLiteStore(sys.argv[1])
store.claim("warm-up-" + sys.argv[3])  # open the file before the race starts
wait_for_peers(Path(sys.argv[2]), sys.argv[3], 2)
print(json.dumps([k for k in (f"event:{i}" for i in range(300)) if store.claim(k)]))
"""


@pytest.mark.slow
def test_two_processes_sharing_one_file_never_both_win(tmp_path: Path) -> None:
    db = tmp_path / "shared.sqlite3"
    ready = tmp_path / "ready"
    workers = [
        subprocess.Popen(
            [sys.executable, "-c", _CLAIMER, str(db), str(ready), name],
            cwd=ROOT,
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            text=True,
        )
        for name in ("a", "b")
    ]
    results = []
    for worker in workers:
        out, err = worker.communicate(timeout=90)
        assert worker.returncode == 0, err
        results.append(set(json.loads(out)))
    first, second = results
    assert not first & second  # never both
    assert first | second == {f"event:{i}" for i in range(300)}  # and never neither
