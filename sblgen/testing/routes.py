"""The handlers of the fake FastSpring's REST resources (state in
:mod:`sblgen.testing.resources`).

Each handler gets the state, the path parameters (decoded), the query (last value of each
key) and the decoded JSON body, and answers as FastSpring documents it.
"""

from __future__ import annotations

import json
import re
from datetime import UTC, datetime
from typing import Any
from urllib.parse import parse_qs, unquote, urlsplit

from sblgen.testing.core import FakeState, Handler, Recorded, Reply
from sblgen.testing.resources import (
    DAY_MS,
    FakeResources,
    ResourceHandler,
    _error,
    _times,
    now_ms,
    parse_day,
    resources,
)

__all__ = ["RESOURCE_ROUTES"]

# --------------------------------------------------------------------------- orders


def get_orders(
    data: FakeResources, params: dict[str, str], query: dict[str, str], body: Any
) -> Reply:
    ids = params["ids"].split(",")
    found = [data.orders.get(i) for i in ids]
    if len(ids) > 1:  # FastSpring's multi-order form: a list, one result per id
        return Reply(200, {"orders": [data.order_view(o) for o in found if o is not None]})
    if found[0] is None:
        item = {
            "action": "order.get",
            "order": ids[0],
            "result": "error",
            "error": {"order": "Not found"},
        }
        return Reply(400, {"orders": [item]})
    return Reply(200, data.order_view(found[0]))


def list_orders(
    data: FakeResources, params: dict[str, str], query: dict[str, str], body: Any
) -> Reply:
    begin, end = parse_day(query.get("begin")), parse_day(query.get("end"))
    problems = {}
    if begin is None:
        problems["begin"] = "Invalid begin date"
    if end is None or (begin is not None and end <= begin):
        problems["end"] = "End date must be after begin date"
    if problems:
        return _error("order.lookup", 400, problems)
    assert begin is not None and end is not None
    scope = query.get("scope", "all")
    lo = int(datetime(begin.year, begin.month, begin.day, tzinfo=UTC).timestamp() * 1000)
    hi = int(datetime(end.year, end.month, end.day, tzinfo=UTC).timestamp() * 1000)
    orders = [
        o
        for o in data.orders.values()
        if lo <= o["changed"] < hi
        and (scope == "all" or o["live"] == (scope == "live"))
        and query.get("status") in (None, "completed" if o["completed"] else "failed")
    ]
    size = int(query.get("limit", data.order_page_size))
    page = 1 if data.ignore_page else int(query.get("page", "1"))
    chunk = orders[(page - 1) * size : page * size]
    return Reply(
        200,
        {
            "action": "order.lookup",
            "result": "success",
            "begin": f"{begin.month}/{begin.day}/{begin.strftime('%y')}",
            "end": f"{end.month}/{end.day}/{end.strftime('%y')}",
            "page": page,
            "limit": size,
            "nextPage": page + 1 if page * size < len(orders) else None,
            "total": len(orders),
            "orders": [data.order_view(o) for o in chunk],
        },
    )


# --------------------------------------------------------------------------- subscriptions


def _sub_missing(action: str, sid: str) -> Reply:
    return _error(action, 500, {"subscription": "Subscription not found"}, subscription=sid)


def get_subscription(
    data: FakeResources, params: dict[str, str], query: dict[str, str], body: Any
) -> Reply:
    sub = data.subscriptions.get(params["id"])
    if sub is None:
        return _sub_missing("subscription.get", params["id"])
    return Reply(200, sub)


def _item(sid: str, action: str, error: dict[str, str] | None = None) -> dict[str, Any]:
    if error is None:
        return {"subscription": sid, "action": action, "result": "success"}
    return {"subscription": sid, "action": action, "result": "error", "error": error}


