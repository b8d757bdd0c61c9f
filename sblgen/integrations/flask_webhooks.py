"""FastSpring webhooks in Flask: a blueprint with one POST route.

    from sblgen.events import Dispatcher, OrderCompleted
    from sblgen.integrations.flask_webhooks import webhook_blueprint

    dispatcher = Dispatcher()

    @dispatcher.on(OrderCompleted)
    def fulfil(event: OrderCompleted) -> None:
        ...

    app.config["SBLGEN_WEBHOOKS"] = {"SQLITE_PATH": "/var/lib/shop/webhooks.sqlite3"}
    app.register_blueprint(webhook_blueprint(dispatcher))  # POST /fastspring/webhooks

``app.config["SBLGEN_WEBHOOKS"]`` (every key optional): ``SECRET`` (or a list during a
rotation), ``SECRET_ENV`` (environment variable(s) holding the secret, read on every
request; default ``SBLGEN_WEBHOOK_SECRET``), ``SQLITE_PATH`` (the
:class:`~sblgen.events.store.SQLiteStore` file; default ``sblgen-webhooks.sqlite3`` in the
app's instance folder) and ``MAX_BODY_BYTES``. Every process of the app on this machine
shares the SQLite file, so a redelivery that reaches another worker is still a duplicate.

The route reads the raw body itself (never ``request.json``: the signature covers the exact
bytes), bounded by ``MAX_BODY_BYTES``; Flask sends 405 to anything but POST. There is no
CSRF check in Flask core; with Flask-WTF's ``CSRFProtect``, exempt the blueprint
(``csrf.exempt(blueprint)``): the HMAC signature authenticates the post.
"""

from __future__ import annotations

import os

from flask import Blueprint, Flask, Response, current_app, request

from sblgen.events.dispatch import Dispatcher
from sblgen.events.endpoint import SETTING, StoreChoice, WebhookSettings, answer, read_limited
from sblgen.events.receiver import CONTENT_TYPE, Secrets
from sblgen.events.store import EventStore, SQLiteStore

__all__ = ["DEFAULT_SQLITE_NAME", "webhook_blueprint"]

#: The SQLite file's name in the app's instance folder when ``SQLITE_PATH`` is not set.
DEFAULT_SQLITE_NAME = "sblgen-webhooks.sqlite3"


def _settings(app: Flask) -> WebhookSettings:
    return WebhookSettings.from_mapping(app.config.get(SETTING), setting=f"app.config[{SETTING!r}]")


def _default_store(app: Flask, config: WebhookSettings) -> EventStore:
    path = config.sqlite_path
    if path is None:
        os.makedirs(app.instance_path, exist_ok=True)
        path = os.path.join(app.instance_path, DEFAULT_SQLITE_NAME)
    return SQLiteStore(path)


def webhook_blueprint(
    dispatcher: Dispatcher,
    *,
    store: EventStore | None = None,
    secrets: Secrets | None = None,
    url: str = "/fastspring/webhooks",
    name: str = "sblgen_webhooks",
) -> Blueprint:
    """A blueprint whose ``url`` receives FastSpring's webhook posts and dispatches them.

    ``store`` defaults to one :class:`~sblgen.events.store.SQLiteStore` per app (see the
    module docs); ``secrets`` defaults to the settings. The settings are checked when the
    blueprint is registered, so a typo fails at start-up with one line.

    >>> from flask import Flask
    >>> from sblgen.events import Dispatcher, MemoryStore
    >>> from sblgen.webhooks import sign
    >>> dispatcher = Dispatcher()
    >>> @dispatcher.on("order.completed")
    ... def fulfil(event):
    ...     print("fulfil", event.data.order_id)
    >>> app = Flask("shop")
    >>> app.config["SBLGEN_WEBHOOKS"] = {"SECRET": "s3cret"}
    >>> app.register_blueprint(webhook_blueprint(dispatcher, store=MemoryStore()))
    >>> body = b'{"events": [{"id": "e1", "type": "order.completed", "data": {"order": "o1"}}]}'
    >>> reply = app.test_client().post("/fastspring/webhooks", data=body,
    ...     headers={"X-FS-Signature": sign(body, "s3cret")})
    fulfil o1
    >>> reply.status_code, app.test_client().get("/fastspring/webhooks").status_code
    (200, 405)
    """
    blueprint = Blueprint(name, __name__)
    stores = StoreChoice(store)

    @blueprint.record_once
    def check(state: object) -> None:
        _settings(state.app)  # type: ignore[attr-defined]

    @blueprint.post(url)
    def fastspring_webhook() -> Response:
        app: Flask = current_app._get_current_object()  # type: ignore[attr-defined]
        config = _settings(app)
        body = read_limited(
            request.stream.read, config.max_body_bytes, declared=request.content_length
        )
        reply = answer(
            body,
            dict(request.headers.items()),
            config,
            secrets,
            dispatcher,
            lambda: stores.get(id(app), lambda: _default_store(app, config)),
        )
        return Response(reply.body, status=reply.status, content_type=CONTENT_TYPE)

    return blueprint
