"""Returns and payout entries."""

from __future__ import annotations

from decimal import Decimal

from sblgen.events import PayoutEntryCreated, ReturnCreated
from tests.webhook_apps import example_events


def test_returns_and_payouts() -> None:
    events = example_events()
    ret = events["return.created"]
    assert isinstance(ret, ReturnCreated)
    assert ret.data.return_id == "rRETURN000000000000001"
    assert ret.data.order_id == "oN5eASPKTM2Jwkx15ICNyg"
    assert ret.data.total_return == Decimal("36.15")
    payout = events["payoutEntry.created"]
    assert isinstance(payout, PayoutEntryCreated)
    assert payout.data.order_id == "oN5eASPKTM2Jwkx15ICNyg"
    assert payout.data.payouts[0].payout == Decimal("30.74")  # sent as a string


def test_a_return_without_its_original_order_has_no_order_id() -> None:
    ret = ReturnCreated(id="e1", type="return.created", data={"return": "r1"})
    assert (ret.data.return_id, ret.data.order_id) == ("r1", None)
