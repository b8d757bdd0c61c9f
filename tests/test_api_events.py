"""``client.events`` and :func:`pull_events` against the fake FastSpring over real sockets:
paging, marking processed, recovering missed events next to a webhook receiver."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from typing import Any

import pytest

from sblgen.api import Client, pull_events, pull_events_async
from sblgen.api.events_api import events_query
from sblgen.errors import ServerError, UnexpectedResponseError
from sblgen.testing import FakeFastSpring, client_for
from sblgen.testing.resources import FakeResources, now_ms
from tests.aio import run_async
from tests.test_api_orders import async_client


def _since(hours: float = 1) -> datetime:
    return datetime.now(UTC) - timedelta(hours=hours)


def _seed(data: FakeResources, count: int) -> list[dict[str, Any]]:
    start = now_ms() - 60_000
    return [
        data.add_event("order.completed", {"order": f"o{i}"}, created=start + i)
        for i in range(count)
    ]


def test_unprocessed_pages(fake: FakeFastSpring, data: FakeResources, client: Client) -> None:
    seeded = _seed(data, 5)
    data.event_page_size = 2
    events = list(client.events.unprocessed(begin=_since()))
    assert [e.id for e in events] == [e["id"] for e in seeded]
    assert [r.path.rsplit("&", 1)[-1] for r in fake.requests[1:]] == ["page=2", "page=3"]
    first = events[0]
    assert first.type == "order.completed" and first.processed is False
    assert first.created is not None and first.wire["created"] == seeded[0]["created"]
    assert first.wire == seeded[0]  # as FastSpring sent it, for a webhook dispatcher


def test_days_and_processed(fake: FakeFastSpring, data: FakeResources, client: Client) -> None:
    done = data.add_event("account.created", {"account": "a1"}, processed=True)
    _seed(data, 1)
    assert [e.id for e in client.events.processed(days=2)] == [done["id"]]
    assert fake.requests[-1].path == "/events/processed?days=2"
    assert len(list(client.events.unprocessed(days=2))) == 1


def test_mark_processed(fake: FakeFastSpring, data: FakeResources, client: Client) -> None:
    event = _seed(data, 1)[0]
    client.events.mark_processed(event["id"])
    assert fake.requests[-1].body == b'{"processed":true}'
    assert event["processed"] is True
    client.events.mark_processed(event["id"])  # twice: harmless
    assert list(client.events.unprocessed(days=1)) == []


def test_marking_is_retried_after_a_timeout(fake: FakeFastSpring, data: FakeResources) -> None:
    event = _seed(data, 1)[0]
    with client_for(fake, timeout=0.3) as client:
        fake.fail_next("slow", seconds=0.6)
        client.events.mark_processed(event["id"])
    assert [r.method for r in fake.requests] == ["POST", "POST"]


def test_query_rules(fake: FakeFastSpring, client: Client) -> None:
    now = datetime(2026, 11, 24, tzinfo=UTC)
    with pytest.raises(ValueError, match="one of them"):
        events_query()
    with pytest.raises(ValueError, match="one of them"):
        events_query(begin=now, days=1)
    with pytest.raises(ValueError, match="1 to 30"):
        events_query(days=0)
    with pytest.raises(ValueError, match="more than 30 days ago"):
        events_query(begin=now - timedelta(days=31), now=now)
    with pytest.raises(ValueError, match="must be after"):
        events_query(begin=now - timedelta(days=1), end=now - timedelta(days=2), now=now)
    with pytest.raises(ValueError, match="no timezone"):
        events_query(begin=datetime(2026, 11, 23), now=now)
    with pytest.raises(ValueError, match="end= goes with begin="):
        events_query(days=1, end=now)
    with pytest.raises(ValueError, match="1 to 30"):
        client.events.unprocessed(days=45)
    assert fake.requests == []


def test_the_server_error_shape(client: Client) -> None:
    """FastSpring's answer without begin (sblgen never sends it): result: error, status 500
    in FastSpring's spec, mapped to ServerError with the field-keyed message."""
    with pytest.raises(ServerError) as caught:
        client.request("GET", "/events/unprocessed", retry_safe=True)
    assert caught.value.params == {"begin": "Begin required."}
    assert caught.value.server_message == "begin: Begin required."


