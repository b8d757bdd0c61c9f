"""The fake FastSpring's Sessions v2 endpoints: the documented response shapes, computed
from what was sent.

Bodies are validated with sblgen's own v2 request models. A session answers with every
``BaseSessionResponse`` field (create) or ``SessionResponse`` field (get, update); the writes
answer with the documented ``OrderItemResponse`` and ``CustomerResponse``; errors are the
documented ``ErrorResponse``. Prices: ``customPrice.unitPrice`` in the session currency (EUR),
else its USD amount, else 9.9; the best ``discounts`` tier that the quantity reaches; a coupon
from ``fake.coupons`` takes its percentage off the cart; tax is 0.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from datetime import UTC, datetime, timedelta
from decimal import Decimal
from typing import Any, TypeVar

from pydantic import BaseModel, RootModel, ValidationError

from sblgen.api.v2 import Customer, SessionCreate, SessionUpdate, V2LineItem
from sblgen.testing.core import FakeState, Handler, Recorded, Reply

__all__ = ["DOCUMENTED_400", "V2_ROUTES"]

M = TypeVar("M", bound=BaseModel)

_V2 = r"/v2/checkouts/(?P<store>[^/]+)/(?P<checkout>[^/]+)/sessions"
_V2_SESSION = _V2 + r"/(?P<sid>[^/]+)"
CENT = Decimal("0.01")
DEFAULT_METHODS = ("CARD", "PAYPAL", "APPLE_PAY", "GOOGLE_PAY", "WIRE")
METHODS: dict[str, dict[str, Any]] = {
    "CARD": {
        "description": "PaymentMethodType.CreditCard",
        "requiredFieldElements": ["NAME", "EMAIL", "CARD"],
        "showFieldElements": ["POSTAL_CODE"],
        "supportedProductTypes": ["ONE_TIME", "SUBSCRIPTION_PLAN"],
        "variants": ["VISA", "MASTER_CARD", "AMEX"],
    },
    "PAYPAL": {"description": "PaymentMethodType.PayPal"},
    "APPLE_PAY": {"description": "PaymentMethodType.ApplePay"},
    "GOOGLE_PAY": {"description": "PaymentMethodType.GooglePay"},
    "WIRE": {
        "description": "PaymentMethodType.Wire",
        "requiredFieldElements": ["NAME", "EMAIL", "BILLING_ADDRESS"],
        "supportedProductTypes": ["ONE_TIME"],
    },
}
NOT_LIVE = {
    "code": "CHECKOUT_NOT_LIVE",
    "field": "live",
    "message": "This checkout is in test mode; the session is not live.",
}
BAD_COUPON = {
    "code": "INVALID_PROMO_CODE",
    "field": "promoCode",
    "message": "The promo code you entered is invalid and was not applied. Please check the code.",
}


#: FastSpring's documented example of a v2 400 ``ErrorResponse`` (what ``fail_next(
#: "400-documented")`` answers), byte for byte.
DOCUMENTED_400 = b"""{
  "status": "400 BAD_REQUEST",
  "timestamp": "2026-03-20T10:49:51.000Z",
  "id": "FS123456789012345ABC",
  "message": "Invalid email format",
  "errors": [
    {
      "errorCode": "INVALID_EMAIL_FORMAT",
      "field": "customer.billToContact.email",
      "message": "Invalid email format",
      "rejectedValue": "my.invalid.Email_fastspring.com"
    }
  ]
}
"""


def _num(amount: Decimal) -> int | float:
    amount = amount.quantize(CENT)
    return int(amount) if amount == amount.to_integral_value() else float(amount)


def _shown(amount: Decimal, currency: str) -> str:
    return f"{'€' if currency == 'EUR' else '$'}{amount.quantize(CENT)}"


def _money(prices: dict[str, Any] | None, currency: str) -> Decimal | None:
    if not prices:
        return None
    value = prices.get(currency, prices.get("USD"))
    return None if value is None else Decimal(str(value))


def _amounts(data: dict[str, Any], currency: str, **amounts: Decimal) -> None:
    """Each amount and its ``...Display`` twin, in the order given."""
    for name, amount in amounts.items():
        data[name] = _num(amount)
        data[name + "Display"] = _shown(amount, currency)


# --------------------------------------------------------------------------- documented shapes


def order_item(line: dict[str, Any], currency: str) -> dict[str, Any]:
    """An ``OrderItemResponse`` for a request line (wire form)."""
    quantity = line.get("quantity", 1)
    custom = line.get("customPrice") or {}
    unit = _money(custom.get("unitPrice"), currency) or Decimal("9.9")
    tiers = [t for t in custom.get("discounts", ()) if t.get("minQuantity", 1) <= quantity]
    discount = Decimal(0)
    if tiers:
        best = max(tiers, key=lambda t: t.get("minQuantity", 1))
        if "percentDiscount" in best:
            discount = unit * Decimal(best["percentDiscount"]) / 100
        else:
            discount = _money(best.get("amountDiscount"), currency) or Decimal(0)
    discount = discount.quantize(CENT)
    net = unit - discount
    price: dict[str, Any] = {}
    _amounts(
        price,
        currency,
        unitNetPrice=net,
        unitListPrice=unit,
        unitDiscount=discount,
        extendedTotalDiscount=discount * quantity,
        extendedNetTotal=net * quantity,
        extendedListTotal=unit * quantity,
    )
    price["taxIncluded"] = "TAXES_ADDED_TO_PRICE"
    _amounts(price, currency, unitTaxAmount=Decimal(0), extendedTaxTotal=Decimal(0))
    price.update(
        taxPercent=0,
        taxExempt=False,
        productDiscountDuration=custom.get("discountDuration", 0),
        couponDiscountDuration=0,
    )
    item = {
        "productPath": line["productPath"],
        "quantity": quantity,
        "quantityBehavior": line.get("quantityBehavior", "ALLOW"),
        "quantityDefault": line.get("quantityDefault", 1),
        "virtualProduct": False,
        "price": price,
        "productType": "SUBSCRIPTION_PLAN" if "subscriptionOverrides" in line else "ONE_TIME",
        "removable": True,
        "bundle": False,
        "descriptions": line.get("descriptions", {}),
        "productFormat": "DIGITAL",
        "attributes": line.get("attributes", {}),
    }
    if "subscriptionOverrides" in line:
        item["subscription"] = line["subscriptionOverrides"]
    return item


CUSTOMER_FIELDS = (
    "externalAccountId",
    "billToContact",
    "billToAddress",
    "shipToContact",
    "shipToAddress",
    "accountTags",
    "taxId",
    "taxIdRegion",
)


def customer_response(session: dict[str, Any]) -> dict[str, Any]:
    """A ``CustomerResponse``: the request's customer without ``shipToType`` and without the
    addresses' ``country``, with an ``accountId``."""
    sent = session.get("customer", {})
    data: dict[str, Any] = {"accountId": sent.get("accountId", session["_account"])}
    for key in CUSTOMER_FIELDS:
        if key in sent:
            data[key] = sent[key]
    for key in ("billToAddress", "shipToAddress"):
        if key in data:
            data[key] = {k: v for k, v in data[key].items() if k != "country"}
    return data


