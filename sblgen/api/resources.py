"""The REST resources of :class:`~sblgen.api.Client` and :class:`~sblgen.api.AsyncClient`:
``client.orders``, ``.subscriptions``, ``.accounts``, ``.products`` and ``.events``.

Each property returns a small handle that sends through the client (its credentials,
retries and error mapping); handles hold nothing else, so take one whenever you need it.

FastSpring documents HTTP Basic alone for these endpoints, so a client made with OAuth2
client credentials refuses them (:data:`RESOURCES_NEED_BASIC`) before anything is sent.

>>> from sblgen.api import Client
>>> with Client(username="u", password="p", base_url="http://127.0.0.1:9") as client:
...     type(client.orders).__name__, type(client.events).__name__
('Orders', 'Events')
"""

from __future__ import annotations

from sblgen.api.accounts import Accounts, AsyncAccounts
from sblgen.api.checkout_sessions import AsyncSendRequest, Sender, SendRequest
from sblgen.api.events_api import AsyncEvents, Events
from sblgen.api.orders import AsyncOrders, Orders
from sblgen.api.products import AsyncProducts, Products
from sblgen.api.subscriptions import AsyncSubscriptions, Subscriptions

__all__ = ["RESOURCES_NEED_BASIC", "AsyncClientResources", "ClientResources"]

#: Why a client with OAuth2 credentials has no REST resources.
RESOURCES_NEED_BASIC = (
    "Orders, subscriptions, accounts, prices and events document HTTP Basic only; make the "
    "Client with username= and password= (Developer Tools > APIs > API Credentials) for them "
    "(OAuth2 client credentials work with Sessions v2: client.checkout(...))."
)


class ClientResources:
    """The resource properties of :class:`~sblgen.api.Client`."""

    def _resource_sender(self) -> Sender[SendRequest]:  # pragma: no cover - the client's
        raise NotImplementedError

    @property
    def orders(self) -> Orders:
        """Orders: ``get(id)``, ``list(begin, end, scope=...)``."""
        return Orders(self._resource_sender())

    @property
    def subscriptions(self) -> Subscriptions:
        """Subscriptions: ``get``, ``cancel``, ``uncancel``, ``pause``, ``resume``,
        ``change``, ``estimate``."""
        return Subscriptions(self._resource_sender())

    @property
    def accounts(self) -> Accounts:
        """Accounts: ``get``, ``lookup``, ``create``, ``update``, ``management_url``."""
        return Accounts(self._resource_sender())

    @property
    def products(self) -> Products:
        """Localized prices: ``prices(country=...)``, ``price(product, country=...)``."""
        return Products(self._resource_sender())

    @property
    def events(self) -> Events:
        """The events API: ``unprocessed``, ``processed``, ``mark_processed``, ``pull``."""
        return Events(self._resource_sender())


class AsyncClientResources:
    """The resource properties of :class:`~sblgen.api.AsyncClient` (the same as
    :class:`ClientResources`, with awaitable methods)."""

    def _resource_sender(self) -> Sender[AsyncSendRequest]:  # pragma: no cover
        raise NotImplementedError

    @property
    def orders(self) -> AsyncOrders:
        """Orders (see :attr:`ClientResources.orders`)."""
        return AsyncOrders(self._resource_sender())

    @property
    def subscriptions(self) -> AsyncSubscriptions:
        """Subscriptions (see :attr:`ClientResources.subscriptions`)."""
        return AsyncSubscriptions(self._resource_sender())

    @property
    def accounts(self) -> AsyncAccounts:
        """Accounts (see :attr:`ClientResources.accounts`)."""
        return AsyncAccounts(self._resource_sender())

    @property
    def products(self) -> AsyncProducts:
        """Localized prices (see :attr:`ClientResources.products`)."""
        return AsyncProducts(self._resource_sender())

    @property
    def events(self) -> AsyncEvents:
        """The events API (see :attr:`ClientResources.events`)."""
        return AsyncEvents(self._resource_sender())
