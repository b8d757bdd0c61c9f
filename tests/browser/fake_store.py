"""A local stand-in for a FastSpring storefront's builder endpoints, for the browser tests.

The browser harness routes every ``https://*.onfastspring.com`` request here, so the SBL (the
stand-in, or any other build a developer points the harness at) talks to something that
answers like a storefront and nothing leaves the machine:

``POST|GET /builder``
    applies the ``put`` JSON to the cart of the ``session`` serial (a new cart without one)
    and answers with the order object, including ``serial`` and ``expires``
``POST /builder/finalize``
    applies ``put`` too and answers ``{"url": "https://<storefront>/session/<id>", "session"}``
``GET /builder/refresh/<id>``, ``POST /account/authenticate``
    the order object of the latest cart
anything else (the checkout page in the popup frame, a product link)
    a small HTML page

The order object follows the fields the SBL reads and the display directives name (groups,
items with ``display``, ``price``/``priceValue``, ``priceTotal``, ``discountTotal``,
``total``, ``quantity``, ``selected``; order ``total``, ``coupons``, ``selections``, ...).
Its exact field list is this fake's choice: FastSpring's real answer was not available.
"""

from __future__ import annotations

import json
import time
from dataclasses import dataclass, field
from typing import Any
from urllib.parse import parse_qs, urlsplit

CURRENCY_BY_COUNTRY = {"DE": "EUR", "FR": "EUR", "ES": "EUR", "IT": "EUR", "GB": "GBP"}
SYMBOLS = {"USD": "$", "EUR": "€", "GBP": "£"}


@dataclass
class Cart:
    serial: str
    lines: dict[str, int] = field(default_factory=dict)
    coupon: str = ""
    country: str = "US"
    language: str = "en"
    received: list[dict[str, Any]] = field(default_factory=list)


@dataclass
class StoredResponse:
    status: int
    content_type: str
    body: str


