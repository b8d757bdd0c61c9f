"""Confirm orders when the checkout popup closes, in Django: a ready view, and the
``{% sbl_confirm_on_close %}`` tag (``{% load sblgen_confirm %}``) that renders the page's
script with the CSRF token.

``urls.py``::

    from sblgen.integrations.confirm import Expectations
    from sblgen.integrations.django.confirm import confirm_view
    from sblgen.integrations.django.webhooks import DjangoStore

    def grant(request, confirmed):          # runs once per order (with a store)
        ...

    def expected(request):                  # this buyer's order, if you know their account
        return Expectations(account=request.user.profile.fastspring_account)

    urlpatterns = [
        path("orders/confirm/", confirm_view(on_confirmed=grant, expect=expected,
                                             store=DjangoStore()), name="confirm-order"),
    ]

``settings.py``: ``SBLGEN = {"STOREFRONT": "...", "POPUP_CLOSED": "sblgenConfirmOrder", ...}``
(the SBL tag then calls the script). Template::

    {% load sblgen sblgen_confirm %}
    {% sbl_script %}
    {% sbl_confirm_on_close "confirm-order" %}   {# a URL name, or a path: "/orders/confirm/" #}

The view reads only ``{"id": ...}`` from the body and answers the typed JSON of
:mod:`sblgen.integrations.confirm` (200 confirmed, 4xx naming the failed check, 502 when
FastSpring cannot be asked). Orders must be in the storefront's mode (``SBLGEN
["STOREFRONT"]``, or ``storefront=``): a live site refuses test orders. The view is **not**
CSRF-exempt: Django's CSRF middleware checks the ``X-CSRFToken`` header the tag makes the
script send (the token from ``get_token(request)``, or the ``csrftoken`` cookie when the
template has no request). Give the same store as the webhook view (its default is
``DjangoStore()``) so that an order is fulfilled once, by whichever comes first.
"""

from __future__ import annotations

import threading
import weakref
from collections.abc import Callable
from typing import TYPE_CHECKING

from django.conf import settings
from django.core.exceptions import ImproperlyConfigured
from django.http import HttpRequest, HttpResponse
from django.views.decorators.http import require_POST

from sblgen.api.confirm import ConfirmedOrder
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

__all__ = ["confirm_view"]


def _live(storefront: Storefront | str | None) -> bool:
    value = storefront
    if value is None:
        value = (getattr(settings, "SBLGEN", None) or {}).get("STOREFRONT")
    if value is None:
        raise ImproperlyConfigured(
            "confirm_view needs the storefront, to know whether orders must be live or test "
            "ones: set SBLGEN = {'STOREFRONT': ...} in your settings or pass storefront=."
        )
    return expect_live(value)


def _env_client() -> Client:
    from sblgen.api.client import Client

    return Client()


def _close(made: list[Client]) -> None:
    for client in made:
        client.close()


def confirm_view(
    *,
    client: Client | Callable[[], Client] | None = None,
    expect: Expectations | Callable[[HttpRequest], Expectations | None] | None = None,
    on_confirmed: Callable[[HttpRequest, ConfirmedOrder], object] | None = None,
    store: EventStore | None = None,
    storefront: Storefront | str | None = None,
) -> Callable[[HttpRequest], HttpResponse]:
    """The Django view that confirms the order id the page posts when the popup closes.

    ``expect`` is an :class:`~sblgen.integrations.confirm.Expectations` or a function of
    the request returning one; ``on_confirmed(request, confirmed)`` fulfils (once per order
    when a ``store`` is given). The API client is made on first use from the environment
    (``FASTSPRING_API_USERNAME`` / ``FASTSPRING_API_PASSWORD``) unless ``client=`` gives
    one, or a function that makes one.
    """
    made: list[Client] = []
    lock = threading.Lock()

    def api_client() -> Client:
        if client is not None and not callable(client):
            return client
        with lock:
            if not made:
                made.append(client() if client is not None else _env_client())
            return made[0]

    def confirm_order_view(request: HttpRequest) -> HttpResponse:
        live = _live(storefront)
        try:
            declared = int(request.META.get("CONTENT_LENGTH") or 0)
        except ValueError:
            declared = 0
        body: bytes | None
        if declared > MAX_BODY_BYTES:
            body = None
        elif hasattr(request, "_body"):  # a middleware already read it
            body = request.body
        else:
            body = read_limited(request.read, MAX_BODY_BYTES)
        expectations = expect(request) if callable(expect) else expect
        fulfil = None
        if on_confirmed is not None:
            hook = on_confirmed

            def fulfil(confirmed: ConfirmedOrder) -> object:
                return hook(request, confirmed)

        reply = confirm_request(
            body,
            request.content_type,
            client=api_client,
            live=live,
            expectations=expectations,
            on_confirmed=fulfil,
            store=store,
        )
        response = HttpResponse(reply.json(), status=reply.status, content_type=CONTENT_TYPE)
        response["Cache-Control"] = "no-store"
        return response

    view: Callable[[HttpRequest], HttpResponse] = require_POST(confirm_order_view)
    # The client this view made is closed with it (its sockets, cleanly).
    weakref.finalize(view, _close, made)
    return view
