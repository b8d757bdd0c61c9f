"""Who runs an event's handlers: a claim store decided by a unique key, never by a read.

FastSpring delivers an event more than once: automatic retries keep its id, manual resends
from the app get a *new* id, and two deliveries can arrive at once at two web workers. The
dispatcher therefore claims keys in an :class:`EventStore` before it runs any handler, and
only the caller whose claim succeeded runs them:

- ``claim(key) -> bool`` inserts the key as *pending*; a unique constraint makes exactly one
  of any number of concurrent callers (threads, processes, machines sharing the store) get
  True. A pending claim older than the store's lease (a worker that died mid-handler) may be
  taken over by one new caller, again decided by one conditional write.
- ``mark_done(key)`` records the key as done for good: later claims return False.
- ``release(key)`` deletes a *pending* claim after a handler failed, so the redelivery that
  FastSpring sends for an unacknowledged event claims it again and retries.
- ``is_done(key)`` tells a refused claim apart: done (a duplicate: acknowledge it) or still
  pending elsewhere (in progress: do not acknowledge; FastSpring will ask again).

A Redis store implements the protocol with ``SET key pending NX PX <lease ms>`` for
``claim`` (True when Redis answers OK; the key's expiry is the lease), ``SET key done``
(no expiry, or a retention of at least 30 days) for ``mark_done``, a compare-and-delete
(``if GET key == "pending" then DEL key``, as one Lua script) for ``release``, and
``GET key == "done"`` for ``is_done``.

Three stores ship: :class:`MemoryStore` (one process; tests), :class:`SQLiteStore` (a file on
one machine, shared by every process and thread there) and ``DjangoStore`` in
``sblgen.integrations.django.webhooks`` (the project's own database, shared by every
machine behind a load balancer).

>>> store = MemoryStore()
>>> store.claim("event:e1"), store.claim("event:e1"), store.is_done("event:e1")
(True, False, False)
>>> store.release("event:e1"); store.claim("event:e1")
True
>>> store.mark_done("event:e1"); store.claim("event:e1"), store.is_done("event:e1")
(False, True)
"""

from __future__ import annotations

import os
import sqlite3
import threading
import time
from collections.abc import Callable
from datetime import timedelta
from pathlib import Path
from typing import Protocol, runtime_checkable

from sblgen.errors import ConfigurationError

__all__ = ["DEFAULT_LEASE_SECONDS", "EventStore", "MemoryStore", "SQLiteStore"]

#: How long a pending claim blocks other callers before one may take it over: longer than
#: any handler runs, shorter than FastSpring's first retry (an hour under the current rule).
DEFAULT_LEASE_SECONDS = 600.0

_PENDING = "pending"
_DONE = "done"


@runtime_checkable
class EventStore(Protocol):
    """What the dispatcher needs from a store (see the module docs for the semantics)."""

    def claim(self, key: str) -> bool:
        """Atomically take ``key``: True for exactly one caller until it is released."""
        ...

    def mark_done(self, key: str) -> None:
        """Record ``key`` as processed for good."""
        ...

    def release(self, key: str) -> None:
        """Drop a pending claim on ``key`` (its handler failed), so a redelivery retries."""
        ...

    def is_done(self, key: str) -> bool:
        """True once ``key`` was marked done."""
        ...


class MemoryStore:
    """A store in this process's memory, for tests and single-process scripts. Every worker
    process has its own, so it cannot de-duplicate across processes: use
    :class:`SQLiteStore` or the Django store in production.

    ``clock`` (seconds) is injectable to test lease expiry:

    >>> now = [0.0]
    >>> store = MemoryStore(lease_seconds=10, clock=lambda: now[0])
    >>> store.claim("k"), store.claim("k")
    (True, False)
    >>> now[0] = 11.0
    >>> store.claim("k")  # the first claimer died: its lease ran out
    True
    """

    def __init__(
        self,
        *,
        lease_seconds: float = DEFAULT_LEASE_SECONDS,
        clock: Callable[[], float] = time.time,
    ) -> None:
        self.lease_seconds = lease_seconds
        self._clock = clock
        self._lock = threading.Lock()
        self._rows: dict[str, tuple[str, float]] = {}

    def claim(self, key: str) -> bool:
        now = self._clock()
        with self._lock:
            row = self._rows.get(key)
            if row is not None and (row[0] == _DONE or row[1] > now - self.lease_seconds):
                return False
            self._rows[key] = (_PENDING, now)
            return True

    def mark_done(self, key: str) -> None:
        with self._lock:
            self._rows[key] = (_DONE, self._clock())

    def release(self, key: str) -> None:
        with self._lock:
            row = self._rows.get(key)
            if row is not None and row[0] == _PENDING:
                del self._rows[key]

    def is_done(self, key: str) -> bool:
        with self._lock:
            row = self._rows.get(key)
            return row is not None and row[0] == _DONE

    def __repr__(self) -> str:
        return f"MemoryStore({len(self._rows)} keys)"


_SCHEMA = """
CREATE TABLE IF NOT EXISTS sblgen_webhook_claim (
    key TEXT PRIMARY KEY NOT NULL,
    state TEXT NOT NULL CHECK (state IN ('pending', 'done')),
    claimed_at REAL NOT NULL,
    done_at REAL
)
"""