def cart_response(fake: FakeState, session: dict[str, Any]) -> dict[str, Any]:
    currency = session["currency"]
    sent = session["cart"]
    lines = [order_item(line, currency) for line in sent.get("lineItems", [])]
    listed = sum((Decimal(str(i["price"]["extendedListTotal"])) for i in lines), Decimal(0))
    product = sum((Decimal(str(i["price"]["extendedTotalDiscount"])) for i in lines), Decimal(0))
    data: dict[str, Any] = {}
    coupon = sent.get("couponCode")
    percent = fake.coupons.get(coupon) if coupon is not None else None
    if coupon is not None:
        data.update(couponCode=coupon, couponHasApplied=percent is not None)
    data["lineItems"] = lines
    off = ((listed - product) * Decimal(percent or 0) / 100).quantize(CENT)
    net = listed - product - off
    _amounts(
        data,
        currency,
        netTotal=net,
        listTotal=listed,
        withTaxNetTotal=net,
        withTaxListTotal=listed,
        withoutTaxNetTotal=net,
        withoutTaxListTotal=listed,
        discountTotal=product + off,
        couponDiscountTotal=off,
        productDiscountTotal=product,
    )
    data["taxIncluded"] = "TAXES_ADDED_TO_PRICE"
    _amounts(data, currency, taxTotal=Decimal(0))
    data["taxRate"] = 0
    return data


