"""What the ``<script id="fsc-api">`` tag says: :class:`SblOptions`, modes and markup actions.

A pure model module: the values and their validation (storefront, callback names, SBL
version, script URLs, CSP nonces), nothing that renders. :mod:`sblgen.render` turns these
into HTML.

>>> options = SblOptions(storefront="acme.test.onfastspring.com/popup-acme", debug=True)
>>> options.data_attributes()
[('data-storefront', 'acme.test.onfastspring.com/popup-acme'), ('data-debug', 'true')]
>>> "Checkout" in ACTIONS
True
"""

from __future__ import annotations

import re
from typing import TYPE_CHECKING, Annotated, Literal, get_args

from pydantic import AfterValidator, BeforeValidator, ConfigDict, Field

from sblgen._model import StrictModel
from sblgen.errors import RenderError
from sblgen.limits import check_markup_text
from sblgen.storefront import Storefront
from sblgen.types import JsIdentifier

__all__ = [
    "ACTIONS",
    "DEFAULT_SBL_VERSION",
    "Action",
    "Mode",
    "SblOptions",
    "check_nonce",
    "coerce_options",
]

#: The SBL version FastSpring's documentation prints; override with ``version=``.
DEFAULT_SBL_VERSION = "1.0.3"
_SBL_URL = "https://sbl.onfastspring.com/sbl/{version}/fastspring-builder.min.js"
#: ``inline``: small inline scripts (CSP nonce); ``external``: JSON blocks read by the loader.
Mode = Literal["inline", "external"]
Action = Literal[
    "Add",
    "Update",
    "Remove",
    "Replace",
    "Checkout",
    "ViewCart",
    "PaypalCheckout",
    "Promocode",
    "PostalCode",
    "TaxId",
    "Recognize",
    "Reset",
    "Clean",
]
#: Markup actions the SBL understands in ``data-fsc-action``.
ACTIONS: tuple[Action, ...] = get_args(Action)

_VERSION = re.compile(r"\d+\.\d+\.\d+")
_NONCE = re.compile(r"[A-Za-z0-9+/=_-]{1,256}")
_URL_SCHEME = re.compile(r"[A-Za-z][A-Za-z0-9+.-]*:")


def check_nonce(nonce: str | None) -> str | None:
    """A CSP nonce as it may stand in a ``nonce="..."`` attribute (``None`` passes).

    >>> check_nonce("r4nd0m+/=")
    'r4nd0m+/='
    >>> check_nonce('"><script>')
    Traceback (most recent call last):
    sblgen.errors.RenderError: '"><script>' is not a CSP nonce; ...
    """
    if nonce is not None and not _NONCE.fullmatch(nonce):
        raise RenderError(
            f"{nonce!r} is not a CSP nonce; use the base64 value your server put in the "
            "Content-Security-Policy header."
        )
    return nonce


def _version(value: str) -> str:
    if not _VERSION.fullmatch(value):
        raise ValueError(f"{value!r} is not an SBL version; use a version such as '1.0.3'.")
    return value


def _script_url(value: str) -> str:
    """An ``https:``/``http:`` URL, a ``//host/...`` URL, or a path on the seller's site."""
    scheme = _URL_SCHEME.match(value)
    if any(char.isspace() or not char.isprintable() for char in value) or (
        scheme is not None and scheme.group(0).lower() not in ("https:", "http:")
    ):
        raise ValueError(
            f"{value!r} is not a script URL; use https://..., //host/... or a path on your "
            "site such as /static/sblgen/sbl-loader.js."
        )
    return value


ScriptUrl = Annotated[str, Field(min_length=1), AfterValidator(_script_url)]


def _access_key(value: str) -> str:
    """The key goes into ``data-access-key="..."``: text HTML can carry as is."""
    return check_markup_text(value, "the access key")


AccessKey = Annotated[str, Field(min_length=1, max_length=512), AfterValidator(_access_key)]


def _loading(value: object) -> object:
    if value == "async":
        raise ValueError(
            "loading='async' runs the SBL after DOMContentLoaded, so it never binds a button "
            "or fills a directive; use loading='defer'."
        )
    return value


