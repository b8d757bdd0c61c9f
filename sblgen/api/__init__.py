"""FastSpring's Sessions API: request/response data, the retry/error policy, HTTP clients.

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
    from sblgen.api.client import AsyncClient as AsyncClient
    from sblgen.api.client import Client as Client
    from sblgen.api.policy import error_for_response as error_for_response

#: Module -> the names imported from it on first use (they need httpx).
_LAZY_MODULES: dict[str, tuple[str, ...]] = {
    "sblgen.api.client": ("AsyncClient", "Client"),
    "sblgen.api.policy": ("error_for_response",),
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
