"""FastSpring's API: Sessions (request/response data, the retry/error policy, HTTP clients)
and the REST resources (``client.orders``, ``.subscriptions``, ``.accounts``, ``.products``,
``.events``; :func:`confirm_order`, :func:`pull_events`).

Data and IO live apart. Pure data, importing nothing heavy: :mod:`sblgen.api.models` (v1),
:mod:`sblgen.api.v2` (the v2 request bodies, and every v2 name) with
:mod:`sblgen.api.v2_types`, :mod:`sblgen.api.v2_responses` and :mod:`sblgen.api.v2_path`.
IO, which needs httpx (the ``sblgen[api]`` extra) and is imported on first use:
:mod:`sblgen.api.policy` decides retries and errors, :mod:`sblgen.api.oauth` gets OAuth2
tokens, :mod:`sblgen.api.client` (:class:`Client`, :class:`AsyncClient`) and
:mod:`sblgen.api.checkout_sessions` (the v2 handles) do the HTTP.
"""

from __future__ import annotations

from importlib import import_module
from typing import TYPE_CHECKING, Any

from sblgen.api import models
from sblgen.api.models import *  # noqa: F403  (the v1 data: every name in models.__all__)

if TYPE_CHECKING:  # pragma: no cover
    from sblgen.api.accounts_models import Account as Account
    from sblgen.api.accounts_models import AccountCreate as AccountCreate
    from sblgen.api.accounts_models import AccountUpdate as AccountUpdate
    from sblgen.api.client import AsyncClient as AsyncClient
    from sblgen.api.client import Client as Client
    from sblgen.api.confirm import ConfirmedOrder as ConfirmedOrder
    from sblgen.api.confirm import OrderConfirmationError as OrderConfirmationError
    from sblgen.api.confirm import confirm_order as confirm_order
    from sblgen.api.confirm import confirm_order_async as confirm_order_async
    from sblgen.api.events_api import PullResult as PullResult
    from sblgen.api.events_api import pull_events as pull_events
    from sblgen.api.events_api import pull_events_async as pull_events_async
    from sblgen.api.events_models import ApiEvent as ApiEvent
    from sblgen.api.orders_models import Order as Order
    from sblgen.api.orders_models import OrderItem as OrderItem
    from sblgen.api.policy import error_for_response as error_for_response
    from sblgen.api.products_models import CountryPrice as CountryPrice
    from sblgen.api.products_models import ProductPrice as ProductPrice
    from sblgen.api.subscriptions_models import ProrationEstimate as ProrationEstimate
    from sblgen.api.subscriptions_models import Subscription as Subscription
    from sblgen.api.subscriptions_models import SubscriptionResult as SubscriptionResult

#: Module -> the names imported from it on first use (the clients need httpx; the REST
#: resource models are plain data, loaded when first named).
_LAZY_MODULES: dict[str, tuple[str, ...]] = {
    "sblgen.api.client": ("AsyncClient", "Client"),
    "sblgen.api.policy": ("error_for_response",),
    "sblgen.api.confirm": (
        "ConfirmedOrder",
        "OrderConfirmationError",
        "confirm_order",
        "confirm_order_async",
    ),
    "sblgen.api.events_api": ("PullResult", "pull_events", "pull_events_async"),
    "sblgen.api.orders_models": ("Order", "OrderItem"),
    "sblgen.api.subscriptions_models": ("ProrationEstimate", "Subscription", "SubscriptionResult"),
    "sblgen.api.accounts_models": ("Account", "AccountCreate", "AccountUpdate"),
    "sblgen.api.products_models": ("CountryPrice", "ProductPrice"),
    "sblgen.api.events_models": ("ApiEvent",),
}
_LAZY = {name: module for module, names in _LAZY_MODULES.items() for name in names}

__all__ = sorted([*models.__all__, *_LAZY])


def __getattr__(name: str) -> Any:
    module_name = _LAZY.get(name)
    if module_name is None:
        raise AttributeError(f"module 'sblgen.api' has no attribute {name!r}")
    try:
        module = import_module(module_name)
    except ModuleNotFoundError as err:  # pragma: no cover - extra not installed
        if err.name != "httpx":
            raise
        raise ImportError(
            "sblgen's Sessions API client needs httpx: pip install 'sblgen[api]'"
        ) from None
    value = getattr(module, name)
    globals()[name] = value
    return value
