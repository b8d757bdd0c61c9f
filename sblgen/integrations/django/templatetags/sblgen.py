"""``{% load sblgen %}``: template tags for FastSpring's Store Builder Library.

Django templates cannot write a list, so ``actions`` takes the SBL's own comma-separated
form too: ``{% sbl_button "Subscribe" product="pro" actions="Reset,Add,Checkout" %}``.

In external mode the loader's ``<script src>`` is, unless ``SBLGEN["LOADER_SRC"]`` says
otherwise, ``{% static "sblgen/sbl-loader.js" %}``: the app ships the loader in its
``static/`` folder, so ``runserver`` serves it and ``collectstatic`` collects it (hashed
names of a manifest storage included).
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from django import template
from django.apps import apps
from django.conf import settings
from django.core.exceptions import ImproperlyConfigured
from markupsafe import Markup

from sblgen.errors import ConfigurationError
from sblgen.helpers import DISPLAY_HELPERS
from sblgen.integrations.jinja import SblHelpers, options_from_settings
from sblgen.options import SblOptions
from sblgen.render import embedded_container

register = template.Library()

#: The settings dict the helpers were built from, held so that its identity stays valid.
_cached: tuple[object, SblHelpers] | None = None
#: The loader's path under the app's static/ folder.
LOADER_STATIC = "sblgen/sbl-loader.js"


def _loader_src() -> str | None:
    """The loader's URL from staticfiles, when the project uses it."""
    if not apps.is_installed("django.contrib.staticfiles"):
        return None
    from django.templatetags.static import static

    return str(static(LOADER_STATIC))


def _helpers() -> SblHelpers:
    global _cached
    config = getattr(settings, "SBLGEN", None)
    if not config or "STOREFRONT" not in config:
        raise ImproperlyConfigured(
            "Set SBLGEN = {'STOREFRONT': 'acme.test.onfastspring.com/popup-acme', ...} in "
            "your Django settings to use {% load sblgen %}."
        )
    if _cached is None or _cached[0] is not config:  # first use, or override_settings
        values = {key.lower(): value for key, value in config.items()}
        if "loader_src" not in values and values.get("mode") == "external":
            values["loader_src"] = _loader_src() or SblOptions.model_fields["loader_src"].default
        try:
            options = options_from_settings(values, lambda name: f"SBLGEN[{name.upper()!r}]")
        except ConfigurationError as err:
            raise ImproperlyConfigured(f"settings.{err}") from None
        _cached = (config, SblHelpers(options))
    return _cached[1]


def _nonce(context: template.Context) -> str | None:
    request = context.get("request")
    nonce = getattr(request, "csp_nonce", None) if request is not None else None
    # django-csp's lazy nonce is falsy until generated: str() generates it.
    text = str(nonce) if nonce is not None else ""
    return text or None


@register.simple_tag(takes_context=True)
def sbl_script(context: template.Context, session: Any = None, secure: Any = None) -> Markup:
    """The session (if any), the loader (external mode) and the SBL tag."""
    return _helpers().script(session=session, secure=secure, nonce=_nonce(context))


@register.simple_tag(takes_context=True)
def sbl_session(context: template.Context, session: Any) -> Markup:
    """``var fscSession = ...`` (before the SBL tag)."""
    return _helpers().session(session, nonce=_nonce(context))


@register.simple_tag(takes_context=True)
def sbl_push(context: template.Context, session: Any) -> Markup:
    """``fastspring.builder.push(...)``, placed anywhere."""
    return _helpers().push(session, nonce=_nonce(context))


@register.simple_tag(takes_context=True)
def sbl_secure(context: template.Context, request: Any) -> Markup:
    """``fastspring.builder.secure(...)``, placed anywhere."""
    return _helpers().secure(request, nonce=_nonce(context))


@register.simple_tag(takes_context=True)
def sbl_loader(context: template.Context) -> Markup:
    """The strict-CSP loader's script tag (external mode)."""
    return _helpers().loader(nonce=_nonce(context))


def _actions(kwargs: dict[str, Any]) -> dict[str, Any]:
    """``actions="Add,Checkout"`` (a template's only way to give several) as a list."""
    actions = kwargs.get("actions")
    if isinstance(actions, str):
        names: Sequence[str] = [name.strip() for name in actions.split(",")]
        kwargs = {**kwargs, "actions": [name for name in names if name] or [actions]}
    return kwargs


@register.simple_tag
def sbl_buttons(session: Any, **kwargs: Any) -> Markup:
    """One markup-action button per product of the session (``actions`` may be
    comma-separated: ``actions="Add,Checkout"``)."""
    return _helpers().buttons(session, **_actions(kwargs))


@register.simple_tag(takes_context=True)
def sbl_button(context: template.Context, label: str, **kwargs: Any) -> Markup:
    """One markup-action button (``data-fsc-action``); a second value input of a kind on
    the page (the SBL reads only the first) is refused."""
    seen: set[str] | None = getattr(context, "_sblgen_value_inputs", None)
    if seen is None:
        seen = set()
        context._sblgen_value_inputs = seen
    return _helpers().button(label, seen=seen, **_actions(kwargs))


@register.simple_tag
def sbl_embedded_container() -> Markup:
    """The empty ``<div id="fsc-embedded-checkout-container">`` an embedded storefront
    draws its checkout in (``sbl_script`` adds one for embedded storefronts)."""
    return embedded_container()


# Display directives (sblgen.display): live prices and cart state, with the text shown
# without JavaScript, e.g. {% sbl_item_price "pro-plan" "$49.00" %} or
# {% sbl_order_selections "Your cart is empty." selections=False %}.
for _name, _helper in DISPLAY_HELPERS.items():
    register.simple_tag(_helper, name=_name)
