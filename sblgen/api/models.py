"""Sessions API (v1) request and response models: ``POST /sessions``.

Field names and order follow FastSpring's schema and examples, so ``to_json()`` reproduces
them byte for byte. Request models refuse unknown fields; response models keep them (a field
FastSpring adds tomorrow must not break a seller today).

>>> request = SessionRequest(account="uKj7izONRfanVwBL9eiG_A",
...                          items=[SessionItem(product="falcon", quantity=1)])
>>> request.to_json()
'{"account":"uKj7izONRfanVwBL9eiG_A","items":[{"product":"falcon","quantity":1}]}'
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from decimal import Decimal
from typing import TYPE_CHECKING, Annotated, Any, Literal

from pydantic import (
    AfterValidator,
    BeforeValidator,
    Field,
    PlainSerializer,
    ValidationInfo,
    model_validator,
)

from sblgen._model import ResponseModel, WireModel
from sblgen.session import Session
from sblgen.types import (
    CountryCode,
    CouponCode,
    Email,
    FrozenList,
    Interval,
    LanguageCode,
    Money,
    NonEmpty,
    NonNegativeInt,
    PositiveInt,
    PriceMap,
    ProductPath,
    Quantity,
    TagMap,
    Text,
    Timestamp,
    currency_code,
    first_duplicate,
    money,
)

if TYPE_CHECKING:  # pragma: no cover
    from sblgen.storefront import Storefront

__all__ = [
    "ApiContact",
    "Discount",
    "ErrorBody",
    "Lookup",
    "SessionItem",
    "SessionPricing",
    "SessionRequest",
    "SessionResponse",
]


class ApiContact(WireModel):
    """A buyer for whom FastSpring creates (or finds, by email) an account. ``country`` and
    ``language`` belong here in the current schema (without a country FastSpring assumes
    the US and USD)."""

    first: NonEmpty
    last: NonEmpty
    email: Email
    company: Text | None = None
    phone: Text | None = None
    country: CountryCode | None = None
    language: LanguageCode | None = None


class Lookup(WireModel):
    """``lookup.custom``: your own unique key to find the account later."""

    custom: Annotated[str, Field(min_length=4, max_length=255, pattern=r"^[A-Za-z0-9_-]+$")]


class Discount(WireModel):
    """A discount not in the catalog: ``percentage`` off for ``duration`` periods.

    This is the ``discount`` object of FastSpring's older Sessions page. The current schema
    describes discounts with ``discountType``, ``discountDuration`` and ``quantityDiscounts``
    on :class:`SessionPricing` instead; both are accepted.
    """

    type: Literal["percent"] = "percent"
    percentage: Annotated[Money, Field(gt=0, le=100)]
    duration: PositiveInt | None = None


_THRESHOLD = re.compile(r"[1-9][0-9]*")


def _threshold(value: str) -> str:
    if not _THRESHOLD.fullmatch(value):
        raise ValueError(
            f"{value!r} is not a quantity threshold; use a positive whole number as a string, "
            "such as '1' or '5'."
        )
    return value


def _discount_value(value: object, info: ValidationInfo) -> object:
    """One ``quantityDiscounts`` value, checked against the ``discountType`` given before it:
    one clear error at ``quantityDiscounts.<key>``."""
    kind = info.data.get("discount_type")
    if kind == "percent":
        if isinstance(value, Mapping):
            raise ValueError(
                "with discountType 'percent' each value is a percentage such as 10, not an "
                "amount per currency (that is discountType 'amount')."
            )
        amount = money(value)
        if not 0 < amount <= 100:
            raise ValueError(f"{value!r} is not a percentage above 0 and at most 100.")
        return amount
    if kind == "amount":
        if not isinstance(value, Mapping) or not value:
            raise ValueError(
                f"with discountType 'amount' each value is an amount per currency such as "
                f"{{'USD': 5}}, not {value!r} (a percentage is discountType 'percent')."
            )
        return {currency_code(code): money(amount) for code, amount in value.items()}
    return value  # no discountType: the model's own rule names the problem


def _discount_json(value: object) -> object:
    if isinstance(value, Mapping):
        return {code: _discount_json(amount) for code, amount in value.items()}
    if isinstance(value, Decimal):
        return int(value) if value == value.to_integral_value() else float(value)
    return value


#: A ``quantityDiscounts`` value: a percentage (``Decimal``) or an amount per currency.
QuantityDiscount = Annotated[
    Any,
    BeforeValidator(_discount_value),
    PlainSerializer(_discount_json, return_type=Any, when_used="json"),
]


class SessionPricing(WireModel):
    """Price and subscription overrides for one item, in the schema's field order.

    ``quantityDiscounts`` maps a quantity threshold (``"1"``, ``"5"``) to a discount: a
    percentage (above 0, at most 100) with ``discountType: "percent"``, or an amount per
    currency with ``"amount"``. ``trialPrice`` goes with ``paidTrial: true`` only (FastSpring
    ignores it otherwise, so sblgen refuses it rather than let it drop).

    >>> SessionPricing(discount_type="percent", discount_duration=2,
    ...                quantity_discounts={"1": 50}).to_json()
    '{"discountType":"percent","discountDuration":2,"quantityDiscounts":{"1":50}}'
    """

    trial: NonNegativeInt | None = None
    payment_collected: bool | None = None
    paid_trial: bool | None = None
    trial_price: PriceMap | None = None
    renew: Literal["auto", "manual", "opt-auto", "opt-manual"] | None = None
    interval: Interval | None = None
    interval_length: PositiveInt | None = None
    quantity_behavior: Literal["allow", "lock", "hide"] | None = None
    quantity_default: PositiveInt | None = None
    price: PriceMap | None = None
    discount_type: Literal["percent", "amount"] | None = None
    discount_duration: PositiveInt | None = None
    quantity_discounts: (
        dict[Annotated[str, AfterValidator(_threshold)], QuantityDiscount] | None
    ) = None
    discount: Discount | None = None

    @model_validator(mode="after")
    def _check_interval(self) -> SessionPricing:
        if self.interval not in (None, "adhoc") and self.interval_length is None:
            raise ValueError(
                f"interval {self.interval!r} needs intervalLength (1 with 'month' is monthly); "
                "only 'adhoc' goes without it."
            )
        if self.quantity_discounts is not None and self.discount_type is None:
            raise ValueError(
                "quantityDiscounts needs discountType: 'percent' (values are percentages) or "
                "'amount' (values are amounts per currency)."
            )
        if self.paid_trial is True and self.trial_price is None:
            raise ValueError("paidTrial true needs trialPrice: what the trial costs, per currency.")
        if self.trial_price is not None and self.paid_trial is not True:
            raise ValueError(
                "trialPrice goes with paidTrial: true; FastSpring ignores it for a free trial, "
                "so set paidTrial: true or drop trialPrice."
            )
        return self


class SessionItem(WireModel):
    """One product line."""

    product: ProductPath
    quantity: Quantity | None = None
    pricing: SessionPricing | None = None
    attributes: TagMap | None = None


class SessionRequest(WireModel):
    """The body of ``POST /sessions``: an ``account`` id or a ``contact`` (exactly one), and
    at least one item.

    The current schema puts ``country`` and ``language`` in ``contact``; the top-level ones
    here are the form of FastSpring's older Sessions page, and the only place for them with
    an ``account``. ``expiration`` is documented on the Sessions v1 overview page only.
    """

    account: NonEmpty | None = None
    contact: ApiContact | None = None
    language: LanguageCode | None = None
    country: CountryCode | None = None
    lookup: Lookup | None = None
    tags: TagMap | None = None
    items: Annotated[FrozenList[SessionItem], Field(min_length=1)]
    coupon: CouponCode | None = None
    #: Days the session stays open (FastSpring: 1 to 7; default 24 hours).
    expiration: Annotated[int, Field(ge=1, le=7, strict=True)] | None = None

    @model_validator(mode="after")
    def _check_rules(self) -> SessionRequest:
        if (self.account is None) == (self.contact is None):
            raise ValueError(
                "Give exactly one of account (an existing FastSpring account id) or contact "
                "(first, last, email) for a new or matching account."
            )
        if self.lookup is not None and self.contact is None:
            raise ValueError("lookup.custom goes with contact (it keys the new account).")
        duplicate = first_duplicate(item.product for item in self.items)
        if duplicate is not None:
            raise ValueError(
                f"Product {duplicate!r} appears more than once; FastSpring answers 400 for "
                "several variations of one product in a session."
            )
        return self


# ------------------------------------------------------------------------- responses


class ResponseItem(ResponseModel):
    """An item as FastSpring echoes it."""

    product: str
    quantity: int | None = None


class SessionResponse(ResponseModel):
    """FastSpring's answer to ``POST /sessions``; unknown fields stay in ``model_extra``.

    ``id`` is kept as FastSpring sends it (any non-empty string); the SBL's own rule for a
    session id applies where it becomes ``checkout`` (:meth:`checkout_session`). For the page
    snippet that opens it, see :func:`sblgen.render.checkout_snippet`.

    >>> r = SessionResponse.model_validate({"id": "Xy12AbCdEf34GhIj", "currency": "USD",
    ...     "expires": 1490303946745, "account": "A1", "subtotal": 9.99, "new": 1})
    >>> r.expires.isoformat(), r.model_extra
    ('2017-03-23T21:19:06.745000+00:00', {'new': 1})
    >>> r.checkout_session().to_dict()
    {'checkout': 'Xy12AbCdEf34GhIj'}
    """

    id: NonEmpty
    currency: str | None = None
    expires: Timestamp | None = None
    order: str | None = None
    account: str | None = None
    subtotal: Decimal | None = None
    items: list[ResponseItem] | None = None

    def checkout_session(self) -> Session:
        """``Session(checkout=<id>)``: what the browser needs to open this session.

        The SBL's rule for a session id applies here: an id of 10 characters or fewer
        raises :class:`ValueError` saying why (the SBL would not open it).
        """
        from sblgen.types import session_id

        return Session(checkout=session_id(self.id))

    def hosted_url(self, storefront: Storefront | str) -> str:
        """The hosted checkout page for web storefronts (redirect the buyer there)."""
        from sblgen.storefront import Storefront

        return Storefront.parse(storefront).session_url(self.id)


class ErrorBody(ResponseModel):
    """FastSpring's error body: ``message`` and, for a field at fault, ``params``."""

    message: str | None = None
    params: Any = None
