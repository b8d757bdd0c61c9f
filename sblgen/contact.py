"""The people in a purchase: the buyer (``paymentContact``) and a gift ``recipient``.

Shared by the session object and the secure payload (whose ``contact`` locks the same
fields), so both modules import them from here.

>>> Recipient(email="bo@example.com", address=Address(country="us")).to_dict()
{'email': 'bo@example.com', 'address': {'country': 'US'}}
"""

from __future__ import annotations

from sblgen._model import WireModel
from sblgen.types import CountryCode, Email, Text

__all__ = ["Address", "PaymentContact", "Recipient"]


class PaymentContact(WireModel):
    """Buyer details prefilled in checkout; the buyer can still edit them.

    >>> PaymentContact(email="ann@example.com", first_name="Ann").to_dict()
    {'email': 'ann@example.com', 'firstName': 'Ann'}
    """

    email: Email | None = None
    first_name: Text | None = None
    last_name: Text | None = None
    company: Text | None = None
    address_line1: Text | None = None
    address_line2: Text | None = None
    city: Text | None = None
    region: Text | None = None
    country: CountryCode | None = None
    postal_code: Text | None = None
    phone_number: Text | None = None


class Address(WireModel):
    """A gift recipient's postal address (``recipient.address``).

    >>> Address(city="Santa Barbara", country="US").to_dict()
    {'city': 'Santa Barbara', 'country': 'US'}
    """

    address_line1: Text | None = None
    address_line2: Text | None = None
    city: Text | None = None
    region: Text | None = None
    postal_code: Text | None = None
    country: CountryCode | None = None


class Recipient(WireModel):
    """A gift recipient; sending one ticks "this is a gift" in checkout (buyer-editable).

    >>> Recipient(email="bo@example.com", memo="Happy Birthday!").to_dict()
    {'email': 'bo@example.com', 'memo': 'Happy Birthday!'}
    """

    email: Email | None = None
    first_name: Text | None = None
    last_name: Text | None = None
    company: Text | None = None
    phone_number: Text | None = None
    address: Address | None = None
    memo: Text | None = None