class SblOptions(StrictModel):
    """Everything the ``<script id="fsc-api">`` tag says.

    Callbacks are *names* of global functions, validated as JavaScript identifiers.
    Instances are frozen and hashable, so equal options can share rendered output. The
    storefront may be given as text (``str``) or a :class:`Storefront`; either way it is a
    :class:`Storefront` once validated.

    >>> SblOptions(storefront="https://acme.onfastspring.com/popup-acme/").storefront.value
    'acme.onfastspring.com/popup-acme'
    """

    model_config = ConfigDict(frozen=True, extra="forbid")

    storefront: Storefront
    access_key: AccessKey | None = None
    continuous: bool = False
    debug: bool = False
    animate_fader: bool | None = None
    data_callback: JsIdentifier | None = None
    error_callback: JsIdentifier | None = None
    validation_callback: JsIdentifier | None = None
    before_requests_callback: JsIdentifier | None = None
    after_requests_callback: JsIdentifier | None = None
    before_markup_callback: JsIdentifier | None = None
    after_markup_callback: JsIdentifier | None = None
    markup_helpers_callback: JsIdentifier | None = None
    decorate_callback: JsIdentifier | None = None
    popup_closed: JsIdentifier | None = None
    popup_event_received: JsIdentifier | None = None
    popup_webhook_received: JsIdentifier | None = None
    version: Annotated[str, AfterValidator(_version)] = DEFAULT_SBL_VERSION
    #: A full script URL instead of FastSpring's (a mirror, a pinned copy).
    src: ScriptUrl | None = None
    #: ``"defer"`` (the default): the SBL runs once the page is parsed, so every session
    #: snippet on the page is merged into ``fscSession`` first and ``document.body`` exists
    #: when it draws a checkout. ``None``: a plain (parser-blocking) tag. ``"async"`` is
    #: refused: the SBL would run after ``DOMContentLoaded`` and never bind a button.
    loading: Annotated[Literal["defer"] | None, BeforeValidator(_loading)] = "defer"
    mode: Mode = "inline"
    #: Where the page serves the strict-CSP loader (external mode).
    loader_src: ScriptUrl = "/static/sblgen/sbl-loader.js"

    if TYPE_CHECKING:
        # What type checkers see, with or without the pydantic plugin: the storefront as
        # text or a Storefront (the field itself is always a Storefront). One parameter per
        # field, with the field's default (tests/test_types_no_plugin.py checks they agree).
        def __init__(
            self,
            *,
            storefront: str | Storefront,
            access_key: str | None = None,
            continuous: bool = False,
            debug: bool = False,
            animate_fader: bool | None = None,
            data_callback: JsIdentifier | None = None,
            error_callback: JsIdentifier | None = None,
            validation_callback: JsIdentifier | None = None,
            before_requests_callback: JsIdentifier | None = None,
            after_requests_callback: JsIdentifier | None = None,
            before_markup_callback: JsIdentifier | None = None,
            after_markup_callback: JsIdentifier | None = None,
            markup_helpers_callback: JsIdentifier | None = None,
            decorate_callback: JsIdentifier | None = None,
            popup_closed: JsIdentifier | None = None,
            popup_event_received: JsIdentifier | None = None,
            popup_webhook_received: JsIdentifier | None = None,
            version: str = DEFAULT_SBL_VERSION,
            src: ScriptUrl | None = None,
            loading: Literal["defer"] | None = "defer",
            mode: Mode = "inline",
            loader_src: ScriptUrl = "/static/sblgen/sbl-loader.js",
        ) -> None: ...

    @property
    def script_src(self) -> str:
        """The URL the tag loads."""
        return self.src or _SBL_URL.format(version=self.version)

    def data_attributes(self) -> list[tuple[str, str]]:
        """``data-*`` attributes in FastSpring's documented order."""
        attrs = [("data-storefront", self.storefront.value)]
        if self.access_key is not None:
            attrs.append(("data-access-key", self.access_key))
        if self.continuous:
            attrs.append(("data-continuous", "true"))
        if self.debug:
            attrs.append(("data-debug", "true"))
        if self.animate_fader is not None:
            attrs.append(("data-animate-fader", "true" if self.animate_fader else "false"))
        for field, attribute in _CALLBACKS.items():
            name = getattr(self, field)
            if name is not None:
                attrs.append((attribute, name))
        return attrs


#: Callback option -> its ``data-*`` attribute, in FastSpring's documented order.
_CALLBACKS = {
    "data_callback": "data-data-callback",
    "error_callback": "data-error-callback",
    "validation_callback": "data-validation-callback",
    "before_requests_callback": "data-before-requests-callback",
    "after_requests_callback": "data-after-requests-callback",
    "before_markup_callback": "data-before-markup-callback",
    "after_markup_callback": "data-after-markup-callback",
    "markup_helpers_callback": "data-markup-helpers-callback",
    "decorate_callback": "data-decorate-callback",
    "popup_closed": "data-popup-closed",
    "popup_event_received": "data-popup-event-received",
    "popup_webhook_received": "data-popup-webhook-received",
}


def coerce_options(options: SblOptions | Storefront | str) -> SblOptions:
    """Options as given, or the default options for a storefront.

    >>> coerce_options("acme.test.onfastspring.com/popup-acme").mode
    'inline'
    """
    if isinstance(options, SblOptions):
        return options
    return SblOptions(storefront=Storefront.parse(options))
