"""The Flask extension with a real Flask test client."""

from __future__ import annotations

from pathlib import Path

import pytest
from flask import Flask, g, render_template, render_template_string, url_for

from sblgen import ConfigurationError, Session
from sblgen.integrations.flask import LOADER_ENDPOINT, Sblgen
from sblgen.render import loader_js

ROOT = Path(__file__).resolve().parent.parent
SESSION = Session.model_validate({"products": [{"path": "pro-plan", "quantity": 2}]})


def _app(**config: object) -> Flask:
    app = Flask(__name__, template_folder=str(ROOT / "sblgen" / "starters" / "flask"))
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


# ------------------------------------------------------------ external mode: the loader


def _external_app(**config: object) -> Flask:
    app = Flask(__name__, template_folder=str(ROOT / "sblgen" / "starters" / "flask"))
    app.config.update(
        {
            "SBLGEN_STOREFRONT": "acme.test.onfastspring.com/popup-acme",
            "SBLGEN_MODE": "external",
            **config,
        }
    )
    Sblgen(app)

    @app.route("/checkout")
    def checkout() -> str:
        return render_template("checkout.html", session=SESSION, title="Checkout")

    return app


def test_external_mode_serves_the_loader() -> None:
    client = _external_app().test_client()
    html = client.get("/checkout").get_data(as_text=True)
    assert '<script src="/static/sblgen/sbl-loader.js"></script>' in html
    response = client.get("/static/sblgen/sbl-loader.js")
    assert response.status_code == 200
    assert response.mimetype == "application/javascript"
    assert response.headers["X-Content-Type-Options"] == "nosniff"
    assert response.get_data(as_text=True) == loader_js()
    # Flask's own static route still serves everything else under /static/.
    assert client.get("/static/other.js").status_code == 404


def test_loader_at_its_own_path_and_by_endpoint() -> None:
    app = _external_app(SBLGEN_LOADER_SRC="/assets/sbl.js?v=2")
    client = app.test_client()
    assert '<script src="/assets/sbl.js?v=2"></script>' in client.get("/checkout").text
    assert client.get("/assets/sbl.js").text == loader_js()
    with app.test_request_context():
        assert url_for(LOADER_ENDPOINT) == "/assets/sbl.js"


def test_loader_route_only_when_wanted() -> None:
    # inline mode: no route, unless asked for
    assert _app().test_client().get("/static/sblgen/sbl-loader.js").status_code == 404
    app = Flask(__name__)
    app.config["SBLGEN_STOREFRONT"] = "acme.test.onfastspring.com/popup-acme"
    Sblgen(app, serve_loader=True)
    assert app.test_client().get("/static/sblgen/sbl-loader.js").text == loader_js()
    # external mode, served by someone else
    app = Flask(__name__)
    app.config.update(
        SBLGEN_STOREFRONT="acme.test.onfastspring.com/popup-a", SBLGEN_MODE="external"
    )
    Sblgen(app, serve_loader=False)
    assert app.test_client().get("/static/sblgen/sbl-loader.js").status_code == 404
    # a loader on a CDN: nothing to serve here
    app = _external_app(SBLGEN_LOADER_SRC="https://cdn.example.com/sbl-loader.js")
    assert app.test_client().get("/static/sblgen/sbl-loader.js").status_code == 404


@pytest.mark.parametrize(
    ("src", "message"),
    [
        ("https://cdn.example.com/l.js", r"^SBLGEN_LOADER_SRC: 'https://cdn.* is a full URL"),
        ("js/l.js", r"^SBLGEN_LOADER_SRC: 'js/l.js' is relative to each page"),
    ],
)
def test_loader_route_errors(src: str, message: str) -> None:
    app = Flask(__name__)
    app.config.update(SBLGEN_STOREFRONT="acme.test.onfastspring.com/popup-a", SBLGEN_LOADER_SRC=src)
    with pytest.raises(ConfigurationError, match=message):
        Sblgen(app, serve_loader=True)


def test_external_page_and_loader_over_a_real_socket() -> None:
    """The page and its loader from a real HTTP server, as a browser fetches them."""
    import threading
    import urllib.request

    from werkzeug.serving import make_server

    server = make_server("127.0.0.1", 0, _external_app())
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        base = f"http://127.0.0.1:{server.server_port}"
        with urllib.request.urlopen(base + "/checkout", timeout=10) as response:
            html = response.read().decode()
        src = html.split('<script src="')[1].split('"')[0]
        with urllib.request.urlopen(base + src, timeout=10) as response:
            assert response.headers["Content-Type"].startswith("application/javascript")
            assert response.read().decode() == loader_js()
    finally:
        server.shutdown()
        thread.join()
