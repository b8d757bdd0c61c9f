"""The Django confirm view (real Django, its test client with CSRF checks on) against the fake
FastSpring over real HTTP, and the ``{% sbl_confirm_on_close %}`` tag's CSRF token, URL name
and nonce.

Django is configured once per process (see tests/test_integrations_django_webhooks.py): this
module fills in the settings only when no other test module did, and overrides what it needs
per test."""

from __future__ import annotations

import json
import re
from collections.abc import Iterator
from typing import Any

import django
import pytest
from django.core.exceptions import ImproperlyConfigured
from django.template import Context, Template
from django.test import Client as DjangoClient
from django.test import RequestFactory, override_settings
from django.urls import path

from sblgen.api import Client, ConfirmedOrder
from sblgen.events import MemoryStore
from sblgen.integrations.confirm import Expectations
from sblgen.integrations.django.confirm import confirm_view
from sblgen.testing.resources import FakeResources

TEST_SHOP = "acme.test.onfastspring.com/popup-acme"
SBLGEN = {"STOREFRONT": TEST_SHOP, "POPUP_CLOSED": "sblgenConfirmOrder"}
CSRF = ["django.middleware.csrf.CsrfViewMiddleware"]
URL = "/orders/confirm/"

urlpatterns: list[Any] = []


def _ensure_django() -> None:
    from django.conf import settings

    if not settings.configured:
        settings.configure(
            DEBUG=False,
            SECRET_KEY="test-only",
            ALLOWED_HOSTS=["testserver"],
            ROOT_URLCONF=__name__,
            INSTALLED_APPS=["django.contrib.contenttypes", "sblgen.integrations.django"],
            TEMPLATES=[{"BACKEND": "django.template.backends.django.DjangoTemplates"}],
        )
        django.setup()


@pytest.fixture(autouse=True)
def _settings() -> Iterator[None]:
    _ensure_django()
    with override_settings(ROOT_URLCONF=__name__, SBLGEN=SBLGEN, MIDDLEWARE=CSRF):
        yield
    urlpatterns.clear()


def _mount(view: Any) -> None:
    urlpatterns[:] = [path(URL.strip("/") + "/", view, name="confirm-order")]


def _post(web: DjangoClient, order_id: str, **headers: str) -> tuple[int, dict[str, Any]]:
    reply = web.post(
        URL, data=json.dumps({"id": order_id}), content_type="application/json", headers=headers
    )
    return reply.status_code, json.loads(reply.content) if reply.content else {}


def _csrf_client() -> tuple[DjangoClient, str]:
    """A client whose CSRF cookie is set, and the token to send with it."""
    web = DjangoClient(enforce_csrf_checks=True)
    token = "T" * 32
    web.cookies["csrftoken"] = token
    return web, token


def test_confirms_with_the_csrf_header_and_refuses_without(
    data: FakeResources, client: Client
) -> None:
    granted: list[tuple[str, str]] = []

    def grant(request: Any, confirmed: ConfirmedOrder) -> None:
        granted.append((request.method, confirmed.order_id))

    _mount(confirm_view(client=client, on_confirmed=grant, store=MemoryStore()))
    order = data.add_order(live=False)
    web, token = _csrf_client()
    assert (
        web.post(
            URL, data=json.dumps({"id": order["order"]}), content_type="application/json"
        ).status_code
        == 403
    )
    status, body = _post(web, order["order"], X_CSRFTOKEN=token)
    assert (status, body["result"], body["order"]) == (200, "confirmed", order["order"])
    assert _post(web, order["order"], X_CSRFTOKEN=token)[1]["duplicate"] is True
    assert granted == [("POST", order["order"])]
    assert web.get(URL).status_code == 405


