"""Django app: add ``"sblgen.integrations.django"`` to ``INSTALLED_APPS`` and use
``{% load sblgen %}`` in templates.

Settings (all optional except the storefront)::

    SBLGEN = {
        "STOREFRONT": "acme.test.onfastspring.com/popup-acme",
        "ACCESS_KEY": "...",               # any other SblOptions field, upper-case
        "MODE": "inline",                  # or "external" for a no-inline-script CSP
    }

Tags (each returns safe markup): ``{% sbl_script session %}``, ``{% sbl_session session %}``,
``{% sbl_push session %}``, ``{% sbl_secure request %}``, ``{% sbl_buttons session %}``,
``{% sbl_button "Buy" product="pro-plan" %}``, ``{% sbl_loader %}``. Every inline script gets
the request's CSP nonce automatically when django-csp is installed (``request.csp_nonce``).

``manage.py check`` validates ``SBLGEN`` (:mod:`sblgen.integrations.django.checks`): a
misspelt key, a missing storefront or a bad value is reported there, not on first render.
"""

from __future__ import annotations

from sblgen.integrations import missing_extra

try:
    import django as _django  # noqa: F401
except ModuleNotFoundError as _err:  # pragma: no cover - run in a subprocess by the tests
    raise missing_extra(_err, "Django integration", "Django", "django") from None
