"""Flask extension: ``Sblgen(app)`` registers sblgen's template globals.

Configuration comes from ``app.config``: ``SBLGEN_STOREFRONT`` (required),
``SBLGEN_ACCESS_KEY``, and any other :class:`~sblgen.render.SblOptions` field as
``SBLGEN_<NAME>`` (e.g. ``SBLGEN_MODE = "external"``). Inline scripts get a CSP nonce
automatically from ``g.csp_nonce`` (set it in a ``before_request`` hook, or pass
``nonce_getter=``).

    app = Flask(__name__)
    app.config["SBLGEN_STOREFRONT"] = "acme.test.onfastspring.com/popup-acme"
    Sblgen(app)
    # template: {{ sbl_script(session=session) }} {{ sbl_buttons(session) }}
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from flask import Flask, g
from markupsafe import Markup

from sblgen.errors import ConfigurationError
from sblgen.integrations.jinja import SblHelpers, options_from_settings
from sblgen.options import SblOptions

__all__ = ["Sblgen"]

_FIELDS = set(SblOptions.model_fields)


def _default_nonce() -> str | None:
    nonce = g.get("csp_nonce")
    return str(nonce) if nonce else None


class _NonceHelpers(SblHelpers):
    """Helpers that fill in the request's nonce when a template does not pass one."""

    def __init__(self, options: SblOptions, nonce_getter: Callable[[], str | None]) -> None:
        super().__init__(options)
        self._nonce = nonce_getter

    def script(
        self,
        storefront: str | None = None,
        session: Any = None,
        secure: Any = None,
        nonce: str | None = None,
    ) -> Markup:
        return super().script(storefront, session, secure, nonce or self._nonce())

    def session(self, session: Any, nonce: str | None = None) -> Markup:
        return super().session(session, nonce or self._nonce())

    def push(self, session: Any, nonce: str | None = None) -> Markup:
        return super().push(session, nonce or self._nonce())

    def secure(self, request: Any, nonce: str | None = None) -> Markup:
        return super().secure(request, nonce or self._nonce())

    def loader(self, nonce: str | None = None) -> Markup:
        return super().loader(nonce or self._nonce())


class Sblgen:
    """The Flask extension (``Sblgen(app)`` or ``Sblgen().init_app(app)``)."""

    def __init__(
        self, app: Flask | None = None, *, nonce_getter: Callable[[], str | None] | None = None
    ) -> None:
        self.nonce_getter = nonce_getter or _default_nonce
        self.helpers: SblHelpers | None = None
        if app is not None:
            self.init_app(app)

    def init_app(self, app: Flask) -> None:
        values = {
            key.removeprefix("SBLGEN_").lower(): value
            for key, value in app.config.items()
            # SBLGEN_WEBHOOKS belongs to the webhook receiver (flask_webhooks), not the tags.
            if key.startswith("SBLGEN_") and key != "SBLGEN_WEBHOOKS"
        }
        unknown = set(values) - _FIELDS
        if unknown:
            raise ConfigurationError(
                f"Unknown sblgen settings: {', '.join('SBLGEN_' + k.upper() for k in sorted(unknown))}; "
                f"use SBLGEN_ + one of {', '.join(sorted(f.upper() for f in _FIELDS))}."
            )
        if "storefront" not in values:
            raise ConfigurationError(
                "Set app.config['SBLGEN_STOREFRONT'] (e.g. 'acme.test.onfastspring.com/popup-acme')."
            )
        options = options_from_settings(values, lambda name: f"SBLGEN_{name.upper()}")
        helpers = _NonceHelpers(options, self.nonce_getter)
        self.helpers = helpers
        app.jinja_env.globals.update(helpers.as_globals())
        app.jinja_env.filters["sbl_json"] = helpers.json
        app.extensions["sblgen"] = self
