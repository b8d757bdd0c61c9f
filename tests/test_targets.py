"""The builder's targets: one refusal table, and the exact error each refusal gives."""

from __future__ import annotations

from collections.abc import Callable

import pytest

from sblgen import CheckoutBuilder, UnsupportedFieldError
from sblgen._description import OVERRIDE_FIELDS, Description, LineItem
from sblgen._targets import (
    SECURE_PAYLOAD,
    SESSION,
    SESSION_CREATE,
    SESSION_REQUEST,
    Refusal,
    Target,
    refuse,
)

B = CheckoutBuilder
SESSION_ID = "Xy12AbCdEf34GhIj"

_ITEM = "use a secure payload (.secure_payload()) or a Sessions API request (.api_request())"
_API_ONLY = "it exists only in a Sessions API request (.api_request())"
_BROWSER = (
    "{} is a browser instruction: put it in the session object that carries the secure "
    "request (.session() with secure=...)"
)
_V1 = "the Sessions API has no such field; use a session object or a secure payload for it"
_V1_ITEM = "the Sessions API has no such item field; use a secure payload"
# Sessions API v2 carries coupons, gift recipients, postal codes, display names and
# subscription terms; what it documents no field for is refused.
_V2 = "Sessions API v2 documents no such field"
_V2_HIDE = "list the methods in SessionCreate(hide_payment_methods=[...])"
_V2_ITEM = "Sessions API v2 documents no such item field; use a secure payload or Sessions v1"


def _p(**kwargs: object) -> CheckoutBuilder:
    return B().product("pro-plan", **kwargs)  # type: ignore[arg-type]


EMIT: dict[str, Callable[[CheckoutBuilder], object]] = {
    "session": lambda b: b.session(),
    "secure": lambda b: b.secure_payload(),
    "v1": lambda b: b.api_request(),
    "v1 live": lambda b: b.api_request(live=True),  # type: ignore[call-overload]
    "v2": lambda b: b.api_request(version=2),
}

#: (emitter, builder, field, fix): every refusal, with what the builder said before the table.
CASES: list[tuple[str, CheckoutBuilder, str, str]] = [
    (
        "session",
        _p(price={"USD": 5}),
        "a price override for 'pro-plan'",
        "prices can only be set in a secure payload (.secure_payload()) or a Sessions API "
        "request (.api_request())",
    ),
    (
        "session",
        _p(trial=3, price={"USD": 1}),
        "a price override for 'pro-plan'",
        "prices can only be set in a secure payload (.secure_payload()) or a Sessions API "
        "request (.api_request())",
    ),
    ("session", _p(attributes={"k": "v"}), "attributes for 'pro-plan'", _ITEM),
    (
        "session",
        _p(interval="month", interval_length=1),
        "interval, interval_length for 'pro-plan'",
        _ITEM,
    ),
    ("session", _p(display={"en": "x"}, sku="S"), "display, sku for 'pro-plan'", _ITEM),
    ("session", B().product("a", trial=1).product("b", price={"USD": 1}), "trial for 'a'", _ITEM),
    ("session", B().lookup("u"), "lookup", _API_ONLY),
    ("session", B().expiration(2), "expiration", _API_ONLY),
    (
        "session",
        B().account("acc"),
        "a FastSpring account id",
        "use .contact(...) for an editable prefill, or a secure payload to lock the account",
    ),
    ("session", B().lookup("u").account("a"), "lookup", _API_ONLY),
    ("secure", B().reset(), "reset", _BROWSER.format("reset")),
    ("secure", B().checkout(), "checkout", _BROWSER.format("checkout")),
    ("secure", B().checkout(clean=True), "checkout", _BROWSER.format("checkout")),
    ("secure", B().checkout(SESSION_ID), "checkout", _BROWSER.format("checkout")),
    ("secure", B().expiration(2), "expiration", _API_ONLY),
    (
        "secure",
        B().postal_code("1"),
        "postal_code",
        "put the postal code in .contact(postal_code=...) to lock it",
    ),
    ("secure", B().reset().postal_code("1"), "reset", _BROWSER.format("reset")),
    ("v1 live", B(), "live", "only Sessions API v2 has it"),
    ("v1 live", B().reset(), "live", "only Sessions API v2 has it"),
    ("v1", B().reset(), "reset", _V1),
    ("v1", B().recipient(email="a@b.c"), "recipient", _V1),
    ("v1", B().postal_code("1"), "postal_code", _V1),
    ("v1", B().tax_id("x"), "tax_id", _V1),
    ("v1", B().payment_method("card"), "payment_method", _V1),
    ("v1", B().payment_method("card", hide_others=True), "payment_method", _V1),
    ("v1", B().invoice_due_date("2027-01-01"), "invoice_due_date", _V1),
    ("v1", B().checkout(), "checkout", _V1),
    ("v1", B().checkout(clean=True), "checkout", _V1),
    ("v1", _p(display={"en": "x"}), "display for 'pro-plan'", _V1_ITEM),
    ("v1", _p(sku="s"), "sku for 'pro-plan'", _V1_ITEM),
    ("v1", _p(interval_count=3), "interval_count for 'pro-plan'", _V1_ITEM),
    ("v1", _p(sku="s", display={"en": "x"}), "display for 'pro-plan'", _V1_ITEM),
    (
        "v1",
        B().contact(city="Oslo", address_line1="x", region="r", postal_code="1", address_line2="y"),
        "contact address_line1, address_line2, city, postal_code, region",
        "the Sessions API contact has first, last, email, company, phone, country",
    ),
    ("v1", B().contact(city="Oslo").reset(), "reset", _V1),
    ("v2", B().reset(), "reset", _V2),
    ("v2", B().payment_method("card", hide_others=True), "hide_other_payment_methods", _V2_HIDE),
    ("v2", B().invoice_due_date("2027-01-01"), "invoice_due_date", _V2),
    ("v2", B().checkout(), "checkout", _V2),
    ("v2", B().checkout(clean=True), "checkout", _V2),
    ("v2", B().expiration(3), "expiration", "Sessions API v2 documents no session lifetime"),
    (
        "v2",
        B().coupon(""),
        "coupon ''",
        "omit .coupon(): v2 documents no value that removes a coupon",
    ),
    ("v2", B().recipient(memo="hi"), "recipient memo", "v2 has no gift memo field; omit memo"),
    ("v2", _p(sku="s"), "sku for 'pro-plan'", _V2_ITEM),
    ("v2", _p(renew="auto"), "renew for 'pro-plan'", _V2_ITEM),
    ("v2", _p(trial=1, sku="s"), "sku for 'pro-plan'", _V2_ITEM),
]
TARGET_NAMES = {
    "session": "Session (SBL session object)",
    "secure": "SecurePayload (secure payload body)",
    "v1": "SessionRequest (Sessions API)",
    "v1 live": "SessionRequest (Sessions API)",
    "v2": "SessionCreate (Sessions API v2)",
}


