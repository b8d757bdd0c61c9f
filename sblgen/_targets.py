"""The builder's targets: what each wire format can carry, and the shaping into it.

One table (:data:`SESSION`, :data:`SECURE_PAYLOAD`, :data:`SESSION_REQUEST`,
:data:`SESSION_CREATE`) says which parts of a :class:`~sblgen._description.Description` a
target cannot carry and what to do instead; one function, :func:`refuse`, turns the first
such part into an :class:`~sblgen.errors.UnsupportedFieldError`. The emitters then shape what
is left into the target's model. The payload and Sessions API models are imported on first
use, so ``import sblgen`` stays cheap.

>>> from sblgen._description import Description, LineItem
>>> refuse(SESSION, Description(items=(LineItem("pro-plan", trial=14),)))
Traceback (most recent call last):
sblgen.errors.UnsupportedFieldError: Session (SBL session object) cannot carry trial ...
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from functools import partial
from itertools import groupby
from typing import TYPE_CHECKING, Any, Literal

from sblgen._description import OVERRIDE_FIELDS, Description, Fields, LineItem
from sblgen.errors import UnsupportedFieldError
from sblgen.session import Session

if TYPE_CHECKING:  # pragma: no cover
    from sblgen.api.models import SessionRequest
    from sblgen.api.v2 import SessionCreate
    from sblgen.payload import SecurePayload

__all__ = [
    "SECURE_PAYLOAD",
    "SESSION",
    "SESSION_CREATE",
    "SESSION_REQUEST",
    "Refusal",
    "Target",
    "refuse",
    "secure_payload",
    "session",
    "session_create",
    "session_request",
]


@dataclass(frozen=True, slots=True)
class Refusal:
    """Fields a target cannot carry, and the fix its error names (``{name}``: the field)."""

    fields: tuple[str, ...]
    fix: str
    #: Whose fields: the description's, each product line's, or the buyer contact's.
    scope: Literal["order", "item", "contact"] = "order"
    #: Name every one of ``fields`` that is set in one error (otherwise the first).
    together: bool = False
    #: What the error calls the field, instead of its name.
    label: str | None = None


@dataclass(frozen=True, slots=True)
class Target:
    """A wire format the builder emits: its name in errors, and what it refuses, in the
    order it checks (consecutive ``item`` refusals are checked line by line)."""

    name: str
    refusals: tuple[Refusal, ...]


#: Description fields whose name in errors (and in the builder's methods) is shorter.
_SHOWN = {"lookup_custom": "lookup", "expiration_days": "expiration"}
_API_ONLY = "it exists only in a Sessions API request (.api_request())"
_V2_NONE = "Sessions API v2 documents no such field"
_PRICING = (
    "price",
    "quantity_behavior",
    "quantity_default",
    "trial",
    "interval",
    "interval_length",
    "interval_count",
    "renew",
)

SESSION = Target(
    "Session (SBL session object)",
    (
        Refusal(
            ("price",),
            "prices can only be set in a secure payload (.secure_payload()) or a Sessions API "
            "request (.api_request())",
            scope="item",
            label="a price override",
        ),
        Refusal(
            OVERRIDE_FIELDS,
            "use a secure payload (.secure_payload()) or a Sessions API request (.api_request())",
            scope="item",
            together=True,
        ),
        Refusal(("lookup_custom", "expiration_days"), _API_ONLY),
        Refusal(
            ("account",),
            "use .contact(...) for an editable prefill, or a secure payload to lock the account",
            label="a FastSpring account id",
        ),
    ),
)
SECURE_PAYLOAD = Target(
    "SecurePayload (secure payload body)",
    (
        Refusal(
            ("reset", "checkout", "clean"),
            "{name} is a browser instruction: put it in the session object that carries the "
            "secure request (.session() with secure=...)",
        ),
        Refusal(("expiration_days",), _API_ONLY),
        Refusal(("postal_code",), "put the postal code in .contact(postal_code=...) to lock it"),
    ),
)
SESSION_REQUEST = Target(
    "SessionRequest (Sessions API)",
    (
        Refusal(("live",), "only Sessions API v2 has it"),
        Refusal(
            (
                "reset",
                "recipient",
                "postal_code",
                "tax_id",
                "payment_method",
                "hide_other_payment_methods",
                "invoice_due_date",
                "checkout",
                "clean",
            ),
            "the Sessions API has no such field; use a session object or a secure payload for it",
        ),
        Refusal(
            ("display", "sku", "interval_count"),
            "the Sessions API has no such item field; use a secure payload",
            scope="item",
        ),
        Refusal(
            ("address_line1", "address_line2", "city", "postal_code", "region"),
            "the Sessions API contact has first, last, email, company, phone, country",
            scope="contact",
            together=True,
        ),
    ),
)
SESSION_CREATE = Target(
    "SessionCreate (Sessions API v2)",
    (
        Refusal(("reset",), _V2_NONE),
        Refusal(
            ("hide_other_payment_methods",),
            "list the methods in SessionCreate(hide_payment_methods=[...])",
        ),
        Refusal(("invoice_due_date", "checkout", "clean"), _V2_NONE),
        Refusal(("expiration_days",), "Sessions API v2 documents no session lifetime"),
    ),
)


def refuse(target: Target, d: Description, **call: object) -> None:
    """Raise :class:`~sblgen.errors.UnsupportedFieldError` for the first part of ``d`` (or
    of the emitter's own arguments, ``call``) that ``target`` cannot carry."""

    def order_value(name: str) -> object:
        return call[name] if name in call else getattr(d, name)

    for scope, group in groupby(target.refusals, key=lambda refusal: refusal.scope):
        refusals = tuple(group)
        if scope == "item":
            for item in d.items:
                for refusal in refusals:
                    _check(target, refusal, partial(getattr, item), suffix=f" for {item.path!r}")
        elif scope == "contact":
            contact = dict(d.contact or ())
            for refusal in refusals:
                _check(target, refusal, contact.get, prefix="contact ")
        else:
            for refusal in refusals:
                _check(target, refusal, order_value)


def _check(
    target: Target,
    refusal: Refusal,
    value: Callable[[str], object],
    *,
    prefix: str = "",
    suffix: str = "",
) -> None:
    names = [_SHOWN.get(name, name) for name in refusal.fields if value(name) is not None]
    if not names:
        return
    shown = names if refusal.together else names[:1]
    field = refusal.label or ", ".join(shown)
    raise UnsupportedFieldError(
        target.name, f"{prefix}{field}{suffix}", refusal.fix.format(name=shown[0])
    )


# ------------------------------------------------------------------------- shaping


def _expand(fields: Fields | None) -> dict[str, Any] | None:
    return None if fields is None else dict(fields)


def _pricing(item: LineItem) -> dict[str, Any] | None:
    pricing = {name: getattr(item, name) for name in _PRICING}
    return {k: v for k, v in pricing.items() if v is not None} or None


def _item(item: LineItem, **more: object) -> dict[str, Any]:
    """A secure payload or Sessions API v1 item (``product``, ``pricing``, ...)."""
    return {
        "product": item.path,
        "quantity": item.quantity,
        "pricing": _pricing(item),
        **more,
        "attributes": item.attributes,
    }


def session(d: Description, allow_ignored_fields: bool) -> Session:
    """The SBL session object."""
    refuse(SESSION, d)
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


def secure_payload(d: Description) -> SecurePayload:
    """The secure payload body."""
    from sblgen.payload import SecurePayload

    refuse(SECURE_PAYLOAD, d)
    items = [_item(item, display=item.display, sku=item.sku) for item in d.items]
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


def session_request(d: Description, live: bool | None) -> SessionRequest:
    """The Sessions API v1 ``POST /sessions`` body."""
    from sblgen.api.models import SessionRequest

    refuse(SESSION_REQUEST, d, live=live)
    contact = None
    if d.contact is not None:
        fields = dict(d.contact)
        country = fields.get("country")
        if d.country is not None and country is not None and country != d.country:
            raise UnsupportedFieldError(
                SESSION_REQUEST.name,
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
    return SessionRequest.model_validate(
        {
            "account": d.account,
            "contact": contact,
            "language": d.language if contact is None else None,
            "country": d.country if contact is None else None,
            "lookup": {"custom": d.lookup_custom} if d.lookup_custom is not None else None,
            "tags": dict(d.tags) or None,
            "items": [_item(item) for item in d.items],
            "coupon": d.coupon,
            "expiration": d.expiration_days,
        }
    )


def session_create(d: Description, live: bool | None) -> SessionCreate:
    """The Sessions API v2 create body (what v2 cannot carry per line, per customer or in the
    cart is refused by :mod:`sblgen.api.v2_shaping`)."""
    from sblgen.api import v2_shaping as shape
    from sblgen.api.v2 import SessionCreate

    refuse(SESSION_CREATE, d)
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
