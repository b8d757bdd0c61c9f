"""sblgen.contact: the buyer and the gift recipient, shared by the session and the secure
payload."""

from __future__ import annotations

import pytest
from pydantic import ValidationError

from sblgen import Address, PaymentContact, Recipient, SecureContact
from sblgen import contact as contact_module


def test_one_definition_shared_by_session_and_payload() -> None:
    """The session module and the payload reuse the contact models; nothing is defined twice."""
    from sblgen import payload, session

    assert session.PaymentContact is contact_module.PaymentContact
    assert payload.SecureContact.__mro__[1] is contact_module.PaymentContact
    assert issubclass(SecureContact, PaymentContact)


def test_codes_are_normalised_and_email_checked() -> None:
    assert PaymentContact(country="de").to_dict() == {"country": "DE"}
    assert Recipient(address=Address(country="us")).to_dict() == {"address": {"country": "US"}}
    with pytest.raises(ValidationError, match="email"):
        PaymentContact(email="not-an-address")
    with pytest.raises(ValidationError, match="ISO 3166-1"):
        Address(country="XX")


def test_camel_case_wire_names() -> None:
    contact = PaymentContact.model_validate(
        {"firstName": "Ann", "addressLine1": "1 Main St", "phoneNumber": "+1 555"}
    )
    assert contact.to_dict() == {
        "firstName": "Ann",
        "addressLine1": "1 Main St",
        "phoneNumber": "+1 555",
    }


@pytest.mark.parametrize("cls", [PaymentContact, Address, Recipient])
def test_unknown_fields_are_refused(cls: type[PaymentContact | Address | Recipient]) -> None:
    with pytest.raises(ValidationError):
        cls.model_validate({"nickname": "x"})
