"""Accounts: the buyer's contact, address and lookup keys, and the ``account.*`` events.

>>> event = AccountCreated(id="e1", type="account.created",
...     data={"id": "a1", "contact": {"email": "ann@example.com"}})
>>> event.data.account_id, event.data.contact.email, event.business_key()
('a1', 'ann@example.com', 'account.created:a1')
"""

from __future__ import annotations

from typing import Literal

from pydantic import AliasChoices, Field

from sblgen._model import ResponseModel
from sblgen.events.base import Event, join_key

__all__ = [
    "Contact",
    "Address",
    "AccountLookup",
    "Account",
    "AccountEvent",
    "AccountCreated",
    "AccountUpdated",
]


class Contact(ResponseModel):
    """A buyer's contact details (``customer`` on orders, ``contact`` on accounts)."""

    first: str | None = None
    last: str | None = None
    email: str | None = None
    company: str | None = None
    phone: str | None = None
    subscribed: bool | None = None


class Address(ResponseModel):
    """A postal address.

    Orders spell the keys ``addressLine1``/``postalCode``; the account events' address keys
    contain spaces (``"address line 1"``, ``"postal code"``, ``"region custom"``). Both
    spellings fill the same fields.

    >>> address = Address.model_validate({"address line 1": "1 Main St", "postal code": "1"})
    >>> address.address_line1, address.postal_code
    ('1 Main St', '1')
    """

    address_line1: str | None = Field(
        None, validation_alias=AliasChoices("addressLine1", "address line 1", "address_line1")
    )
    address_line2: str | None = Field(
        None, validation_alias=AliasChoices("addressLine2", "address line 2", "address_line2")
    )
    city: str | None = None
    region: str | None = None
    region_code: str | None = None
    region_display: str | None = None
    region_custom: str | None = Field(
        None, validation_alias=AliasChoices("regionCustom", "region custom", "region_custom")
    )
    postal_code: str | None = Field(
        None, validation_alias=AliasChoices("postalCode", "postal code", "postal_code")
    )
    country: str | None = None
    display: str | None = None


class AccountLookup(ResponseModel):
    """An account's lookup keys: FastSpring's ``global`` key and your own ``custom`` key."""

    global_: str | None = Field(None, validation_alias=AliasChoices("global", "global_"))
    custom: str | None = None


class Account(ResponseModel):
    """A FastSpring account (``account.created`` / ``account.updated`` data, or an expanded
    ``account`` reference)."""

    id: str | None = None
    account: str | None = None
    contact: Contact | None = None
    address: Address | None = None
    language: str | None = None
    country: str | None = None
    lookup: AccountLookup | None = None
    url: str | None = None
    subscribed: bool | None = None

    @property
    def account_id(self) -> str | None:
        """The account id (``id``, or ``account`` on older payloads)."""
        return self.id or self.account


class AccountEvent(Event):
    """Base of the ``account.*`` events: ``data`` is the :class:`Account`."""

    data: Account


class AccountCreated(AccountEvent):
    """``account.created``: a new account (an unknown email at checkout, or the API).

    Business key: ``account.created:<account id>``.
    """

    event_types = ("account.created",)
    type: Literal["account.created"]

    def business_key(self) -> str | None:
        return join_key(self.type, self.data.account_id)


class AccountUpdated(AccountEvent):
    """``account.updated``: account details changed. No business key: the payload has no
    change time, and an account changes many times."""

    event_types = ("account.updated",)
    type: Literal["account.updated"]