def cancel_subscription(
    data: FakeResources, params: dict[str, str], query: dict[str, str], body: Any
) -> Reply:
    sid = params["id"]
    sub = data.subscriptions.get(sid)
    if sub is None:
        item = _item(sid, "subscription.cancel", {"subscription": "Subscription not found"})
    elif sub["state"] in ("canceled", "deactivated"):
        item = _item(
            sid, "subscription.cancel", {"subscription": "the subscription is already canceled"}
        )
    else:
        now = now_ms()
        if query.get("billingPeriod") == "0":
            sub.update(active=False, state="deactivated", **_times("deactivationDate", now))
            data.add_event("subscription.deactivated", sub, live=sub["live"])
        else:
            sub.update(state="canceled", **_times("canceledDate", now))
            sub.update(_times("deactivationDate", sub["next"]))
            data.add_event("subscription.canceled", sub, live=sub["live"])
        sub.update(_times("changed", now))
        item = _item(sid, "subscription.cancel")
    return Reply(200, {"subscriptions": [item]})


def _uncancel(data: FakeResources, sub: dict[str, Any]) -> dict[str, Any]:
    sid = sub["id"]
    if sub["state"] == "deactivated":
        return _item(sid, "subscription.uncancel", {"uncancel": "Subscription is not active."})
    if sub["state"] == "canceled" and not data.ignore_uncancel:
        sub.update(state="active", **_times("canceledDate", None))
        sub.update(_times("deactivationDate", None))
        data.add_event("subscription.uncanceled", sub, live=sub["live"])
    return _item(sid, "subscription.uncancel")


def _change(data: FakeResources, sub: dict[str, Any], change: dict[str, Any]) -> dict[str, Any]:
    sid = sub["id"]
    product = change.get("product", sub["product"])
    if product not in data.prices:
        return _item(sid, "subscription.update", {"product": "Not a subscription product"})
    quantity = change.get("quantity", sub["quantity"])
    if not isinstance(quantity, int) or quantity < 1:
        return _item(sid, "subscription.update", {"quantity": "Must be greater than zero"})
    sub.update(product=product, quantity=quantity, **_times("changed", now_ms()))
    data.add_event("subscription.updated", sub, live=sub["live"])
    if change.get("prorate"):
        data.add_order(
            live=sub["live"], account_id=sub["account"], items=[(product, quantity)], event=False
        )
    return _item(sid, "subscription.update")


def update_subscriptions(
    data: FakeResources, params: dict[str, str], query: dict[str, str], body: Any
) -> Reply:
    items = body.get("subscriptions") if isinstance(body, dict) else None
    if not isinstance(items, list) or not items:
        return Reply(400, {"message": "Request must contain subscriptions.", "params": []})
    results = []
    for change in items:
        sid = change.get("subscription") if isinstance(change, dict) else None
        sub = data.subscriptions.get(sid or "")
        if sub is None:
            results.append(_item(str(sid), "subscription.update", {"subscription": "Not found"}))
        elif "deactivation" in change and change["deactivation"] is None:
            results.append(_uncancel(data, sub))
        elif {"product", "quantity", "coupons"} & change.keys():
            results.append(_change(data, sub, change))
        else:  # FastSpring answers success and changes nothing
            results.append(_item(sub["id"], "subscription.update"))
    return Reply(200, {"subscriptions": results})


