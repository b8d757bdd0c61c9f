"""The SBL session object: every field and rule, one failing input per rule."""

from __future__ import annotations

import json
from datetime import date
from typing import Any

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from pydantic import ValidationError

from sblgen import Address, PaymentContact, Product, Recipient, SecureRequest, Session

SESSION_ID = "Xy12AbCdEf34GhIj"


def _errors(exc: pytest.ExceptionInfo[ValidationError]) -> list[tuple[str, str]]:
    return [(".".join(str(p) for p in e["loc"]), e["msg"]) for e in exc.value.errors()]


def test_every_field_serialises_camel_case_in_model_order() -> None:
    session = Session(
        reset=True,
        products=[Product(path="a", quantity=2), Product(path="b", quantity=0)],
        coupon="",
        payment_contact=PaymentContact(email="ann@example.com", first_name="Ann"),
        recipient=Recipient(first_name="Bo", address=Address(city="Oslo", country="no")),
        country="de",
        language="DE",
        postal_code="10115",
        tax_id="DE123",
        tags={"user_id": "42"},
        payment_method="paypal",
        hide_other_payment_methods=True,
        invoice_due_date=date(2027, 1, 31),
        cart_view_enabled=False,
        checkout=True,
        clean=True,
        secure=SecureRequest(payload={"coupon": "X"}, key=""),
        authenticate=SecureRequest(payload="QUJD", key="REVG"),
    )
    assert session.to_dict() == {
        "reset": True,
        "products": [{"path": "a", "quantity": 2}, {"path": "b", "quantity": 0}],
        "coupon": "",
        "paymentContact": {"email": "ann@example.com", "firstName": "Ann"},
        "recipient": {"firstName": "Bo", "address": {"city": "Oslo", "country": "NO"}},
        "country": "DE",
        "language": "de",
        "postalCode": "10115",
        "taxId": "DE123",
        "tags": {"user_id": "42"},
        "paymentMethod": "paypal",
        "hideOtherPaymentMethods": True,
        "invoiceDueDate": "2027-01-31",
        "cartViewEnabled": False,
        "checkout": True,
        "clean": True,
        "secure": {"payload": {"coupon": "X"}},
        "authenticate": {"payload": "QUJD", "key": "REVG"},
    }
    assert list(json.loads(session.to_json())) == list(session.to_dict())
    assert Session.from_json(session.to_json()) == session


def test_unset_fields_are_omitted_and_coupon_none_is_not_sent() -> None:
    assert Session().to_dict() == {}
    assert Session(coupon=None).to_json() == "{}"
    assert Session(coupon="").to_json() == '{"coupon":""}'


def test_snake_case_and_camel_case_both_accepted() -> None:
    a = Session.model_validate({"paymentContact": {"firstName": "A"}})
    b = Session.model_validate({"payment_contact": {"first_name": "A"}})
    assert a == b


def test_models_are_frozen() -> None:
    session = Session(coupon="X")
    with pytest.raises(ValidationError, match="frozen"):
        session.coupon = "Y"  # type: ignore[misc]


def test_indent_json() -> None:
    assert Session(coupon="X").to_json(indent=2) == '{\n  "coupon": "X"\n}'


@pytest.mark.parametrize(
    ("data", "loc", "message"),
    [
        ({"bogus": 1}, "bogus", "unknown field"),
        ({"paymentContact": {"fax": "1"}}, "paymentContact.fax", "unknown field"),
        (
            {"products": [{"path": "a", "quantity": -1}]},
            "products.0.quantity",
            "greater than or equal to 0",
        ),
        ({"products": [{"path": "a", "quantity": 1.5}]}, "products.0.quantity", "integer"),
        ({"products": [{"path": "a b"}]}, "products.0.path", "not a product path"),
        ({"products": [{"quantity": 1}]}, "products.0.path", "Field required"),
        ({"coupon": "10 OFF"}, "coupon", "not a coupon code"),
        ({"country": "Germany"}, "country", "ISO 3166-1"),
        ({"language": "german"}, "language", "ISO 639-1"),
        ({"tags": {"a": 1}}, "tags", "tag values are strings"),
        ({"paymentMethod": "Credit Card"}, "paymentMethod", "not a payment method"),
        ({"invoiceDueDate": "2026-11-24"}, "invoiceDueDate", "not in the future"),
        ({"invoiceDueDate": "31/12/2030"}, "invoiceDueDate", "yyyy-mm-dd"),
        ({"checkout": False}, "checkout", "True"),
        ({"checkout": "short"}, "checkout", "session id"),
        ({"paymentContact": {"email": "nope"}}, "paymentContact.email", "email address"),
        ({"recipient": {"address": {"country": "ZZ"}}}, "recipient.address.country", "ISO"),
        ({"secure": {"payload": "not base64!", "key": "QUJD"}}, "secure", "base64"),
        ({"secure": {"payload": "QUJD", "key": ""}}, "secure", "test-mode"),
        ({"secure": {"payload": "QUJD", "key": "*"}}, "secure", "base64"),
    ],
)
def test_each_rule_rejects(data: dict[str, Any], loc: str, message: str) -> None:
    with pytest.raises(ValidationError) as exc:
        Session.model_validate(data)
    errors = _errors(exc)
    assert any(where.startswith(loc) and message in msg for where, msg in errors), errors


