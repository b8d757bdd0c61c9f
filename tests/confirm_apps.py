"""Shop apps for the order-confirmation tests: a Flask app (run in this process) and a
Django project (run in a process of its own: Django is configured once per process) that
serve a checkout page with the SBL tag and the confirm script, confirm the posted order id
against the fake FastSpring over real HTTP, and fulfil through a store shared with their
webhook receiver. Each fulfilment appends one line to a log file, so a test counts what ran.

``python -m tests.confirm_apps django FAKE_URL DB LOG`` (from the repository root) prints
the Django app's URL on its first line and serves until terminated.
"""

from __future__ import annotations

import os
import secrets
import sys
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import TYPE_CHECKING, Any

from werkzeug.serving import BaseWSGIServer, make_server

from sblgen.api.confirm import ConfirmedOrder
from sblgen.confirm_snippet import DEFAULT_CALLBACK
from sblgen.events import Dispatcher, EventStore, OrderCompleted
from sblgen.testing import PASSWORD, USERNAME

if TYPE_CHECKING:
    from sblgen.api import Client

STOREFRONT = "acme.test.onfastspring.com/popup-acme"
STORE_HOST = "https://acme.test.onfastspring.com"
WEBHOOK_SECRET = "whsec-confirm-test"
#: What the page records: every outcome event the confirm script dispatches.
LISTENER_JS = """window.__confirm = [];
["order-confirmed", "order-refused", "order-error", "order-none"].forEach(function (t) {
  document.addEventListener("sblgen:" + t, function (e) { window.__confirm.push([t, e.detail]); });
});"""


def policy(nonce: str | None) -> str:
    """The page's Content-Security-Policy: a nonce for inline scripts, or none at all."""
    scripts = f"'nonce-{nonce}'" if nonce else "'self'"
    return (
        f"default-src 'self'; script-src {scripts} https://sbl.onfastspring.com; "
        f"connect-src 'self' {STORE_HOST}; style-src 'self' https://sbl.onfastspring.com; "
        f"img-src 'self' https://sbl.onfastspring.com; frame-src {STORE_HOST}; "
        "object-src 'none'; base-uri 'self'"
    )


def _log(log: Path, line: str) -> None:
    with log.open("a", encoding="utf-8") as out:
        out.write(line + "\n")


def fulfilled(log: Path) -> list[str]:
    """What the app fulfilled, in order (``popup <id>`` or ``webhook <id>``)."""
    return log.read_text(encoding="utf-8").splitlines() if log.exists() else []


def dispatcher(log: Path) -> Dispatcher:
    """The webhook side: ``order.completed`` fulfils the same order."""
    hooks = Dispatcher()

    @hooks.on(OrderCompleted)
    def fulfil(event: OrderCompleted) -> None:
        _log(log, f"webhook {event.data.order_id}")

    return hooks


# ------------------------------------------------------------------------------- Flask


def flask_app(client: Client, store: EventStore, log: Path, *, mode: str = "inline") -> Any:
    """The Flask shop: ``GET /checkout`` (the page), the confirm blueprint at
    ``POST /orders/confirm``, the webhook blueprint, and a minimal CSRF check (a token per
    session, required in ``X-CSRFToken`` on every POST but the webhook's)."""
    from flask import Flask, abort, g, render_template_string, request, session

    from sblgen.integrations.flask import Sblgen
    from sblgen.integrations.flask_confirm import confirm_blueprint
    from sblgen.integrations.flask_webhooks import webhook_blueprint
    from sblgen.render import loader_js

    app = Flask("shop")
    app.secret_key = "test-only"
    app.config.update(
        SBLGEN_STOREFRONT=STOREFRONT,
        SBLGEN_POPUP_CLOSED=DEFAULT_CALLBACK,
        SBLGEN_MODE=mode,
        SBLGEN_WEBHOOKS={"SECRET": WEBHOOK_SECRET},
    )
    Sblgen(app)

    def grant(confirmed: ConfirmedOrder) -> None:
        _log(log, f"popup {confirmed.order_id}")

    app.register_blueprint(
        confirm_blueprint(client=client, on_confirmed=grant, store=store, url="/orders/confirm")
    )
    app.register_blueprint(webhook_blueprint(dispatcher(log), store=store))

    @app.before_request
    def csrf() -> None:
        g.csp_nonce = secrets.token_urlsafe(16) if mode == "inline" else None
        token = session.setdefault("csrf", secrets.token_urlsafe(24))
        exempt = request.path == "/fastspring/webhooks"  # signed by FastSpring instead
        if request.method == "POST" and not exempt and request.headers.get("X-CSRFToken") != token:
            abort(403)

    @app.after_request
    def csp(response: Any) -> Any:
        if request.path == "/checkout":
            response.headers["Content-Security-Policy"] = policy(g.csp_nonce)
        return response

    page = """<!doctype html><html lang="en"><head><meta charset="utf-8"><title>Checkout</title>
</head><body>
{% if g.csp_nonce %}<script nonce="{{ g.csp_nonce }}">{{ listener }}</script>
{% else %}<script src="/listener.js"></script>{% endif %}
{{ sbl_script() }}
{{ sbl_confirm_on_close(csrf_token=session["csrf"]) }}
</body></html>"""

    @app.get("/checkout")
    def checkout() -> str:
        from markupsafe import Markup

        return render_template_string(page, listener=Markup(LISTENER_JS))

    @app.get("/listener.js")
    def listener() -> Any:
        return app.response_class(LISTENER_JS, content_type="application/javascript")

    @app.get("/static/sblgen/sbl-loader.js")
    def loader() -> Any:
        return app.response_class(loader_js(), content_type="application/javascript")

    return app


