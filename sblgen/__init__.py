"""sblgen: typed builders, secure payloads and safe HTML for FastSpring's Store Builder Library.

>>> import sblgen
>>> sblgen.CheckoutBuilder().product("pro-plan").coupon("WELCOME10").session().to_json()
'{"products":[{"path":"pro-plan","quantity":1}],"coupon":"WELCOME10"}'

Every public name is imported on first use, so ``import sblgen`` is cheap and the heavy
optional parts (cryptography, httpx, Django, Flask) load only when a feature needs them.

Layers
------

Data flows one way, and the imports follow it: a module imports only from its own layer or
the layers below. ``lint-imports`` (run by ``make lint``) checks this map against the
contracts in ``pyproject.toml``; a change to one is a change to the other.

::

    face       cli, _cli/                       parse arguments, call the API, print
    testing    testing/                         a fake FastSpring for your tests (it may use
               (for tests only)                 io and adapters; no sblgen module imports it)
    adapters   integrations/ (jinja, django,    the library in someone else's frame:
               flask), site/, preview           templates, static sites, a preview server
    render     render, actions, display,        models -> Markup; no HTTP, no files
               confirm_snippet, escape,
               _templates, _checks, helpers
      | io     api.client, api.policy,          HTTP, key files, process pools, folders
               api.checkout_sessions,           (render and io are siblings: neither
               api.{oauth, calls, resources,    imports the other); events/: webhook
               orders, subscriptions, accounts,
               products, events_api, confirm},
               keygen, batch,
               _parallel, _files, events/       dispatch, de-duplication stores, receiver,
                                                the frameworks' shared endpoint
    crypto     crypto                           keys, encrypt/decrypt; no files, no pools
    models     builder, _targets,               pure data: typed value types and wire
               _description; session, payload,  models, what FastSpring reads and sends;
               secure_request, contact, csp,
               storefront, options, webhooks,   no renderer, no HTTP, no CLI, no IO
               events.{base, accounts, orders,
               subscriptions, charges, returns,
               bounds, parsing}, api.models,
               api.v2*, api.*_models; types,
               codes, dates; _model, _suggest,
               _value, errors

A response model is data: turning it into HTML is :mod:`sblgen.render`'s job
(:func:`~sblgen.render.checkout_snippet`), fetching it is :mod:`sblgen.api.client`'s.
"""

from __future__ import annotations

from importlib import import_module
from typing import TYPE_CHECKING, Any

from sblgen._version import __version__ as __version__

#: Module -> the public names it defines, imported on first use. Each name is written once
#: here; a test checks that the type checkers' imports below name the same modules.
_PUBLIC: dict[str, tuple[str, ...]] = {
    "sblgen.actions": ("button", "buttons"),
    "sblgen.api.models": ("SessionRequest", "SessionResponse"),
    "sblgen.batch": ("encrypt_many",),
    "sblgen.builder": ("CheckoutBuilder", "LineItem"),
    "sblgen.contact": ("Address", "PaymentContact", "Recipient"),
    "sblgen.crypto": ("PrivateKey", "PublicCertificate", "check_pair", "decrypt", "encrypt"),
    "sblgen.csp": ("content_security_policy",),
    "sblgen.dates": ("frozen_today",),
    "sblgen.display": (
        "item_attributes",
        "item_description",
        "item_discount",
        "item_display",
        "item_image",
        "item_link",
        "item_price",
        "item_price_total",
        "item_quantity",
        "item_selected",
        "item_total",
        "item_value",
        "order_attributes",
        "order_discount",
        "order_promocode",
        "order_selections",
        "order_total",
        "order_value",
        "paypal_available",
        "tax_exemption_allowed",
    ),
    "sblgen.errors": (
        "ApiConnectionError",
        "ApiError",
        "ApiTimeoutError",
        "AuthenticationError",
        "BadRequestError",
        "ConfigurationError",
        "CryptoError",
        "DecryptError",
        "InputFileError",
        "NotFoundError",
        "RateLimitError",
        "RenderError",
        "SblgenError",
        "SecureKeyError",
        "ServerError",
        "SessionWarningError",
        "SiteError",
        "StorefrontError",
        "UnexpectedResponseError",
        "UnsupportedFieldError",
        "WebhookError",
        "WebhookPayloadError",
        "WebhookSignatureError",
    ),
    "sblgen.escape": ("html_safe_json",),
    "sblgen.keygen": ("generate_key_pair",),
    "sblgen.options": ("SblOptions",),
    "sblgen.payload": (
        "UNTIL_CANCELLED",
        "AuthenticatePayload",
        "Pricing",
        "SecureContact",
        "SecureItem",
        "SecurePayload",
    ),
    "sblgen.render": (
        "LOADER_PATH",
        "checkout_call",
        "checkout_snippet",
        "embed",
        "embedded_container",
        "loader_js",
        "loader_tag",
        "push",
        "script_tag",
        "secure",
        "session_init",
    ),
    "sblgen.secure_request": ("SecureRequest",),
    "sblgen.session": ("Product", "Session"),
    "sblgen.site": ("build_site",),
    "sblgen.storefront": ("Storefront",),
    "sblgen.webhooks": ("WebhookEvent", "WebhookPayload", "verify_webhook"),
}

_LAZY: dict[str, str] = {name: module for module, names in _PUBLIC.items() for name in names}