def payment_methods(session: dict[str, Any]) -> list[dict[str, Any]]:
    order = list(session.get("paymentMethodsOrder", []))
    ids = [*order, *(m for m in DEFAULT_METHODS if m not in order)]
    hidden = set(session.get("hidePaymentMethods", []))
    out = []
    for method in ids:
        if method in hidden:
            continue
        known = METHODS.get(method, {"description": f"PaymentMethodType.{method.title()}"})
        out.append(
            {
                "id": method,
                "description": known["description"],
                "requiredFieldElements": known.get("requiredFieldElements", ["NAME", "EMAIL"]),
                "showFieldElements": known.get("showFieldElements", []),
                "supportedProductTypes": known.get("supportedProductTypes", ["ONE_TIME"]),
                "variants": known.get("variants", []),
            }
        )
    return out


def session_response(fake: FakeState, session: dict[str, Any], *, full: bool) -> Any:
    """``BaseSessionResponse`` (create) or, with ``full``, ``SessionResponse`` (get, update)."""
    lines = session["cart"].get("lineItems", [])
    data = {k: session[k] for k in ("id", "created", "expires", "status", "locale", "country")}
    data.update(currency=session["currency"], live=session["live"])
    data["customer"] = customer_response(session)
    data["orderTags"] = session.get("orderTags", {})
    data["cart"] = cart_response(fake, session)
    if full:
        data["paymentMethods"] = payment_methods(session)
        data["hidePaymentMethods"] = session.get("hidePaymentMethods", [])
    data["checkoutUrls"] = session["checkoutUrls"]
    data["warnings"] = session["_warnings"]
    data["checkoutStatus"] = ["READY_FOR_CHECKOUT"] if lines else ["PRODUCTS_REQUIRED"]
    return data


# --------------------------------------------------------------------------- state


def _apply(fake: FakeState, session: dict[str, Any], body: SessionCreate) -> None:
    """Create or replace: the customer, cart, tags, locale, country and methods; the
    warnings for this body."""
    wire = body.to_dict()
    asked_live = wire.get("live", True)
    session["live"] = asked_live and session["_store_live"]
    session["cart"] = wire.get("cart", {})
    billing = wire.get("customer", {}).get("billToAddress", {})
    session["locale"] = wire.get("locale", "en")
    session["country"] = wire.get("country", billing.get("country", "US"))
    for key in ("customer", "orderTags", "paymentMethodsOrder", "hidePaymentMethods"):
        session[key] = wire.get(key, {} if key in ("customer", "orderTags") else [])
    warnings = []
    if asked_live and not session["_store_live"]:
        warnings.append(NOT_LIVE)
    coupon = session["cart"].get("couponCode")
    if coupon is not None and coupon not in fake.coupons:
        warnings.append(BAD_COUPON)
    session["_warnings"] = warnings


def _create(fake: FakeState, match: re.Match[str], request: Recorded) -> Reply:
    try:
        body = SessionCreate.model_validate_json(request.body)
    except (ValueError, ValidationError) as err:
        return fake.v2_invalid(err)
    sid = fake.next_id("V2")
    store = match["store"]
    live = not store.endswith("test")
    host = f"{store}{'' if live else '.test'}.onfastspring.com"
    created = datetime.now(UTC).replace(microsecond=0)
    session: dict[str, Any] = {
        "_checkout": (store, match["checkout"]),
        "_store_live": live,
        "_account": fake.next_id("AC"),
        "id": sid,
        "created": created.isoformat().replace("+00:00", "Z"),
        "expires": (created + timedelta(hours=24)).isoformat().replace("+00:00", "Z"),
        "status": "OPEN",
        "currency": "EUR",
        "checkoutUrls": {"webcheckoutUrl": f"https://{host}/session/{sid}"},
    }
    _apply(fake, session, body)
    fake.state["v2"][sid] = session
    return Reply(201, session_response(fake, session, full=False))


#: What a v2 endpoint does once its session is found: (fake, session, body, match) -> reply.
SessionHandler = Callable[[FakeState, dict[str, Any], M, re.Match[str]], Reply]