def test_mode_from_settings_and_refusals(data: FakeResources, client: Client) -> None:
    _mount(confirm_view(client=client))
    web = DjangoClient()
    live = data.add_order(live=True)
    assert _post(web, live["order"])[1]["check"] == "live"
    with override_settings(SBLGEN={"STOREFRONT": "acme.onfastspring.com/popup-acme"}):
        assert _post(web, live["order"])[0] == 200
        assert _post(web, data.add_order(live=False)["order"])[1]["check"] == "live"
    assert _post(web, "FORGEDorder1") == (
        404,
        {
            "result": "refused",
            "check": "found",
            "message": _post(web, "FORGEDorder1")[1]["message"],
        },
    )
    form = web.post(URL, data={"id": live["order"]})
    assert form.status_code == 415


def test_expectations_from_the_request(data: FakeResources, client: Client) -> None:
    mine = data.add_account()["account"]

    def expected(request: Any) -> Expectations:
        return Expectations(account=request.headers.get("X-User-Account"))

    _mount(confirm_view(client=client, expect=expected))
    order = data.add_order(account_id=mine)
    web = DjangoClient()
    assert _post(web, order["order"], X_USER_ACCOUNT=mine)[0] == 200
    assert _post(web, order["order"], X_USER_ACCOUNT="ACother")[1]["check"] == "account"


def test_the_storefront_is_required(client: Client) -> None:
    _mount(confirm_view(client=client))
    with (
        override_settings(SBLGEN={}),
        pytest.raises(ImproperlyConfigured, match="needs the storefront"),
    ):
        _post(DjangoClient(), "o1")


def _tag(source: str, request: Any = None) -> str:
    template = Template("{% load sblgen_confirm %}" + source)
    return str(template.render(Context({"request": request} if request is not None else {})))


def test_tag_sends_the_requests_token_and_reverses_the_url_name(client: Client) -> None:
    _mount(confirm_view(client=client))
    request = RequestFactory().get("/checkout")
    request.csp_nonce = "bm9uY2U="  # what django-csp sets
    html = _tag('{% sbl_confirm_on_close "confirm-order" %}', request)
    opening = re.fullmatch(
        r'<script data-confirm-url="/orders/confirm/" data-callback="sblgenConfirmOrder" '
        r'data-csrf-header="X-CSRFTOKEN" data-csrf-token="([A-Za-z0-9]{64})" nonce="bm9uY2U=">',
        html[: html.index(">") + 1],
    )
    assert opening is not None, html[:300]
    assert request.META["CSRF_COOKIE_NEEDS_UPDATE"]  # the response sets the cookie it matches


def test_tag_reads_the_cookie_without_a_request() -> None:
    html = _tag('{% sbl_confirm_on_close "/orders/confirm/" %}')
    assert 'data-csrf-header="X-CSRFTOKEN" data-csrf-cookie="csrftoken">' in html
    with override_settings(CSRF_COOKIE_NAME="shop_csrf", CSRF_HEADER_NAME="HTTP_X_SHOP_CSRF"):
        html = _tag('{% sbl_confirm_on_close "/orders/confirm/" %}')
        assert 'data-csrf-header="X-SHOP-CSRF" data-csrf-cookie="shop_csrf">' in html
    with (
        override_settings(CSRF_COOKIE_HTTPONLY=True),
        pytest.raises(ImproperlyConfigured, match="needs the request in the template context"),
    ):
        _tag('{% sbl_confirm_on_close "/orders/confirm/" %}')


def test_tag_in_external_mode_loads_the_static_script() -> None:
    with override_settings(SBLGEN={**SBLGEN, "MODE": "external"}, STATIC_URL="/static/"):
        html = _tag('{% sbl_confirm_on_close "/orders/confirm/" %}')
    assert html.startswith('<script src="/static/sblgen/sbl-confirm.js" data-confirm-url=')
    assert html.endswith("></script>")


def test_the_app_ships_the_script_as_a_static_file() -> None:
    from pathlib import Path

    import sblgen.integrations.django as app

    shipped = Path(app.__file__).parent / "static" / "sblgen" / "sbl-confirm.js"
    from sblgen.confirm_snippet import confirm_js

    assert shipped.read_text(encoding="utf-8") == confirm_js()