__all__ = sorted([*_LAZY, "__version__"])

if TYPE_CHECKING:  # pragma: no cover - what type checkers and IDEs see
    from sblgen.actions import button as button
    from sblgen.actions import buttons as buttons
    from sblgen.api.models import SessionRequest as SessionRequest
    from sblgen.api.models import SessionResponse as SessionResponse
    from sblgen.batch import encrypt_many as encrypt_many
    from sblgen.builder import CheckoutBuilder as CheckoutBuilder
    from sblgen.builder import LineItem as LineItem
    from sblgen.contact import Address as Address
    from sblgen.contact import PaymentContact as PaymentContact
    from sblgen.contact import Recipient as Recipient
    from sblgen.crypto import PrivateKey as PrivateKey
    from sblgen.crypto import PublicCertificate as PublicCertificate
    from sblgen.crypto import check_pair as check_pair
    from sblgen.crypto import decrypt as decrypt
    from sblgen.crypto import encrypt as encrypt
    from sblgen.csp import content_security_policy as content_security_policy
    from sblgen.dates import frozen_today as frozen_today
    from sblgen.display import item_attributes as item_attributes
    from sblgen.display import item_description as item_description
    from sblgen.display import item_discount as item_discount
    from sblgen.display import item_display as item_display
    from sblgen.display import item_image as item_image
    from sblgen.display import item_link as item_link
    from sblgen.display import item_price as item_price
    from sblgen.display import item_price_total as item_price_total
    from sblgen.display import item_quantity as item_quantity
    from sblgen.display import item_selected as item_selected
    from sblgen.display import item_total as item_total
    from sblgen.display import item_value as item_value
    from sblgen.display import order_attributes as order_attributes
    from sblgen.display import order_discount as order_discount
    from sblgen.display import order_promocode as order_promocode
    from sblgen.display import order_selections as order_selections
    from sblgen.display import order_total as order_total
    from sblgen.display import order_value as order_value
    from sblgen.display import paypal_available as paypal_available
    from sblgen.display import tax_exemption_allowed as tax_exemption_allowed
    from sblgen.errors import ApiConnectionError as ApiConnectionError
    from sblgen.errors import ApiError as ApiError
    from sblgen.errors import ApiTimeoutError as ApiTimeoutError
    from sblgen.errors import AuthenticationError as AuthenticationError
    from sblgen.errors import BadRequestError as BadRequestError
    from sblgen.errors import ConfigurationError as ConfigurationError
    from sblgen.errors import CryptoError as CryptoError
    from sblgen.errors import DecryptError as DecryptError
    from sblgen.errors import InputFileError as InputFileError
    from sblgen.errors import NotFoundError as NotFoundError
    from sblgen.errors import RateLimitError as RateLimitError
    from sblgen.errors import RenderError as RenderError
    from sblgen.errors import SblgenError as SblgenError
    from sblgen.errors import SecureKeyError as SecureKeyError
    from sblgen.errors import ServerError as ServerError
    from sblgen.errors import SessionWarningError as SessionWarningError
    from sblgen.errors import SiteError as SiteError
    from sblgen.errors import StorefrontError as StorefrontError
    from sblgen.errors import UnexpectedResponseError as UnexpectedResponseError
    from sblgen.errors import UnsupportedFieldError as UnsupportedFieldError
    from sblgen.errors import WebhookError as WebhookError
    from sblgen.errors import WebhookPayloadError as WebhookPayloadError
    from sblgen.errors import WebhookSignatureError as WebhookSignatureError
    from sblgen.escape import html_safe_json as html_safe_json
    from sblgen.keygen import generate_key_pair as generate_key_pair
    from sblgen.options import SblOptions as SblOptions
    from sblgen.payload import UNTIL_CANCELLED as UNTIL_CANCELLED
    from sblgen.payload import AuthenticatePayload as AuthenticatePayload
    from sblgen.payload import Pricing as Pricing
    from sblgen.payload import SecureContact as SecureContact
    from sblgen.payload import SecureItem as SecureItem
    from sblgen.payload import SecurePayload as SecurePayload
    from sblgen.render import LOADER_PATH as LOADER_PATH
    from sblgen.render import checkout_call as checkout_call
    from sblgen.render import checkout_snippet as checkout_snippet
    from sblgen.render import embed as embed
    from sblgen.render import embedded_container as embedded_container
    from sblgen.render import loader_js as loader_js
    from sblgen.render import loader_tag as loader_tag
    from sblgen.render import push as push
    from sblgen.render import script_tag as script_tag
    from sblgen.render import secure as secure
    from sblgen.render import session_init as session_init
    from sblgen.secure_request import SecureRequest as SecureRequest
    from sblgen.session import Product as Product
    from sblgen.session import Session as Session
    from sblgen.site import build_site as build_site
    from sblgen.storefront import Storefront as Storefront
    from sblgen.webhooks import WebhookEvent as WebhookEvent
    from sblgen.webhooks import WebhookPayload as WebhookPayload
    from sblgen.webhooks import verify_webhook as verify_webhook


def __getattr__(name: str) -> Any:
    module = _LAZY.get(name)
    if module is None:
        raise AttributeError(f"module 'sblgen' has no attribute {name!r}")
    value = getattr(import_module(module), name)
    globals()[name] = value
    return value


def __dir__() -> list[str]:
    return sorted(set(globals()) | set(_LAZY))
