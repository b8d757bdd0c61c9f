"""The fake FastSpring's Sessions v1 endpoint: ``POST /sessions``, validated with sblgen's own
:class:`~sblgen.api.models.SessionRequest`; its errors keep v1's ``{message, params}`` shape.

An item's price is its ``pricing.price`` (the first currency), else 9.99; the answer's
``expires`` is :data:`~sblgen.testing.core.EXPIRES_MS`, and it carries a field sblgen does not
know (``newServerField``), as FastSpring may add one any day.
"""

from __future__ import annotations

import json
import re

from pydantic import ValidationError

from sblgen.api.models import SessionRequest
from sblgen.testing.core import EXPIRES_MS, FakeState, Handler, Recorded, Reply

__all__ = ["V1_ROUTES"]


def _create_session(fake: FakeState, match: re.Match[str], request: Recorded) -> Reply:
    """``POST /sessions`` (v1)."""
    try:
        body = json.loads(request.body)
        session = SessionRequest.model_validate(body)
    except (ValueError, ValidationError) as err:
        params = None
        if isinstance(err, ValidationError):
            first = err.errors()[0]
            params = {".".join(str(p) for p in first["loc"]): first["msg"]}
        return Reply(400, {"message": "Invalid request", "params": params})
    session_id = fake.next_id("SE")
    subtotal = 0.0
    for item in session.items:
        if item.pricing and item.pricing.price:
            subtotal += float(next(iter(item.pricing.price.values()))) * (item.quantity or 1)
        else:
            subtotal += 9.99 * (item.quantity or 1)
    data = {
        "id": session_id,
        "currency": "USD",
        "expires": EXPIRES_MS,
        "order": None,
        "account": session.account or fake.next_id("AC"),
        "subtotal": round(subtotal, 2),
        "items": [{"product": i.product, "quantity": i.quantity or 1} for i in session.items],
        "newServerField": {"ignored": True},
    }
    fake.state["sessions"][session_id] = data
    return Reply(200, data)


V1_ROUTES: list[tuple[str, re.Pattern[str], Handler]] = [
    ("POST", re.compile(r"/sessions"), _create_session),
]
