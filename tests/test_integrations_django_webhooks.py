"""The Django webhook view (real Django, its test client) and the DjangoStore on a real
SQLite database file shared by two processes: signed posts delivered twice and
concurrently, one handler failing until it is healed.

Django is configured once per process, and the template-tag tests configure it (without a
database) when they are imported; this module only fills in when they are not collected.
The DjangoStore tests therefore run in worker processes of their own
(``tests/webhook_apps.py``), each configured with the same database file.
"""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import django
import pytest
from django.core.exceptions import ImproperlyConfigured
from django.test import Client, override_settings
from django.urls import path

from sblgen.events import SQLiteStore
from sblgen.integrations.django.webhooks import DjangoStore, webhook_view
from sblgen.webhooks import sign
from tests.webhook_apps import (
    DJANGO_TEST_SETTINGS,
    MIXED,
    RESENT,
    SECRET,
    check_racing_replies,
    concurrently,
    envelope,
    order_completed,
    recording_dispatcher,
    run_peers,
    run_worker,
    runs,
    worker_argv,
)

URL = "/fastspring/webhooks/"

# Filled per test: the view under test, with its own log, heal file and store.
urlpatterns: list[object] = []


def _mount(tmp_path: Path, *, store: bool = True, slow: float = 0.0) -> None:
    dispatcher = recording_dispatcher(tmp_path / "log", tmp_path / "heal", slow=slow)
    sqlite = SQLiteStore(tmp_path / "claims.sqlite3") if store else None
    urlpatterns[:] = [path(URL.strip("/") + "/", webhook_view(dispatcher, store=sqlite))]


def _post(body: bytes, *, secret: str = SECRET, client: Client | None = None) -> tuple[int, str]:
    response = (client or Client()).post(
        URL,
        data=body,
        content_type="application/json",
        headers={"X-FS-Signature": sign(body, secret)},
    )
    assert response["Content-Type"] == "text/plain; charset=utf-8"
    return response.status_code, response.content.decode()


def _ensure_django() -> None:
    """Configure Django unless another test module did (at its import, so that this module
    never changes the settings another one relies on)."""
    from django.conf import settings

    if not settings.configured:
        settings.configure(
            **DJANGO_TEST_SETTINGS,
            ROOT_URLCONF=__name__,
            INSTALLED_APPS=["django.contrib.contenttypes", "sblgen.integrations.django"],
        )
        django.setup()


@pytest.fixture(autouse=True)
def _urls_and_settings() -> Iterator[None]:
    _ensure_django()
    with override_settings(ROOT_URLCONF=__name__, SBLGEN_WEBHOOKS={"SECRET": SECRET}):
        yield
    urlpatterns.clear()


def test_view_twice_concurrently_failing_then_healed(tmp_path: Path) -> None:
    _mount(tmp_path, slow=0.3)
    log, heal = tmp_path / "log", tmp_path / "heal"
    replies = concurrently(lambda: _post(MIXED), 6)
    check_racing_replies(replies)
    assert runs(log, "fulfil o1") == 1
    assert _post(MIXED) == (202, "evt-1")
    heal.touch()
    assert _post(MIXED) == (200, "")
    assert _post(RESENT) == (200, "")
    assert (runs(log, "fulfil o1"), runs(log, "dun s1")) == (1, 1)


def test_csrf_exempt_post_only(tmp_path: Path) -> None:
    _mount(tmp_path)
    (tmp_path / "heal").touch()
    middleware = ["django.middleware.csrf.CsrfViewMiddleware"]
    with override_settings(MIDDLEWARE=middleware):
        strict = Client(enforce_csrf_checks=True)
        assert _post(MIXED, client=strict) == (200, "")
        assert strict.get(URL).status_code == 405
        assert strict.put(URL, data=MIXED).status_code == 405


def test_refusals_and_body_limits(tmp_path: Path) -> None:
    _mount(tmp_path)
    status, text = _post(MIXED, secret="wrong")
    assert status == 401 and "does not match" in text
    no_header = Client().post(URL, data=MIXED, content_type="application/json")
    assert no_header.status_code == 401
    with override_settings(SBLGEN_WEBHOOKS={"SECRET": SECRET, "MAX_BODY_BYTES": 100}):
        status, text = _post(MIXED)
        assert status == 413 and "larger than the 100 bytes allowed" in text
    # The view reads the body itself: Django's own upload limit does not apply.
    (tmp_path / "heal").touch()
    with override_settings(DATA_UPLOAD_MAX_MEMORY_SIZE=100):
        assert _post(MIXED) == (200, "")
    assert not (runs(tmp_path / "log", "fulfil o1") > 1)