# One statement decides: a new key is inserted; an existing key is taken over only when it
# is pending and its lease ran out. rowcount is 1 exactly when this caller got the claim.
_CLAIM = """
INSERT INTO sblgen_webhook_claim (key, state, claimed_at) VALUES (?, 'pending', ?)
ON CONFLICT (key) DO UPDATE SET claimed_at = excluded.claimed_at
WHERE sblgen_webhook_claim.state = 'pending' AND sblgen_webhook_claim.claimed_at < ?
"""


def _enable_wal(conn: sqlite3.Connection, timeout: float) -> None:
    """Switch ``conn``'s file to WAL mode. SQLite answers "database is locked" at once,
    without its busy handler, when another process is switching the same new file at that
    moment (two web workers starting together), so this waits and retries within
    ``timeout``."""
    deadline = time.monotonic() + timeout
    pause = 0.005
    while True:
        try:
            conn.execute("PRAGMA journal_mode = WAL")
            return
        except sqlite3.OperationalError as err:
            if "locked" not in str(err) or time.monotonic() + pause > deadline:
                raise
            time.sleep(pause)
            pause = min(pause * 2, 0.1)


class SQLiteStore:
    """A store in an SQLite file (standard library ``sqlite3``), shared by every thread and
    process on this machine: the right default for a single server, however many web
    workers it runs.

    ``timeout`` is SQLite's busy timeout (seconds a write waits for another process's);
    ``clock`` (epoch seconds, shared by every process) is injectable for tests.

    The file is opened in WAL mode (readers never block the writer) with a busy timeout, and
    every write is one short ``BEGIN IMMEDIATE`` transaction; the key's ``PRIMARY KEY``
    decides each claim. Each thread (and each forked process) gets its own connection. WAL
    needs a local file system: for several machines, use the Django store on a shared
    database (or a Redis store).

    >>> import tempfile, os
    >>> path = os.path.join(tempfile.mkdtemp(), "webhooks.sqlite3")
    >>> store = SQLiteStore(path)
    >>> store.claim("event:e1"), SQLiteStore(path).claim("event:e1")
    (True, False)
    >>> store.mark_done("event:e1"); store.is_done("event:e1")
    True
    >>> store.close()
    """

    def __init__(
        self,
        path: str | os.PathLike[str],
        *,
        lease_seconds: float = DEFAULT_LEASE_SECONDS,
        timeout: float = 30.0,
        clock: Callable[[], float] = time.time,
    ) -> None:
        self.path = Path(path)
        self.lease_seconds = lease_seconds
        self.timeout = timeout
        self._clock = clock
        self._local = threading.local()
        self._lock = threading.Lock()
        self._connections: list[tuple[int, sqlite3.Connection]] = []

    def __repr__(self) -> str:
        return f"SQLiteStore({str(self.path)!r})"

    def _connect(self) -> sqlite3.Connection:
        conn: sqlite3.Connection | None = getattr(self._local, "conn", None)
        if conn is not None and getattr(self._local, "pid", None) == os.getpid():
            return conn
        if not self.path.parent.is_dir():
            raise ConfigurationError(
                f"The webhook store's folder {str(self.path.parent)!r} does not exist; "
                "create it or set another SQLite path."
            )
        conn = sqlite3.connect(
            self.path, timeout=self.timeout, isolation_level=None, check_same_thread=False
        )
        conn.execute(f"PRAGMA busy_timeout = {int(self.timeout * 1000)}")
        _enable_wal(conn, self.timeout)
        conn.execute("PRAGMA synchronous = NORMAL")
        conn.execute(_SCHEMA)
        self._local.conn = conn
        self._local.pid = os.getpid()
        with self._lock:
            self._connections.append((os.getpid(), conn))
        return conn

    def _write(self, sql: str, params: tuple[object, ...]) -> int:
        conn = self._connect()
        conn.execute("BEGIN IMMEDIATE")
        try:
            count = conn.execute(sql, params).rowcount
        except BaseException:
            conn.execute("ROLLBACK")
            raise
        conn.execute("COMMIT")
        return count

    def claim(self, key: str) -> bool:
        now = self._clock()
        return self._write(_CLAIM, (key, now, now - self.lease_seconds)) == 1

    def mark_done(self, key: str) -> None:
        now = self._clock()
        self._write(
            "INSERT INTO sblgen_webhook_claim (key, state, claimed_at, done_at) "
            "VALUES (?, 'done', ?, ?) ON CONFLICT (key) DO UPDATE SET state = 'done', "
            "done_at = excluded.done_at",
            (key, now, now),
        )

    def release(self, key: str) -> None:
        self._write("DELETE FROM sblgen_webhook_claim WHERE key = ? AND state = 'pending'", (key,))

    def is_done(self, key: str) -> bool:
        row = (
            self._connect()
            .execute("SELECT state FROM sblgen_webhook_claim WHERE key = ?", (key,))
            .fetchone()
        )
        return row is not None and row[0] == _DONE

    def purge(self, older_than: timedelta = timedelta(days=90)) -> int:
        """Delete done keys older than ``older_than`` (keep at least 30 days: the events API
        returns events that old). Returns how many were deleted."""
        cutoff = self._clock() - older_than.total_seconds()
        return self._write(
            "DELETE FROM sblgen_webhook_claim WHERE state = 'done' AND done_at < ?", (cutoff,)
        )

    def close(self) -> None:
        """Close every connection this store opened in this process (a forked child never
        touches its parent's connections)."""
        pid = os.getpid()
        with self._lock:
            mine = [conn for owner, conn in self._connections if owner == pid]
            self._connections = []
        for conn in mine:
            conn.close()
        self._local = threading.local()
