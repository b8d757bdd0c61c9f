"""Account events: the contact, both address spellings, the lookup keys."""

from __future__ import annotations

from sblgen.events import AccountCreated
from tests.webhook_apps import example_events


def test_accounts() -> None:
    account = example_events()["account.created"]
    assert isinstance(account, AccountCreated)
    assert account.data.account_id == "N8FjcSWcQNeYCc-suM1O8g"
    assert account.data.contact is not None and account.data.contact.subscribed is True
    address = account.data.address
    assert address is not None
    assert (address.address_line1, address.postal_code) == ("1 Main St", "93101")  # spaced keys
    assert account.data.lookup is not None
    assert (account.data.lookup.global_, account.data.lookup.custom) == (
        "TVgVGdPBTqeHNBH6LO3f3g",
        "user-42",
    )
