"""The secure payload body: what a seller locks and signs; and the ``authenticate`` payload
(:class:`AuthenticatePayload`), which logs a buyer in as their FastSpring account.

Secure payloads use their own vocabulary: ``items[].product`` (not ``products[].path``),
``contact`` (locked, not the editable ``paymentContact``) and per-item ``pricing``.

>>> payload = SecurePayload(
...     contact=SecureContact(email="ann@example.com", first_name="Ann", last_name="Lee"),
...     account_custom_key="user-42",
...     items=[SecureItem(product="pro-plan", quantity=1,
...                       pricing=Pricing(price={"USD": 20.0}, interval="month",
...                                       interval_length=1, trial=14))],
...     tags={"campaign": "spring"})
>>> payload.to_json()
'{"contact":{"email":"ann@example.com","firstName":"Ann","lastName":"Lee"},"accountCustomKey":"user-42","items":[{"product":"pro-plan","quantity":1,"pricing":{"price":{"USD":20},"trial":14,"interval":"month","intervalLength":1}}],"tags":{"campaign":"spring"}}'
"""

from __future__ import annotations

import time
from collections.abc import Mapping
from datetime import datetime
from typing import Annotated, Any, Final, Literal

from pydantic import (
    AfterValidator,
    BeforeValidator,
    Field,
    PlainSerializer,
    PlainValidator,
    model_validator,
)

from sblgen._model import WireModel
from sblgen.contact import PaymentContact, Recipient
from sblgen.limits import MAX_INT_DIGITS
from sblgen.types import (
    CountryCode,
    CouponCode,
    Email,
    FrozenList,
    FutureDate,
    Interval,
    LanguageCode,
    Money,
    NonNegativeInt,
    PaymentMethod,
    PositiveInt,
    PriceMap,
    ProductPath,
    Quantity,
    TagMap,
    Text,
    TextMap,
    first_duplicate,
)

__all__ = [
    "AuthenticatePayload",
    "DateLimits",
    "ItemDescription",
    "Notification",
    "Pricing",
    "SecureContact",
    "SecureItem",
    "SecurePayload",
    "UNTIL_CANCELLED",
    "payload_model",
]

LangText = TextMap

UNTIL_CANCELLED: Final = "until-cancelled"
"""``Pricing.interval_count`` value sent as ``null``: rebill until the buyer cancels."""


def _interval_count(value: Any) -> int | str:
    if value == UNTIL_CANCELLED or (type(value) is int and 1 <= value < 10**MAX_INT_DIGITS):
        return value  # type: ignore[no-any-return]
    shown = "a huge number" if type(value) is int and value > 0 else repr(value)
    raise ValueError(
        f"intervalCount must be a number of rebills (1 or more) or {UNTIL_CANCELLED!r} "
        f"(sent as null), not {shown}."
    )


IntervalCount = Annotated[
    int | str,
    PlainValidator(_interval_count),
    PlainSerializer(lambda v: None if v == UNTIL_CANCELLED else v, return_type=int | None),
]


class SecureContact(PaymentContact):
    """The buyer, locked: the same fields as ``paymentContact``, but ``firstName``,
    ``lastName`` and ``email`` are required.

    >>> SecureContact(email="a@example.com", first_name="A", last_name="B").to_dict()
    {'email': 'a@example.com', 'firstName': 'A', 'lastName': 'B'}
    """

    email: Email
    first_name: Annotated[Text, Field(min_length=1)]
    last_name: Annotated[Text, Field(min_length=1)]


class DateLimits(WireModel):
    """``pricing.dateLimits``: when the price override applies (free-form dates)."""

    start: Text | None = None
    end: Text | None = None


class Notification(WireModel):
    """``pricing.reminderNotification`` / ``overdueNotification`` settings."""

    enabled: bool | None = None
    interval: Interval | None = None
    interval_length: PositiveInt | None = None
    amount: NonNegativeInt | None = None


class Cancellation(WireModel):
    """``pricing.cancellation``: cancel after this many periods unpaid."""

    interval: Interval | None = None
    interval_length: PositiveInt | None = None


