"""sblgen: typed builders, secure payloads and safe HTML for FastSpring's Store Builder Library.

>>> import sblgen
>>> sblgen.CheckoutBuilder().product("pro-plan").coupon("WELCOME10").session().to_json()
'{"products":[{"path":"pro-plan","quantity":1}],"coupon":"WELCOME10"}'

Every public name is imported on first use, so ``import sblgen`` is cheap and the heavy
optional parts (cryptography, httpx, Django, Flask) load only when a feature needs them.
"""

from __future__ import annotations

from importlib import import_module
from typing import TYPE_CHECKING, Any

from sblgen._version import __version__

#: Public names, imported on first use: name -> module.
_LAZY: dict[str, str] = {
    "Address": "sblgen.session",
    "CheckoutBuilder": "sblgen.builder",
    "CryptoError": "sblgen.errors",
    "DecryptError": "sblgen.errors",
    "InputFileError": "sblgen.errors",
    "LineItem": "sblgen.builder",
    "PaymentContact": "sblgen.session",
    "Pricing": "sblgen.payload",
    "PrivateKey": "sblgen.crypto",
    "Product": "sblgen.session",
    "PublicCertificate": "sblgen.crypto",
    "Recipient": "sblgen.session",
    "RenderError": "sblgen.errors",
    "SblgenError": "sblgen.errors",
    "SecureContact": "sblgen.payload",
    "SecureItem": "sblgen.payload",
    "SecureKeyError": "sblgen.errors",
    "SecurePayload": "sblgen.payload",
    "SecureRequest": "sblgen.secure",
    "Session": "sblgen.session",
    "StorefrontError": "sblgen.errors",
    "UnsupportedFieldError": "sblgen.errors",
    "check_pair": "sblgen.crypto",
    "decrypt": "sblgen.crypto",
    "encrypt": "sblgen.crypto",
    "encrypt_many": "sblgen.crypto",
    "frozen_today": "sblgen.types",
    "generate_key_pair": "sblgen.crypto",
}

if TYPE_CHECKING:  # pragma: no cover - what type checkers and IDEs see
    from sblgen.builder import CheckoutBuilder, LineItem
    from sblgen.crypto import (
        PrivateKey,
        PublicCertificate,
        check_pair,
        decrypt,
        encrypt,
        encrypt_many,
        generate_key_pair,
    )
    from sblgen.errors import (
        CryptoError,
        DecryptError,
        InputFileError,
        RenderError,
        SblgenError,
        SecureKeyError,
        StorefrontError,
        UnsupportedFieldError,
    )
    from sblgen.payload import Pricing, SecureContact, SecureItem, SecurePayload
    from sblgen.secure import SecureRequest
    from sblgen.session import Address, PaymentContact, Product, Recipient, Session
    from sblgen.types import frozen_today

__all__ = [
    "Address",
    "CheckoutBuilder",
    "CryptoError",
    "DecryptError",
    "InputFileError",
    "LineItem",
    "PaymentContact",
    "Pricing",
    "PrivateKey",
    "Product",
    "PublicCertificate",
    "Recipient",
    "RenderError",
    "SblgenError",
    "SecureContact",
    "SecureItem",
    "SecureKeyError",
    "SecurePayload",
    "SecureRequest",
    "Session",
    "StorefrontError",
    "UnsupportedFieldError",
    "__version__",
    "check_pair",
    "decrypt",
    "encrypt",
    "encrypt_many",
    "frozen_today",
    "generate_key_pair",
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