def estimate(
    data: FakeResources, params: dict[str, str], query: dict[str, str], body: Any
) -> Reply:
    action = "subscriptions.estimate.update"
    if not isinstance(body, dict) or "subscriptions" in body:
        return _error(action, 400, {"request": "Request must contain a single root object."})
    sid = body.get("subscription")
    if not sid:
        return _error(action, 400, {"subscription": "Request must contain a subscription ID."})
    sub = data.subscriptions.get(sid)
    if sub is None:
        return _error(action, 404, {"subscription": f"Subscription ID does not exist: {sid}"})
    product = body.get("product", sub["product"])
    quantity = body.get("quantity", sub["quantity"])
    old = float(sub["price"]) * sub["quantity"]
    new = float(data.prices.get(product, {}).get("US", {}).get("price", 0)) * quantity
    due = round((new - old) / 2, 2)
    plan = {"display": sub["display"], "product": sub["product"], "billingFrequency": "1 month"}
    return Reply(
        200,
        {
            "subscription": sid,
            "currency": "USD",
            "timezone": "UTC",
            **_times("periodStartDate", sub["begin"]),
            **_times("periodEndDate", sub["next"]),
            "currentPlan": {
                **plan,
                "price": sub["price"],
                "quantity": sub["quantity"],
                "total": old,
            },
            "proposedPlan": {
                **plan,
                "product": product,
                "price": new / quantity,
                "quantity": quantity,
                "total": new,
            },
            "amountDue": {
                "totalAmountDue": due,
                "totalAmountDueDisplay": f"${due:.2f}",
                "nextChargeAmount": new,
                **_times("nextChargeDate", sub["next"]),
            },
        },
    )


def pause(data: FakeResources, params: dict[str, str], query: dict[str, str], body: Any) -> Reply:
    sub = data.subscriptions.get(params["id"])
    if sub is None:
        return _sub_missing("subscriptions.pause", params["id"])
    count = body.get("pausePeriodCount") if isinstance(body, dict) else None
    if not isinstance(count, int) or count < 1:
        return _error(
            "subscriptions.pause", 400, {"subscription.pause": "Invalid number of Periods."}
        )
    sub.update(isPauseScheduled=True, **_times("pauseDate", sub["next"]))
    sub.update(_times("resumeDate", sub["next"] + count * 30 * DAY_MS))
    data.add_event("subscription.paused", sub, live=sub["live"])
    return Reply(200, {**sub, "action": "subscriptions.pause.get", "result": "success"})


def resume(data: FakeResources, params: dict[str, str], query: dict[str, str], body: Any) -> Reply:
    sub = data.subscriptions.get(params["id"])
    if sub is None:
        return _error(
            "subscriptions.resume", 500, {"subscription.resume": "Unable to find subscription."}
        )
    sub.update(isPauseScheduled=False, **_times("pauseDate", None))
    sub.update(_times("resumeDate", None))
    return Reply(200, {"action": "subscriptions.resume", "result": "success"})


# --------------------------------------------------------------------------- accounts


def _account_missing(action: str, account_id: str) -> Reply:
    return _error(action, 500, {"account": "account not found"}, account=account_id)


def get_account(
    data: FakeResources, params: dict[str, str], query: dict[str, str], body: Any
) -> Reply:
    account = data.accounts.get(params["id"])
    if account is None:
        return _account_missing("account.get", params["id"])
    return Reply(200, {"accounts": [{**account, "action": "account.get", "result": "success"}]})


def lookup_accounts(
    data: FakeResources, params: dict[str, str], query: dict[str, str], body: Any
) -> Reply:
    conditions = {k: v for k, v in query.items() if k not in ("page", "limit")}
    if len(conditions) > 1:
        return _error("account.lookup", 400, {"lookup": "Only one condition can be specified"})
    if not conditions:
        return Reply(
            200, {"action": "account.getall", "result": "success", "accounts": list(data.accounts)}
        )
    ((key, value),) = conditions.items()
    found = [
        a["account"]
        for a in data.accounts.values()
        if (key == "email" and a["contact"]["email"] == value)
        or (key == "custom" and a["lookup"].get("custom") == value)
    ]
    return Reply(
        200,
        {
            "action": "account.lookup",
            "result": "success",
            "accounts": [{"account": i} for i in found],
        },
    )


