"""Use sblgen from any Jinja2 environment (Flask, Starlette, static generators, ...).

>>> import jinja2
>>> env = install(jinja2.Environment(autoescape=True),
...               options=SblOptions(storefront="acme.test.onfastspring.com/popup-acme"))
>>> print(env.from_string(
...     "{{ sbl_script(session={'products': [{'path': 'pro-plan'}]}) }}").render())
<script>var fscSession = {"products":[{"path":"pro-plan","quantity":1}]};</script>
<script id="fsc-api" src="https://sbl.onfastspring.com/sbl/1.0.3/fastspring-builder.min.js" type="text/javascript" data-storefront="acme.test.onfastspring.com/popup-acme"></script>
>>> print(env.from_string('{{ sbl_item_price("pro-plan", "$49.00") }}').render())
<span data-fsc-item-path="pro-plan" data-fsc-item-price>$49.00</span>

Every helper returns :class:`markupsafe.Markup`, so no ``|safe`` is needed, and data
passed to them is escaped the one safe way.

Globals installed:

- ``sbl_script(storefront=None, session=None, secure=None, nonce=None)``: session (if
  any), loader (external mode) and the SBL tag;
- ``sbl_session(session, nonce=None)``, ``sbl_push(session, nonce=None)``,
  ``sbl_secure(request, nonce=None)``;
- ``sbl_button(label, **kw)``, ``sbl_buttons(session, **kw)``, ``sbl_loader(nonce=None)``;
- display directives (:mod:`sblgen.display`), live prices and cart state with the text to
  show without JavaScript: ``sbl_item_price(product, fallback)``, ``sbl_item_display``,
  ``sbl_item_price_total``, ``sbl_item_discount``, ``sbl_item_total``,
  ``sbl_item_quantity``, ``sbl_item_description``, ``sbl_item_image``, ``sbl_item_link``,
  ``sbl_item_value``, ``sbl_item_selected``, ``sbl_item_attributes``; ``sbl_order_total``,
  ``sbl_order_discount``, ``sbl_order_promocode``, ``sbl_order_value``,
  ``sbl_order_selections``, ``sbl_order_attributes``, ``sbl_paypal_available``,
  ``sbl_tax_exemption_allowed`` (those that wrap content also take a ``{% call %}`` block);
- filter ``sbl_json``: a model or plain data as HTML-safe JSON.
"""

from __future__ import annotations

import jinja2

from sblgen.helpers import SblHelpers
from sblgen.helpers import options_from_settings as options_from_settings
from sblgen.options import SblOptions

__all__ = ["SblHelpers", "install"]


def install(env: jinja2.Environment, *, options: SblOptions | None = None) -> jinja2.Environment:
    """Add sblgen's globals and the ``sbl_json`` filter to ``env``; returns ``env``."""
    return SblHelpers(options).install(env)
