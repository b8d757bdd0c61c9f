"""sblgen: typed builders, secure payloads and safe HTML for FastSpring's Store Builder Library.

>>> import sblgen
>>> sblgen.CheckoutBuilder().product("pro-plan").coupon("WELCOME10").session().to_json()
'{"products":[{"path":"pro-plan","quantity":1}],"coupon":"WELCOME10"}'

Heavy optional parts (cryptography, httpx) are imported only when first used.
"""

from __future__ import annotations

from importlib import import_module
from importlib.metadata import PackageNotFoundError, version
from typing import TYPE_CHECKING, Any

from sblgen.builder import CheckoutBuilder, LineItem
from sblgen.errors import (
    InputFileError,
    RenderError,
    SblgenError,
    StorefrontError,
    UnsupportedFieldError,
)
from sblgen.secure import SecureRequest
from sblgen.session import Address, PaymentContact, Product, Recipient, Session
from sblgen.types import frozen_today

try:
    __version__ = version("sblgen")
except PackageNotFoundError:  # pragma: no cover - running from a source tree
    __version__ = "0+unknown"

#: Public names imported on first use: name -> module.
_LAZY: dict[str, str] = {}

if TYPE_CHECKING:  # pragma: no cover
    pass

__all__ = [
    "Address",
    "CheckoutBuilder",
    "InputFileError",
    "LineItem",
    "PaymentContact",
    "Product",
    "Recipient",
    "RenderError",
    "SblgenError",
    "SecureRequest",
    "Session",
    "StorefrontError",
    "UnsupportedFieldError",
    "__version__",
    "frozen_today",
]


def __getattr__(name: str) -> Any:
    module = _LAZY.get(name)
    if module is None:
        raise AttributeError(f"module 'sblgen' has no attribute {name!r}")
    value = getattr(import_module(module), name)
    globals()[name] = value
    return value


def __dir__() -> list[str]:
    return sorted(set(globals()) | set(_LAZY))