class Pricing(WireModel):
    """Price and subscription terms for one item (all optional).

    ``intervalLength`` is required with an ``interval`` other than ``adhoc``.
    ``interval_count`` is a number of rebills, or ``UNTIL_CANCELLED`` (an explicit ``None``
    or JSON ``null`` means the same), which is sent as ``null``; leave it out to send nothing.

    >>> Pricing(price={"USD": 14.95}, interval="month", interval_length=1).to_json()
    '{"price":{"USD":14.95},"interval":"month","intervalLength":1}'
    >>> Pricing(interval="month", interval_length=1, interval_count=UNTIL_CANCELLED).to_json()
    '{"interval":"month","intervalLength":1,"intervalCount":null}'
    """

    price: PriceMap | None = None
    quantity_behavior: Literal["allow", "lock", "hide"] | None = None
    quantity_default: NonNegativeInt | None = None
    trial: NonNegativeInt | None = None
    interval: Interval | None = None
    interval_length: PositiveInt | None = None
    interval_count: IntervalCount | None = None
    renew: Literal["auto", "manual"] | None = None
    discount_type: Literal["percent", "amount"] | None = None
    quantity_discounts: dict[str, Money] | None = None
    discount_reason: LangText | None = None
    discount_duration: PositiveInt | None = None
    date_limits_enabled: bool | None = None
    date_limits: DateLimits | None = None
    reminder_notification: Notification | None = None
    overdue_notification: Notification | None = None
    cancellation: Cancellation | None = None

    @model_validator(mode="before")
    @classmethod
    def _null_interval_count(cls, data: Any) -> Any:
        # On the wire `"intervalCount": null` means "until cancelled"; an explicit null must
        # not vanish like an unset field does.
        if isinstance(data, dict):
            for key in ("intervalCount", "interval_count"):
                if key in data and data[key] is None:
                    data = {**data, key: UNTIL_CANCELLED}
        return data

    @model_validator(mode="after")
    def _check_interval(self) -> Pricing:
        if self.interval not in (None, "adhoc") and self.interval_length is None:
            raise ValueError(
                f"interval {self.interval!r} needs intervalLength (for example 1 with "
                "'month' for monthly billing)."
            )
        if self.quantity_discounts:
            for key in self.quantity_discounts:
                if not key.isdigit() or int(key) < 1:
                    raise ValueError(
                        f"quantityDiscounts key {key!r} must be a quantity such as '1' or '10'."
                    )
        return self


class ItemDescription(WireModel):
    """``items[].description``: text per language for each part of the product page."""

    summary: LangText | None = None
    action: LangText | None = None
    full: LangText | None = None


class SecureItem(WireModel):
    """One product line of a secure payload.

    >>> SecureItem(product="pro-plan", quantity=2).to_dict()
    {'product': 'pro-plan', 'quantity': 2}
    """

    product: ProductPath
    quantity: Quantity | None = None
    pricing: Pricing | None = None
    display: LangText | None = None
    description: ItemDescription | None = None
    image: Text | None = None
    sku: Text | None = None
    attributes: TagMap | None = None
    selected: bool | None = None
    removable: bool | None = None


class SecurePayload(WireModel):
    """The body of a secure payload, before encryption.

    Rules: ``contact`` and ``account`` exclude each other; ``accountCustomKey`` goes with
    ``contact``; a product appears once; ``invoiceDueDate`` is after today.

    >>> SecurePayload(coupon="SPRING", country="us").to_dict()
    {'coupon': 'SPRING', 'country': 'US'}
    """

    contact: SecureContact | None = None
    account_custom_key: Text | None = None
    account: Text | None = None
    recipient: Recipient | None = None
    items: FrozenList[SecureItem] | None = None
    coupon: CouponCode | None = None
    country: CountryCode | None = None
    language: LanguageCode | None = None
    tax_id: Text | None = None
    tags: TagMap | None = None
    payment_method: PaymentMethod | None = None
    hide_other_payment_methods: bool | None = None
    invoice_due_date: FutureDate | None = None

    @model_validator(mode="after")
    def _check_rules(self) -> SecurePayload:
        if self.contact is not None and self.account is not None:
            raise ValueError(
                "contact and account exclude each other; send the buyer's details as "
                "contact, or an existing FastSpring account id as account."
            )
        if self.account_custom_key is not None and self.contact is None:
            raise ValueError(
                "accountCustomKey is used together with contact; add the buyer's contact "
                "(firstName, lastName, email)."
            )
        duplicate = first_duplicate(item.product for item in self.items or ())
        if duplicate is not None:
            raise ValueError(f"Product {duplicate!r} appears more than once; merge the lines.")
        return self