def _account_problems(data: FakeResources, body: Any, account_id: str | None) -> dict[str, str]:
    if not isinstance(body, dict):
        return {"account": "Request must contain an object."}
    contact = body.get("contact") or {}
    problems = {}
    for key in ("first", "last", "email"):
        if account_id is None and not contact.get(key):
            problems[key] = f"{key} is required"
    email, custom = contact.get("email"), (body.get("lookup") or {}).get("custom")
    for other in data.accounts.values():
        if other["account"] == account_id:
            continue
        if email and other["contact"]["email"] == email:
            problems["email"] = f"email already exists, /accounts/{other['account']}"
        if custom and other["lookup"].get("custom") == custom:
            problems["custom"] = f"custom already exists, /accounts/{other['account']}"
    return problems


def create_account(
    data: FakeResources, params: dict[str, str], query: dict[str, str], body: Any
) -> Reply:
    problems = _account_problems(data, body, None)
    if problems:
        return _error("account.create", 400, problems)
    contact = body["contact"]
    others = {k: v for k, v in contact.items() if k != "email"}
    custom = (body.get("lookup") or {}).get("custom")
    account = data.add_account(contact["email"], custom=custom, **others)
    for key in ("language", "country"):
        if key in body:
            account[key] = body[key]
    data.add_event("account.created", account)
    return Reply(
        200, {"account": account["account"], "action": "account.create", "result": "success"}
    )


def update_account(
    data: FakeResources, params: dict[str, str], query: dict[str, str], body: Any
) -> Reply:
    account = data.accounts.get(params["id"])
    if account is None:
        return _account_missing("account.update", params["id"])
    problems = _account_problems(data, body, account["account"])
    if problems:
        return _error("account.update", 400, problems)
    account["contact"].update(body.get("contact") or {})
    account["lookup"].update(body.get("lookup") or {})
    for key in ("language", "country"):
        if key in body:
            account[key] = body[key]
    data.add_event("account.updated", account)
    return Reply(
        200, {"account": account["account"], "action": "account.create", "result": "success"}
    )


def authenticate(
    data: FakeResources, params: dict[str, str], query: dict[str, str], body: Any
) -> Reply:
    account = data.accounts.get(params["id"])
    if account is None:
        return _error(
            "account.authenticate.get", 500, {"account": "Not found"}, account=params["id"]
        )
    url = f"https://acme.test.onfastspring.com/account/{data.new_id('T')}/{data.new_id('K')}"
    item = {
        "action": "account.authenticate.get",
        "result": "success",
        "account": account["account"],
        "url": url,
    }
    return Reply(200, {"accounts": [item]})


# --------------------------------------------------------------------------- prices


def _pricing(data: FakeResources, product: str, query: dict[str, str]) -> dict[str, Any]:
    pricing = data.prices[product]
    country, currency = query.get("country"), query.get("currency")
    if country is not None:
        pricing = {c: p for c, p in pricing.items() if c == country}
    if currency is not None:
        pricing = {
            c: {**p, "currency": currency, "display": f"{currency} {p['price']}"}
            for c, p in pricing.items()
        }
    return pricing


def all_prices(
    data: FakeResources, params: dict[str, str], query: dict[str, str], body: Any
) -> Reply:
    products = sorted(data.prices)
    size = data.price_page_size
    page = 1 if data.ignore_page else int(query.get("page", "1"))
    chunk = products[(page - 1) * size : page * size]
    entries = [
        {
            "action": "product.price.get",
            "result": "success",
            "product": p,
            "pricing": _pricing(data, p, query),
        }
        for p in chunk
    ]
    more = page * size < len(products)
    return Reply(
        200,
        {"page": page, "limit": size, "nextPage": page + 1 if more else None, "products": entries},
    )


def one_price(
    data: FakeResources, params: dict[str, str], query: dict[str, str], body: Any
) -> Reply:
    path = params["path"]
    if path not in data.prices:
        entry = {
            "action": "product.price.get",
            "result": "error",
            "product": path,
            "error": {"product": "Product not found"},
        }
    else:
        entry = {
            "action": "product.price.get",
            "result": "success",
            "product": path,
            "pricing": _pricing(data, path, query),
        }
    return Reply(200, {"page": 1, "limit": 50, "nextPage": None, "products": [entry]})