def test_pull_handles_marks_and_leaves_the_declined(
    fake: FakeFastSpring, data: FakeResources, client: Client
) -> None:
    seeded = _seed(data, 4)
    data.event_page_size = 3
    seen: list[dict[str, Any]] = []

    def handle(event: dict[str, Any]) -> bool:
        seen.append(event)
        return bool(event["data"]["order"] != "o2")

    result = pull_events(client, _since(), handle)
    assert [e["id"] for e in seen] == [e["id"] for e in seeded]
    assert isinstance(seen[0]["created"], int)  # the wire form, ms
    assert result.processed == tuple(seeded[i]["id"] for i in (0, 1, 3))
    assert result.declined == (seeded[2]["id"],)
    assert result.unmarked == () and result.fetched == 4
    # The declined one is still unprocessed: the next run gets it again.
    again = pull_events(client, _since(), lambda event: True)
    assert again.processed == (seeded[2]["id"],)
    assert pull_events(client, _since(), lambda event: True).fetched == 0


def test_pull_sees_the_newest_event_whatever_the_client_clock_says(
    fake: FakeFastSpring, data: FakeResources, client: Client, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Without ``until`` the window ends at FastSpring's now, not the client's: an event
    created just now is pulled even when the client clock runs behind (or reads the same
    millisecond the event was created in)."""
    import sblgen.api.events_api as events_api

    event = data.add_event("order.completed", {"order": "o-new"})
    behind = datetime.now(UTC) - timedelta(seconds=30)
    monkeypatch.setattr(events_api, "_now", lambda: behind)
    result = pull_events(client, _since(), lambda event: True)
    assert result.processed == (event["id"],)


def test_pull_next_to_a_webhook_receiver(
    fake: FakeFastSpring, data: FakeResources, client: Client
) -> None:
    """The race: the receiver acknowledges an event while the job holds it. The job's
    handler (idempotent: it sees a duplicate) says processed, and the second mark is
    harmless."""
    seeded = _seed(data, 2)
    fulfilled: set[str] = set()

    def receiver_and_job(event: dict[str, Any]) -> bool:
        order = event["data"]["order"]
        if order == "o0":  # meanwhile, the webhook delivered and acknowledged it
            fulfilled.add(order)
            with client_for(fake) as receiver:
                receiver.events.mark_processed(event["id"])
        fulfilled.add(order)  # a set: handling a duplicate changes nothing
        return True

    result = pull_events(client, _since(), receiver_and_job)
    assert result.processed == tuple(e["id"] for e in seeded) and result.unmarked == ()
    assert fulfilled == {"o0", "o1"}
    assert all(e["processed"] for e in data.events)


def test_a_failed_mark_is_reported_and_comes_back(
    fake: FakeFastSpring, data: FakeResources, client: Client
) -> None:
    seeded = _seed(data, 2)

    def handle(event: dict[str, Any]) -> bool:
        if event["id"] == seeded[0]["id"]:
            fake.fail_next("500")  # the mark that follows fails
        return True

    result = pull_events(client, _since(), handle)
    assert result.processed == (seeded[1]["id"],)
    assert [event_id for event_id, _ in result.unmarked] == [seeded[0]["id"]]
    assert "HTTP 500" in result.unmarked[0][1]
    assert result.summary() == "2 fetched, 1 processed, 0 declined, 1 not marked"
    assert pull_events(client, _since(), lambda event: True).processed == (seeded[0]["id"],)


def test_a_raising_handler_stops_the_run(data: FakeResources, client: Client) -> None:
    seeded = _seed(data, 3)

    def handle(event: dict[str, Any]) -> bool:
        if event["id"] == seeded[1]["id"]:
            raise RuntimeError("mail server down")
        return True

    with pytest.raises(RuntimeError, match="mail server down"):
        pull_events(client, _since(), handle)
    assert [e["processed"] for e in seeded] == [True, False, False]


def test_the_handler_must_say_true_or_false(data: FakeResources, client: Client) -> None:
    _seed(data, 1)
    with pytest.raises(TypeError, match="returned Acknowledgement; it must return True"):
        pull_events(client, _since(), lambda event: type("Acknowledgement", (), {})())
    assert data.events[0]["processed"] is False


def test_duplicates_across_pages_are_handled_once(data: FakeResources, client: Client) -> None:
    """Pages that overlap (events arriving while the job pages) give each event once."""
    _seed(data, 2)
    data.event_page_size = 1
    original = data.event_page

    def overlapping(events: list[dict[str, Any]], query: dict[str, str]) -> Any:
        page = int(query.get("page", "1"))
        reply = original(events, query)
        if page == 2:
            reply.body["events"] = events[:2]
        return reply

    data.event_page = overlapping  # type: ignore[method-assign]
    handled: list[str] = []

    def handle(event: dict[str, Any]) -> bool:
        handled.append(event["id"])
        return True

    result = pull_events(client, _since(), handle)
    assert len(handled) == 2 == result.fetched


def test_a_page_that_does_not_move_on(data: FakeResources, client: Client) -> None:
    _seed(data, 3)
    data.event_page_size, data.ignore_page = 1, True
    with pytest.raises(UnexpectedResponseError, match="does not follow"):
        pull_events(client, _since(), lambda event: True)
    assert not any(e["processed"] for e in data.events)  # nothing handled from a broken read


def test_async_pull(fake: FakeFastSpring, data: FakeResources) -> None:
    seeded = _seed(data, 3)
    data.event_page_size = 2

    async def scenario() -> tuple[tuple[str, ...], list[str]]:
        async with async_client(fake) as client:
            result = await pull_events_async(client, _since(), lambda event: True)
            left = [e.id async for e in client.events.unprocessed(begin=_since())]
            return result.processed, left

    processed, left = run_async(scenario)
    assert processed == tuple(e["id"] for e in seeded) and left == []


def test_pull_through_the_webhook_dispatcher_and_store(
    fake: FakeFastSpring, data: FakeResources, client: Client
) -> None:
    """The cron job and the webhook receiver share handlers and store: an event the
    receiver already ran is a duplicate for the job (marked, not run again), a failing
    handler's event stays unprocessed, and the others run once."""
    import json

    from sblgen.events import Dispatcher, MemoryStore, OrderCompleted, parse_event, receive
    from sblgen.webhooks import sign

    dispatcher, store = Dispatcher(), MemoryStore()
    fulfilled: list[str | None] = []

    @dispatcher.on(OrderCompleted)
    def fulfil(event: OrderCompleted) -> None:
        fulfilled.append(event.data.order_id)

    @dispatcher.on("account.updated")
    def sync_account(event: Any) -> None:
        raise RuntimeError("CRM down")

    def handle(event: dict[str, Any]) -> bool:
        results = dispatcher.dispatch([parse_event(event)], store).results
        return results[0].outcome.acknowledged

    first, second = data.add_order(), data.add_order()
    data.add_event("account.updated", {"account": first["account"]})
    delivered = next(e for e in data.events if e["data"].get("order") == first["order"])
    body = json.dumps({"events": [delivered]}).encode()
    reply = receive(body, {"X-FS-Signature": sign(body, "s3cret")}, "s3cret", dispatcher, store)
    assert reply.status == 200  # the webhook ran it (and its ack is lost, say)

    result = pull_events(client, _since(), handle)
    assert fulfilled == [first["order"], second["order"]]  # each once
    assert len(result.processed) == 2 and len(result.declined) == 1
    left = [e.type for e in client.events.unprocessed(begin=_since())]
    assert left == ["account.updated"]
