"""Events from FastSpring's events API (``GET /events/unprocessed``, ``/events/processed``).

An event from the API has the fields of a webhook event (``id``, ``type``, ``live``,
``processed``, ``created`` in epoch ms, ``data``) plus ``event`` (the same id). Each
:class:`ApiEvent` also keeps the JSON object exactly as it arrived (:attr:`ApiEvent.wire`),
which is what a webhook dispatcher reads.

>>> page = EventPage.model_validate({"action": "events.get", "result": "success",
...     "page": 1, "limit": 25, "nextPage": None, "total": 1, "more": False, "events": [
...     {"id": "RkJIuFQiRbuSkikOaQN3fQ", "event": "RkJIuFQiRbuSkikOaQN3fQ",
...      "type": "order.completed", "live": False, "processed": False,
...      "created": 1551955974727, "data": {"order": "ALoHLQYESueh6RB9Fngu2A"}}]})
>>> event = page.events[0]
>>> event.type, event.created.isoformat(), event.wire["created"]
('order.completed', '2019-03-07T10:52:54.727000+00:00', 1551955974727)
"""

from __future__ import annotations

from typing import Any, Self

from pydantic import ModelWrapValidatorHandler, PrivateAttr, model_validator

from sblgen.api.resource_data import ApiTime, Count, Items, ResultFields

__all__ = ["ApiEvent", "EventPage"]


class ApiEvent(ResultFields):
    """One event; :attr:`wire` is the event's JSON object as FastSpring sent it."""

    id: str
    event: str | None = None
    type: str | None = None
    live: bool | None = None
    processed: bool | None = None
    created: ApiTime | None = None
    data: Any = None

    _wire: dict[str, Any] = PrivateAttr(default_factory=dict)

    @model_validator(mode="wrap")
    @classmethod
    def _keep_wire(cls, data: Any, handler: ModelWrapValidatorHandler[Self]) -> Self:
        if isinstance(data, dict) and not data.get("id") and data.get("event"):
            event = handler({**data, "id": data["event"]})  # only "event" names the id
        else:
            event = handler(data)
        if isinstance(data, dict):
            event._wire = data
        return event

    @property
    def wire(self) -> dict[str, Any]:
        """The event as FastSpring sent it (a copy): what a webhook handler would get."""
        return dict(self._wire) if self._wire else self.model_dump(mode="json", by_alias=True)


class EventPage(ResultFields):
    """One page of events. ``more`` says FastSpring holds more than this page (at most 25
    events per page)."""

    page: Count = None
    limit: Count = None
    next_page: Count = None
    total: Count = None
    more: bool | None = None
    events: Items[ApiEvent] = ()
