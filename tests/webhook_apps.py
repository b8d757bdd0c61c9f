"""Webhook test fixtures shared by the events and integration tests, in this process or in
another one (``python -m tests.webhook_apps COMMAND ...``, run from the repository root).

Every app uses :func:`recording_dispatcher`: ``order.completed`` fulfils (optionally
slowly, to widen races) and ``subscription.charge.failed`` fails until a "heal" file exists.
Each handler run appends one line to a log file (``O_APPEND``: safe across processes), so a
test counts exactly what ran, wherever it ran.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
import threading
import time
from collections.abc import Callable, Iterator, Sequence
from contextlib import contextmanager
from pathlib import Path
from typing import Any

from sblgen.events import (
    Dispatcher,
    Event,
    EventStore,
    OrderCompleted,
    SubscriptionChargeFailed,
    parse,
    receive,
)
from sblgen.webhooks import sign

SECRET = "whsec-test-secret"

#: The repository root: worker processes run there (``python -m tests.webhook_apps``).
ROOT = Path(__file__).resolve().parent.parent

Reply = tuple[int, str]


def event(event_id: str, type_: str, created: int, data: dict[str, Any]) -> dict[str, Any]:
    """One event object as FastSpring posts it (a test event, not yet processed)."""
    return {
        "id": event_id,
        "type": type_,
        "live": False,
        "processed": False,
        "created": created,
        "data": data,
    }


def order_completed(event_id: str, order_id: str = "o1") -> dict[str, Any]:
    data = {"order": order_id, "id": order_id, "completed": True, "changed": 1700000000000}
    return event(event_id, "order.completed", 1700000000000, data)


def charge_failed(event_id: str, subscription: str = "s1") -> dict[str, Any]:
    data = {"subscription": subscription, "reason": "EXPIRED_CARD", "timestamp": 1700000000001}
    return event(event_id, "subscription.charge.failed", 1700000000001, data)


def envelope(*events: dict[str, Any]) -> bytes:
    return json.dumps({"events": list(events)}).encode()


#: The post most tests deliver: one event that succeeds, one whose handler fails.
MIXED = envelope(order_completed("evt-1"), charge_failed("evt-2"))
#: The same two changes resent by hand from the FastSpring app: new event ids, same data.
RESENT = envelope(order_completed("evt-1-resent"), charge_failed("evt-2-resent"))


#: FastSpring's documented example payloads, one event of each type (every_type.json) and
#: the expanded shapes (expanded.json).
DATA = Path(__file__).parent / "data" / "webhooks"


def example_body(name: str = "every_type.json") -> bytes:
    return (DATA / name).read_bytes()


def example_events(name: str = "every_type.json") -> dict[str, Event]:
    """The events of an example payload, by type."""
    return {e.type: e for e in parse(example_body(name))}


def signed_headers(body: bytes, secret: str = SECRET) -> dict[str, str]:
    return {"X-FS-Signature": sign(body, secret), "Content-Type": "application/json"}


def _append(log: Path, line: str) -> None:
    fd = os.open(log, os.O_WRONLY | os.O_APPEND | os.O_CREAT, 0o644)
    try:
        os.write(fd, f"{line} {os.getpid()}\n".encode())
    finally:
        os.close(fd)


def recording_dispatcher(log: Path, heal: Path, *, slow: float = 0.0) -> Dispatcher:
    dispatcher = Dispatcher()

    @dispatcher.on(OrderCompleted)
    def fulfil(event: OrderCompleted) -> None:
        time.sleep(slow)
        _append(log, f"fulfil {event.data.order_id}")

    @dispatcher.on(SubscriptionChargeFailed)
    def dun(event: SubscriptionChargeFailed) -> None:
        _append(log, f"dun-attempt {event.data.subscription_id}")
        if not heal.exists():
            raise RuntimeError("mail server down")
        _append(log, f"dun {event.data.subscription_id}")

    return dispatcher


def runs(log: Path, what: str) -> int:
    """How many log lines start with ``what`` (e.g. ``"fulfil o1"``)."""
    if not log.exists():
        return 0
    return sum(1 for line in log.read_text().splitlines() if line.rsplit(" ", 1)[0] == what)


def pids(log: Path) -> set[str]:
    return (
        {line.rsplit(" ", 1)[1] for line in log.read_text().splitlines()} if log.exists() else set()
    )


def concurrently(deliver: Callable[[], Reply], count: int) -> list[Reply]:
    """Run ``deliver`` from ``count`` threads released at the same moment."""
    barrier = threading.Barrier(count)
    replies: list[Reply | BaseException] = [RuntimeError("not run")] * count

    def run(index: int) -> None:
        barrier.wait()
        try:
            replies[index] = deliver()
        except BaseException as err:  # reported to the test below
            replies[index] = err

    threads = [threading.Thread(target=run, args=(i,)) for i in range(count)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(60)
    for reply in replies:
        if isinstance(reply, BaseException):
            raise reply
    return replies  # type: ignore[return-value]


def wait_for_peers(ready_dir: Path, name: str, count: int, timeout: float = 60.0) -> None:
    """A barrier between processes: announce ``name`` and wait until ``count`` are there."""
    ready_dir.mkdir(parents=True, exist_ok=True)
    (ready_dir / name).touch()
    deadline = time.monotonic() + timeout
    while len(list(ready_dir.iterdir())) < count:
        if time.monotonic() > deadline:
            raise TimeoutError(f"only {len(list(ready_dir.iterdir()))} of {count} peers came")
        time.sleep(0.005)


def check_racing_replies(replies: Sequence[Reply]) -> None:
    """What concurrent deliveries of :data:`MIXED` may answer: evt-2 always fails; evt-1 is
    acknowledged (handled or duplicate) or, while another worker runs it, left for later."""
    for status, body in replies:
        assert (status, body) in {(202, "evt-1"), (500, body)}, (status, body)
        if status == 500:
            assert body.startswith("No event was processed")
    assert any(status == 202 for status, _ in replies), replies


def check_store_protocol(make: Callable[..., EventStore]) -> None:
    """The claim-store contract, for any store: ``make(lease_seconds=, clock=)`` opens a
    handle on the same storage each time."""
    now = [1_700_000_000.0]

    def clock() -> float:
        return now[0]

    store = make(lease_seconds=30, clock=clock)
    assert store.claim("event:a") is True
    assert store.claim("event:a") is False
    assert store.is_done("event:a") is False
    store.release("event:a")
    assert store.claim("event:a") is True
    store.mark_done("event:a")
    assert store.claim("event:a") is False and store.is_done("event:a") is True
    store.release("event:a")  # releasing a done key changes nothing
    assert store.is_done("event:a") is True
    store.mark_done("event:never-claimed")
    assert store.is_done("event:never-claimed") and not store.claim("event:never-claimed")
    other = make(lease_seconds=30, clock=clock)  # a second handle on the same storage
    assert other.claim("event:b") is True and store.claim("event:b") is False
    now[0] += 29
    assert store.claim("event:b") is False  # still within the lease
    now[0] += 2  # the claimer died: its lease ran out, and one new caller takes over
    assert store.claim("event:b") is True
    assert other.claim("event:b") is False
    now[0] += 31
    assert store.claim("event:a") is False  # done keys never expire
    assert store.is_done("event:b") is False
    assert store.claim("k" * 255) is True  # the longest key the dispatcher stores


# ------------------------------------------------------------------------ Flask app


def flask_app(db: Path, log: Path, heal: Path, *, slow: float = 0.0) -> Any:
    from flask import Flask

    from sblgen.integrations.flask_webhooks import webhook_blueprint

    app = Flask(__name__)
    app.config["SBLGEN_WEBHOOKS"] = {"SECRET": SECRET, "SQLITE_PATH": str(db)}
    app.register_blueprint(webhook_blueprint(recording_dispatcher(log, heal, slow=slow)))
    return app


@contextmanager
def serve(app: Any) -> Iterator[str]:
    """Serve a WSGI app on a real socket at 127.0.0.1 (threaded); yields its base URL."""
    from werkzeug.serving import make_server

    server = make_server("127.0.0.1", 0, app, threaded=True)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{server.server_port}"
    finally:
        server.shutdown()
        thread.join(10)


# ------------------------------------------------------------------------- Django


urlpatterns: list[Any] = []

#: The settings every test Django process starts from (``settings.configure(**...)``).
DJANGO_TEST_SETTINGS: dict[str, Any] = {
    "DEBUG": False,
    "SECRET_KEY": "test-only",
    "ALLOWED_HOSTS": ["testserver"],
}


def django_setup(db: Path, log: Path, heal: Path, *, slow: float = 0.0) -> None:
    """Configure Django in *this* process: a real SQLite database file, the view at
    ``/fastspring/webhooks/`` with the DjangoStore (the default)."""
    import django
    from django.conf import settings
    from django.urls import path

    from sblgen.integrations.django.webhooks import webhook_view

    options: dict[str, Any] = {"timeout": 30, "init_command": "PRAGMA journal_mode=WAL;"}
    if django.VERSION >= (5, 1):
        options["transaction_mode"] = "IMMEDIATE"
    settings.configure(
        **DJANGO_TEST_SETTINGS,
        USE_TZ=True,
        ROOT_URLCONF=__name__,
        INSTALLED_APPS=["sblgen.integrations.django"],
        DATABASES={
            "default": {
                "ENGINE": "django.db.backends.sqlite3",
                "NAME": str(db),
                "OPTIONS": options,
                "ATOMIC_REQUESTS": True,  # the view opts out: its claims commit at once
            }
        },
        SBLGEN_WEBHOOKS={"SECRET": SECRET},
    )
    django.setup()
    urlpatterns[:] = [
        path("fastspring/webhooks/", webhook_view(recording_dispatcher(log, heal, slow=slow)))
    ]


def django_post(body: bytes) -> Reply:
    from django.test import Client

    response = Client().post(
        "/fastspring/webhooks/",
        data=body,
        content_type="application/json",
        headers={"X-FS-Signature": sign(body, SECRET)},
    )
    return response.status_code, response.content.decode()


# ---------------------------------------------------------------------- commands


def _print(value: object) -> None:
    sys.stdout.write(json.dumps(value) + "\n")
    sys.stdout.flush()


def _worker_args(args: Sequence[str]) -> tuple[Path, Path, Path, float, Path, Path, int, int]:
    """DB LOG HEAL SLOW BODY READY_DIR PEERS THREADS"""
    db, log, heal, slow, body, ready, peers, threads = args
    return (
        Path(db),
        Path(log),
        Path(heal),
        float(slow),
        Path(body),
        Path(ready),
        int(peers),
        int(threads),
    )


def worker_argv(
    command: str,
    db: Path,
    log: Path,
    heal: Path,
    *,
    slow: float = 0.0,
    body: Path | None = None,
    ready: Path | None = None,
    peers: int = 1,
    threads: int = 1,
) -> list[str]:
    """The command line of a worker process (run it with ``cwd`` at the repository root)."""
    return [
        sys.executable,
        "-m",
        "tests.webhook_apps",
        command,
        *map(str, (db, log, heal, slow, body or "-", ready or "-", peers, threads)),
    ]


def run_worker(argv: list[str]) -> list[Any]:
    """Run one worker process to its end; what it printed, one JSON value a line."""
    done = subprocess.run(argv, cwd=ROOT, capture_output=True, text=True, timeout=120)
    assert done.returncode == 0, done.stderr
    return [json.loads(line) for line in done.stdout.splitlines()]


def run_peers(argv: list[str], count: int = 2) -> list[Reply]:
    """Start ``count`` worker processes at once (``argv`` made with ``peers=count``) and
    gather the replies each one's threads got."""
    workers = [
        subprocess.Popen(argv, cwd=ROOT, stdout=subprocess.PIPE, stderr=subprocess.PIPE)
        for _ in range(count)
    ]
    replies: list[Reply] = []
    for worker in workers:
        out, err = worker.communicate(timeout=120)
        assert worker.returncode == 0, err.decode()
        replies.extend((status, text) for status, text in json.loads(out))
    return replies


