"""FastSpring accounts: the account object, and the bodies that create or update one.

Response models keep fields sblgen does not know (``model_extra``); request models refuse
them, so a typo never disappears silently.

>>> account = Account.model_validate({"id": "N8FjcSWcQNeYCc-suM1O8g",
...     "account": "N8FjcSWcQNeYCc-suM1O8g", "contact": {"first": "Ada", "last": "Lovelace",
...     "email": "ada@example.com"}, "lookup": {"global": "TVW4dM8yQ", "custom": "user-42"},
...     "subscriptions": ["sub1"], "action": "account.get", "result": "success"})
>>> account.account_id, account.email, account.custom_key, account.subscriptions
('N8FjcSWcQNeYCc-suM1O8g', 'ada@example.com', 'user-42', ('sub1',))
>>> AccountCreate(contact={"first": "Ada", "last": "Lovelace", "email": "ada@example.com"},
...               lookup={"custom": "user-42"}, country="GB").to_json()
'{"contact":{"first":"Ada","last":"Lovelace","email":"ada@example.com"},"country":"GB","lookup":{"custom":"user-42"}}'
"""

from __future__ import annotations

from typing import Annotated, Any

from pydantic import BeforeValidator, Field, model_validator

from sblgen._model import ResponseModel, WireModel
from sblgen.api.models import Lookup
from sblgen.api.resource_data import Items, ResultFields, ref_id
from sblgen.types import CountryCode, Email, LanguageCode

__all__ = [
    "Account",
    "AccountAddress",
    "AccountAddressFields",
    "AccountContact",
    "AccountContactFields",
    "AccountContactUpdate",
    "AccountCreate",
    "AccountLookup",
    "AccountUpdate",
]

#: FastSpring stores text fields as at most 255 characters.
Text255 = Annotated[str, Field(min_length=1, max_length=255)]


def _ids(value: object) -> object:
    """A list of ids, where an entry may also be an object holding the id."""
    if value is None:
        return ()
    if not isinstance(value, list | tuple):
        return value
    ids = [ref_id(item, "id", "order", "subscription", "account") for item in value]
    return tuple(i for i in ids if i is not None)


#: The keys of the ``account.*`` webhook examples, which spell the address with spaces.
_SPACED_ADDRESS_KEYS = {
    "address line 1": "addressLine1",
    "address line 2": "addressLine2",
    "postal code": "postalCode",
    "region custom": "regionCustom",
}


class AccountContact(ResponseModel):
    """The account's contact as FastSpring returns it."""

    first: str | None = None
    last: str | None = None
    email: str | None = None
    company: str | None = None
    phone: str | None = None
    subscribed: bool | None = None


class AccountAddress(ResponseModel):
    """The account's address. Also read from the ``account.*`` webhook spelling, whose keys
    contain spaces (``"address line 1"``, ``"postal code"``).

    >>> address = AccountAddress.model_validate({"address line 1": "1 Main St", "postal code": "9"})
    >>> address.address_line1, address.postal_code
    ('1 Main St', '9')
    """

    address_line1: str | None = None
    address_line2: str | None = None
    city: str | None = None
    region: str | None = None
    postal_code: str | None = None
    country: str | None = None

    @model_validator(mode="before")
    @classmethod
    def _spaced_keys(cls, data: Any) -> Any:
        if isinstance(data, dict) and any(key in data for key in _SPACED_ADDRESS_KEYS):
            return {_SPACED_ADDRESS_KEYS.get(key, key): value for key, value in data.items()}
        return data


class AccountLookup(ResponseModel):
    """``lookup``: FastSpring's own ``global`` key and your ``custom`` key."""

    global_: str | None = Field(default=None, alias="global")
    custom: str | None = None


class Account(ResultFields):
    """One FastSpring account (``GET /accounts/{id}``, or an expanded ``account`` inside an
    order or subscription). ``orders`` and ``subscriptions`` are ids."""

    id: str | None = None
    account: str | None = None
    contact: AccountContact | None = None
    address: AccountAddress | None = None
    language: str | None = None
    country: str | None = None
    lookup: AccountLookup | None = None
    url: str | None = None
    payment: dict[str, Any] | None = None
    orders: Annotated[tuple[str, ...], BeforeValidator(_ids)] = ()
    subscriptions: Annotated[tuple[str, ...], BeforeValidator(_ids)] = ()
    charges: Items[dict[str, Any]] = ()
    subscribed: bool | None = None

    @property
    def account_id(self) -> str | None:
        """The account id (``account``, or the older ``id``)."""
        return self.account or self.id

    @property
    def email(self) -> str | None:
        """The contact's email address."""
        return self.contact.email if self.contact else None

    @property
    def custom_key(self) -> str | None:
        """Your own key for this account (``lookup.custom``)."""
        return self.lookup.custom if self.lookup else None


# --------------------------------------------------------------------------- requests


class AccountContactFields(WireModel):
    """The contact of a new account: ``first``, ``last`` and ``email`` are required."""

    first: Text255
    last: Text255
    email: Annotated[Email, Field(max_length=255)]
    company: Text255 | None = None
    phone: Text255 | None = None


class AccountContactUpdate(WireModel):
    """Contact fields to change on an existing account; unset ones are left as they are."""

    first: Text255 | None = None
    last: Text255 | None = None
    email: Annotated[Email, Field(max_length=255)] | None = None
    company: Text255 | None = None
    phone: Text255 | None = None


class AccountAddressFields(WireModel):
    """An address to store on the account."""

    address_line1: Text255 | None = None
    address_line2: Text255 | None = None
    city: Text255 | None = None
    region: Text255 | None = None
    postal_code: Text255 | None = None


class AccountCreate(WireModel):
    """The body of ``POST /accounts``. ``lookup.custom`` ties the account to your own user
    id, so you can find it later (:meth:`Accounts.lookup <sblgen.api.accounts.Accounts.lookup>`).
    """

    contact: AccountContactFields
    language: LanguageCode | None = None
    country: CountryCode | None = None
    lookup: Lookup | None = None
    address: AccountAddressFields | None = None


class AccountUpdate(WireModel):
    """The body of ``POST /accounts/{id}``: only the fields given are sent.

    >>> AccountUpdate(contact={"phone": "+44 20 7946 0000"}).to_json()
    '{"contact":{"phone":"+44 20 7946 0000"}}'
    >>> AccountUpdate()
    Traceback (most recent call last):
    pydantic_core._pydantic_core.ValidationError: 1 validation error for AccountUpdate
    ...
    """

    contact: AccountContactUpdate | None = None
    language: LanguageCode | None = None
    country: CountryCode | None = None
    lookup: Lookup | None = None
    address: AccountAddressFields | None = None

    @model_validator(mode="after")
    def _something(self) -> AccountUpdate:
        if not self.to_dict():
            raise ValueError("Give at least one field to change (contact, language, ...).")
        return self
