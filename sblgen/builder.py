"""One description of a purchase, emitted as any FastSpring wire format.

:class:`CheckoutBuilder` is immutable: every method returns a new builder, so a base
description can be shared and specialised safely. Emit with :meth:`CheckoutBuilder.session`
(the SBL session object), :meth:`~CheckoutBuilder.secure_payload` or
:meth:`~CheckoutBuilder.api_request`. A target that cannot carry part of the description
refuses it with an :class:`~sblgen.errors.UnsupportedFieldError` naming the target and the
fix, instead of dropping it (one table says what each target can carry: ``sblgen._targets``).

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
from datetime import date
from decimal import Decimal
from typing import TYPE_CHECKING, Any, Literal, Self, overload

from sblgen import _targets
from sblgen._description import Description, LineItem, given
from sblgen.session import Address, Session

if TYPE_CHECKING:  # pragma: no cover
    from sblgen.api.models import SessionRequest
    from sblgen.api.v2 import SessionCreate
    from sblgen.payload import SecurePayload

__all__ = ["CheckoutBuilder", "LineItem"]


class CheckoutBuilder:
    """A fluent, immutable description of a purchase.

    >>> b = CheckoutBuilder().product("a", 2)
    >>> b2 = b.product("b")
    >>> len(b.items), len(b2.items)
    (1, 2)
    """

    __slots__ = ("_d",)

    def __init__(self) -> None:
        self._d = Description()

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
        return self._with(contact=given(locals()))

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
        return self._with(recipient=given(locals()))

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

    # ----------------------------------------------------------------- emitting

    def session(self, *, allow_ignored_fields: bool = False) -> Session:
        """The SBL session object for ``fscSession`` / ``fastspring.builder.push()``.

        >>> CheckoutBuilder().product("a", price={"USD": 5}).session()
        Traceback (most recent call last):
        ...
        sblgen.errors.UnsupportedFieldError: Session (SBL session object) cannot carry a price ...
        """
        return _targets.session(self._d, allow_ignored_fields)

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
        return _targets.secure_payload(self._d)

    @overload
    def api_request(self, *, version: Literal[1] = 1) -> SessionRequest: ...

    @overload
    def api_request(self, *, version: Literal[2], live: bool | None = None) -> SessionCreate: ...

    def api_request(
        self, *, version: Literal[1, 2] = 1, live: bool | None = None
    ) -> SessionRequest | SessionCreate:
        """The Sessions API body: v1 ``POST /sessions`` (default) or, with ``version=2``,
        the v2 create body (``live=False`` asks for a test session). The server-side cart
        opens in the browser with ``checkout: "<id>"``.

        >>> (CheckoutBuilder().account("uKj7izONRfanVwBL9eiG_A").product("nest", 2)
        ...  .coupon("0BXB6NMMCT").api_request().to_json())
        '{"account":"uKj7izONRfanVwBL9eiG_A","items":[{"product":"nest","quantity":2}],"coupon":"0BXB6NMMCT"}'
        """
        if version == 2:
            return _targets.session_create(self._d, live)
        if version != 1:
            raise ValueError(f"version={version!r}: the Sessions API has versions 1 and 2.")
        return _targets.session_request(self._d, live)
