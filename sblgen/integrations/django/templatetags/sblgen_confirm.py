"""``{% load sblgen_confirm %}``: the script that confirms the order when the checkout popup
closes (:func:`sblgen.confirm_snippet.confirm_on_close`), with Django's CSRF token."""

from __future__ import annotations

from django import template
from django.conf import settings
from django.core.exceptions import ImproperlyConfigured
from django.middleware.csrf import get_token
from django.templatetags.static import static
from django.urls import reverse
from markupsafe import Markup

from sblgen.confirm_snippet import DEFAULT_SCRIPT_SRC, confirm_on_close
from sblgen.errors import ConfigurationError
from sblgen.integrations.jinja import options_from_settings
from sblgen.options import SblOptions

register = template.Library()

#: Where the app ships the script (``sblgen/static/``, found by ``django.contrib.staticfiles``).
STATIC_NAME = "sblgen/sbl-confirm.js"


def _options() -> SblOptions | None:
    config = getattr(settings, "SBLGEN", None)
    if not config or "STOREFRONT" not in config:
        return None
    values = {key.lower(): value for key, value in config.items()}
    try:
        return options_from_settings(values, lambda name: f"SBLGEN[{name.upper()!r}]")
    except ConfigurationError as err:
        raise ImproperlyConfigured(f"settings.{err}") from None


def _header() -> str:
    """The CSRF header Django reads, as a browser sends it (``HTTP_X_CSRFTOKEN`` is
    ``X-CSRFTOKEN``; header names are case-insensitive)."""
    meta: str = getattr(settings, "CSRF_HEADER_NAME", "HTTP_X_CSRFTOKEN")
    return meta.removeprefix("HTTP_").replace("_", "-")


def _script_src() -> str:
    try:
        return str(static(STATIC_NAME))
    except ImproperlyConfigured:  # no STATIC_URL
        return DEFAULT_SCRIPT_SRC


@register.simple_tag(takes_context=True)
def sbl_confirm_on_close(context: template.Context, url: str) -> Markup:
    """The confirm script for the page: ``url`` is a URL name (reversed) or a path. The CSRF
    token comes from the request (``get_token``), else the script reads the CSRF cookie."""
    target = url if url.startswith(("/", "http:", "https:")) else reverse(url)
    request = context.get("request")
    token = get_token(request) if request is not None else None
    cookie = None
    if token is None:
        if getattr(settings, "CSRF_COOKIE_HTTPONLY", False) or getattr(
            settings, "CSRF_USE_SESSIONS", False
        ):
            raise ImproperlyConfigured(
                "{% sbl_confirm_on_close %} needs the request in the template context (add "
                "'django.template.context_processors.request'): the CSRF token is not "
                "readable from a cookie with CSRF_COOKIE_HTTPONLY or CSRF_USE_SESSIONS."
            )
        cookie = getattr(settings, "CSRF_COOKIE_NAME", "csrftoken")
    nonce = getattr(request, "csp_nonce", None) if request is not None else None
    text = str(nonce) if nonce is not None else ""
    return confirm_on_close(
        target,
        options=_options(),
        csrf_header=_header(),
        csrf_token=token,
        csrf_cookie=cookie,
        nonce=text or None,
        script_src=_script_src(),
    )
