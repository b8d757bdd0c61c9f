"""FastSpring Sessions API v2: the request bodies, and every name of the v2 data.

Since 2026-03-31 FastSpring calls ``POST /sessions`` (v1) legacy and points new integrations
to v2: sessions live under a checkout path (``/v2/checkouts/{store}/{checkout}/sessions``)
and can be read, replaced, and have items and the customer changed after creation.

The models follow FastSpring's published OpenAPI definitions field for field, in the schema's
order, with its length limits and enums. Where FastSpring's own examples disagree with the
schema, sblgen accepts both forms and sends the schema's:

- payment methods are accepted in any case (one example sends ``"card"``) and the SBL's
  names (``applepay``) are mapped; they are always **sent UPPERCASE** (``CARD``,
  ``APPLE_PAY``), as the ``PaymentMethodType`` enum spells them;
- ``quantityDefault: true`` is read as ``1``, and a line-level ``imageUrl`` is moved into
  ``descriptions.imageUrl`` (the schema's only place for it);
- a contact's old ``phone`` is read as ``phoneNumber``, which is what is sent;
- ``billToAddress.country`` is kept: both create examples send it, the schema lacks it.

Every request model also takes ``extra_fields``: fields FastSpring adds after these
definitions, sent exactly as given (never silently dropped) and refused when they collide
with a known field. Response models (:mod:`sblgen.api.v2_responses`) keep unknown fields in
``model_extra``. What the definitions leave open is listed in the project's
``docs/sessions-api-fields.md`` ("Still unconfirmed").

>>> body = SessionCreate(
...     locale="en", country="NL", live=True,
...     customer=Customer(bill_to_contact=Contact(email="ada@example.com",
...                                               first_name="Ada", last_name="Lovelace")),
...     cart=Cart(line_items=[V2LineItem(product_path="demo-product-1", quantity=1,
...                                      custom_price=CustomPrice(unit_price={"EUR": 500}))]),
...     payment_methods_order="ideal, card")
>>> body.to_json()
'{"locale":"en","country":"NL","live":true,"customer":{"billToContact":{"email":"ada@example.com","firstName":"Ada","lastName":"Lovelace"}},"cart":{"lineItems":[{"productPath":"demo-product-1","quantity":1,"customPrice":{"unitPrice":{"EUR":500}}}]},"paymentMethodsOrder":["IDEAL","CARD"]}'
"""

from __future__ import annotations

import ipaddress
import re
from collections.abc import Mapping
from typing import Annotated, Any, Literal

from pydantic import (
    AfterValidator,
    AliasChoices,
    BeforeValidator,
    Field,
    JsonValue,
    SerializerFunctionWrapHandler,
    model_serializer,
    model_validator,
)

from sblgen._model import WireModel, as_model, dumps_compact
from sblgen.api import v2_responses
from sblgen.api.v2_path import CheckoutPath, url_segment
from sblgen.api.v2_responses import *  # noqa: F403  (every v2 response name: v2_responses.__all__)
from sblgen.api.v2_types import (
    AbsoluteUrl,
    IntervalUnit,
    LanguageMap,
    PaymentMethods,
    PaymentMethodType,
)
from sblgen.types import (
    CountryCode,
    Email,
    FrozenList,
    PositiveInt,
    PriceMap,
    ProductPath,
    TagMap,
    first_duplicate,
)

__all__ = [
    "Cart",
    "CheckoutPath",
    "Contact",
    "CustomPrice",
    "CustomPriceDiscount",
    "Customer",
    "Interval",
    "PaymentMethodType",
    "ProductDescription",
    "SessionCreate",
    "SessionUpdate",
    "SubscriptionAttribute",
    "V2Address",
    "V2LineItem",
    "url_segment",
    "v2_body",
    *v2_responses.__all__,
]

# --------------------------------------------------------------------------- request base


class V2Model(WireModel):
    """A v2 request model with the ``extra_fields`` escape hatch (sent as given)."""

    extra_fields: dict[str, JsonValue] = Field(default_factory=dict, exclude=True)

    @model_validator(mode="after")
    def _check_extra_fields(self) -> V2Model:
        known = set()
        for name, info in type(self).model_fields.items():
            known.update({name, info.alias or name})
        clash = sorted(set(self.extra_fields) & known)
        if clash:
            raise ValueError(
                f"extra_fields {', '.join(clash)} would overwrite known fields; set them "
                "directly instead."
            )
        return self

    @model_serializer(mode="wrap")
    def _merge_extra(self, handler: SerializerFunctionWrapHandler) -> dict[str, Any]:
        data: dict[str, Any] = handler(self)
        data.update(self.extra_fields)
        return data

    def to_json(self, *, indent: int | None = None) -> str:
        """The wire JSON, unknown ``extra_fields`` included."""
        if indent is None:
            return dumps_compact(self.to_dict())
        return super().to_json(indent=indent)


def _upper(value: Any) -> Any:
    return value.upper() if isinstance(value, str) else value


