"""FastSpring Sessions API v2: request/response data, the checkout path and URL segments.

Since 2026-03-31 FastSpring calls ``POST /sessions`` (v1) legacy and points new integrations
to v2: sessions live under a checkout path (``/v2/checkouts/{store}/{checkout}/sessions``)
and can be read, overwritten, and have items and the customer changed after creation.

FastSpring's published v2 schema is incomplete. Request models therefore offer one explicit,
typed escape hatch, ``extra_fields``: fields sblgen does not know yet, sent exactly as given
(never silently dropped) and refused when they collide with a known field. Response models
keep unknown fields readable in ``model_extra``.

>>> body = SessionCreate(
...     locale="en", country="NL", live=True,
...     customer=Customer(bill_to_contact=Contact(email="ada@example.com",
...                                               first_name="Ada", last_name="Lovelace")),
...     cart=Cart(line_items=[V2LineItem(product_path="demo-product-1", quantity=1,
...                                      custom_price=CustomPrice(unit_price={"EUR": 500}))]),
...     extra_fields={"currency": "EUR"})
>>> body.to_json()
'{"locale":"en","country":"NL","live":true,"customer":{"billToContact":{"email":"ada@example.com","firstName":"Ada","lastName":"Lovelace"}},"cart":{"lineItems":[{"productPath":"demo-product-1","quantity":1,"customPrice":{"unitPrice":{"EUR":500}}}]},"currency":"EUR"}'

Assumptions taken where FastSpring's documentation is UNCONFIRMED (each is a place a
maintainer with the live docs should check):

1. Payment methods path: ``GET .../sessions/{sessionId}/payment-methods``; its response is
   returned as parsed JSON, untyped (shape unknown).
2. Create/update body: the JSON names ``locale``, ``country`` and ``buyerIp`` (inferred from
   the descriptions and a FastSpring employee's demo). The coupon/promotion field inside
   ``cart`` and a top-level ``currency`` are not modelled: send them with ``extra_fields``.
3. Sub-schemas: ``customPrice`` has ``unitPrice`` (currency -> amount); ``descriptions``
   and ``subscriptionOverrides`` are free JSON objects; contacts have ``email``,
   ``firstName``, ``lastName`` plus ``company`` and ``phone`` (the last two unconfirmed);
   addresses have ``addressLine1``, ``addressLine2``, ``city``, ``region``, ``postalCode``,
   ``country`` (unconfirmed). Anything else goes in ``extra_fields``.
4. The session object: ``id``, ``live``, ``currency``, ``expires``, ``cart.lineItems``,
   ``checkoutUrls.webcheckoutUrl`` and ``checkoutStatus`` are typed; all other fields
   (totals such as ``cart.withTaxNetTotal``) stay in ``model_extra``. ``checkoutStatus`` is
   accepted as a string or an array and always read as a list; ``expires`` as an ISO-8601
   string or epoch milliseconds.
5. Add item, update items, update customer and update session answer either with the session
   object or with no body; the client returns the session when the body is one, else
   ``None``. Remove item answers 204. Status codes not documented (GET, PUT) are accepted as
   any 2xx.
6. Error bodies have no documented shape: every error keeps the raw status and body text;
   ``message`` (or a string ``error``) is shown when present.
7. Rate limiting may show up as 404 (v1-era docs) or 429; 429/503 are retried honouring
   ``Retry-After`` like v1. No idempotency key exists, so create and add-item are never
   retried once sent; GET and the PUTs (replacements, idempotent) are.
8. Checkout ids need not follow ``{checkoutType}-{checkoutName}`` (``main`` is seen): any
   non-empty segment is accepted.
9. Enum case: ``quantityBehavior`` is accepted in any case (``allow``/``lock``/``hide``) and
   sent UPPERCASE, like ``shipToType``; payment methods are accepted in any case and sent
   lowercase, as FastSpring's own demo sends them. ``paymentMethodsOrder`` and
   ``hidePaymentMethods`` also accept a comma-separated string.
10. Session lifetime: no request field is known; ``expires`` is read from the response.
11. Every call is authenticated (HTTP Basic); behaviour of unauthenticated calls is not used.
"""

from __future__ import annotations

import ipaddress
import re
from collections.abc import Mapping
from dataclasses import dataclass
from typing import TYPE_CHECKING, Annotated, Any, Literal
from urllib.parse import quote

from pydantic import (
    AfterValidator,
    BeforeValidator,
    Field,
    GetCoreSchemaHandler,
    JsonValue,
    SerializerFunctionWrapHandler,
    model_serializer,
    model_validator,
)
from pydantic_core import core_schema