def test_secret_from_the_environment(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    _mount(tmp_path)
    body = envelope(order_completed("e1"))
    with override_settings(SBLGEN_WEBHOOKS={"SECRET_ENV": "SHOP_FS_SECRET"}):
        status, text = _post(body)
        assert status == 500 and "No webhook secret is configured" in text
        monkeypatch.setenv("SHOP_FS_SECRET", SECRET)
        assert _post(body) == (200, "")


def test_sqlite_path_setting_picks_the_sqlite_store(tmp_path: Path) -> None:
    _mount(tmp_path, store=False)
    db = tmp_path / "from-settings.sqlite3"
    with override_settings(SBLGEN_WEBHOOKS={"SECRET": SECRET, "SQLITE_PATH": str(db)}):
        assert _post(envelope(order_completed("e1"))) == (200, "")
    assert SQLiteStore(db).is_done("event:e1")


def test_a_settings_typo_is_one_line(tmp_path: Path) -> None:
    _mount(tmp_path)
    with (
        override_settings(SBLGEN_WEBHOOKS={"SECRETS": "x"}),
        pytest.raises(ImproperlyConfigured, match=r"^settings.SBLGEN_WEBHOOKS has unknown keys"),
    ):
        _post(MIXED)


def test_an_unknown_database_alias_is_one_line(tmp_path: Path) -> None:
    _mount(tmp_path, store=False)
    with (
        override_settings(SBLGEN_WEBHOOKS={"SECRET": SECRET, "DATABASE": "shop"}),
        pytest.raises(ImproperlyConfigured, match=r"\['DATABASE'\] is 'shop', which is not in"),
    ):
        _post(MIXED)


def test_the_view_opts_out_of_atomic_requests() -> None:
    view = webhook_view(recording_dispatcher(Path("unused-log"), Path("unused-heal")))
    assert getattr(view, "_non_atomic_requests", set()) == {"default"}
    assert getattr(view, "csrf_exempt", False) is True


def test_django_store_repr() -> None:
    assert repr(DjangoStore(using="shop")) == "DjangoStore(using='shop')"


@pytest.mark.slow
def test_django_store_protocol_on_a_real_database(tmp_path: Path) -> None:
    db = tmp_path / "db.sqlite3"
    argv = worker_argv("django-store-protocol", db, tmp_path / "log", tmp_path / "heal")
    # The protocol check dated its two done keys 2023 (its clock): purge drops those only.
    assert run_worker(argv) == [{"purged": 2, "left": True}]


@pytest.mark.slow
def test_two_processes_sharing_one_django_database(tmp_path: Path) -> None:
    db, log, heal = tmp_path / "db.sqlite3", tmp_path / "log", tmp_path / "heal"
    assert run_worker(worker_argv("django", db, log, heal, threads=0)) == ["migrated"]

    def deliver(body: bytes, round_: str, threads: int) -> list[tuple[int, str]]:
        body_file = tmp_path / f"{round_}.json"
        body_file.write_bytes(body)
        argv = worker_argv(
            "django",
            db,
            log,
            heal,
            slow=0.3,
            body=body_file,
            ready=tmp_path / f"ready-{round_}",
            peers=2,
            threads=threads,
        )
        return run_peers(argv)

    check_racing_replies(deliver(MIXED, "race", threads=3))
    assert runs(log, "fulfil o1") == 1
    heal.touch()
    assert (200, "") in deliver(MIXED, "healed", threads=1)
    # A manual resend (new ids) reaching both processes at once: each change is a
    # duplicate; a process that finds the other's claim still pending leaves that id for a
    # redelivery, which then acknowledges it.
    resent = deliver(RESENT, "resent", threads=1)
    assert set(resent) <= {(200, ""), (202, "evt-1-resent"), (202, "evt-2-resent")} | {
        (500, "No event was processed; deliver them again.")
    }
    assert run_worker(
        worker_argv(
            "django",
            db,
            log,
            heal,
            body=tmp_path / "resent.json",
            ready=tmp_path / "ready-again",
            peers=1,
        )
    ) == [[[200, ""]]]
    assert (runs(log, "fulfil o1"), runs(log, "dun s1")) == (1, 1)
