"""The Flask extension with a real Flask test client."""

from __future__ import annotations

from pathlib import Path

import pytest
from flask import Flask, g, render_template, render_template_string

from sblgen import ConfigurationError, Session
from sblgen.integrations.flask import Sblgen

ROOT = Path(__file__).resolve().parent.parent
SESSION = Session.model_validate({"products": [{"path": "pro-plan", "quantity": 2}]})


def _app(**config: object) -> Flask:
    app = Flask(__name__, template_folder=str(ROOT / "templates" / "flask"))
    app.config.update({"SBLGEN_STOREFRONT": "acme.test.onfastspring.com/popup-acme", **config})
    Sblgen(app)

    @app.before_request
    def set_nonce() -> None:
        g.csp_nonce = "Zmxhc2stbm9uY2U="

    @app.route("/checkout")
    def checkout() -> str:
        return render_template("checkout.html", session=SESSION, title="<Checkout>")

    @app.route("/inline")
    def inline() -> str:
        return render_template_string(
            "{{ sbl_push({'coupon': 'X'}) }}{{ data|sbl_json }}", data={"a": "<"}
        )

    return app


def test_starter_template_with_nonce() -> None:
    html = _app(SBLGEN_ACCESS_KEY="K").test_client().get("/checkout").get_data(as_text=True)
    assert (
        '<script nonce="Zmxhc2stbm9uY2U=">var fscSession = (function(' in html
        and f'(window,document,"session",{SESSION.to_json()});</script>' in html
    )
    assert 'data-access-key="K"' in html and 'nonce="Zmxhc2stbm9uY2U="></script>' in html
    assert 'data-fsc-item-quantity-value="2"' in html
    assert "&lt;Checkout&gt;" in html


def test_globals_and_filter() -> None:
    html = _app().test_client().get("/inline").get_data(as_text=True)
    assert html.startswith('<script nonce="Zmxhc2stbm9uY2U=">(function')
    assert html.endswith('{"a": "\\u003c"}')


def test_external_mode() -> None:
    html = _app(SBLGEN_MODE="external").test_client().get("/checkout").get_data(as_text=True)
    assert (
        "<script>" not in html and '<script type="application/json" data-sblgen="session">' in html
    )


def test_configuration_errors() -> None:
    app = Flask(__name__)
    with pytest.raises(ConfigurationError, match="SBLGEN_STOREFRONT"):
        Sblgen(app)
    app.config["SBLGEN_STOREFRONT"] = "acme.test.onfastspring.com/popup-acme"
    app.config["SBLGEN_ACCES_KEY"] = "typo"
    with pytest.raises(ConfigurationError, match="SBLGEN_ACCES_KEY"):
        Sblgen(app)
    del app.config["SBLGEN_ACCES_KEY"]
    app.config["SBLGEN_MODE"] = "sideways"
    with pytest.raises(ConfigurationError, match=r"^SBLGEN_MODE: Input should be 'inline'"):
        Sblgen(app)
    app.config["SBLGEN_MODE"] = "inline"
    app.config["SBLGEN_STOREFRONT"] = "evil.example/popup"
    with pytest.raises(ConfigurationError, match=r"^SBLGEN_STOREFRONT: .*not a FastSpring"):
        Sblgen(app)