# ------------------------------------------------------------------------- authenticate

#: Epoch milliseconds below this are taken for seconds (10**11 ms is March 1973).
_MIN_EPOCH_MS = 10**11
#: ... and above this for microseconds (10**14 ms is the year 5138).
_MAX_EPOCH_MS = 10**14


def _epoch_ms(value: Any) -> int:
    """Epoch milliseconds from an ``int`` or a timezone-aware ``datetime``."""
    if isinstance(value, datetime):
        if value.tzinfo is None:
            raise ValueError(
                f"timestamp {value.isoformat()} has no time zone; pass an aware datetime "
                "(datetime.now(UTC)) or epoch milliseconds."
            )
        return int(value.timestamp() * 1000)
    if type(value) is not int:
        raise ValueError(
            f"timestamp must be epoch milliseconds (an int) or an aware datetime, not "
            f"{type(value).__name__}."
        )
    if value < _MIN_EPOCH_MS:
        raise ValueError(
            f"timestamp {value} looks like epoch seconds; FastSpring reads milliseconds "
            f"(multiply by 1000: {value * 1000})."
        )
    if value >= _MAX_EPOCH_MS:
        raise ValueError(f"timestamp {value} is not epoch milliseconds (too large).")
    return value


EpochMillis = Annotated[int, BeforeValidator(_epoch_ms)]


def _account_id(value: str) -> str:
    if not value or len(value) > 255 or any(c.isspace() or not c.isprintable() for c in value):
        raise ValueError(
            f"account {value!r} is not a FastSpring account id; give the id FastSpring "
            "returned (an order's account, or client.accounts.lookup(...))."
        )
    return value


class AuthenticatePayload(WireModel):
    """The ``authenticate`` payload: log a buyer into the checkout as their FastSpring
    account, without typing their details again. It is the account id plus the time it was
    made (epoch milliseconds), encrypted like a secure payload on a live storefront
    (:meth:`~sblgen.crypto.PrivateKey.encrypt`) and sent as the plaintext object on a test
    one (:meth:`~sblgen.secure_request.SecureRequest.plaintext`). The page hands it to the
    SBL as ``fscSession.authenticate`` (:class:`~sblgen.session.Session` ``authenticate=``),
    which is what ``fastspring.builder.authenticate(payload, key)`` pushes too.

    Make a fresh one for each page view (:meth:`now`): the timestamp says how old it is.

    >>> AuthenticatePayload(account="N8FjcSWcQNeYCc-suM1O8g", timestamp=1700000000000).to_json()
    '{"account":"N8FjcSWcQNeYCc-suM1O8g","timestamp":1700000000000}'
    >>> AuthenticatePayload(account="N8FjcSWcQNeYCc-suM1O8g", timestamp=1700000000)
    Traceback (most recent call last):
    pydantic_core._pydantic_core.ValidationError: 1 validation error for AuthenticatePayload
    timestamp
      Value error, timestamp 1700000000 looks like epoch seconds; ...
    """

    account: Annotated[str, AfterValidator(_account_id)]
    timestamp: EpochMillis

    @classmethod
    def now(cls, account: str) -> AuthenticatePayload:
        """The payload for ``account`` (a FastSpring account id), stamped with the current
        time.

        >>> AuthenticatePayload.now("N8FjcSWcQNeYCc-suM1O8g").timestamp > 1_700_000_000_000
        True
        """
        return cls(account=account, timestamp=time.time_ns() // 1_000_000)


def payload_model(
    payload: SecurePayload | AuthenticatePayload | Mapping[str, Any],
) -> SecurePayload | AuthenticatePayload:
    """A payload model from a model or a mapping: a mapping with a ``timestamp`` is an
    :class:`AuthenticatePayload` (no secure payload field has that name), any other a
    :class:`SecurePayload`.

    >>> type(payload_model({"account": "N8FjcSWcQNeYCc-suM1O8g", "timestamp": 1700000000000}))
    <class 'sblgen.payload.AuthenticatePayload'>
    >>> type(payload_model({"coupon": "SPRING"}))
    <class 'sblgen.payload.SecurePayload'>
    """
    if isinstance(payload, SecurePayload | AuthenticatePayload):
        return payload
    if isinstance(payload, Mapping) and "timestamp" in payload:
        return AuthenticatePayload.model_validate(payload)
    return SecurePayload.model_validate(payload)
