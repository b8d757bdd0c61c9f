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
    "ApiConnectionError": "sblgen.errors",
    "ApiError": "sblgen.errors",
    "ApiTimeoutError": "sblgen.errors",
    "AuthenticationError": "sblgen.errors",
    "BadRequestError": "sblgen.errors",
    "CheckoutBuilder": "sblgen.builder",
    "ConfigurationError": "sblgen.errors",
    "CryptoError": "sblgen.errors",
    "DecryptError": "sblgen.errors",
    "InputFileError": "sblgen.errors",
    "LOADER_PATH": "sblgen.render",
    "LineItem": "sblgen.builder",
    "NotFoundError": "sblgen.errors",
    "PaymentContact": "sblgen.session",
    "Pricing": "sblgen.payload",
    "PrivateKey": "sblgen.crypto",
    "Product": "sblgen.session",
    "PublicCertificate": "sblgen.crypto",
    "RateLimitError": "sblgen.errors",
    "Recipient": "sblgen.session",
    "RenderError": "sblgen.errors",
    "SblOptions": "sblgen.render",
    "SblgenError": "sblgen.errors",
    "SecureContact": "sblgen.payload",
    "SecureItem": "sblgen.payload",
    "SecureKeyError": "sblgen.errors",
    "SecurePayload": "sblgen.payload",
    "SecureRequest": "sblgen.secure_request",
    "ServerError": "sblgen.errors",
    "Session": "sblgen.session",
    "SessionRequest": "sblgen.api.models",
    "SessionResponse": "sblgen.api.models",
    "SessionWarningError": "sblgen.errors",
    "SiteError": "sblgen.errors",
    "Storefront": "sblgen.storefront",
    "StorefrontError": "sblgen.errors",
    "UNTIL_CANCELLED": "sblgen.payload",
    "UnexpectedResponseError": "sblgen.errors",
    "UnsupportedFieldError": "sblgen.errors",
    "WebhookError": "sblgen.errors",
    "WebhookEvent": "sblgen.webhooks",
    "WebhookPayload": "sblgen.webhooks",
    "WebhookPayloadError": "sblgen.errors",
    "WebhookSignatureError": "sblgen.errors",
    "build_site": "sblgen.site",
    "button": "sblgen.render",
    "buttons": "sblgen.render",
    "check_pair": "sblgen.crypto",
    "decrypt": "sblgen.crypto",
    "embed": "sblgen.render",
    "encrypt": "sblgen.crypto",
    "encrypt_many": "sblgen.crypto",
    "frozen_today": "sblgen.types",
    "generate_key_pair": "sblgen.crypto",
    "html_safe_json": "sblgen.render",
    "loader_js": "sblgen.render",
    "loader_tag": "sblgen.render",
    "push": "sblgen.render",
    "script_tag": "sblgen.render",
    "secure": "sblgen.render",
    "session_init": "sblgen.render",
    "verify_webhook": "sblgen.webhooks",
}

if TYPE_CHECKING:  # pragma: no cover - what type checkers and IDEs see
    from sblgen.api.models import SessionRequest, SessionResponse
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
        ApiConnectionError,
        ApiError,
        ApiTimeoutError,
        AuthenticationError,
        BadRequestError,
        ConfigurationError,
        CryptoError,
        DecryptError,
        InputFileError,
        NotFoundError,
        RateLimitError,
        RenderError,
        SblgenError,
        SecureKeyError,
        ServerError,
        SessionWarningError,
        SiteError,
        StorefrontError,
        UnexpectedResponseError,
        UnsupportedFieldError,
        WebhookError,
        WebhookPayloadError,
        WebhookSignatureError,
    )
    from sblgen.payload import (
        UNTIL_CANCELLED,
        Pricing,
        SecureContact,
        SecureItem,
        SecurePayload,
    )
    from sblgen.render import (
        LOADER_PATH,
        SblOptions,
        button,
        buttons,
        embed,
        html_safe_json,
        loader_js,
        loader_tag,
        push,
        script_tag,
        secure,
        session_init,
    )
    from sblgen.secure_request import SecureRequest
    from sblgen.session import Address, PaymentContact, Product, Recipient, Session
    from sblgen.site import build_site
    from sblgen.storefront import Storefront
    from sblgen.types import frozen_today
    from sblgen.webhooks import WebhookEvent, WebhookPayload, verify_webhook

__all__ = [
    "Address",
    "ApiConnectionError",
    "ApiError",
    "ApiTimeoutError",
    "AuthenticationError",
    "BadRequestError",
    "CheckoutBuilder",
    "ConfigurationError",
    "CryptoError",
    "DecryptError",
    "InputFileError",
    "LOADER_PATH",
    "LineItem",
    "NotFoundError",
    "PaymentContact",
    "Pricing",
    "PrivateKey",
    "Product",
    "PublicCertificate",
    "RateLimitError",
    "Recipient",
    "RenderError",
    "SblOptions",
    "SblgenError",
    "SecureContact",
    "SecureItem",
    "SecureKeyError",
    "SecurePayload",
    "SecureRequest",
    "ServerError",
    "Session",
    "SessionRequest",
    "SessionResponse",
    "SessionWarningError",
    "SiteError",
    "Storefront",
    "StorefrontError",
    "UNTIL_CANCELLED",
    "UnexpectedResponseError",
    "UnsupportedFieldError",
    "WebhookError",
    "WebhookEvent",
    "WebhookPayload",
    "WebhookPayloadError",
    "WebhookSignatureError",
    "__version__",
    "build_site",
    "button",
    "buttons",
    "check_pair",
    "decrypt",
    "embed",
    "encrypt",
    "encrypt_many",
    "frozen_today",
    "generate_key_pair",
    "html_safe_json",
    "loader_js",
    "loader_tag",
    "push",
    "script_tag",
    "secure",
    "session_init",
    "verify_webhook",
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
