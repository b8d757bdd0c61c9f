"""Accounts: ``client.accounts`` (:class:`Accounts`) and ``async_client.accounts``
(:class:`AsyncAccounts`).

>>> from sblgen.api import Client
>>> client = Client(username="u", password="p", base_url="http://127.0.0.1:9")
>>> client.accounts.lookup(email="ada@example.com", custom="user-42")
Traceback (most recent call last):
ValueError: Give exactly one of email= or custom= (FastSpring takes one condition per lookup).

``get``, ``lookup`` and ``management_url`` are reads and retried like reads; ``create`` and
``update`` are never sent twice.

The account-management URL logs the buyer straight into FastSpring's account portal.
How long it stays valid, and whether it works more than once, is not documented. So
:meth:`Accounts.management_url` asks FastSpring for a fresh one on every call and sblgen
never caches it: fetch it when the buyer clicks "manage subscription" and redirect at once;
never store it, log it or put it in an email.

Assumptions where FastSpring's documentation is unconfirmed:

- ``GET /accounts/{id}`` answers with an ``accounts`` list even for one id; a bare account
  object is accepted too.
- A lookup answers with account ids (``[{"account": id}]``); full objects in the list are
  read for their id.
- Error statuses are not confirmed (one spec gives 500 for a missing account): a
  ``result: error`` saying the account is not found raises
  :class:`~sblgen.errors.NotFoundError` whatever the status.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any
from urllib.parse import urlencode

import httpx

from sblgen._model import as_model
from sblgen.api.accounts_models import Account, AccountCreate, AccountUpdate
from sblgen.api.calls import (
    AsyncHandle,
    Call,
    Op,
    SyncHandle,
    model_parser,
    one_call,
    operation,
    parse_json,
    perform,
)
from sblgen.api.policy import unexpected_body
from sblgen.api.resource_data import ref_id, resource_id

__all__ = ["SUBSCRIPTIONS_TAB", "Accounts", "AsyncAccounts", "account_path", "lookup_query"]

#: Appended to the management URL to open the Subscriptions tab instead of Orders.
SUBSCRIPTIONS_TAB = "#/subscriptions"


def account_path(account_id: str) -> str:
    """The URL path of one account (a single id)."""
    return f"/accounts/{resource_id(account_id, 'account id')}"


def _account_id(account: Account) -> str | None:
    return account.account_id


_parse_account = model_parser(Account, unwrap="accounts", key=_account_id)


def _parse_ids(method: str, url: str, response: httpx.Response) -> tuple[str, ...]:
    data = parse_json(method, url, response)
    items = data.get("accounts") if isinstance(data, dict) else None
    if not isinstance(items, list):
        raise unexpected_body(method, url, response, "the body has no 'accounts' list")
    ids = (ref_id(item, "account", "id") for item in items)
    return tuple(i for i in ids if i)


def _first_account(data: Any) -> Any:
    """The first item of an ``accounts`` list, or the body itself."""
    if isinstance(data, dict) and isinstance(data.get("accounts"), list) and data["accounts"]:
        return data["accounts"][0]
    return data


def _parse_account_id(method: str, url: str, response: httpx.Response) -> str | None:
    data = _first_account(parse_json(method, url, response))
    return ref_id(data.get("account") if isinstance(data, dict) else None, "account", "id")


def _parse_created(method: str, url: str, response: httpx.Response) -> str:
    found = _parse_account_id(method, url, response)
    if found is None:
        raise unexpected_body(method, url, response, "the body names no account id")
    return found


def _parse_url(method: str, url: str, response: httpx.Response) -> str:
    data = _first_account(parse_json(method, url, response))
    found = data.get("url") if isinstance(data, dict) else None
    if not (isinstance(found, str) and found.startswith(("https://", "http://"))):
        raise unexpected_body(method, url, response, "the body has no management 'url'")
    return found


def lookup_query(email: str | None, custom: str | None) -> str:
    """The query of an account lookup: exactly one condition."""
    if (email is None) == (custom is None):
        raise ValueError(
            "Give exactly one of email= or custom= (FastSpring takes one condition per lookup)."
        )
    name, value = ("email", email) if email is not None else ("custom", custom)
    if not isinstance(value, str) or not value.strip():
        raise ValueError(f"{name}={value!r}: give a non-empty string.")
    return urlencode({name: value})


def _body(model: AccountCreate | AccountUpdate) -> bytes:
    return model.to_json().encode("utf-8")


class _AccountCalls:
    """The account operations, written once for both clients."""

    @one_call
    def get(self, account_id: str) -> Call[Account]:
        """``GET /accounts/{id}``: one account, with its order and subscription ids."""
        return Call("GET", account_path(account_id), None, True, _parse_account)

    @one_call
    def lookup(
        self, *, email: str | None = None, custom: str | None = None
    ) -> Call[tuple[str, ...]]:
        """``GET /accounts?email=`` or ``?custom=``: the ids of the accounts with that
        email address, or with your own key (``lookup.custom``); empty when none."""
        query = lookup_query(email, custom)
        return Call("GET", f"/accounts?{query}", None, True, _parse_ids)

    @one_call
    def create(self, account: AccountCreate | Mapping[str, Any]) -> Call[str]:
        """``POST /accounts``: create an account; returns its id. An email FastSpring
        already knows raises :class:`~sblgen.errors.BadRequestError` whose ``params``
        are ``{"email": "email already exists, ..."}`` (look it up by email instead)."""
        body = _body(as_model(account, AccountCreate))
        return Call("POST", "/accounts", body, False, _parse_created)

    @operation
    def update(self, account_id: str, changes: AccountUpdate | Mapping[str, Any]) -> Op[str]:
        """``POST /accounts/{id}``: change the fields given; returns the account id."""
        path = account_path(account_id)
        body = _body(as_model(changes, AccountUpdate))
        found = yield from perform(Call("POST", path, body, False, _parse_account_id))
        return found or account_id

    @operation
    def management_url(self, account_id: str, *, subscriptions: bool = False) -> Op[str]:
        """``GET /accounts/{id}/authenticate``: a fresh URL that signs the buyer into the
        account portal (its Orders tab; with ``subscriptions=True`` the Subscriptions tab).
        Fetch it per click and redirect at once: its lifetime is undocumented."""
        path = f"{account_path(account_id)}/authenticate"
        url = yield from perform(Call("GET", path, None, True, _parse_url))
        return url + SUBSCRIPTIONS_TAB if subscriptions else url


class Accounts(SyncHandle, _AccountCalls):
    """Accounts on a :class:`~sblgen.api.Client`."""


class AsyncAccounts(AsyncHandle, _AccountCalls):
    """Accounts on an :class:`~sblgen.api.AsyncClient` (same methods, awaited)."""
