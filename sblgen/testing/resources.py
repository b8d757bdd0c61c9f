"""FastSpring's REST resources for the fake FastSpring: stateful orders, subscriptions,
accounts, prices and events, answering in FastSpring's documented shapes (including the
``result: error`` bodies, per-item errors inside 200 answers, and the statuses FastSpring
lists: 400 for orders, 500 for a missing account or subscription).

:class:`~sblgen.testing.FakeFastSpring` installs these routes itself; the faults
(``fail_next``) apply to them like to every route. Seed data through the fake
(``fake.add_order(...)``) or its :class:`FakeResources` (``fake.resources``):

>>> from sblgen.testing import FakeFastSpring
>>> with FakeFastSpring() as fake:
...     order = fake.resources.add_order(live=False, items=[("pro-monthly", 1)])
...     resources(fake) is fake.resources, order["completed"], order["items"][0]["product"]
(True, True, 'pro-monthly')

Switches that act out FastSpring behaviour a test needs: ``expand`` (answer with expanded
account/product/subscription objects, as webhook expansion does), ``hide_tags`` (orders
without a ``tags`` object), ``ignore_uncancel`` (answer success to an uncancel and leave
the subscription canceled), ``ignore_page`` (answer page 1 to every page), and page sizes.
"""

from __future__ import annotations

import itertools
import json
import threading
import time
from collections.abc import Callable, Sequence
from datetime import UTC, date, datetime
from typing import Any

from sblgen.testing.core import FakeState, Reply

__all__ = ["DAY_MS", "FakeResources", "ResourceHandler", "now_ms", "parse_day", "resources"]

#: A day in milliseconds (FastSpring's REST resources count time in them).
DAY_MS = 86_400_000
#: A resource route's handler: ``(state, path parameters, query, JSON body) -> Reply``.
ResourceHandler = Callable[["FakeResources", dict[str, str], dict[str, str], Any], Reply]


def now_ms() -> int:
    """Now, in milliseconds since the epoch."""
    return int(time.time() * 1000)


def _times(name: str, ms: int | None) -> dict[str, Any]:
    """A time field with FastSpring's siblings (…Value, …InSeconds, …Display)."""
    if ms is None:
        return {name: None, f"{name}Value": None, f"{name}InSeconds": None, f"{name}Display": None}
    day = datetime.fromtimestamp(ms / 1000, tz=UTC)
    return {
        name: ms,
        f"{name}Value": ms,
        f"{name}InSeconds": ms // 1000,
        f"{name}Display": f"{day.month}/{day.day}/{day.strftime('%y')}",
    }


def _error(action: str, status: int, fields: dict[str, str], **ids: str) -> Reply:
    return Reply(status, {"action": action, **ids, "result": "error", "error": fields})