# --------------------------------------------------------------------------- events


def _window(query: dict[str, str]) -> tuple[int, int] | dict[str, str]:
    now = now_ms()
    if "days" in query:
        return now - int(query["days"]) * DAY_MS, now + 1
    if "begin" not in query:
        return {"begin": "Begin required."}
    begin, end = int(query["begin"]), int(query.get("end", now + 1))
    if begin < now - 30 * DAY_MS:
        return {"begin": "Begin must be within the last 30 days."}
    if begin > end:
        return {"begin": "Begin must be before end."}
    return begin, end


def _events(data: FakeResources, query: dict[str, str], processed: bool) -> Reply:
    window = _window(query)
    if isinstance(window, dict):
        return _error("events.get", 500, window)
    begin, end = window
    events = [e for e in data.events if e["processed"] is processed and begin <= e["created"] < end]
    return data.event_page(sorted(events, key=lambda e: e["created"]), query)


def unprocessed(
    data: FakeResources, params: dict[str, str], query: dict[str, str], body: Any
) -> Reply:
    return _events(data, query, False)


def processed(
    data: FakeResources, params: dict[str, str], query: dict[str, str], body: Any
) -> Reply:
    return _events(data, query, True)


def mark_event(
    data: FakeResources, params: dict[str, str], query: dict[str, str], body: Any
) -> Reply:
    event = next((e for e in data.events if e["id"] == params["id"]), None)
    if event is None:
        return _error("event.update", 500, {"event": "Event not found"}, event=params["id"])
    if isinstance(body, dict) and body.get("processed") is True:
        event["processed"] = True
    return Reply(200, {"action": "event.update", "event": event["id"], "result": "success"})


def _adapt(handler: ResourceHandler) -> Handler:
    """A route handler that decodes the path parameters, the query (last value of each
    key) and the JSON body, and runs ``handler`` under the resource state's lock."""

    def run(fake: FakeState, match: re.Match[str], request: Recorded) -> Reply:
        params = {key: unquote(value) for key, value in match.groupdict().items()}
        query = {k: v[-1] for k, v in parse_qs(urlsplit(request.path).query).items()}
        try:
            body = json.loads(request.body) if request.body else None
        except ValueError:
            return Reply(400, {"message": "Can not parse request body.", "params": []})
        data = resources(fake)
        with data.lock:
            return handler(data, params, query, body)

    return run


_ID = r"(?P<id>[^/]+)"
#: The resource routes, each handler adapted to a route's ``(fake, match, request)``.
RESOURCE_ROUTES: list[tuple[str, re.Pattern[str], Handler]] = [
    (method, re.compile(path), _adapt(handler))
    for method, path, handler in [
        ("GET", r"/orders/(?P<ids>[^/]+)", get_orders),
        ("GET", r"/orders", list_orders),
        ("GET", rf"/subscriptions/{_ID}", get_subscription),
        ("DELETE", rf"/subscriptions/{_ID}", cancel_subscription),
        ("POST", r"/subscriptions", update_subscriptions),
        ("POST", r"/subscriptions/estimate", estimate),
        ("POST", rf"/subscriptions/{_ID}/pause", pause),
        ("POST", rf"/subscriptions/{_ID}/resume", resume),
        ("GET", rf"/accounts/{_ID}", get_account),
        ("POST", rf"/accounts/{_ID}", update_account),
        ("GET", r"/accounts", lookup_accounts),
        ("POST", r"/accounts", create_account),
        ("GET", rf"/accounts/{_ID}/authenticate", authenticate),
        ("GET", r"/products/price", all_prices),
        ("GET", r"/products/price/(?P<path>[^/]+)", one_price),
        ("GET", r"/events/unprocessed", unprocessed),
        ("GET", r"/events/processed", processed),
        ("POST", rf"/events/{_ID}", mark_event),
    ]
]
