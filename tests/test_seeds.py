"""FastSpring's own "Session Objects" examples, reproduced byte for byte from Python."""

from __future__ import annotations

from pathlib import Path

from sblgen import Address, PaymentContact, Product, Recipient, Session
from tests.jsontext import compact_js, object_literal


def _seed(data_dir: Path, name: str) -> str:
    return (data_dir / "seeds" / name).read_text(encoding="utf-8")


def test_fscsession_example_reset_products_coupon(data_dir: Path) -> None:
    expected = compact_js(object_literal(_seed(data_dir, "sbl_fscsession.js")))
    session = Session(
        reset=True,
        products=[Product(path="example-product", quantity=1)],
        coupon="YOUR10OFF",
    )
    assert session.to_json() == expected
    assert Session.from_json(expected) == session


def test_payment_contact_example(data_dir: Path) -> None:
    # The page uses the placeholder "country", which is not an ISO code: "US" on both sides.
    expected = compact_js(_seed(data_dir, "sbl_payment_contact.json")).replace(
        '"country":"country"', '"country":"US"'
    )
    contact = PaymentContact(
        email="email@example.com",
        first_name="firstName",
        last_name="lastName",
        company="company",
        address_line1="addressLine1",
        address_line2="addressLine2",
        city="city",
        region="region",
        country="US",
        postal_code="postalCode",
        phone_number="phoneNumber",
    )
    # The page's "email" placeholder is not an address either.
    expected = expected.replace('"email":"email"', '"email":"email@example.com"')
    assert contact.to_json() == expected
    assert PaymentContact.from_json(expected) == contact


def test_recipient_example(data_dir: Path) -> None:
    # "[email protected]" is a page-scraping artefact standing for an address.
    expected = compact_js(_seed(data_dir, "sbl_recipient.json")).replace(
        "[email protected]", "gift@example.com"
    )
    recipient = Recipient(
        email="gift@example.com",
        first_name="firstName",
        last_name="lastName",
        address=Address(
            address_line1="Address Line 1",
            city="City",
            region="California",
            postal_code="93101",
            country="US",
        ),
        memo="Happy Birthday!",
    )
    assert recipient.to_json() == expected
    assert Recipient.from_json(expected) == recipient
