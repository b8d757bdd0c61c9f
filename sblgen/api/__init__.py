"""FastSpring's Sessions API: request/response models and HTTP clients.

The models import nothing heavy; :class:`Client` and :class:`AsyncClient` need httpx (the
``sblgen[api]`` extra) and import it on first use.
"""

from __future__ import annotations

from importlib import import_module
from typing import TYPE_CHECKING, Any

from sblgen.api.models import (
    ApiContact,
    Discount,
    ErrorBody,
    Lookup,
    SessionItem,
    SessionPricing,
    SessionRequest,
    SessionResponse,
)

if TYPE_CHECKING:  # pragma: no cover
    from sblgen.api.client import AsyncClient, Client, error_for_response

__all__ = [
    "ApiContact",
    "AsyncClient",
    "Client",
    "Discount",
    "ErrorBody",
    "Lookup",
    "SessionItem",
    "SessionPricing",
    "SessionRequest",
    "SessionResponse",
    "error_for_response",
]

_CLIENT_NAMES = {"AsyncClient", "Client", "error_for_response"}


def __getattr__(name: str) -> Any:
    if name in _CLIENT_NAMES:
        try:
            module = import_module("sblgen.api.client")
        except ModuleNotFoundError as err:  # pragma: no cover - extra not installed
            raise ImportError(
                "sblgen's Sessions API client needs httpx: pip install 'sblgen[api]'"
            ) from err
        return getattr(module, name)
    raise AttributeError(f"module 'sblgen.api' has no attribute {name!r}")