from sblgen._model import ResponseModel, WireModel, as_model, dumps_compact
from sblgen.errors import StorefrontError
from sblgen.session import Session
from sblgen.types import (
    CountryCode,
    Email,
    FrozenList,
    NonEmpty,
    PriceMap,
    ProductPath,
    TagMap,
    Timestamp,
    first_duplicate,
)

if TYPE_CHECKING:  # pragma: no cover
    from sblgen.storefront import Storefront

__all__ = [
    "Cart",
    "CheckoutPath",
    "Contact",
    "CustomPrice",
    "Customer",
    "SessionCreate",
    "SessionUpdate",
    "V2Address",
    "V2LineItem",
    "V2Session",
]

# --------------------------------------------------------------------------- checkout path

_SEGMENT = re.compile(r"(?!\.\.?$)[^/\s]{1,128}")


def url_segment(value: str, what: str = "URL path segment") -> str:
    """``value`` percent-encoded as exactly one URL path segment: the one rule for every id
    and product path sblgen puts in a URL (a session id is whatever FastSpring returned).

    The empty string, ``.`` and ``..`` are refused: an empty segment or a dot segment (which
    HTTP clients resolve) would send the request to another endpoint.

    >>> url_segment("SE1/../x")
    'SE1%2F..%2Fx'
    >>> url_segment("..")
    Traceback (most recent call last):
    ValueError: '..' is not a URL path segment ('.' and '..' would change the endpoint).
    >>> url_segment("", "v2 session id")
    Traceback (most recent call last):
    ValueError: '' is not a v2 session id: give a non-empty string.
    """
    if not isinstance(value, str) or not value:
        raise ValueError(f"{value!r} is not a {what}: give a non-empty string.")
    if value in (".", ".."):
        raise ValueError(f"{value!r} is not a {what} ('.' and '..' would change the endpoint).")
    return quote(value, safe="")


@dataclass(frozen=True, slots=True)
class CheckoutPath:
    """``{storeId}/{checkoutId}``: where v2 sessions live. Each segment is percent-encoded
    on its own; the slash between them is a real path separator.

    >>> path = CheckoutPath.parse("examplestore/popup-checkout")
    >>> path.url_path
    'examplestore/popup-checkout'
    >>> CheckoutPath.from_storefront("acme.test.onfastspring.com/popup-acme").value
    'acme/popup-acme'
    """

    store: str
    checkout: str

    @classmethod
    def parse(cls, text: str | CheckoutPath) -> CheckoutPath:
        """Parse ``store/checkout``; anything else raises ``ValueError``."""
        if isinstance(text, CheckoutPath):
            return text
        if not isinstance(text, str):
            raise ValueError(f"A checkout path must be a string, not {type(text).__name__}.")
        parts = text.strip().strip("/").split("/")
        if len(parts) != 2 or not all(_SEGMENT.fullmatch(p) for p in parts):
            raise ValueError(
                f"{text!r} is not a checkout path; use 'store/checkout' as in the FastSpring "
                "app, for example 'acme/popup-acme' (two segments)."
            )
        return cls(parts[0], parts[1])

    @classmethod
    def from_storefront(cls, storefront: Storefront | str) -> CheckoutPath:
        """The checkout path of a storefront (``acme.test.onfastspring.com/popup-acme`` ->
        ``acme/popup-acme``)."""
        from sblgen.storefront import Storefront

        sf = Storefront.parse(storefront)
        if not sf.path:
            raise StorefrontError(
                f"{sf.value!r} has no checkout path; use the full storefront such as "
                f"'{sf.host}/popup-{sf.store_id}'."
            )
        return cls(sf.store_id, sf.path)

    def matches(self, storefront: Storefront | str) -> bool:
        """True when this path and the storefront name the same store and checkout."""
        try:
            return self == CheckoutPath.from_storefront(storefront)
        except StorefrontError:
            return False

    @property
    def value(self) -> str:
        return f"{self.store}/{self.checkout}"

    @property
    def url_path(self) -> str:
        """Both segments percent-encoded separately, joined by a real ``/``."""
        return f"{url_segment(self.store)}/{url_segment(self.checkout)}"

    def __str__(self) -> str:
        return self.value

    @classmethod
    def __get_pydantic_core_schema__(
        cls, source: Any, handler: GetCoreSchemaHandler
    ) -> core_schema.CoreSchema:
        return core_schema.no_info_plain_validator_function(
            cls.parse,
            serialization=core_schema.plain_serializer_function_ser_schema(
                lambda p: p.value, when_used="json"
            ),
        )


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


def _methods(value: Any) -> Any:
    if isinstance(value, str):
        value = [part for part in (p.strip() for p in value.split(",")) if part]
    if isinstance(value, list | tuple):
        return [m.lower() if isinstance(m, str) else m for m in value]
    return value


