"""A purchase description as :class:`~sblgen.builder.CheckoutBuilder` holds it, before any
target shapes it: plain immutable data, validated only when a target is emitted.

>>> LineItem("pro-plan", trial=14, sku="P1").overrides()
['trial', 'sku']
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from datetime import date
from decimal import Decimal
from typing import Any

__all__ = ["OVERRIDE_FIELDS", "Description", "LineItem", "given"]

#: The :class:`LineItem` fields beyond ``path`` and ``quantity``, in declaration order.
OVERRIDE_FIELDS = (
    "price",
    "attributes",
    "trial",
    "interval",
    "interval_length",
    "interval_count",
    "renew",
    "quantity_behavior",
    "quantity_default",
    "display",
    "sku",
)


@dataclass(frozen=True, slots=True)
class LineItem:
    """One product line of a purchase description, before it is shaped for a target."""

    path: str
    quantity: int = 1
    #: Price override, currency code -> amount (secure payload and Sessions API only).
    price: Mapping[str, Decimal | int | float | str] | None = None
    #: Custom product attributes (secure payload and Sessions API only).
    attributes: Mapping[str, str] | None = None
    #: Subscription and quantity terms (secure payload and Sessions API only); each target
    #: validates the values it accepts and refuses the ones it cannot carry.
    trial: int | None = None
    interval: str | None = None
    interval_length: int | None = None
    #: Number of rebills, or ``"until-cancelled"`` (secure payload only).
    interval_count: int | str | None = None
    renew: str | None = None
    quantity_behavior: str | None = None
    quantity_default: int | None = None
    #: Display name per language (secure payload only).
    display: Mapping[str, str] | None = None
    #: Stock keeping unit (secure payload only).
    sku: str | None = None

    def overrides(self) -> list[str]:
        """Names of the fields set beyond ``path`` and ``quantity`` (what a plain session
        object cannot carry)."""
        return [name for name in OVERRIDE_FIELDS if getattr(self, name) is not None]


#: Fields given by name, unset ones left out (hashable, so a description stays immutable).
Fields = tuple[tuple[str, Any], ...]


@dataclass(frozen=True, slots=True)
class Description:
    """Everything described so far; ``None`` (or empty) is "not said"."""

    reset: bool | None = None
    items: tuple[LineItem, ...] = ()
    coupon: str | None = None
    #: Buyer fields by Python name (validated when a target is emitted).
    contact: Fields | None = None
    account: str | None = None
    recipient: Fields | None = None
    country: str | None = None
    language: str | None = None
    postal_code: str | None = None
    tax_id: str | None = None
    tags: tuple[tuple[str, str], ...] = ()
    payment_method: str | None = None
    hide_other_payment_methods: bool | None = None
    invoice_due_date: date | str | None = None
    checkout: bool | str | None = None
    clean: bool | None = None
    #: Sessions API only: your own account key, and how many days the session lives.
    lookup_custom: str | None = None
    expiration_days: int | None = None


def given(arguments: Mapping[str, Any]) -> Fields:
    """The keyword arguments a method was given (its ``locals()``), unset ones left out.

    >>> given({"self": object(), "email": "a@example.com", "city": None})
    (('email', 'a@example.com'),)
    """
    return tuple((k, v) for k, v in arguments.items() if k != "self" and v is not None)