def _endpoint(body: type[M], missing: int = 404) -> Callable[[SessionHandler[M]], Handler]:
    """A v2 handler: ``missing`` (404, or the documented 400 of payment methods) for an
    unknown session or one under another checkout; 400 for a body that is not a ``body``."""

    def wrap(handle: SessionHandler[M]) -> Handler:
        def handler(fake: FakeState, match: re.Match[str], request: Recorded) -> Reply:
            session: dict[str, Any] | None = fake.state["v2"].get(match["sid"])
            if session is None or session["_checkout"] != (match["store"], match["checkout"]):
                return fake.v2_error(missing, "Session not found")
            try:
                parsed = body.model_validate_json(request.body or b"null")
            except (ValueError, ValidationError) as err:
                return fake.v2_invalid(err)
            return handle(fake, session, parsed, match)

        return handler

    return wrap


class _NoBody(RootModel[None]):
    """The empty body of GET and DELETE."""


def _product_error(fake: FakeState, code: str, message: str, path: str) -> Reply:
    error = {"errorCode": code, "field": "productPath", "message": message, "rejectedValue": path}
    return fake.v2_error(400, message, [error])


@_endpoint(_NoBody)
def _get(fake: FakeState, session: dict[str, Any], _: _NoBody, m: re.Match[str]) -> Reply:
    return Reply(200, session_response(fake, session, full=True))


@_endpoint(SessionUpdate)
def _update(
    fake: FakeState, session: dict[str, Any], body: SessionUpdate, m: re.Match[str]
) -> Reply:
    _apply(fake, session, body)
    return Reply(200, session_response(fake, session, full=True))


@_endpoint(V2LineItem)
def _add_item(
    fake: FakeState, session: dict[str, Any], item: V2LineItem, m: re.Match[str]
) -> Reply:
    lines = session["cart"].setdefault("lineItems", [])
    if any(line["productPath"] == item.product_path for line in lines):
        return _product_error(fake, "ITEM_EXISTS", "Item exists", item.product_path)
    line = {"quantity": 1, **item.to_dict()}
    lines.append(line)
    return Reply(200, order_item(line, session["currency"]))


@_endpoint(V2LineItem)
def _update_items(
    fake: FakeState, session: dict[str, Any], item: V2LineItem, m: re.Match[str]
) -> Reply:
    lines = {line["productPath"]: line for line in session["cart"].get("lineItems", [])}
    paths = m["paths"].split(",")
    missing = [p for p in paths if p not in lines]
    if missing:
        text = f"Product not found: {', '.join(missing)}"
        return _product_error(fake, "PRODUCT_NOT_FOUND", text, missing[0])
    changes = {k: v for k, v in item.to_dict().items() if k != "productPath"}
    for path in paths:
        lines[path].update(changes)
    return Reply(200, order_item(lines[paths[0]], session["currency"]))


@_endpoint(_NoBody)
def _remove_item(fake: FakeState, session: dict[str, Any], _: _NoBody, m: re.Match[str]) -> Reply:
    lines = session["cart"].get("lineItems", [])
    kept = [line for line in lines if line["productPath"] != m["paths"]]
    if len(kept) == len(lines):
        return _product_error(fake, "PRODUCT_NOT_FOUND", "Product not found", m["paths"])
    session["cart"]["lineItems"] = kept
    return Reply(204)


@_endpoint(Customer)
def _customer(
    fake: FakeState, session: dict[str, Any], customer: Customer, m: re.Match[str]
) -> Reply:
    session["customer"] = customer.to_dict()
    return Reply(200, customer_response(session))


@_endpoint(_NoBody, missing=400)
def _payment_methods(
    fake: FakeState, session: dict[str, Any], _: _NoBody, m: re.Match[str]
) -> Reply:
    return Reply(200, {"paymentMethods": payment_methods(session)})


V2_ROUTES: list[tuple[str, re.Pattern[str], Handler]] = [
    ("POST", re.compile(_V2), _create),
    ("GET", re.compile(_V2_SESSION), _get),
    ("PUT", re.compile(_V2_SESSION), _update),
    ("POST", re.compile(_V2_SESSION + r"/cart/items"), _add_item),
    ("PUT", re.compile(_V2_SESSION + r"/cart/items/(?P<paths>[^/]+)"), _update_items),
    ("DELETE", re.compile(_V2_SESSION + r"/cart/items/(?P<paths>[^/]+)"), _remove_item),
    ("PUT", re.compile(_V2_SESSION + r"/customer"), _customer),
    ("GET", re.compile(_V2_SESSION + r"/payment-methods"), _payment_methods),
]
