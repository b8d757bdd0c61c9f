"""The Content-Security-Policy for Django pages with the SBL, two ways.

**Without django-csp**: add the middleware, and every HTML response gets the policy of
:func:`sblgen.csp.policy` for your ``SBLGEN`` settings, with a fresh nonce per request that
the ``{% sbl_... %}`` tags put on their scripts (``request.csp_nonce``)::

    MIDDLEWARE = [
        ...,
        "sblgen.integrations.django.csp.ContentSecurityPolicyMiddleware",
    ]
    SBLGEN_CSP_EXTRA = {"img-src": ["https://cdn.example.com"]}   # optional, more sources

A response that already has a ``Content-Security-Policy`` header keeps it.

**With django-csp** (4.0 or later) and its ``csp.middleware.CSPMiddleware``: build its
setting from the same ``SBLGEN`` dict in ``settings.py``::

    from sblgen.integrations.django.csp import django_csp_settings

    SBLGEN = {"STOREFRONT": "acme.test.onfastspring.com/popup-acme"}
    CONTENT_SECURITY_POLICY = django_csp_settings(SBLGEN)

In inline mode ``script-src`` then holds django-csp's ``NONCE``, which it replaces with the
request's nonce (the one the tags use).
"""

from __future__ import annotations

import secrets
from collections.abc import Callable, Iterable, Mapping
from typing import Any

from django.conf import settings
from django.core.exceptions import ImproperlyConfigured
from django.http import HttpRequest, HttpResponse

from sblgen import csp
from sblgen.errors import ConfigurationError, RenderError
from sblgen.helpers import options_from_settings
from sblgen.options import SblOptions

__all__ = ["ContentSecurityPolicyMiddleware", "django_csp_settings"]

_HEADER = "Content-Security-Policy"


def _options(config: Mapping[str, Any] | SblOptions | None) -> SblOptions:
    if isinstance(config, SblOptions):
        return config
    if not isinstance(config, Mapping) or "STOREFRONT" not in config:
        raise ImproperlyConfigured(
            "Set SBLGEN = {'STOREFRONT': 'acme.test.onfastspring.com/popup-acme', ...} in "
            "your Django settings for sblgen's Content-Security-Policy."
        )
    values = {str(key).lower(): value for key, value in config.items()}
    try:
        return options_from_settings(values, lambda name: f"SBLGEN[{name.upper()!r}]")
    except ConfigurationError as err:
        raise ImproperlyConfigured(f"settings.{err}") from None


def django_csp_settings(
    config: Mapping[str, Any] | SblOptions,
    *,
    templates: bool = False,
    extra: Mapping[str, Iterable[str]] | None = None,
) -> dict[str, Any]:
    """django-csp's ``CONTENT_SECURITY_POLICY`` setting for pages rendered with ``config``
    (your ``SBLGEN`` settings dict, or :class:`~sblgen.options.SblOptions`):
    ``{"DIRECTIVES": {...}}`` with the directives of :func:`sblgen.csp.directives`, and
    django-csp's ``NONCE`` in ``script-src`` in inline mode. ``templates`` and ``extra`` are
    those of :func:`sblgen.csp.directives`.
    """
    try:
        from csp.constants import NONCE
    except ModuleNotFoundError:
        raise ConfigurationError(
            "django_csp_settings() builds django-csp's setting: pip install 'django-csp>=4', "
            "or use sblgen.integrations.django.csp.ContentSecurityPolicyMiddleware without it."
        ) from None
    options = _options(config)
    placeholder = "sblgennoncesblgen"
    found = csp.directives(
        options,
        nonce=placeholder if options.mode == "inline" else None,
        templates=templates,
        extra=extra,
    )
    mark = f"'nonce-{placeholder}'"
    return {
        "DIRECTIVES": {
            name: [NONCE if source == mark else source for source in sources]
            for name, sources in found.items()
        }
    }


class ContentSecurityPolicyMiddleware:
    """Gives each request a nonce (``request.csp_nonce``, unless another middleware set
    one) and each HTML response without a policy of its own the header of
    :func:`sblgen.csp.policy` for ``settings.SBLGEN`` (plus ``settings.SBLGEN_CSP_EXTRA``)."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response
        self._cached: tuple[object, SblOptions] | None = None

    def __call__(self, request: HttpRequest) -> HttpResponse:
        if not getattr(request, "csp_nonce", None):
            request.csp_nonce = secrets.token_urlsafe(18)
        response = self.get_response(request)
        content_type = response.get("Content-Type", "")
        if _HEADER in response or not content_type.startswith("text/html"):
            return response
        options = self._settings_options()
        nonce = str(request.csp_nonce) if options.mode == "inline" else None
        try:
            response[_HEADER] = csp.policy(
                options, nonce=nonce, extra=getattr(settings, "SBLGEN_CSP_EXTRA", None)
            )
        except RenderError as err:
            raise ImproperlyConfigured(f"sblgen's Content-Security-Policy: {err}") from None
        return response

    def _settings_options(self) -> SblOptions:
        config = getattr(settings, "SBLGEN", None)
        if self._cached is None or self._cached[0] is not config:  # first use, or overridden
            self._cached = (config, _options(config))
        return self._cached[1]