@pytest.mark.parametrize(("emit", "builder", "field", "fix"), CASES)
def test_every_refusal_names_target_field_and_fix(
    emit: str, builder: CheckoutBuilder, field: str, fix: str
) -> None:
    with pytest.raises(UnsupportedFieldError) as exc:
        EMIT[emit](builder)
    assert (exc.value.target, exc.value.field, exc.value.fix) == (TARGET_NAMES[emit], field, fix)
    assert str(exc.value) == f"{TARGET_NAMES[emit]} cannot carry {field}; {fix}."


def test_table_names_only_real_fields() -> None:
    """A misspelt field in the table would never refuse anything: every name is a field of
    the description, of a product line, of the contact, or an emitter argument."""
    description = set(Description.__dataclass_fields__)
    item = set(LineItem.__dataclass_fields__)
    contact = set(CheckoutBuilder.contact.__annotations__) - {"return"}
    scopes = {"order": description | {"live"}, "item": item, "contact": contact}
    for target in (SESSION, SECURE_PAYLOAD, SESSION_REQUEST, SESSION_CREATE):
        for refusal in target.refusals:
            assert set(refusal.fields) <= scopes[refusal.scope], (target.name, refusal)


def test_item_refusals_are_checked_line_by_line() -> None:
    """Consecutive item refusals are checked per product line: the first line's problem is
    reported, whichever refusal it falls under."""
    target = Target("T", (Refusal(("sku",), "a", scope="item"), Refusal(("trial",), "b", "item")))
    d = Description(items=(LineItem("one", trial=1), LineItem("two", sku="S")))
    with pytest.raises(UnsupportedFieldError, match="cannot carry trial for 'one'; b"):
        refuse(target, d)


def test_a_description_that_fits_passes() -> None:
    d = Description(items=(LineItem("p", 2),), country="DE", language="de")
    for target in (SESSION, SECURE_PAYLOAD, SESSION_CREATE):
        refuse(target, d)
    refuse(SESSION_REQUEST, d, live=None)
    assert set(OVERRIDE_FIELDS) == set(LineItem.__dataclass_fields__) - {"path", "quantity"}