def main(argv: Sequence[str]) -> int:
    command, *args = argv
    if command == "flask-server":  # serve until stdin closes
        db, log, heal, slow, *_ = _worker_args(args)
        with serve(flask_app(db, log, heal, slow=slow)) as url:
            _print(url)
            sys.stdin.read()
        return 0
    if command == "receive":  # receive() with an SQLiteStore, from THREADS threads
        from sblgen.events import SQLiteStore

        db, log, heal, slow, body_file, ready, peers, threads = _worker_args(args)
        dispatcher = recording_dispatcher(log, heal, slow=slow)
        sqlite = SQLiteStore(db)
        body = body_file.read_bytes()

        def deliver() -> Reply:
            status, text = receive(body, signed_headers(body), SECRET, dispatcher, sqlite)
            return status, text

        wait_for_peers(ready, str(os.getpid()), peers)
        _print(concurrently(deliver, threads))
        return 0
    if command == "django":  # the Django view with the DjangoStore (THREADS 0: migrate)
        db, log, heal, slow, body_file, ready, peers, threads = _worker_args(args)
        django_setup(db, log, heal, slow=slow)
        if threads == 0:
            from django.core.management import call_command

            call_command("migrate", verbosity=0)
            _print("migrated")
            return 0
        body = body_file.read_bytes()
        wait_for_peers(ready, str(os.getpid()), peers)
        _print(concurrently(lambda: django_post(body), threads))
        return 0
    if command == "django-store-protocol":  # the store contract on a migrated database
        from django.core.management import call_command

        from sblgen.integrations.django.webhooks import DjangoStore

        db, log, heal, *_ = _worker_args(args)
        django_setup(db, log, heal)
        call_command("migrate", verbosity=0)
        check_store_protocol(DjangoStore)
        django_store = DjangoStore()
        django_store.mark_done("recent")
        _print({"purged": django_store.purge(), "left": django_store.is_done("recent")})
        return 0
    raise SystemExit(f"unknown command {command!r}")


if __name__ == "__main__":
    raise SystemExit(main(sys.argv[1:]))