def _ip(value: str) -> str:
    try:
        ipaddress.ip_address(value)
    except ValueError:
        raise ValueError(f"{value!r} is not an IPv4 or IPv6 address.") from None
    return value


_LOCALE = r"^[A-Za-z]{2}(?:[-_][A-Za-z]{2})?$"
_EXTERNAL_ID = re.compile(r"[_a-zA-Z0-9-]+")


def _external_account_id(value: str) -> str:
    if not _EXTERNAL_ID.fullmatch(value):
        raise ValueError(
            f"{value!r} is not an externalAccountId; use letters, digits, '_' or '-' only "
            "(4 to 512 characters)."
        )
    return value


_Text50 = Annotated[str, Field(max_length=50)]
_Text64 = Annotated[str, Field(max_length=64)]
_Text255 = Annotated[str, Field(max_length=255)]
_Text256 = Annotated[str, Field(max_length=256)]


class Contact(V2Model):
    """``billToContact`` / ``shipToContact``. ``phone`` (an older name) is read as
    ``phoneNumber``, which is what is sent.

    >>> Contact.model_validate({"firstName": "Ada", "phone": "555"}).to_json()
    '{"firstName":"Ada","phoneNumber":"555"}'
    """

    email: Annotated[Email, Field(max_length=255)] | None = None
    first_name: _Text50 | None = None
    last_name: _Text50 | None = None
    company: _Text255 | None = None
    phone_number: _Text64 | None = Field(
        default=None, validation_alias=AliasChoices("phoneNumber", "phone_number", "phone")
    )


class V2Address(V2Model):
    """``billToAddress`` / ``shipToAddress``. ``country`` is not in the schema (its billing
    country is the body's top-level ``country``), but both of FastSpring's create examples
    send it, so it is kept."""

    address_line1: _Text256 | None = None
    address_line2: _Text256 | None = None
    city: _Text256 | None = None
    region: _Text256 | None = None
    postal_code: _Text50 | None = None
    country: CountryCode | None = None


class Customer(V2Model):
    """The buyer: create body ``customer`` and ``PUT .../customer`` (``CustomerRequest``)."""

    account_id: Annotated[str, Field(min_length=1, max_length=64)] | None = None
    external_account_id: (
        Annotated[str, Field(min_length=4, max_length=512), AfterValidator(_external_account_id)]
        | None
    ) = None
    bill_to_contact: Contact | None = None
    bill_to_address: V2Address | None = None
    ship_to_contact: Contact | None = None
    ship_to_address: V2Address | None = None
    ship_to_type: (
        Annotated[Literal["SAME_AS_BILL_TO", "GIFT_PURCHASE", "SHIP_TO"], BeforeValidator(_upper)]
        | None
    ) = None
    account_tags: TagMap | None = None
    tax_id: Annotated[str, Field(min_length=1, max_length=255)] | None = None
    tax_id_region: Annotated[str, Field(min_length=1, max_length=2)] | None = None


class ProductDescription(V2Model):
    """``descriptions``: the product's title, post-purchase instructions and summary per
    language (``LanguageMap``), and its image."""

    display: LanguageMap | None = None
    instructions: LanguageMap | None = None
    summary: LanguageMap | None = None
    image_url: AbsoluteUrl | None = None


class CustomPriceDiscount(V2Model):
    """One volume tier of ``customPrice.discounts``: from ``minQuantity`` (FastSpring's
    default is 1) units on, a fixed amount or a percentage off each unit. sblgen asks for
    exactly one of the two."""

    min_quantity: PositiveInt | None = None
    amount_discount: PriceMap | None = None
    percent_discount: Annotated[int, Field(ge=1, le=100, strict=True)] | None = None

    @model_validator(mode="after")
    def _one_kind(self) -> CustomPriceDiscount:
        if (self.amount_discount is None) == (self.percent_discount is None):
            raise ValueError(
                "A discount tier takes exactly one of amountDiscount (per currency) or "
                "percentDiscount (1 to 100)."
            )
        return self


def _tiers(tiers: tuple[CustomPriceDiscount, ...]) -> tuple[CustomPriceDiscount, ...]:
    seen = first_duplicate(str(tier.min_quantity or 1) for tier in tiers)
    if seen is not None:
        raise ValueError(
            f"Two discount tiers start at minQuantity {seen} (a missing minQuantity is 1); "
            "FastSpring says the ranges must not overlap: merge them."
        )
    return tiers


class CustomPrice(V2Model):
    """``customPrice``: the unit price per currency, volume discounts, and fees.

    ``edsFee`` (the Extended Download Service price, once per order) must exceed
    FastSpring's $1.50 base fee; sblgen does not check that rule.
    """

    unit_price: PriceMap | None = None
    discounts: Annotated[FrozenList[CustomPriceDiscount], AfterValidator(_tiers)] | None = None
    discount_duration: PositiveInt | None = None
    setup_fee: PriceMap | None = None
    eds_fee: PriceMap | None = None
    shipping_fee: PriceMap | None = None


