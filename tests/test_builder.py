"""CheckoutBuilder: one description, emitted as a session object; refusals name the target."""

from __future__ import annotations

from datetime import date

import pytest
from pydantic import ValidationError

from sblgen import CheckoutBuilder, Session, UnsupportedFieldError

SESSION_ID = "Xy12AbCdEf34GhIj"


def test_full_description_to_session() -> None:
    builder = (
        CheckoutBuilder()
        .reset()
        .product("pro-plan", 2)
        .product("addon", 0)
        .coupon("WELCOME10")
        .contact(email="ann@example.com", first_name="Ann", last_name="Lee", country="de")
        .recipient(first_name="Bo", address={"city": "Oslo"}, memo="Hi")
        .country("DE")
        .language("de")
        .postal_code("10115")
        .tax_id("DE123456789")
        .tags({"a": "1"})
        .tag("b", "2")
        .tag("a", "3")
        .payment_method("paypal", hide_others=True)
        .invoice_due_date("2027-01-01")
        .checkout(clean=True)
    )
    session = builder.session()
    assert session.to_dict() == {
        "reset": True,
        "products": [{"path": "pro-plan", "quantity": 2}, {"path": "addon", "quantity": 0}],
        "coupon": "WELCOME10",
        "paymentContact": {
            "email": "ann@example.com",
            "firstName": "Ann",
            "lastName": "Lee",
            "country": "DE",
        },
        "recipient": {"firstName": "Bo", "address": {"city": "Oslo"}, "memo": "Hi"},
        "country": "DE",
        "language": "de",
        "postalCode": "10115",
        "taxId": "DE123456789",
        "tags": {"b": "2", "a": "3"},
        "paymentMethod": "paypal",
        "hideOtherPaymentMethods": True,
        "invoiceDueDate": "2027-01-01",
        "checkout": True,
        "clean": True,
    }


def test_builder_is_immutable() -> None:
    base = CheckoutBuilder().product("a")
    one = base.coupon("X")
    two = base.coupon("Y")
    assert base.session().coupon is None
    assert (one.session().coupon, two.session().coupon) == ("X", "Y")
    assert "items" in repr(base)
    assert repr(CheckoutBuilder()) == "CheckoutBuilder(empty)"


@pytest.mark.parametrize(
    ("kwargs", "field"),
    [
        ({"price": {"USD": 5}}, "price override"),
        ({"attributes": {"k": "v"}}, "attributes"),
        ({"trial": 14}, "trial"),
        ({"interval": "month", "interval_length": 1}, "interval, interval_length"),
        ({"renew": "auto"}, "renew"),
        ({"quantity_behavior": "lock"}, "quantity_behavior"),
        ({"quantity_default": 2}, "quantity_default"),
        ({"display": {"en": "Pro"}}, "display"),
        ({"sku": "SKU1"}, "sku"),
    ],
)
def test_session_refuses_what_it_cannot_carry(kwargs: dict[str, object], field: str) -> None:
    builder = CheckoutBuilder().product("pro-plan", **kwargs)  # type: ignore[arg-type]
    with pytest.raises(UnsupportedFieldError) as exc:
        builder.session()
    assert exc.value.target == "Session (SBL session object)"
    assert field in str(exc.value)
    assert "'pro-plan'" in str(exc.value)


def test_session_refuses_account_id() -> None:
    with pytest.raises(UnsupportedFieldError, match="account id"):
        CheckoutBuilder().account("uKj7izONRfanVwBL9eiG_A").session()


def test_validation_errors_surface_with_locations() -> None:
    with pytest.raises(ValidationError) as exc:
        CheckoutBuilder().product("bad path").country("XX").session()
    locs = {".".join(str(p) for p in e["loc"]) for e in exc.value.errors()}
    assert locs == {"products.0.path", "country"}


def test_checkout_by_session_id() -> None:
    assert CheckoutBuilder().checkout(SESSION_ID).session() == Session(checkout=SESSION_ID)
    with pytest.raises(ValidationError, match="ignores every other field"):
        CheckoutBuilder().checkout(SESSION_ID).coupon("X").session()
    kept = CheckoutBuilder().checkout(SESSION_ID).coupon("X").session(allow_ignored_fields=True)
    assert kept.to_dict() == {"coupon": "X", "checkout": SESSION_ID}


def test_invoice_due_date_as_date() -> None:
    session = CheckoutBuilder().invoice_due_date(date(2027, 3, 1)).session()
    assert session.to_dict() == {"invoiceDueDate": "2027-03-01"}