@pytest.mark.parametrize("payload", [1, [1], None, 2.5])
def test_a_bad_secure_payload_is_one_error_at_payload(payload: Any) -> None:
    with pytest.raises(ValidationError) as exc:
        Session.model_validate({"secure": {"payload": payload, "key": ""}})
    assert [(e["loc"], e["msg"]) for e in exc.value.errors()] == [
        (
            ("secure", "payload"),
            "Value error, payload is base64 text (encrypted) or the plaintext payload object "
            f"(test mode), not {type(payload).__name__}.",
        )
    ]


@pytest.mark.parametrize("value", [False, 0, "", "bad id!", [True]])
def test_a_bad_checkout_is_one_error_at_checkout(value: Any) -> None:
    """Not one error per union member (``checkout.literal[True]``, ``checkout.str``...)."""
    with pytest.raises(ValidationError) as exc:
        Session.model_validate({"checkout": value})
    assert [e["loc"] for e in exc.value.errors()] == [("checkout",)]


def test_duplicate_product_paths_are_refused() -> None:
    with pytest.raises(ValidationError, match="appears more than once"):
        Session(products=[Product(path="a"), Product(path="a", quantity=2)])


def test_quantity_zero_removes_and_defaults_to_one() -> None:
    assert Product(path="a", quantity=0).to_dict() == {"path": "a", "quantity": 0}
    assert Product(path="a").to_dict() == {"path": "a", "quantity": 1}


def test_clean_needs_checkout_true() -> None:
    with pytest.raises(ValidationError, match="clean=True only works together"):
        Session(clean=True)
    with pytest.raises(ValidationError, match="clean=True only works together"):
        Session(clean=True, checkout=SESSION_ID)
    assert Session(clean=True, checkout=True).to_dict() == {"checkout": True, "clean": True}


def test_checkout_session_id_refuses_other_fields() -> None:
    assert Session(checkout=SESSION_ID).to_dict() == {"checkout": SESSION_ID}
    with pytest.raises(ValidationError, match=r"ignores every other field \(coupon, reset\)"):
        Session(checkout=SESSION_ID, coupon="X", reset=True)


def test_checkout_session_id_opt_in_keeps_fields_and_is_not_sent() -> None:
    session = Session(checkout=SESSION_ID, coupon="X", allow_ignored_fields=True)
    assert session.to_dict() == {"coupon": "X", "checkout": SESSION_ID}


def test_invoice_due_date_accepts_date_and_string() -> None:
    assert Session(invoice_due_date=date(2026, 12, 1)).to_json() == (
        '{"invoiceDueDate":"2026-12-01"}'
    )
    assert Session.model_validate({"invoiceDueDate": "2026-12-01"}).invoice_due_date == date(
        2026, 12, 1
    )


# ---------------------------------------------------------------- property tests

_text = st.text(max_size=40)
_contacts = st.builds(
    PaymentContact,
    first_name=st.none() | _text,
    last_name=st.none() | _text,
    company=st.none() | _text,
    city=st.none() | _text,
    phone_number=st.none() | _text,
)
_sessions = st.builds(
    Session,
    reset=st.none() | st.booleans(),
    products=st.none()
    | st.lists(
        st.builds(
            Product,
            path=st.from_regex(r"[a-z0-9][a-z0-9-]{0,20}", fullmatch=True),
            quantity=st.integers(0, 1000),
        ),
        max_size=4,
        unique_by=lambda p: p.path,
    ),
    coupon=st.none() | st.from_regex(r"[A-Z0-9]{0,12}", fullmatch=True),
    payment_contact=st.none() | _contacts,
    tags=st.none()
    | st.dictionaries(
        st.text(min_size=1, max_size=10).filter(lambda k: k != "__proto__"), _text, max_size=3
    ),
    postal_code=st.none() | _text,
    tax_id=st.none() | _text,
)


@settings(max_examples=100, deadline=None)
@given(_sessions)
def test_session_round_trips_through_json(session: Session) -> None:
    text = session.to_json()
    assert Session.from_json(text) == session
    assert Session.model_validate(json.loads(text)) == session
    assert json.loads(text) == session.to_dict()


@settings(max_examples=100, deadline=None)
@given(_sessions)
def test_aliases_round_trip(session: Session) -> None:
    by_name = session.model_dump(exclude_none=True)
    assert Session.model_validate(by_name) == session
