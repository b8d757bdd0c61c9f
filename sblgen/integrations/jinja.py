"""Use sblgen from any Jinja2 environment (Flask, Starlette, static generators, ...).

>>> import jinja2
>>> env = install(jinja2.Environment(autoescape=True),
...               options=SblOptions(storefront="acme.test.onfastspring.com/popup-acme"))
>>> print(env.from_string(
...     "{{ sbl_script(session={'products': [{'path': 'pro-plan'}]}) }}").render())
<script>var fscSession = (function(w,d,o,a){...})(window,document,"session",{"products":[{"path":"pro-plan","quantity":1}]});</script>
<script id="fsc-api" src="https://sbl.onfastspring.com/sbl/1.0.3/fastspring-builder.min.js" type="text/javascript" data-storefront="acme.test.onfastspring.com/popup-acme" defer></script>
>>> print(env.from_string('{{ sbl_item_price("pro-plan", "$49.00") }}').render())
<span data-fsc-item-path="pro-plan" data-fsc-item-price>$49.00</span>

Every helper returns :class:`markupsafe.Markup`, so no ``|safe`` is needed, and data
passed to them is escaped the one safe way.

Globals installed:

- ``sbl_script(storefront=None, session=None, secure=None, nonce=None)``: session (if
  any), loader (external mode) and the SBL tag;
- ``sbl_session(session, nonce=None)``, ``sbl_push(session, nonce=None)``,
  ``sbl_secure(request, nonce=None)``;
- ``sbl_button(label, **kw)``, ``sbl_buttons(session, **kw)``, ``sbl_loader(nonce=None)``
  (a second value input of a kind in one render, which the SBL would never read, is
  refused);
- ``sbl_embedded_container()``: where an embedded storefront draws checkout (``sbl_script``
  adds it at its own place for embedded storefronts);
- display directives (:mod:`sblgen.display`), live prices and cart state with the text to
  show without JavaScript: ``sbl_item_price(product, fallback)``, ``sbl_item_display``,
  ``sbl_item_price_total``, ``sbl_item_discount``, ``sbl_item_total``,
  ``sbl_item_quantity``, ``sbl_item_description``, ``sbl_item_image``, ``sbl_item_link``,
  ``sbl_item_value``, ``sbl_item_selected``, ``sbl_item_attributes``; ``sbl_order_total``,
  ``sbl_order_discount``, ``sbl_order_promocode``, ``sbl_order_value``,
  ``sbl_order_selections``, ``sbl_order_attributes``, ``sbl_paypal_available``,
  ``sbl_tax_exemption_allowed`` (those that wrap content also take a ``{% call %}`` block);
- filter ``sbl_json``: a model or plain data as JSON that is harmless anywhere in a
  template (:func:`sblgen.escape.template_json`); its value arrives intact in text, in a
  ``<script>`` and in a single-quoted attribute.

Under a Content-Security-Policy with nonces, give ``install()`` a ``nonce_getter``: a
function that returns the current request's nonce (or ``None``). Every inline script then
carries it without a ``nonce=`` in the template (an explicit ``nonce=`` still wins):

>>> nonces = iter(["bm9uY2Ux", "bm9uY2Uy"])
>>> env = install(jinja2.Environment(autoescape=True),
...               options=SblOptions(storefront="acme.test.onfastspring.com/popup-acme"),
...               nonce_getter=lambda: next(nonces))
>>> template = env.from_string("{{ sbl_session({'coupon': 'SPRING'}) }}")
>>> print(template.render())
<script nonce="bm9uY2Ux">var fscSession = {"coupon":"SPRING"};</script>
>>> print(template.render())
<script nonce="bm9uY2Uy">var fscSession = {"coupon":"SPRING"};</script>
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from typing import Any

import jinja2
from markupsafe import Markup

from sblgen.helpers import SblHelpers
from sblgen.helpers import options_from_settings as options_from_settings
from sblgen.options import SblOptions
from sblgen.secure_request import SecureRequest
from sblgen.session import Session
from sblgen.storefront import Storefront

__all__ = ["NonceGetter", "NonceHelpers", "SblHelpers", "install"]

#: A function that returns the current request's CSP nonce, or ``None`` for none.
NonceGetter = Callable[[], "str | None"]


class NonceHelpers(SblHelpers):
    """The template helpers, filling in ``nonce_getter()`` when a template passes no
    ``nonce=`` (what :func:`install` with a ``nonce_getter`` and Flask's extension use)."""

    def __init__(self, options: SblOptions | None, nonce_getter: NonceGetter) -> None:
        super().__init__(options)
        self.nonce_getter = nonce_getter

    def _nonce(self, nonce: str | None) -> str | None:
        return nonce or self.nonce_getter()

    def script(
        self,
        storefront: str | Storefront | None = None,
        session: Session | Mapping[str, Any] | None = None,
        secure: SecureRequest | Mapping[str, Any] | None = None,
        nonce: str | None = None,
    ) -> Markup:
        return super().script(storefront, session, secure, self._nonce(nonce))

    def session(self, session: Session | Mapping[str, Any], nonce: str | None = None) -> Markup:
        return super().session(session, self._nonce(nonce))

    def push(self, session: Session | Mapping[str, Any], nonce: str | None = None) -> Markup:
        return super().push(session, self._nonce(nonce))

    def secure(
        self, request: SecureRequest | Mapping[str, Any], nonce: str | None = None
    ) -> Markup:
        return super().secure(request, self._nonce(nonce))

    def loader(self, nonce: str | None = None) -> Markup:
        return super().loader(self._nonce(nonce))


def install(
    env: jinja2.Environment,
    *,
    options: SblOptions | None = None,
    nonce_getter: NonceGetter | None = None,
) -> jinja2.Environment:
    """Add sblgen's globals and the ``sbl_json`` filter to ``env``; returns ``env``.

    ``nonce_getter`` (optional) returns the current request's CSP nonce; every inline
    script a helper writes then carries it unless the template passes ``nonce=``.
    """
    helpers = SblHelpers(options) if nonce_getter is None else NonceHelpers(options, nonce_getter)
    return helpers.install(env)
