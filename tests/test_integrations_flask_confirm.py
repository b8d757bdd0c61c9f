"""The Flask confirm blueprint (real Flask, its test client) against the fake FastSpring over
real HTTP: the mode comes from the storefront, expectations from the request, the template
global renders the script for the SBL tag's options with the request's nonce."""

from __future__ import annotations

from typing import Any

import pytest
from flask import Flask, g, render_template_string

from sblgen import ConfigurationError, RenderError
from sblgen.api import Client, ConfirmedOrder
from sblgen.confirm_snippet import confirm_js
from sblgen.events import MemoryStore
from sblgen.integrations.confirm import Expectations
from sblgen.integrations.flask import Sblgen
from sblgen.integrations.flask_confirm import confirm_blueprint
from sblgen.testing import FakeFastSpring, client_for
from sblgen.testing.resources import FakeResources

TEST_SHOP = "acme.test.onfastspring.com/popup-acme"


def _app(storefront: str | None = TEST_SHOP, **config: Any) -> Flask:
    app = Flask("shop")
    if storefront is not None:
        app.config["SBLGEN_STOREFRONT"] = storefront
    app.config.update(config)
    return app


def test_confirms_and_refuses(data: FakeResources, client: Client) -> None:
    app = _app()
    granted: list[str] = []

    def grant(confirmed: ConfirmedOrder) -> None:
        granted.append(confirmed.order_id)

    app.register_blueprint(
        confirm_blueprint(client=client, on_confirmed=grant, store=MemoryStore())
    )
    good, live = data.add_order(live=False), data.add_order(live=True)
    web = app.test_client()
    reply = web.post("/fastspring/confirm", json={"id": good["order"]})
    assert reply.status_code == 200 and reply.get_json()["order"] == good["order"]
    assert reply.headers["Content-Type"] == "application/json"
    assert reply.headers["Cache-Control"] == "no-store"
    reply = web.post("/fastspring/confirm", json={"id": live["order"]})
    assert (reply.status_code, reply.get_json()["check"]) == (422, "live")
    assert web.get("/fastspring/confirm").status_code == 405
    assert granted == [good["order"]]


def test_a_live_storefront_refuses_test_orders(data: FakeResources, client: Client) -> None:
    app = _app("acme.onfastspring.com/popup-acme")
    app.register_blueprint(confirm_blueprint(client=client))
    reply = app.test_client().post("/fastspring/confirm", json={"id": data.add_order()["order"]})
    assert (reply.status_code, reply.get_json()["check"]) == (422, "live")


def test_expectations_from_the_request(data: FakeResources, client: Client) -> None:
    mine = data.add_account()["account"]
    app = _app()

    def expected() -> Expectations:
        from flask import request

        return Expectations(account=request.headers.get("X-User-Account"))

    app.register_blueprint(confirm_blueprint(client=client, expect=expected))
    order = data.add_order(account_id=mine)
    web = app.test_client()
    ok = web.post(
        "/fastspring/confirm", json={"id": order["order"]}, headers={"X-User-Account": mine}
    )
    assert ok.status_code == 200
    other = web.post(
        "/fastspring/confirm", json={"id": order["order"]}, headers={"X-User-Account": "ACother"}
    )
    assert (other.status_code, other.get_json()["check"]) == (422, "account")


def test_the_client_factory_is_called_once(data: FakeResources, fake: FakeFastSpring) -> None:
    made: list[Client] = []

    def make() -> Client:
        made.append(client_for(fake))
        return made[-1]

    app = _app()
    app.register_blueprint(confirm_blueprint(client=make))
    web = app.test_client()
    assert web.post("/fastspring/confirm", data="x", content_type="text/plain").status_code == 415
    assert made == []  # nothing asked FastSpring yet
    for _ in range(2):
        assert (
            web.post("/fastspring/confirm", json={"id": data.add_order()["order"]}).status_code
            == 200
        )
    assert len(made) == 1
    made[0].close()


def test_the_storefront_is_required_at_registration() -> None:
    with pytest.raises(ConfigurationError, match=r"set app.config\['SBLGEN_STOREFRONT'\]"):
        _app(None).register_blueprint(confirm_blueprint(client=lambda: None))  # type: ignore[arg-type,return-value]
    app = _app(None)
    app.register_blueprint(confirm_blueprint(client=lambda: None, storefront=TEST_SHOP))  # type: ignore[arg-type,return-value]


def test_serves_the_script() -> None:
    app = _app()
    app.register_blueprint(confirm_blueprint(script_url="/js/confirm.js"))
    reply = app.test_client().get("/js/confirm.js")
    assert reply.status_code == 200 and reply.get_data(as_text=True) == confirm_js()
    assert reply.headers["Content-Type"].startswith("application/javascript")


def test_template_global_follows_the_sbl_tag_and_the_nonce() -> None:
    app = _app(SBLGEN_POPUP_CLOSED="onOrderClosed")
    Sblgen(app)
    app.register_blueprint(confirm_blueprint(url="/orders/confirm"))

    @app.get("/page")
    def page() -> str:
        g.csp_nonce = "bm9uY2U="
        return render_template_string(
            "{{ sbl_script() }}{{ sbl_confirm_on_close(csrf_token='t0k') }}"
        )

    html = app.test_client().get("/page").get_data(as_text=True)
    assert 'data-popup-closed="onOrderClosed"' in html
    assert (
        '<script data-confirm-url="/orders/confirm" data-callback="onOrderClosed" '
        'data-csrf-header="X-CSRFToken" data-csrf-token="t0k" nonce="bm9uY2U=">'
    ) in html


def test_template_global_in_external_mode_loads_the_served_script() -> None:
    app = _app(SBLGEN_POPUP_CLOSED="sblgenConfirmOrder", SBLGEN_MODE="external")
    Sblgen(app)
    app.register_blueprint(confirm_blueprint())
    with app.test_request_context("/"):
        html = str(render_template_string("{{ sbl_confirm_on_close() }}"))
    assert html == (
        '<script src="/fastspring/sbl-confirm.js" data-confirm-url="/fastspring/confirm" '
        'data-callback="sblgenConfirmOrder"></script>'
    )


def test_template_global_refuses_a_tag_that_would_never_call_it() -> None:
    app = _app()
    Sblgen(app)  # no SBLGEN_POPUP_CLOSED
    app.register_blueprint(confirm_blueprint())
    with app.test_request_context("/"), pytest.raises(RenderError, match="no popup_closed"):
        render_template_string("{{ sbl_confirm_on_close() }}")