class Interval(V2Model):
    """``billingFrequency``: every ``intervalLength`` ``intervalUnit``s, for
    ``intervalCount`` intervals."""

    interval_unit: IntervalUnit | None = None
    interval_length: PositiveInt | None = None
    interval_count: PositiveInt | None = None


class SubscriptionAttribute(V2Model):
    """``subscriptionOverrides``: the billing interval and the free trial days."""

    billing_frequency: Interval | None = None
    trial_days: Annotated[int, Field(ge=0, strict=True)] | None = None


def _bool_as_int(value: Any) -> Any:
    return int(value) if isinstance(value, bool) else value


class V2LineItem(V2Model):
    """One cart line (``OrderItemRequest``; also the body of add item and update items).

    A line-level ``imageUrl`` (as in FastSpring's AllFields example) is moved into
    ``descriptions.imageUrl``, and ``quantityDefault: true`` is read as ``1``.

    >>> V2LineItem.model_validate({"productPath": "p", "quantityDefault": True,
    ...                            "imageUrl": "https://cdn.example.com/p.png"}).to_json()
    '{"productPath":"p","quantityDefault":1,"descriptions":{"imageUrl":"https://cdn.example.com/p.png"}}'
    """

    product_path: Annotated[ProductPath, Field(max_length=256)]
    quantity: Annotated[int, Field(ge=0, strict=True)] | None = None
    quantity_behavior: (
        Annotated[Literal["ALLOW", "LOCK", "HIDE"], BeforeValidator(_upper)] | None
    ) = None
    quantity_default: (
        Annotated[int, Field(ge=0, strict=True), BeforeValidator(_bool_as_int)] | None
    ) = None
    descriptions: ProductDescription | None = None
    custom_price: CustomPrice | None = None
    attributes: TagMap | None = None
    subscription_overrides: SubscriptionAttribute | None = None

    @model_validator(mode="before")
    @classmethod
    def _line_image_url(cls, data: Any) -> Any:
        if not isinstance(data, Mapping) or not {"imageUrl", "image_url"} & data.keys():
            return data
        data = dict(data)
        url = data.pop("imageUrl", None)
        url = data.pop("image_url", url)
        descriptions = data.get("descriptions")
        if isinstance(descriptions, ProductDescription):
            descriptions = {
                name: value
                for name in ProductDescription.model_fields
                if (value := getattr(descriptions, name)) is not None
            }
        if descriptions is None:
            descriptions = {}
        if isinstance(descriptions, Mapping):
            rest = {k: v for k, v in descriptions.items() if k not in ("imageUrl", "image_url")}
            given = descriptions.get("imageUrl", descriptions.get("image_url"))
            if given is not None and given != url:
                raise ValueError(
                    f"imageUrl {url!r} on the line and descriptions.imageUrl {given!r} differ; "
                    "give it once, in descriptions.imageUrl."
                )
            data["descriptions"] = {**rest, "imageUrl": url}
        return data


class Cart(V2Model):
    """``cart`` (``CartRequest``): a coupon code and the line items."""

    coupon_code: Annotated[str, Field(min_length=1, max_length=256)] | None = None
    line_items: FrozenList[V2LineItem] | None = None

    @model_validator(mode="after")
    def _unique(self) -> Cart:
        duplicate = first_duplicate(item.product_path for item in self.line_items or ())
        if duplicate is not None:
            raise ValueError(
                f"Product {duplicate!r} appears more than once in cart.lineItems; merge them."
            )
        return self


class SessionCreate(V2Model):
    """Body of ``POST /v2/checkouts/{checkoutPath}/sessions`` (``CreateSessionRequest``).

    ``live`` defaults to ``true`` at FastSpring and is forced to ``false`` on a checkout in
    test mode (FastSpring documents a ``CHECKOUT_NOT_LIVE`` warning code for that case).
    There is no ``currency`` field (FastSpring picks it from the country) and no session
    lifetime.
    """

    locale: Annotated[str, Field(max_length=5, pattern=_LOCALE)] | None = None
    country: CountryCode | None = None
    buyer_ip: Annotated[str, Field(max_length=39), AfterValidator(_ip)] | None = None
    live: bool | None = None
    customer: Customer | None = None
    order_tags: TagMap | None = None
    cart: Cart | None = None
    payment_methods_order: PaymentMethods | None = None
    hide_payment_methods: PaymentMethods | None = None


class SessionUpdate(SessionCreate):
    """Body of ``PUT .../sessions/{sessionId}``: the same ``CreateSessionRequest`` schema as
    create. It *replaces* the customer, the items and the prices."""


def v2_body(model: V2Model | Mapping[str, Any], cls: type[V2Model]) -> bytes:
    """Validated UTF-8 JSON of a v2 request body.

    >>> v2_body({"productPath": "addon", "quantity": 2}, V2LineItem)
    b'{"productPath":"addon","quantity":2}'
    """
    return as_model(model, cls).to_json().encode("utf-8")