class FakeResources:
    """The state behind the resource routes; every handler runs under :attr:`lock`."""

    def __init__(self) -> None:
        self.lock = threading.RLock()
        self.orders: dict[str, dict[str, Any]] = {}
        self.subscriptions: dict[str, dict[str, Any]] = {}
        self.accounts: dict[str, dict[str, Any]] = {}
        self.prices: dict[str, dict[str, dict[str, Any]]] = {}
        self.events: list[dict[str, Any]] = []
        self.expand = False
        self.hide_tags = False
        self.ignore_uncancel = False
        self.ignore_page = False
        self.order_page_size = 50
        self.price_page_size = 50
        self.event_page_size = 25
        self._ids = itertools.count(1)
        self._seed_catalog()

    def new_id(self, prefix: str) -> str:
        return f"{prefix}{next(self._ids):06d}xYz-_Q"

    # ------------------------------------------------------------------ seeding

    def _seed_catalog(self) -> None:
        self.set_price("basic-monthly", "US", "USD", 10, "$10.00")
        self.set_price("pro-monthly", "US", "USD", 25, "$25.00")
        self.set_price("pro-monthly", "DE", "EUR", 24, "24,00 €", tiers={"2": 22.8})
        self.set_price("pro-yearly", "US", "USD", 250, "$250.00", setupFeePrice="10.0,")
        self.set_price("pro-yearly", "DE", "EUR", 240, "240,00 €", discountPeriodCount="null")

    def set_price(
        self,
        product: str,
        country: str,
        currency: str,
        price: float,
        display: str,
        *,
        tiers: dict[str, float] | None = None,
        **extra: Any,
    ) -> None:
        entry: dict[str, Any] = {
            "currency": currency,
            "price": price,
            "display": display,
            "quantityDiscount": None,
            **extra,
        }
        for quantity, unit in (tiers or {}).items():
            entry[quantity] = {
                "discountPercent": 5,
                "unitPrice": unit,
                "unitPriceDisplay": f"{unit}",
            }
        with self.lock:
            self.prices.setdefault(product, {})[country] = entry

    def add_account(
        self, email: str = "ada@example.com", *, custom: str | None = None, **contact: Any
    ) -> dict[str, Any]:
        with self.lock:
            account_id = self.new_id("AC")
            account = {
                "id": account_id,
                "account": account_id,
                "contact": {"first": "Ada", "last": "Lovelace", "email": email, **contact},
                "address": {"addressLine1": "1 Main St", "city": "London", "postalCode": "N1"},
                "language": "en",
                "country": "GB",
                "lookup": {"global": self.new_id("GL"), **({"custom": custom} if custom else {})},
                "url": f"https://acme.test.onfastspring.com/account/{account_id}",
                "payment": {"methods": 1, "active": "card"},
                "orders": [],
                "subscriptions": [],
                "charges": [],
                "subscribed": True,
            }
            self.accounts[account_id] = account
            return account

    def add_subscription(
        self, account_id: str, product: str = "pro-monthly", *, live: bool = False, **fields: Any
    ) -> dict[str, Any]:
        with self.lock:
            sid = self.new_id("SU")
            begin = now_ms() - 5 * DAY_MS
            sub: dict[str, Any] = {
                "id": sid,
                "subscription": sid,
                "active": True,
                "state": "active",
                "isSubscriptionEligibleForPauseByBuyer": False,
                "isPauseScheduled": False,
                **_times("changed", begin),
                "live": live,
                "currency": "USD",
                "account": account_id,
                "product": product,
                "sku": None,
                "display": product.replace("-", " ").title(),
                "quantity": 1,
                "adhoc": False,
                "autoRenew": True,
                "price": self.prices.get(product, {}).get("US", {}).get("price", 25),
                "priceDisplay": "$25.00",
                "discount": 0,
                "subtotal": 25,
                "attributes": {},
                **_times("begin", begin),
                **_times("next", begin + 30 * DAY_MS),
                **_times("end", None),
                **_times("canceledDate", None),
                **_times("deactivationDate", None),
                "sequence": 1,
                "periods": None,
                "remainingPeriods": None,
                "intervalUnit": "month",
                "intervalLength": 1,
                "instructions": [],
                **fields,
            }
            self.subscriptions[sid] = sub
            if account_id in self.accounts:
                self.accounts[account_id]["subscriptions"].append(sid)
            return sub

    def add_order(
        self,
        *,
        live: bool = False,
        completed: bool = True,
        account_id: str | None = None,
        items: Sequence[tuple[str, int]] = (("pro-monthly", 1),),
        tags: dict[str, str] | None = None,
        changed: int | None = None,
        event: bool = True,
    ) -> dict[str, Any]:
        """An order (and its account and subscriptions); ``order.completed`` (or
        ``order.failed``) joins the unprocessed events unless ``event=False``."""
        with self.lock:
            if account_id is None:
                account_id = self.add_account(f"buyer{next(self._ids)}@example.com")["account"]
            oid = self.new_id("OR")
            lines = []
            for product, quantity in items:
                line: dict[str, Any] = {
                    "product": product,
                    "quantity": quantity,
                    "display": product,
                    "sku": None,
                    "subtotal": 25.0 * quantity,
                    "subtotalDisplay": f"${25 * quantity}.00",
                    "discount": 0.0,
                    "attributes": {},
                    "fulfillments": {},
                }
                if completed and product.startswith("pro-"):
                    line["subscription"] = self.add_subscription(account_id, product, live=live)[
                        "id"
                    ]
                lines.append(line)
            total = sum(line["subtotal"] for line in lines)
            order: dict[str, Any] = {
                "order": oid,
                "id": oid,
                "reference": f"ACM{next(self._ids):06d}-1265-35113" if completed else None,
                "buyerReference": None,
                "ipAddress": "127.0.0.1",
                "completed": completed,
                **_times("changed", changed or now_ms()),
                "language": "en",
                "live": live,
                "currency": "USD",
                "payoutCurrency": "USD",
                "invoiceUrl": f"https://acme.test.onfastspring.com/account/order/{oid}/invoice",
                "account": account_id,
                "total": total,
                "totalDisplay": f"${total:.2f}",
                "tax": 0.0,
                "subtotal": total,
                "discount": 0.0,
                "discountWithTax": 0.0,
                "billDescriptor": "FS* ACME",
                "payment": {"type": "test", "creditcard": "visa", "cardEnding": "4242"},
                "customer": {"first": "Ada", "last": "Lovelace", "email": "ada@example.com"},
                "address": {"city": "London", "country": "GB", "display": "London, GB"},
                "recipients": [],
                "notes": [],
                "items": lines,
                "coupons": [],
            }
            if tags is not None:
                order["tags"] = dict(tags)
            self.orders[oid] = order
            if account_id in self.accounts:
                self.accounts[account_id]["orders"].append(oid)
            if event:
                self.add_event("order.completed" if completed else "order.failed", order, live=live)
            return order

    def add_event(
        self,
        type: str,
        data: dict[str, Any],
        *,
        live: bool = False,
        processed: bool = False,
        created: int | None = None,
    ) -> dict[str, Any]:
        with self.lock:
            eid = self.new_id("EV")
            event = {
                "id": eid,
                "event": eid,
                "type": type,
                "live": live,
                "processed": processed,
                "created": created or now_ms(),
                "data": json.loads(json.dumps(data)),
            }
            self.events.append(event)
            return event

    # ------------------------------------------------------------------ views

    def order_view(self, order: dict[str, Any]) -> dict[str, Any]:
        view: dict[str, Any] = json.loads(json.dumps(order))
        if self.hide_tags:
            view.pop("tags", None)
        if self.expand:
            account = self.accounts.get(view["account"])
            if account is not None:
                view["account"] = account
            for item in view["items"]:
                item["product"] = {"product": item["product"], "display": {"en": item["display"]}}
                sub = self.subscriptions.get(item.get("subscription") or "")
                if sub is not None:
                    item["subscription"] = sub
        return view

    def event_page(self, events: list[dict[str, Any]], query: dict[str, str]) -> Reply:
        size = self.event_page_size
        page = 1 if self.ignore_page else int(query.get("page", "1"))
        chunk = events[(page - 1) * size : page * size]
        more = page * size < len(events)
        return Reply(
            200,
            {
                "action": "events.get",
                "result": "success",
                "page": page,
                "limit": size,
                "nextPage": page + 1 if more else None,
                "total": len(events),
                "events": chunk,
                "more": more,
            },
        )


def resources(fake: FakeState) -> FakeResources:
    """The REST resource state of ``fake`` (the same object as ``fake.resources``)."""
    state: FakeResources = fake.state["resources"]
    return state


def parse_day(text: str | None) -> date | None:
    """``YYYY-MM-DD`` as a date; ``None`` for anything else."""
    try:
        return date.fromisoformat(text) if text and len(text) == 10 else None
    except ValueError:
        return None
