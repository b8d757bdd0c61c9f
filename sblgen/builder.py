"""One description of a purchase, emitted as any FastSpring wire format.

:class:`CheckoutBuilder` is immutable: every method returns a new builder, so a base
description can be shared and specialised safely. Emit with :meth:`CheckoutBuilder.session`
(the SBL session object). A target that cannot carry part of the description refuses it with
an :class:`~sblgen.errors.UnsupportedFieldError` naming the target and the fix, instead of
dropping it.

>>> cart = (CheckoutBuilder()
...         .product("pro-plan")
...         .coupon("WELCOME10")
...         .country("DE").language("de")
...         .tag("user_id", "42"))
>>> cart.session().to_json()
'{"products":[{"path":"pro-plan","quantity":1}],"coupon":"WELCOME10","country":"DE","language":"de","tags":{"user_id":"42"}}'
"""

from __future__ import annotations

import dataclasses
from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal
from typing import TYPE_CHECKING, Any, Literal, Self, overload

from sblgen.errors import UnsupportedFieldError
from sblgen.session import Address, Session

if TYPE_CHECKING:  # pragma: no cover
    from sblgen.api.models import SessionRequest
    from sblgen.api.v2 import SessionCreate
    from sblgen.payload import SecurePayload

__all__ = ["CheckoutBuilder", "LineItem"]


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
        return [name for name in _OVERRIDE_FIELDS if getattr(self, name) is not None]