@contextmanager
def serving(app: Any) -> Iterator[str]:
    """Serve a WSGI app on 127.0.0.1 (a free port, threaded) while the block runs."""
    server: BaseWSGIServer = make_server("127.0.0.1", 0, app, threaded=True)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{server.server_port}"
    finally:
        server.shutdown()
        server.server_close()


# ------------------------------------------------------------------------------ Django

#: Filled by :func:`django_main`: the project's URLs (this module is its ROOT_URLCONF).
urlpatterns: list[Any] = []

DJANGO_PAGE = """{% load sblgen sblgen_confirm %}<!doctype html><html lang="en"><head>
<meta charset="utf-8"><title>Checkout</title></head><body>
<script nonce="{{ request.csp_nonce }}">{{ listener }}</script>
{% sbl_script %}
{% sbl_confirm_on_close "confirm-order" %}
</body></html>"""


def django_main(fake_url: str, db: str, log: Path) -> None:
    """Configure Django (an SQLite database with the sblgen app migrated), mount the page,
    the confirm view and the webhook view on one DjangoStore, and serve."""
    import django
    from django.conf import settings

    settings.configure(
        DEBUG=False,
        SECRET_KEY="test-only",
        ALLOWED_HOSTS=["127.0.0.1"],
        ROOT_URLCONF=__name__,
        INSTALLED_APPS=["django.contrib.contenttypes", "sblgen.integrations.django"],
        MIDDLEWARE=["django.middleware.csrf.CsrfViewMiddleware"],
        DATABASES={"default": {"ENGINE": "django.db.backends.sqlite3", "NAME": db}},
        TEMPLATES=[
            {
                "BACKEND": "django.template.backends.django.DjangoTemplates",
                "OPTIONS": {"context_processors": ["django.template.context_processors.request"]},
            }
        ],
        SBLGEN={"STOREFRONT": STOREFRONT, "POPUP_CLOSED": DEFAULT_CALLBACK},
        SBLGEN_WEBHOOKS={"SECRET": WEBHOOK_SECRET},
        USE_TZ=True,
    )
    django.setup()
    from django.core.handlers.wsgi import WSGIHandler
    from django.core.management import call_command
    from django.http import HttpRequest, HttpResponse
    from django.template import engines
    from django.urls import path
    from markupsafe import Markup

    from sblgen.api import Client
    from sblgen.integrations.django.confirm import confirm_view
    from sblgen.integrations.django.webhooks import DjangoStore, webhook_view

    call_command("migrate", verbosity=0)
    store = DjangoStore()
    client = Client(username=USERNAME, password=PASSWORD, base_url=fake_url, timeout=5.0)
    template = engines["django"].from_string(DJANGO_PAGE)

    def grant(request: HttpRequest, confirmed: ConfirmedOrder) -> None:
        _log(log, f"popup {confirmed.order_id}")

    def checkout(request: HttpRequest) -> HttpResponse:
        nonce = secrets.token_urlsafe(16)
        request.csp_nonce = nonce  # what django-csp sets
        html = template.render({"listener": Markup(LISTENER_JS)}, request)
        response = HttpResponse(html)
        response["Content-Security-Policy"] = policy(nonce)
        return response

    urlpatterns[:] = [
        path("checkout", checkout),
        path(
            "orders/confirm/",
            confirm_view(client=client, on_confirmed=grant, store=store),
            name="confirm-order",
        ),
        path("fastspring/webhooks/", webhook_view(dispatcher(log), store=store)),
    ]
    server = make_server("127.0.0.1", 0, WSGIHandler(), threaded=True)
    print(f"http://127.0.0.1:{server.server_port}", flush=True)
    server.serve_forever()


def django_argv(fake_url: str, db: Path, log: Path) -> list[str]:
    """The command line of the Django app's process (run it from the repository root)."""
    return [sys.executable, "-m", "tests.confirm_apps", "django", fake_url, str(db), str(log)]


if __name__ == "__main__":
    if sys.argv[1:2] != ["django"]:
        raise SystemExit("usage: python -m tests.confirm_apps django FAKE_URL DB LOG")
    os.environ.pop("DJANGO_SETTINGS_MODULE", None)
    django_main(sys.argv[2], sys.argv[3], Path(sys.argv[4]))
