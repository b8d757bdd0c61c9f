"""Flask extension: ``Sblgen(app)`` registers sblgen's template globals.

Configuration comes from ``app.config``: ``SBLGEN_STOREFRONT`` (required),
``SBLGEN_ACCESS_KEY``, and any other :class:`~sblgen.render.SblOptions` field as
``SBLGEN_<NAME>`` (e.g. ``SBLGEN_MODE = "external"``). Inline scripts get a CSP nonce
automatically from ``g.csp_nonce`` (set it in a ``before_request`` hook, or pass
``nonce_getter=``).

In external mode (``SBLGEN_MODE = "external"``, for a Content-Security-Policy without
inline scripts) the app also serves the strict-CSP loader at ``SBLGEN_LOADER_SRC``
(default ``/static/sblgen/sbl-loader.js``), so the page's ``<script src>`` finds it with
nothing copied by hand.

    app = Flask(__name__)
    app.config["SBLGEN_STOREFRONT"] = "acme.test.onfastspring.com/popup-acme"
    Sblgen(app)
    # template: {{ sbl_script(session=session) }} {{ sbl_buttons(session) }}

``Sblgen(app, csp=True)`` also sends the page's whole Content-Security-Policy
(:func:`sblgen.csp.policy` for these options) on every HTML response that has none, with a
fresh nonce per request in inline mode (``g.csp_nonce``, unless a ``before_request`` hook or
``nonce_getter`` gives one); ``csp={"img-src": ["https://cdn.example.com"]}`` adds sources.
"""

from __future__ import annotations

import secrets
from collections.abc import Callable, Iterable, Mapping
from urllib.parse import urlsplit

from sblgen.integrations import missing_extra

try:
    from flask import Flask, Response, g
except ModuleNotFoundError as _err:  # pragma: no cover - run in a subprocess by the tests
    raise missing_extra(_err, "Flask integration", "Flask", "flask") from None

from sblgen import csp as _csp
from sblgen.errors import ConfigurationError, RenderError
from sblgen.integrations.jinja import NonceHelpers, SblHelpers, options_from_settings
from sblgen.options import SblOptions
from sblgen.render import loader_js

__all__ = ["LOADER_ENDPOINT", "Sblgen"]

#: The endpoint name of the loader's route (``url_for("sblgen.loader")``).
LOADER_ENDPOINT = "sblgen.loader"


def _default_nonce() -> str | None:
    nonce = g.get("csp_nonce")
    return str(nonce) if nonce else None


def _request_nonce() -> str:
    """The request's nonce: ``g.csp_nonce``, made on first use."""
    nonce = g.get("csp_nonce")
    if not nonce:
        nonce = g.csp_nonce = secrets.token_urlsafe(18)
    return str(nonce)


def _serve_loader() -> Response:
    response = Response(loader_js(), mimetype="application/javascript")
    response.headers["Cache-Control"] = "public, max-age=3600"
    response.headers["X-Content-Type-Options"] = "nosniff"
    return response


class Sblgen:
    """The Flask extension (``Sblgen(app)`` or ``Sblgen().init_app(app)``).

    ``serve_loader``: whether the app serves the strict-CSP loader at the options'
    ``loader_src``; by default it does in external mode, when ``loader_src`` is a path on
    the app (not a full URL). ``csp``: ``True`` (or a mapping of more sources per
    directive) sends the Content-Security-Policy of :func:`sblgen.csp.policy`.
    """

    def __init__(
        self,
        app: Flask | None = None,
        *,
        nonce_getter: Callable[[], str | None] | None = None,
        serve_loader: bool | None = None,
        csp: bool | Mapping[str, Iterable[str]] = False,
    ) -> None:
        self.csp = csp
        sends_policy = csp is True or isinstance(csp, Mapping)
        self.nonce_getter = nonce_getter or (_request_nonce if sends_policy else _default_nonce)
        self.serve_loader = serve_loader
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
        # A misspelt name ("did you mean SBLGEN_ACCESS_KEY?"), a missing storefront or a bad
        # value: one ConfigurationError naming the setting.
        options = options_from_settings(values, lambda name: f"SBLGEN_{name.upper()}")
        helpers = NonceHelpers(options, self.nonce_getter)
        self.helpers = helpers
        app.jinja_env.globals.update(helpers.as_globals())
        app.jinja_env.filters["sbl_json"] = helpers.json
        self._add_loader_route(app, options)
        if self.csp is True or isinstance(self.csp, Mapping):
            self._send_policy(app, options, self.csp if isinstance(self.csp, Mapping) else None)
        app.extensions["sblgen"] = self

    def _send_policy(
        self, app: Flask, options: SblOptions, extra: Mapping[str, Iterable[str]] | None
    ) -> None:
        try:  # a bad extra source fails here, not on the first request
            _csp.policy(options, nonce="bm9uY2U", extra=extra)
        except RenderError as err:
            raise ConfigurationError(f"Sblgen(app, csp=...): {err}") from None

        def send(response: Response) -> Response:
            if "Content-Security-Policy" in response.headers or response.mimetype != "text/html":
                return response
            nonce = self.nonce_getter()
            if options.mode == "inline" and not nonce:
                nonce = _request_nonce()  # no inline script used one: any fresh nonce will do
            response.headers["Content-Security-Policy"] = _csp.policy(
                options, nonce=nonce or None, extra=extra
            )
            return response

        app.after_request(send)

    def _add_loader_route(self, app: Flask, options: SblOptions) -> None:
        src = options.loader_src
        local = not src.lower().startswith(("http:", "https:", "//"))
        wanted = options.mode == "external" if self.serve_loader is None else self.serve_loader
        if not wanted:
            return
        if not local:
            if self.serve_loader:
                raise ConfigurationError(
                    f"SBLGEN_LOADER_SRC: {src!r} is a full URL, so this app cannot serve the "
                    "loader there; give a path on the app such as '/static/sblgen/sbl-loader.js', "
                    "or Sblgen(app, serve_loader=False) and serve it yourself."
                )
            return  # the loader is served elsewhere (a CDN): nothing to do here
        path = urlsplit(src).path
        if not path.startswith("/"):
            raise ConfigurationError(
                f"SBLGEN_LOADER_SRC: {src!r} is relative to each page, so no one route can "
                "serve it; give a path from the app's root such as '/static/sblgen/sbl-loader.js'."
            )
        # A rule with no variable part wins over Flask's own /static/<path:filename>.
        app.add_url_rule(path, LOADER_ENDPOINT, _serve_loader, methods=["GET"])
