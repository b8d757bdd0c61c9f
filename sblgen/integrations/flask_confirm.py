"""Confirm orders when the checkout popup closes, in Flask: a blueprint with the POST route
the page's script calls, the script itself, and the ``sbl_confirm_on_close()`` template
global.

    from sblgen.integrations.flask import Sblgen
    from sblgen.integrations.flask_confirm import confirm_blueprint

    app.config["SBLGEN_STOREFRONT"] = "acme.onfastspring.com/popup-acme"
    app.config["SBLGEN_POPUP_CLOSED"] = "sblgenConfirmOrder"   # the SBL calls the script
    Sblgen(app)

    def grant(confirmed):                  # runs once per order (with a store)
        ...

    app.register_blueprint(confirm_blueprint(on_confirmed=grant, store=SQLiteStore(path)))
    # template: {{ sbl_script() }} {{ sbl_confirm_on_close(csrf_token=csrf_token()) }}

The route (``POST /fastspring/confirm`` by default) reads only ``{"id": ...}`` from the body
and answers the typed JSON of :mod:`sblgen.integrations.confirm` (200 confirmed, 4xx naming
the failed check, 502 when FastSpring cannot be asked). Orders must be in the storefront's
mode (``SBLGEN_STOREFRONT``, or ``storefront=``): a live site refuses test orders.

``expect`` says what this buyer's order must be: an
:class:`~sblgen.integrations.confirm.Expectations`, or a function of no arguments that
reads Flask's ``request``/``g`` (the logged-in user) and returns one. The API client is
made on first use from the environment (``FASTSPRING_API_USERNAME`` /
``FASTSPRING_API_PASSWORD``) unless ``client=`` gives one (or a function that makes one).

**CSRF.** Flask core has none. With Flask-WTF's ``CSRFProtect`` the route is protected
like any other POST: pass ``csrf_token=csrf_token()`` to the template global, which sends
it as ``X-CSRFToken`` (the header Flask-WTF reads). The body is JSON, which a cross-site
form cannot send, and the route refuses any other content type.
"""

from __future__ import annotations

import threading
import weakref
from collections.abc import Callable
from typing import TYPE_CHECKING, Any

from flask import Blueprint, Flask, Response, current_app, g, request, url_for
from markupsafe import Markup

from sblgen.api.confirm import ConfirmedOrder
from sblgen.confirm_snippet import confirm_js, confirm_on_close
from sblgen.errors import ConfigurationError
from sblgen.events.endpoint import read_limited
from sblgen.integrations.confirm import (
    CONTENT_TYPE,
    MAX_BODY_BYTES,
    Expectations,
    confirm_request,
    expect_live,
)
from sblgen.storefront import Storefront

if TYPE_CHECKING:  # pragma: no cover
    from sblgen.api.client import Client
    from sblgen.events.store import EventStore
    from sblgen.options import SblOptions

__all__ = ["confirm_blueprint"]


def _storefront(app: Flask, given: Storefront | str | None) -> Storefront:
    value = given if given is not None else app.config.get("SBLGEN_STOREFRONT")
    if value is None:
        raise ConfigurationError(
            "confirm_blueprint needs the storefront, to know whether orders must be live or "
            "test ones: set app.config['SBLGEN_STOREFRONT'] or pass storefront=."
        )
    return Storefront.parse(value)


def _options(app: Flask) -> SblOptions | None:
    extension = app.extensions.get("sblgen")
    helpers = getattr(extension, "helpers", None)
    return getattr(helpers, "options", None)


def _env_client() -> Client:
    from sblgen.api.client import Client

    return Client()


def _close(made: list[Client]) -> None:
    for client in made:
        client.close()


def confirm_blueprint(
    *,
    client: Client | Callable[[], Client] | None = None,
    expect: Expectations | Callable[[], Expectations | None] | None = None,
    on_confirmed: Callable[[ConfirmedOrder], object] | None = None,
    store: EventStore | None = None,
    storefront: Storefront | str | None = None,
    url: str = "/fastspring/confirm",
    script_url: str = "/fastspring/sbl-confirm.js",
    name: str = "sblgen_confirm",
) -> Blueprint:
    """A blueprint whose ``url`` confirms the order id the page posts when the popup closes
    (see the module documentation), serving the script at ``script_url`` and adding the
    ``sbl_confirm_on_close`` template global.

    >>> from flask import Flask
    >>> app = Flask("shop")
    >>> app.config["SBLGEN_STOREFRONT"] = "acme.test.onfastspring.com/popup-acme"
    >>> app.register_blueprint(confirm_blueprint(client=lambda: None))
    >>> reply = app.test_client().post("/fastspring/confirm", data="id=o1")
    >>> reply.status_code, reply.get_json()["check"]
    (415, 'request')
    """
    blueprint = Blueprint(name, __name__)
    modes: dict[int, bool] = {}
    made: list[Client] = []
    lock = threading.Lock()

    @blueprint.record_once
    def check(state: Any) -> None:
        app: Flask = state.app
        modes[id(app)] = expect_live(_storefront(app, storefront))

        def sbl_confirm_on_close(
            csrf_token: str | None = None,
            csrf_header: str | None = None,
            csrf_cookie: str | None = None,
            nonce: str | None = None,
        ) -> Markup:
            options = _options(current_app)
            header = csrf_header or ("X-CSRFToken" if csrf_token or csrf_cookie else None)
            found = g.get("csp_nonce")
            return confirm_on_close(
                url_for(f"{name}.confirm"),
                options=options,
                csrf_header=header,
                csrf_token=csrf_token,
                csrf_cookie=csrf_cookie,
                nonce=nonce or (str(found) if found else None),
                script_src=url_for(f"{name}.script"),
            )

        app.jinja_env.globals["sbl_confirm_on_close"] = sbl_confirm_on_close

    def api_client() -> Client:
        if client is not None and not callable(client):
            return client
        with lock:
            if not made:
                made.append(client() if client is not None else _env_client())
            return made[0]

    @blueprint.post(url, endpoint="confirm")
    def confirm() -> Response:
        app: Flask = current_app._get_current_object()  # type: ignore[attr-defined]
        declared = request.content_length
        body = (
            None
            if declared is not None and declared > MAX_BODY_BYTES
            else read_limited(request.stream.read, MAX_BODY_BYTES)
        )
        expectations = expect() if callable(expect) else expect
        reply = confirm_request(
            body,
            request.content_type,
            client=api_client,
            live=modes[id(app)],
            expectations=expectations,
            on_confirmed=on_confirmed,
            store=store,
        )
        response = Response(reply.json(), status=reply.status, content_type=CONTENT_TYPE)
        response.headers["Cache-Control"] = "no-store"
        return response

    @blueprint.get(script_url, endpoint="script")
    def script() -> Response:
        response = Response(confirm_js(), content_type="application/javascript; charset=utf-8")
        response.headers["Cache-Control"] = "public, max-age=3600"
        return response

    # The client this blueprint made is closed with it (its sockets, cleanly).
    weakref.finalize(blueprint, _close, made)
    return blueprint