_OVERRIDE_FIELDS = (
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
class _Description:
    reset: bool | None = None
    items: tuple[LineItem, ...] = ()
    coupon: str | None = None
    #: Buyer fields by Python name (validated when a target is emitted).
    contact: tuple[tuple[str, Any], ...] | None = None
    account: str | None = None
    recipient: tuple[tuple[str, Any], ...] | None = None
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
    extra: tuple[tuple[str, Any], ...] = field(default=())


def _compact(fields: Mapping[str, Any]) -> tuple[tuple[str, Any], ...]:
    return tuple((name, value) for name, value in fields.items() if value is not None)


def _expand(fields: tuple[tuple[str, Any], ...] | None) -> dict[str, Any] | None:
    return None if fields is None else dict(fields)


def _refuse_api_only(target: str, d: _Description, *, lookup: bool = True) -> None:
    fields = {"lookup": d.lookup_custom if lookup else None, "expiration": d.expiration_days}
    for name, value in fields.items():
        if value is not None:
            raise UnsupportedFieldError(
                target, name, "it exists only in a Sessions API request (.api_request())"
            )


class CheckoutBuilder:
    """A fluent, immutable description of a purchase.

    >>> b = CheckoutBuilder().product("a", 2)
    >>> b2 = b.product("b")
    >>> len(b.items), len(b2.items)
    (1, 2)
    """

    __slots__ = ("_d",)

    def __init__(self) -> None:
        self._d = _Description()

    def _with(self, **changes: Any) -> Self:
        new = object.__new__(type(self))
        new._d = dataclasses.replace(self._d, **changes)
        return new

    # ----------------------------------------------------------------- reading back

    @property
    def items(self) -> tuple[LineItem, ...]:
        """The product lines described so far."""
        return self._d.items

    def __repr__(self) -> str:
        set_fields = [
            f.name
            for f in dataclasses.fields(self._d)
            if getattr(self._d, f.name) not in (None, ())
        ]
        return f"CheckoutBuilder({', '.join(set_fields) or 'empty'})"

    # ----------------------------------------------------------------- describing

    def reset(self, reset: bool = True) -> Self:
        """Start from an empty cart (``reset: true``)."""
        return self._with(reset=reset)

    def product(
        self,
        path: str,
        quantity: int = 1,
        *,
        price: Mapping[str, Decimal | int | float | str] | None = None,
        attributes: Mapping[str, str] | None = None,
        trial: int | None = None,
        interval: str | None = None,
        interval_length: int | None = None,
        interval_count: int | str | None = None,
        renew: str | None = None,
        quantity_behavior: str | None = None,
        quantity_default: int | None = None,
        display: Mapping[str, str] | None = None,
        sku: str | None = None,
    ) -> Self:
        """Add a product line. ``quantity=0`` removes the product from the cart.

        Everything after ``quantity`` (price override per currency, attributes, trial days,
        ``interval``/``interval_length``, ``renew``, quantity behaviour, display names, SKU)
        needs a target that can carry it: a secure payload or a Sessions API request, not a
        plain session object. ``interval_count`` (rebills, or ``"until-cancelled"``, sent as
        ``null``) and display names go to a secure payload or Sessions v2 (a whole number of
        rebills only); SKU exists only in a secure payload.
        """
        item = LineItem(
            path=path,
            quantity=quantity,
            price=price,
            attributes=attributes,
            trial=trial,
            interval=interval,
            interval_length=interval_length,
            interval_count=interval_count,
            renew=renew,
            quantity_behavior=quantity_behavior,
            quantity_default=quantity_default,
            display=display,
            sku=sku,
        )
        return self._with(items=(*self._d.items, item))

    def coupon(self, code: str) -> Self:
        """Apply a coupon code; ``""`` removes the applied coupon."""
        return self._with(coupon=code)

    def contact(
        self,
        *,
        email: str | None = None,
        first_name: str | None = None,
        last_name: str | None = None,
        company: str | None = None,
        address_line1: str | None = None,
        address_line2: str | None = None,
        city: str | None = None,
        region: str | None = None,
        country: str | None = None,
        postal_code: str | None = None,
        phone_number: str | None = None,
    ) -> Self:
        """The buyer: ``paymentContact`` (editable) in a session object, ``contact``
        (locked) in a secure payload or a Sessions API request."""
        fields = {
            "email": email,
            "first_name": first_name,
            "last_name": last_name,
            "company": company,
            "address_line1": address_line1,
            "address_line2": address_line2,
            "city": city,
            "region": region,
            "country": country,
            "postal_code": postal_code,
            "phone_number": phone_number,
        }
        return self._with(contact=_compact(fields))

    def account(self, account_id: str) -> Self:
        """An existing FastSpring account id (secure payload and Sessions API only)."""
        return self._with(account=account_id)

    def recipient(
        self,
        *,
        email: str | None = None,
        first_name: str | None = None,
        last_name: str | None = None,
        company: str | None = None,
        phone_number: str | None = None,
        address: Address | Mapping[str, str] | None = None,
        memo: str | None = None,
    ) -> Self:
        """A gift recipient (ticks "this is a gift" in checkout)."""
        fields = {
            "email": email,
            "first_name": first_name,
            "last_name": last_name,
            "company": company,
            "phone_number": phone_number,
            "address": address,
            "memo": memo,
        }
        return self._with(recipient=_compact(fields))

    def country(self, code: str) -> Self:
        """Buyer country (ISO 3166-1 alpha-2); drives currency and tax."""
        return self._with(country=code)

    def language(self, code: str) -> Self:
        """Checkout language (ISO 639-1)."""
        return self._with(language=code)

    def postal_code(self, code: str) -> Self:
        """Buyer postal code (for tax)."""
        return self._with(postal_code=code)

    def tax_id(self, tax_id: str) -> Self:
        """VAT/GST number for tax exemption."""
        return self._with(tax_id=tax_id)

    def tag(self, key: str, value: str) -> Self:
        """Add one custom order tag."""
        kept = tuple((k, v) for k, v in self._d.tags if k != key)
        return self._with(tags=(*kept, (key, value)))

    def tags(self, tags: Mapping[str, str]) -> Self:
        """Add several custom order tags."""
        out = self
        for key, value in tags.items():
            out = out.tag(key, value)
        return out

    def payment_method(self, method: str, *, hide_others: bool | None = None) -> Self:
        """Pre-select a payment method (``card``, ``paypal``, ...); ``hide_others`` hides the
        rest (enforced by FastSpring only in a secure payload)."""
        return self._with(payment_method=method, hide_other_payment_methods=hide_others)

    def invoice_due_date(self, due: date | str) -> Self:
        """Payment due date for invoices: a future ``date`` or ``"yyyy-mm-dd"``."""
        return self._with(invoice_due_date=due)

    def checkout(
        self, session_id: str | Literal[True] = True, *, clean: bool | None = None
    ) -> Self:
        """Open checkout (``True``) or a Sessions API session by id. ``clean=True`` clears
        the continuous session once checkout launches."""
        return self._with(checkout=session_id, clean=clean)

    # ----------------------------------------------------------------- emitting

    def session(self, *, allow_ignored_fields: bool = False) -> Session:
        """The SBL session object for ``fscSession`` / ``fastspring.builder.push()``.

        >>> CheckoutBuilder().product("a", price={"USD": 5}).session()
        Traceback (most recent call last):
        ...
        sblgen.errors.UnsupportedFieldError: Session (SBL session object) cannot carry a price ...
        """
        target = "Session (SBL session object)"
        d = self._d
        for item in d.items:
            overrides = item.overrides()
            if "price" in overrides:
                raise UnsupportedFieldError(
                    target,
                    f"a price override for {item.path!r}",
                    "prices can only be set in a secure payload (.secure_payload()) or a "
                    "Sessions API request (.api_request())",
                )
            if overrides:
                raise UnsupportedFieldError(
                    target,
                    f"{', '.join(overrides)} for {item.path!r}",
                    "use a secure payload (.secure_payload()) or a Sessions API request "
                    "(.api_request())",
                )
        _refuse_api_only(target, d)
        if d.account is not None:
            raise UnsupportedFieldError(
                target,
                "a FastSpring account id",
                "use .contact(...) for an editable prefill, or a secure payload to lock the "
                "account",
            )
        products = [{"path": i.path, "quantity": i.quantity} for i in d.items]
        return Session.model_validate(
            {
                "reset": d.reset,
                "products": products or None,
                "coupon": d.coupon,
                "payment_contact": _expand(d.contact),
                "recipient": _expand(d.recipient),
                "country": d.country,
                "language": d.language,
                "postal_code": d.postal_code,
                "tax_id": d.tax_id,
                "tags": dict(d.tags) or None,
                "payment_method": d.payment_method,
                "hide_other_payment_methods": d.hide_other_payment_methods,
                "invoice_due_date": d.invoice_due_date,
                "checkout": d.checkout,
                "clean": d.clean,
                "allow_ignored_fields": allow_ignored_fields,
            }
        )

    def secure_payload(self) -> SecurePayload:
        """The secure payload body (locked prices, contact and terms), ready to encrypt.

        >>> body = (CheckoutBuilder()
        ...         .product("pro-plan", price={"USD": 20}, interval="month",
        ...                  interval_length=1, trial=14)
        ...         .contact(email="ann@example.com", first_name="Ann", last_name="Lee")
        ...         .secure_payload())
        >>> body.to_json()
        '{"contact":{"email":"ann@example.com","firstName":"Ann","lastName":"Lee"},"items":[{"product":"pro-plan","quantity":1,"pricing":{"price":{"USD":20},"trial":14,"interval":"month","intervalLength":1}}]}'
        """
        from sblgen.payload import SecurePayload

        target = "SecurePayload (secure payload body)"
        d = self._d
        for name, value in (("reset", d.reset), ("checkout", d.checkout), ("clean", d.clean)):
            if value is not None:
                raise UnsupportedFieldError(
                    target,
                    name,
                    f"{name} is a browser instruction: put it in the session object that "
                    "carries the secure request (.session() with secure=...)",
                )
        _refuse_api_only(target, d, lookup=False)
        if d.postal_code is not None:
            raise UnsupportedFieldError(
                target,
                "postal_code",
                "put the postal code in .contact(postal_code=...) to lock it",
            )
        items = []
        for item in d.items:
            pricing = {
                "price": item.price,
                "quantity_behavior": item.quantity_behavior,
                "quantity_default": item.quantity_default,
                "trial": item.trial,
                "interval": item.interval,
                "interval_length": item.interval_length,
                "interval_count": item.interval_count,
                "renew": item.renew,
            }
            pricing = {k: v for k, v in pricing.items() if v is not None}
            items.append(
                {
                    "product": item.path,
                    "quantity": item.quantity,
                    "pricing": pricing or None,
                    "display": item.display,
                    "sku": item.sku,
                    "attributes": item.attributes,
                }
            )
        return SecurePayload.model_validate(
            {
                "contact": _expand(d.contact),
                "account_custom_key": d.lookup_custom,
                "account": d.account,
                "recipient": _expand(d.recipient),
                "items": items or None,
                "coupon": d.coupon,
                "country": d.country,
                "language": d.language,
                "tax_id": d.tax_id,
                "tags": dict(d.tags) or None,
                "payment_method": d.payment_method,
                "hide_other_payment_methods": d.hide_other_payment_methods,
                "invoice_due_date": d.invoice_due_date,
            }
        )

    def lookup(self, custom_key: str) -> Self:
        """Your own id for the buyer's account, sent with a contact: ``lookup.custom`` in a
        Sessions API v1 request, ``externalAccountId`` in v2, ``accountCustomKey`` in a secure
        payload. Not part of a session object.

        >>> (CheckoutBuilder().contact(email="a@example.com", first_name="A", last_name="B")
        ...  .lookup("user-42").secure_payload().account_custom_key)
        'user-42'
        """
        return self._with(lookup_custom=custom_key)

    def expiration(self, days: int) -> Self:
        """Sessions API only: days (1 to 7) the session stays open (default 24 hours)."""
        return self._with(expiration_days=days)

    @overload
    def api_request(self, *, version: Literal[1] = 1) -> SessionRequest: ...

    @overload
    def api_request(self, *, version: Literal[2], live: bool | None = None) -> SessionCreate: ...

    def api_request(
        self, *, version: Literal[1, 2] = 1, live: bool | None = None
    ) -> SessionRequest | SessionCreate:
        """The Sessions API body: v1 ``POST /sessions`` (default) or, with ``version=2``,
        the v2 create body (``live=False`` asks for a test session)."""
        if version == 2:
            return self._api_request_v2(live)
        if version != 1:
            raise ValueError(f"version={version!r}: the Sessions API has versions 1 and 2.")
        if live is not None:
            raise UnsupportedFieldError(
                "SessionRequest (Sessions API)", "live", "only Sessions API v2 has it"
            )
        return self._api_request_v1()

    def _api_request_v1(self) -> SessionRequest:
        """The Sessions API body for ``POST /sessions`` (server-side cart; the browser then
        opens it with ``checkout: "<id>"``).

        >>> (CheckoutBuilder().account("uKj7izONRfanVwBL9eiG_A").product("nest", 2)
        ...  .coupon("0BXB6NMMCT").api_request().to_json())
        '{"account":"uKj7izONRfanVwBL9eiG_A","items":[{"product":"nest","quantity":2}],"coupon":"0BXB6NMMCT"}'
        """
        from sblgen.api.models import SessionRequest

        target = "SessionRequest (Sessions API)"
        d = self._d
        refused = {
            "reset": d.reset,
            "recipient": d.recipient,
            "postal_code": d.postal_code,
            "tax_id": d.tax_id,
            "payment_method": d.payment_method,
            "hide_other_payment_methods": d.hide_other_payment_methods,
            "invoice_due_date": d.invoice_due_date,
            "checkout": d.checkout,
            "clean": d.clean,
        }
        for name, value in refused.items():
            if value is not None:
                raise UnsupportedFieldError(
                    target,
                    name,
                    "the Sessions API has no such field; use a session object or a secure "
                    "payload for it",
                )
        for item in d.items:
            for name in ("display", "sku", "interval_count"):
                if getattr(item, name) is not None:
                    raise UnsupportedFieldError(
                        target,
                        f"{name} for {item.path!r}",
                        "the Sessions API has no such item field; use a secure payload",
                    )
        contact = None
        if d.contact is not None:
            fields = dict(d.contact)
            unknown = set(fields) - {
                "email",
                "first_name",
                "last_name",
                "company",
                "phone_number",
                "country",
            }
            if unknown:
                raise UnsupportedFieldError(
                    target,
                    f"contact {', '.join(sorted(unknown))}",
                    "the Sessions API contact has first, last, email, company, phone, country",
                )
            country = fields.get("country")
            if d.country is not None and country is not None and country != d.country:
                raise UnsupportedFieldError(
                    target,
                    f"country {d.country!r} and contact country {country!r}",
                    "both become contact.country: give the country once",
                )
            # The current schema's place for them: contact.country and contact.language.
            contact = {
                "first": fields.get("first_name"),
                "last": fields.get("last_name"),
                "email": fields.get("email"),
                "company": fields.get("company"),
                "phone": fields.get("phone_number"),
                "country": country if country is not None else d.country,
                "language": d.language,
            }
        items = []
        for item in d.items:
            pricing = {
                "trial": item.trial,
                "renew": item.renew,
                "interval": item.interval,
                "interval_length": item.interval_length,
                "quantity_behavior": item.quantity_behavior,
                "quantity_default": item.quantity_default,
                "price": item.price,
            }
            pricing = {k: v for k, v in pricing.items() if v is not None}
            items.append(
                {
                    "product": item.path,
                    "quantity": item.quantity,
                    "pricing": pricing or None,
                    "attributes": item.attributes,
                }
            )
        return SessionRequest.model_validate(
            {
                "account": d.account,
                "contact": contact,
                "language": d.language if contact is None else None,
                "country": d.country if contact is None else None,
                "lookup": {"custom": d.lookup_custom} if d.lookup_custom is not None else None,
                "tags": dict(d.tags) or None,
                "items": items,
                "coupon": d.coupon,
                "expiration": d.expiration_days,
            }
        )

    def _api_request_v2(self, live: bool | None) -> SessionCreate:
        from sblgen.api import v2_shaping as shape
        from sblgen.api.v2 import SessionCreate

        d = self._d
        refused = {
            "reset": (d.reset, "Sessions API v2 documents no such field"),
            "hide_other_payment_methods": (
                d.hide_other_payment_methods,
                "list the methods in SessionCreate(hide_payment_methods=[...])",
            ),
            "invoice_due_date": (d.invoice_due_date, "Sessions API v2 documents no such field"),
            "checkout": (d.checkout, "Sessions API v2 documents no such field"),
            "clean": (d.clean, "Sessions API v2 documents no such field"),
            "expiration": (d.expiration_days, "Sessions API v2 documents no session lifetime"),
        }
        for name, (value, fix) in refused.items():
            if value is not None:
                raise UnsupportedFieldError(shape.TARGET, name, fix)
        contact = dict(d.contact or ())
        customer = shape.customer(
            contact or None,
            _expand(d.recipient),
            account=d.account,
            lookup=d.lookup_custom,
            tax_id=d.tax_id,
            postal_code=d.postal_code,
        )
        return SessionCreate.model_validate(
            {
                "locale": d.language,
                "country": d.country if d.country is not None else contact.get("country"),
                "live": live,
                "customer": customer,
                "orderTags": dict(d.tags) or None,
                "cart": shape.cart(d.coupon, [shape.line_item(item) for item in d.items]),
                "paymentMethodsOrder": shape.payment_methods_order(d.payment_method),
            }
        )