@dataclass
class FakeStore:
    """What a storefront answers. Configure it before the page loads.

    ``catalog`` maps product paths to ``{"display", "prices": {currency: amount},
    "quantity" (the default), "image", "summary"}``; a path not in it is accepted with a
    generated entry (display = path, 10.00 in every currency). ``coupons`` maps accepted codes
    to a percent discount; ``None`` accepts every code at 10%. ``rejected_coupons`` get a 400.
    ``fields`` is sent as the validation ``fields`` of every order. ``fail`` maps a path
    suffix (``/builder``, ``/builder/finalize``) to a ``(status, body)`` answer.
    ``delay_ms`` holds every builder answer back (a storefront is not instant).
    """

    catalog: dict[str, dict[str, Any]] = field(default_factory=dict)
    coupons: dict[str, float] | None = None
    rejected_coupons: set[str] = field(default_factory=set)
    payment_methods: list[str] = field(default_factory=lambda: ["card", "paypal"])
    tax_exemption_allowed: bool = False
    fields: dict[str, Any] | None = None
    fail: dict[str, tuple[int, str]] = field(default_factory=dict)
    delay_ms: int = 0
    carts: dict[str, Cart] = field(default_factory=dict)
    latest: str | None = None
    finalized: int = 0

    # ------------------------------------------------------------------ HTTP

    def handle(self, method: str, url: str, body: str | None) -> StoredResponse:
        """Answer one request to a storefront host."""
        parts = urlsplit(url)
        path = parts.path
        form = {k: v[0] for k, v in parse_qs(body or "", keep_blank_values=True).items()}
        for suffix, (status, text) in self.fail.items():
            if path.endswith(suffix):
                return StoredResponse(status, "application/json", text)
        if "/builder" in path or path.endswith("/account/authenticate"):
            time.sleep(self.delay_ms / 1000)
            return self._builder(method, parts.netloc, path, form)
        return StoredResponse(
            200,
            "text/html; charset=utf-8",
            "<!doctype html><title>FastSpring checkout (fake)</title><p>checkout</p>",
        )

    def _builder(self, method: str, host: str, path: str, form: dict[str, str]) -> StoredResponse:
        storefront = host + path[: path.index("/builder")] if "/builder" in path else host
        if "/refresh/" in path or path.endswith("/account/authenticate"):
            cart = self._cart(self.latest)
            return self._json(self.order(cart))
        cart = self._cart(form.get("session"))
        put = json.loads(form["put"]) if "put" in form else {}
        cart.received.append(put)
        problem = self._apply(cart, put)
        if problem is not None:
            return StoredResponse(400, "application/json", json.dumps({"error": problem}))
        if path.endswith("/builder/finalize"):
            self.finalized += 1
            session = f"FINALIZEDsession{self.finalized:04d}"
            url = f"https://{storefront}/session/{session}"
            return self._json({"url": url, "session": session})
        return self._json(self.order(cart))

    def _cart(self, serial: str | None) -> Cart:
        if serial is None or serial not in self.carts:
            serial = f"STANDIN-SERIAL-{len(self.carts) + 1}"
            self.carts[serial] = Cart(serial=serial)
        self.latest = serial
        return self.carts[serial]

    @staticmethod
    def _json(data: dict[str, Any]) -> StoredResponse:
        return StoredResponse(200, "application/json", json.dumps(data))

    # ------------------------------------------------------------------ cart

    def _apply(self, cart: Cart, put: dict[str, Any]) -> str | None:
        for line in put.get("items") or []:
            if not isinstance(line, dict):
                continue
            product = line.get("path") or line.get("product")
            if not isinstance(product, str):
                continue
            quantity = line.get("quantity")
            if quantity is None:
                quantity = self._entry(product).get("quantity", 1)
            if quantity == 0:
                cart.lines.pop(product, None)
            else:
                cart.lines[product] = int(quantity)
        if "coupon" in put:
            code = put["coupon"]
            if code == "":
                cart.coupon = ""
            elif code in self.rejected_coupons or (
                self.coupons is not None and code not in self.coupons
            ):
                return f"coupon {code} is not valid"
            else:
                cart.coupon = str(code)
        if isinstance(put.get("country"), str):
            cart.country = put["country"]
        if isinstance(put.get("language"), str):
            cart.language = put["language"]
        return None

    def _entry(self, product: str) -> dict[str, Any]:
        return self.catalog.get(product, {})

    def _discount(self, cart: Cart) -> float:
        if not cart.coupon:
            return 0.0
        if self.coupons is None:
            return 10.0
        return self.coupons.get(cart.coupon, 0.0)

    # ------------------------------------------------------------------ the order object

    def order(self, cart: Cart) -> dict[str, Any]:
        """The order object for a cart, as the storefront would send it."""
        currency = CURRENCY_BY_COUNTRY.get(cart.country, "USD")
        percent = self._discount(cart)
        paths = list(self.catalog) + [p for p in cart.lines if p not in self.catalog]
        items = [self._item(cart, p, currency, percent) for p in paths]
        selected = [i for i in items if i["selected"]]
        subtotal = sum(i["priceTotalValue"] for i in selected)
        discount = sum(i["discountTotalValue"] for i in selected)
        total = round(subtotal - discount, 2)
        return {
            "serial": cart.serial,
            "expires": int(time.time() * 1000) + 3_600_000,
            "availablePaymentMethods": list(self.payment_methods),
            "country": cart.country,
            "coupons": [cart.coupon] if cart.coupon else [],
            "currency": currency,
            "discountTotal": _money(discount, currency),
            "discountTotalValue": discount,
            "groups": [{"type": "add", "driver": "storefront", "items": items}],
            "language": cart.language,
            "selections": bool(selected),
            "subtotal": _money(subtotal, currency),
            "subtotalValue": subtotal,
            "taxExemptionAllowed": self.tax_exemption_allowed,
            "total": _money(total, currency),
            "totalValue": total,
            **({"fields": self.fields} if self.fields is not None else {}),
        }

    def _item(self, cart: Cart, path: str, currency: str, percent: float) -> dict[str, Any]:
        entry = self._entry(path)
        prices = entry.get("prices", {})
        unit = float(prices.get(currency, prices.get("USD", 10.0)))
        selected = path in cart.lines
        quantity = cart.lines.get(path, int(entry.get("quantity", 1)))
        price_total = round(unit * quantity, 2)
        discount = round(price_total * percent / 100, 2) if selected else 0.0
        total = round(price_total - discount, 2)
        item: dict[str, Any] = {
            "path": path,
            "display": entry.get("display", path),
            "selected": selected,
            "quantity": quantity,
            "price": _money(unit, currency),
            "priceValue": unit,
            "priceTotal": _money(price_total, currency),
            "priceTotalValue": price_total,
            "discountTotal": _money(discount, currency),
            "discountTotalValue": discount,
            "total": _money(total, currency),
            "totalValue": total,
            "description": {"summary": entry.get("summary", f"<p>About {path}</p>")},
            "groups": [],
        }
        if "image" in entry:
            item["image"] = entry["image"]
        return item


def _money(amount: float, currency: str) -> str:
    return f"{SYMBOLS.get(currency, currency + ' ')}{amount:,.2f}"
