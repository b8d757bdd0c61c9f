"""Confirm the order on your server when the checkout popup closes: the page's half.

FastSpring's SBL calls the page's ``data-popup-closed`` function with ``{id, reference}``
after a completed order (and ``null`` when the buyer closes the popup without buying).
:func:`confirm_on_close` renders the small script that defines that function: it POSTs
**only the order id**, as JSON ``{"id": "..."}``, to a URL on your site, whose view
(:mod:`sblgen.integrations.flask_confirm`, :mod:`sblgen.integrations.django.confirm`)
re-reads the order from FastSpring with your API credentials and confirms it
(:func:`sblgen.api.confirm_order`).

**Why only the id.** Everything in the browser can be written by anyone: the callback's
arguments, a total, a product list, a "completed" flag. So none of it is sent, and nothing
the browser could claim decides what the buyer gets: the id is an opaque key, and whether
the order is completed, in the storefront's mode (a test order on a live site is refused),
for the expected account and products is read from FastSpring by the server.

>>> from sblgen import SblOptions
>>> options = confirm_options(SblOptions(storefront="acme.test.onfastspring.com/popup-acme"))
>>> options.popup_closed
'sblgenConfirmOrder'
>>> tag = confirm_on_close("/orders/confirm", options=options, mode="external")
>>> print(str(tag).replace('" ', '"\\n    '))
<script src="/static/sblgen/sbl-confirm.js"
    data-confirm-url="/orders/confirm"
    data-callback="sblgenConfirmOrder"></script>

Inline (the default) the script's code is in the page, with the page's CSP ``nonce``;
``mode="external"`` loads it from your origin (serve :data:`CONFIRM_SCRIPT_PATH` at
``script_src``), for pages whose policy has no inline scripts. Either way its settings are
``data-*`` attributes, so no JavaScript is ever generated from data.

**CSRF.** The POST is same-origin, ``application/json`` (which a cross-site form cannot
send), and can carry your framework's CSRF token in a header: for Django
``csrf_header="X-CSRFToken"`` with ``csrf_token=get_token(request)`` or
``csrf_cookie="csrftoken"`` (the ``sblgen_confirm`` template tag does this); for Flask a
header name and a token (Flask-WTF reads ``X-CSRFToken``).

**Content-Security-Policy.** The POST goes to your own origin: ``connect-src`` needs
``'self'`` (:func:`sblgen.csp.policy` includes it).

The page hears the outcome as events on ``document``, each with the server's JSON as
``event.detail``: ``sblgen:order-confirmed``, ``sblgen:order-refused`` (a 4xx: ``detail.check``
names the failed check), ``sblgen:order-error`` (FastSpring or the network failed: try again)
and ``sblgen:order-none`` (closed without an order).
"""

from __future__ import annotations

import re
from functools import cache
from importlib.resources import files
from pathlib import Path

from markupsafe import Markup
from pydantic import TypeAdapter, ValidationError

from sblgen._templates import render
from sblgen.errors import RenderError
from sblgen.options import Mode, SblOptions, check_nonce
from sblgen.types import JsIdentifier

__all__ = [
    "CONFIRM_SCRIPT_PATH",
    "DEFAULT_CALLBACK",
    "DEFAULT_SCRIPT_SRC",
    "confirm_js",
    "confirm_on_close",
    "confirm_options",
]

#: The confirm script shipped in the package; serve it from your origin in external mode.
CONFIRM_SCRIPT_PATH = Path(str(files("sblgen").joinpath("static").joinpath("sbl-confirm.js")))
#: The global function the script defines, unless told otherwise.
DEFAULT_CALLBACK = "sblgenConfirmOrder"
#: Where external mode loads the script from, unless told otherwise.
DEFAULT_SCRIPT_SRC = "/static/sblgen/sbl-confirm.js"

#: An HTTP header or cookie name (RFC 9110 token characters).
_TOKEN = re.compile(r"[!#$%&'*+.^_`|~0-9A-Za-z-]{1,128}")
_CSRF_VALUE = re.compile(r"[\x21-\x7e]{1,4096}")
_URL_SCHEME = re.compile(r"[A-Za-z][A-Za-z0-9+.-]*:")
_CODE_START = "(function (w, d) {"
_identifier: TypeAdapter[str] = TypeAdapter(JsIdentifier)


@cache
def confirm_js() -> str:
    """The confirm script's source (serve it as ``application/javascript``)."""
    return CONFIRM_SCRIPT_PATH.read_text(encoding="utf-8")


@cache
def _inline_code() -> Markup:
    source = confirm_js()
    return Markup(source[source.index(_CODE_START) :].rstrip())  # noqa: S704 - our own file


def confirm_options(options: SblOptions, callback: str = DEFAULT_CALLBACK) -> SblOptions:
    """``options`` with ``popup_closed`` naming the confirm script's function, so that the
    SBL tag calls it (``data-popup-closed``).

    >>> confirm_options(SblOptions(storefront="acme.onfastspring.com/popup-acme"),
    ...                 "onOrder").data_attributes()[-1]
    ('data-popup-closed', 'onOrder')
    """
    return SblOptions.model_validate({**dict(options), "popup_closed": callback})