def _ip(value: str) -> str:
    try:
        ipaddress.ip_address(value)
    except ValueError:
        raise ValueError(f"{value!r} is not an IPv4 or IPv6 address.") from None
    return value


_LOCALE = r"^[A-Za-z]{2}(?:[-_][A-Za-z]{2})?$"
PaymentMethods = Annotated[
    list[Annotated[str, Field(pattern=r"^[a-z][a-z0-9_-]*$")]], BeforeValidator(_methods)
]


class Contact(V2Model):
    """``billToContact`` / ``shipToContact``."""

    email: Email | None = None
    first_name: str | None = None
    last_name: str | None = None
    company: str | None = None
    phone: str | None = None


class V2Address(V2Model):
    """``billToAddress`` / ``shipToAddress`` (sub-fields unconfirmed: see assumption 3)."""

    address_line1: str | None = None
    address_line2: str | None = None
    city: str | None = None
    region: str | None = None
    postal_code: str | None = None
    country: CountryCode | None = None


class Customer(V2Model):
    """The buyer: create body ``customer`` and ``PUT .../customer``."""

    account_id: Annotated[str, Field(min_length=1, max_length=64)] | None = None
    external_account_id: Annotated[str, Field(min_length=4, max_length=512)] | None = None
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


class CustomPrice(V2Model):
    """``customPrice``: ``unitPrice`` per currency."""

    unit_price: PriceMap | None = None


class V2LineItem(V2Model):
    """One cart line (also the body of add item and update items)."""

    product_path: Annotated[ProductPath, Field(max_length=256)]
    quantity: Annotated[int, Field(ge=0, strict=True)] | None = None
    quantity_behavior: (
        Annotated[Literal["ALLOW", "LOCK", "HIDE"], BeforeValidator(_upper)] | None
    ) = None
    quantity_default: Annotated[int, Field(ge=0, strict=True)] | None = None
    descriptions: dict[str, JsonValue] | None = None
    custom_price: CustomPrice | None = None
    attributes: TagMap | None = None
    subscription_overrides: dict[str, JsonValue] | None = None


class Cart(V2Model):
    """``cart``: the line items (promotions: see assumption 2)."""

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
    """Body of ``POST /v2/checkouts/{checkoutPath}/sessions``."""

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
    """Body of ``PUT .../sessions/{sessionId}`` (replaces; presumed same as create)."""


# --------------------------------------------------------------------------- responses


def _as_list(value: Any) -> Any:
    return [value] if isinstance(value, str) else value


class ResponseLineItem(ResponseModel):
    product_path: str
    quantity: int | None = None
    quantity_behavior: str | None = None


class ResponseCart(ResponseModel):
    line_items: list[ResponseLineItem] = Field(default_factory=list)


class CheckoutUrls(ResponseModel):
    webcheckout_url: str | None = Field(default=None, alias="webcheckoutUrl")


class V2Session(ResponseModel):
    """A v2 session object; unknown fields stay in ``model_extra``.

    ``id`` is kept as FastSpring sends it (any non-empty string). To open the session on a
    page, see :func:`sblgen.render.checkout_snippet` and :func:`sblgen.render.checkout_call`.

    >>> s = V2Session.model_validate({"id": "Xy12AbCdEf34GhIj", "checkoutStatus": "READY",
    ...     "checkoutUrls": {"webcheckoutUrl": "https://acme.onfastspring.com/session/X"},
    ...     "cart": {"lineItems": [], "withTaxNetTotal": 9.9}})
    >>> s.checkout_status, s.redirect_url, s.cart.model_extra
    (['READY'], 'https://acme.onfastspring.com/session/X', {'withTaxNetTotal': 9.9})
    """

    id: NonEmpty
    live: bool | None = None
    currency: str | None = None
    expires: Timestamp | None = None
    cart: ResponseCart = ResponseCart()
    checkout_urls: CheckoutUrls = CheckoutUrls()
    checkout_status: Annotated[list[str], BeforeValidator(_as_list)] = Field(default_factory=list)

    @property
    def redirect_url(self) -> str | None:
        """``checkoutUrls.webcheckoutUrl``: redirect the buyer here (web checkouts)."""
        return self.checkout_urls.webcheckout_url

    def checkout_session(self) -> Session:
        """``Session(checkout=<id>)``: the SBL opens this session (popup or embedded)."""
        return Session(checkout=self.id)


def v2_body(model: V2Model | Mapping[str, Any], cls: type[V2Model]) -> bytes:
    """Validated UTF-8 JSON of a v2 request body.

    >>> v2_body({"productPath": "addon", "quantity": 2}, V2LineItem)
    b'{"productPath":"addon","quantity":2}'
    """
    return as_model(model, cls).to_json().encode("utf-8")
