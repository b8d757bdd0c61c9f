"""A session with the same (possibly hostile) text in every free-text field."""

from __future__ import annotations

from sblgen import Address, PaymentContact, Recipient, Session


def hostile_session(text: str, key: str) -> Session:
    """``text`` in every string field a seller may fill from user input, ``key`` as a tag
    name (with ``text`` as its value)."""
    return Session(
        payment_contact=PaymentContact(
            first_name=text,
            last_name=text,
            company=text,
            address_line1=text,
            address_line2=text,
            city=text,
            region=text,
            postal_code=text,
            phone_number=text,
        ),
        recipient=Recipient(
            first_name=text,
            last_name=text,
            company=text,
            phone_number=text,
            memo=text,
            address=Address(
                address_line1=text, address_line2=text, city=text, region=text, postal_code=text
            ),
        ),
        postal_code=text,
        tax_id=text,
        tags={key: text, "k": text},
    )
