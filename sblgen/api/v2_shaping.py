"""How :class:`~sblgen.CheckoutBuilder` values map onto the Sessions API v2 create body.

The builder's v2 emitter calls these; each returns plain wire data (camelCase keys) that
:class:`~sblgen.api.v2.SessionCreate` then validates. What v2 cannot carry raises
:class:`~sblgen.errors.UnsupportedFieldError` naming the fix.

- ``product(trial=, interval=, interval_length=, interval_count=)`` become
  ``subscriptionOverrides``: ``billingFrequency`` (``day`` -> ``DAY``, ... and v1's
  ``adhoc`` -> ``ON_DEMAND``, an equivalence FastSpring does not confirm) and ``trialDays``;
  ``display=`` becomes ``descriptions.display``; ``price=`` becomes ``customPrice.unitPrice``;
- ``.recipient(...)`` becomes ``customer.shipToContact``, ``shipToAddress`` and
  ``shipToType: "GIFT_PURCHASE"``; ``.postal_code()`` becomes ``billToAddress.postalCode``;
- ``.payment_method(m)`` becomes ``paymentMethodsOrder: [M]`` in the schema's spelling.

>>> from sblgen.builder import LineItem
>>> line_item(LineItem("pro", trial=14, interval="month", interval_length=1))
{'productPath': 'pro', 'quantity': 1, 'subscriptionOverrides': {'billingFrequency': \
{'intervalUnit': 'MONTH', 'intervalLength': 1}, 'trialDays': 14}}
"""

from __future__ import annotations

from collections.abc import Mapping
from decimal import Decimal
from typing import Any, Protocol

from sblgen.errors import UnsupportedFieldError

__all__ = ["TARGET", "LineItem", "cart", "customer", "line_item", "payment_methods_order"]

TARGET = "SessionCreate (Sessions API v2)"
#: v1 and secure payload interval names -> v2 ``intervalUnit``.
_UNITS = {"day": "DAY", "week": "WEEK", "month": "MONTH", "year": "YEAR", "adhoc": "ON_DEMAND"}
_CONTACT = {
    "email": "email",
    "first_name": "firstName",
    "last_name": "lastName",
    "company": "company",
    "phone_number": "phoneNumber",
}
_ADDRESS = {
    "address_line1": "addressLine1",
    "address_line2": "addressLine2",
    "city": "city",
    "region": "region",
    "postal_code": "postalCode",
    "country": "country",
}


class LineItem(Protocol):
    """What is read of a builder product line (:class:`sblgen.builder.LineItem`)."""

    @property
    def path(self) -> str: ...
    @property
    def quantity(self) -> int: ...
    @property
    def price(self) -> Mapping[str, Decimal | int | float | str] | None: ...
    @property
    def attributes(self) -> Mapping[str, str] | None: ...
    @property
    def trial(self) -> int | None: ...
    @property
    def interval(self) -> str | None: ...
    @property
    def interval_length(self) -> int | None: ...
    @property
    def interval_count(self) -> int | str | None: ...
    @property
    def renew(self) -> str | None: ...
    @property
    def quantity_behavior(self) -> str | None: ...
    @property
    def quantity_default(self) -> int | None: ...
    @property
    def display(self) -> Mapping[str, str] | None: ...
    @property
    def sku(self) -> str | None: ...


def _drop_none(data: Mapping[str, Any]) -> dict[str, Any]:
    return {key: value for key, value in data.items() if value is not None}


def line_item(item: LineItem) -> dict[str, Any]:
    """One cart line (``OrderItemRequest``)."""
    for name in ("sku", "renew"):
        if getattr(item, name) is not None:
            raise UnsupportedFieldError(
                TARGET,
                f"{name} for {item.path!r}",
                "Sessions API v2 documents no such item field; use a secure payload or Sessions v1",
            )
    if isinstance(item.interval_count, str):
        raise UnsupportedFieldError(
            TARGET,
            f"interval_count {item.interval_count!r} for {item.path!r}",
            "v2 documents no 'no end' value for billingFrequency.intervalCount; omit "
            "interval_count for a plan that renews until cancelled",
        )
    unit = _UNITS.get(item.interval, item.interval) if item.interval is not None else None
    frequency = _drop_none(
        {
            "intervalUnit": unit,
            "intervalLength": item.interval_length,
            "intervalCount": item.interval_count,
        }
    )
    overrides = _drop_none({"billingFrequency": frequency or None, "trialDays": item.trial})
    return _drop_none(
        {
            "productPath": item.path,
            "quantity": item.quantity,
            "quantityBehavior": item.quantity_behavior,
            "quantityDefault": item.quantity_default,
            "descriptions": {"display": item.display} if item.display is not None else None,
            "customPrice": {"unitPrice": item.price} if item.price is not None else None,
            "attributes": item.attributes,
            "subscriptionOverrides": overrides or None,
        }
    )


def cart(coupon: str | None, lines: list[dict[str, Any]]) -> dict[str, Any] | None:
    """``cart``: ``couponCode`` first, then ``lineItems``."""
    if coupon == "":
        raise UnsupportedFieldError(
            TARGET,
            "coupon ''",
            "omit .coupon(): v2 documents no value that removes a coupon",
        )
    return _drop_none({"couponCode": coupon, "lineItems": lines or None}) or None


def customer(
    contact: Mapping[str, Any] | None,
    recipient: Mapping[str, Any] | None,
    *,
    account: str | None,
    lookup: str | None,
    tax_id: str | None,
    postal_code: str | None,
) -> dict[str, Any] | None:
    """``customer``: the buyer (``billTo...``), a gift recipient (``shipTo...``) and the
    account keys, in the schema's order."""
    fields = dict(contact or {})
    given = fields.get("postal_code")
    if postal_code is not None and given is not None and given != postal_code:
        raise UnsupportedFieldError(
            TARGET,
            f"postal_code {postal_code!r} and contact postal_code {given!r}",
            "both become billToAddress.postalCode: give the postal code once",
        )
    if postal_code is not None:
        fields["postal_code"] = postal_code
    bill_contact = _drop_none({_CONTACT[k]: v for k, v in fields.items() if k in _CONTACT})
    bill_address = _drop_none({_ADDRESS[k]: v for k, v in fields.items() if k in _ADDRESS})
    ship_contact: dict[str, Any] = {}
    ship_address: Any = None
    if recipient is not None:
        gift = dict(recipient)
        if gift.get("memo") is not None:
            raise UnsupportedFieldError(
                TARGET, "recipient memo", "v2 has no gift memo field; omit memo"
            )
        ship_contact = _drop_none({_CONTACT[k]: v for k, v in gift.items() if k in _CONTACT})
        ship_address = gift.get("address")
        if ship_address is not None and not isinstance(ship_address, Mapping):
            ship_address = ship_address.to_dict()  # sblgen.session.Address: the same fields
    data = {
        "accountId": account,
        "externalAccountId": lookup,
        "billToContact": bill_contact or None,
        "billToAddress": bill_address or None,
        "shipToContact": ship_contact or None,
        "shipToAddress": ship_address,
        "shipToType": "GIFT_PURCHASE" if recipient is not None else None,
        "taxId": tax_id,
    }
    return _drop_none(data) or None


def payment_methods_order(method: str | None) -> list[str] | None:
    """``.payment_method(m)``: ``paymentMethodsOrder: [m]`` (sent in the schema's UPPERCASE)."""
    return [method] if method else None