def _callback(options: SblOptions | None, callback: str | None) -> str:
    name = callback or (options.popup_closed if options is not None else None) or DEFAULT_CALLBACK
    try:
        _identifier.validate_python(name)
    except ValidationError:
        raise RenderError(
            f"confirm_on_close: callback {name!r} is not a JavaScript function name; use "
            f"letters, digits, _ and $ (such as {DEFAULT_CALLBACK!r})."
        ) from None
    if options is not None and options.popup_closed != name:
        fix = f"confirm_options(options, {name!r})"
        if options.popup_closed is None:
            raise RenderError(
                "confirm_on_close: the SBL tag's options have no popup_closed, so the SBL "
                f"would never call {name!r}; use {fix} for the tag."
            )
        raise RenderError(
            f"confirm_on_close: the SBL tag calls {options.popup_closed!r} when the popup "
            f"closes, not {name!r}; pass callback={options.popup_closed!r} or use {fix}."
        )
    return name


def _url(value: str, what: str) -> str:
    scheme = _URL_SCHEME.match(value)
    if (
        not value
        or any(char.isspace() or not char.isprintable() for char in value)
        or (scheme is not None and scheme.group(0).lower() not in ("https:", "http:"))
    ):
        raise RenderError(
            f"confirm_on_close: {what} {value!r} is not a URL; use a path on your site such "
            "as '/orders/confirm' (or an https:// URL)."
        )
    return value


def _csrf(header: str | None, token: str | None, cookie: str | None) -> list[tuple[str, str]]:
    if header is None:
        if token is not None or cookie is not None:
            raise RenderError(
                "confirm_on_close: a CSRF token or cookie needs csrf_header= too (the header "
                "your framework reads, such as 'X-CSRFToken')."
            )
        return []
    if not _TOKEN.fullmatch(header):
        raise RenderError(
            f"confirm_on_close: csrf_header {header!r} is not an HTTP header name; use one "
            "such as 'X-CSRFToken'."
        )
    if token is None and cookie is None:
        raise RenderError(
            "confirm_on_close: csrf_header needs csrf_token= (the token) or csrf_cookie= "
            "(the cookie to read it from, such as Django's 'csrftoken')."
        )
    attrs = [("data-csrf-header", header)]
    if token is not None:
        if not _CSRF_VALUE.fullmatch(token):
            raise RenderError(
                "confirm_on_close: csrf_token is not a header value (printable ASCII without "
                "spaces); pass the token your framework made."
            )
        attrs.append(("data-csrf-token", token))
    if cookie is not None:
        if not _TOKEN.fullmatch(cookie):
            raise RenderError(
                f"confirm_on_close: csrf_cookie {cookie!r} is not a cookie name; use one such "
                "as 'csrftoken'."
            )
        attrs.append(("data-csrf-cookie", cookie))
    return attrs


def confirm_on_close(
    url: str,
    *,
    options: SblOptions | None = None,
    callback: str | None = None,
    csrf_header: str | None = None,
    csrf_token: str | None = None,
    csrf_cookie: str | None = None,
    nonce: str | None = None,
    mode: Mode | None = None,
    script_src: str = DEFAULT_SCRIPT_SRC,
) -> Markup:
    """The script that POSTs the order id to ``url`` when the SBL's popup closes after a
    purchase (see the module documentation). Place it anywhere on the page.

    ``options`` are the SBL tag's: their ``popup_closed`` must name the script's function
    (:func:`confirm_options`), and their ``mode`` is the default ``mode``. Without options
    the function is ``callback`` (default :data:`DEFAULT_CALLBACK`).

    >>> tag = confirm_on_close("/orders/confirm", csrf_header="X-CSRFToken",
    ...                        csrf_cookie="csrftoken", nonce="r4nd0m")
    >>> print(str(tag)[: tag.index(">") + 1].replace('" ', '"\\n    '))
    <script data-confirm-url="/orders/confirm"
        data-callback="sblgenConfirmOrder"
        data-csrf-header="X-CSRFToken"
        data-csrf-cookie="csrftoken"
        nonce="r4nd0m">
    >>> tag.endswith("})(window, document);</script>")
    True
    """
    name = _callback(options, callback)
    attrs = [("data-confirm-url", _url(url, "url")), ("data-callback", name)]
    attrs += _csrf(csrf_header, csrf_token, csrf_cookie)
    chosen = mode or (options.mode if options is not None else "inline")
    if chosen == "external":
        src = _url(script_src, "script_src")
        return render(
            "confirm_on_close.html", src=src, attrs=attrs, nonce=check_nonce(nonce), source=""
        )
    return render(
        "confirm_on_close.html",
        src=None,
        attrs=attrs,
        nonce=check_nonce(nonce),
        source=_inline_code(),
    )
