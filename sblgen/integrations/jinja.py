"""Use sblgen from any Jinja2 environment (Flask, Starlette, static generators, ...).

>>> import jinja2
>>> env = install(jinja2.Environment(autoescape=True),
...               options=SblOptions(storefront="acme.test.onfastspring.com/popup-acme"))
>>> print(env.from_string(
...     "{{ sbl_script(session={'products': [{'path': 'pro-plan'}]}) }}").render())
<script>var fscSession = (function(w,d,o,a){...})(window,document,"session",{"products":[{"path":"pro-plan","quantity":1}]});</script>
<script id="fsc-api" src="https://sbl.onfastspring.com/sbl/1.0.3/fastspring-builder.min.js" type="text/javascript" data-storefront="acme.test.onfastspring.com/popup-acme" defer></script>

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
