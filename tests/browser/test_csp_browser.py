"""The Content-Security-Policy sblgen writes, in chromium: under a restrictive ``default-src
'self'`` plus :func:`sblgen.csp.policy`, the SBL sends its cart request, loads its stylesheet
and spinner, and opens the checkout frame (and, embedded, the skeleton) with no violation,
neither as a ``securitypolicyviolation`` event nor on the console. Controls show that what is
left out is needed: the old script-src-only policy, and the embedded policy without its
``style-src-attr`` hash, both record violations.

The assertions look only at the DOM and what reaches the storefront, so the file also runs
against another SBL build (``SBLGEN_BROWSER_SBL=/path/to/sbl.js``)."""

from __future__ import annotations

from typing import Any
from urllib.parse import urlsplit

import pytest
from flask import Flask, render_template_string

from sblgen import LOADER_PATH, Product, SblOptions, Session, csp, embed, item_price, order_total
from sblgen.integrations.flask import Sblgen
from tests.browser.harness import PageServer, page_html, settle, wire_requests

pytestmark = pytest.mark.browser

STOREFRONTS = {
    "popup": "acme.test.onfastspring.com/popup-acme",
    "embedded": "acme.test.onfastspring.com/embedded-acme",
    "web": "acme.test.onfastspring.com/acme",
    "inapp": "acme.test.onfastspring.com/inapp-acme",
}
NONCE = "Y3NwLWJyb3dzZXItbm9uY2U="
SESSION = Session(products=[Product(path="pro-plan")])
#: Where the SBL renders an embedded checkout (written by hand here, so that this file tests
#: the policy whatever emits the container).
CONTAINER = '<div id="fsc-embedded-checkout-container"></div>'


def options(kind: str, mode: Any) -> SblOptions:
    return SblOptions(storefront=STOREFRONTS[kind], access_key="TESTKEY", mode=mode)


def serve_loader(server: PageServer) -> None:
    server.add(
        "/static/sblgen/sbl-loader.js",
        LOADER_PATH.read_text(encoding="utf-8"),
        content_type="application/javascript",
    )


def csp_problems(page: Any) -> list[str]:
    """Every CSP violation the page saw: events, and console messages about the policy."""
    events: list[str] = page.evaluate("window.__violations")
    console = [m.text for m in page.console_messages if "Content Security Policy" in m.text]
    return events + console


def loaded(page: Any) -> set[str]:
    return {urlsplit(e["url"]).path for e in page.fastspring_requests}


def open_checkout(page: Any, kind: str, mode: str, policy: str, server: PageServer) -> None:
    """Load a page with sblgen's snippet under ``policy``, then let the SBL open checkout
    (popup: a click; embedded: by itself, into the container)."""
    opts = options(kind, mode)
    nonce = NONCE if mode == "inline" else None
    if mode == "external":
        serve_loader(server)
    parts = [str(embed(opts, session=SESSION, nonce=nonce))]
    if kind == "embedded":
        # The container first, and a storefront that takes its time: the SBL puts its
        # skeleton only into an empty container, so it must find one before the checkout
        # frame arrives.
        parts.insert(0, CONTAINER)
        page.store.delay_ms = 250
    url = server.add(
        f"/csp-{kind}-{mode}.html",
        page_html(*parts),
        headers={"Content-Security-Policy": policy},
    )
    page.goto(url)
    settle(page, 1)
    if kind == "popup":
        page.eval_on_selector("[data-fsc-action]", "el => el.click()")
    if kind in ("popup", "embedded"):
        page.wait_for_selector("#fsc-popup-frame", state="attached")
        settle(page, 2)
    page.wait_for_timeout(300)


@pytest.mark.parametrize("mode", ["inline", "external"])
@pytest.mark.parametrize("kind", ["popup", "embedded"])
def test_checkout_opens_without_a_violation(
    page: Any, page_server: PageServer, kind: str, mode: str
) -> None:
    opts = options(kind, mode)
    policy = csp.policy(opts, nonce=NONCE if mode == "inline" else None)
    open_checkout(page, kind, mode, policy, page_server)
    assert csp_problems(page) == []
    assert page.page_errors == []
    paths = loaded(page)
    storefront = "/" + STOREFRONTS[kind].split("/", 1)[1]
    assert f"{storefront}/builder" in paths and f"{storefront}/builder/finalize" in paths
    frame = page.get_attribute("#fsc-popup-frame", "src") or ""
    assert frame.startswith(f"https://{STOREFRONTS[kind]}/session/")
    if kind == "popup":
        assert {"/sbl/1.0.3/fastspring.css", "/pinhole/spin.svg"} <= paths
        assert page.evaluate("!!document.querySelector('#fscCanvas')")
    else:
        assert "/sbl/1.0.3/skeleton.html" in paths
        skeleton = "#fsc-embedded-checkout-container #fsc-embedded-checkout-skeleton"
        assert page.evaluate(f"document.querySelector('{skeleton}').style.position") == ("absolute")


@pytest.mark.parametrize("kind", ["web", "inapp"])
def test_redirect_storefronts_load_without_a_violation(
    page: Any, page_server: PageServer, kind: str
) -> None:
    """Web and inapp storefronts navigate to checkout (no frame): the cart request and the
    stylesheet are what the policy must allow."""
    for mode in ("inline", "external"):
        opts = options(kind, mode)
        nonce = NONCE if mode == "inline" else None
        if mode == "external":
            serve_loader(page_server)
        url = page_server.add(
            f"/csp-{kind}-{mode}.html",
            page_html(str(embed(opts, session=SESSION, nonce=nonce))),
            headers={"Content-Security-Policy": csp.policy(opts, nonce=nonce)},
        )
        page.fastspring_requests.clear()
        page.goto(url)
        settle(page, 1)
        page.wait_for_timeout(200)
        assert csp_problems(page) == [], mode
        assert "/sbl/1.0.3/fastspring.css" in loaded(page), mode
        assert wire_requests(page), mode


def test_the_old_script_src_only_policy_breaks_the_cart(page: Any, page_server: PageServer) -> None:
    """Control: the policy the README used to give, under default-src 'self', blocks the
    builder request, the stylesheet and the spinner."""
    old = f"default-src 'self'; script-src 'nonce-{NONCE}' https://sbl.onfastspring.com"
    opts = options("popup", "inline")
    url = page_server.add(
        "/csp-old.html",
        page_html(str(embed(opts, session=SESSION, nonce=NONCE))),
        headers={"Content-Security-Policy": old},
    )
    page.goto(url)
    page.wait_for_timeout(800)
    blocked = {v.split(" ")[0] for v in page.evaluate("window.__violations")}
    assert {"connect-src", "style-src-elem", "img-src"} <= blocked
    assert wire_requests(page) == []


def test_the_embedded_policy_needs_the_skeleton_hash(page: Any, page_server: PageServer) -> None:
    """Control: without its style-src-attr entry the embedded policy blocks the skeleton's
    inline style attribute (and only that)."""
    opts = options("embedded", "inline")
    found = csp.directives(opts, nonce=NONCE)
    del found["style-src-attr"]
    policy = "; ".join(" ".join([name, *sources]) for name, sources in found.items())
    open_checkout(page, "embedded", "inline", policy, page_server)
    blocked = [v for v in page.evaluate("window.__violations") if v.startswith("style-src")]
    assert blocked and all(v.split(" ")[0] == "style-src-attr" for v in blocked)


def test_templates_policy_allows_handlebars_from_cdnjs(page: Any, page_server: PageServer) -> None:
    """With templates=True, the SBL's Handlebars request from cdnjs is not blocked by the
    policy (the harness then aborts it: nothing leaves the machine)."""
    opts = options("popup", "inline")
    url = page_server.add(
        "/csp-templates.html",
        page_html(
            str(embed(opts, session=SESSION, nonce=NONCE)),
            '<div data-fsc-items-container="cart"></div>'
            '<script type="text/x-handlebars-template" data-fsc-template-for="cart"></script>',
        ),
        headers={"Content-Security-Policy": csp.policy(opts, nonce=NONCE, templates=True)},
    )
    page.goto(url)
    settle(page, 1)
    page.wait_for_timeout(300)
    assert not [v for v in page.evaluate("window.__violations") if "cdnjs" in v]


def test_display_directives_under_the_policy(page: Any, page_server: PageServer) -> None:
    """Display directives need nothing more: the live price and total fill in under it."""
    page.store.catalog = {"pro-plan": {"prices": {"USD": 49.0}}}
    opts = options("popup", "inline")
    url = page_server.add(
        "/csp-display.html",
        page_html(
            str(item_price("pro-plan", "$49")),
            str(order_total("$0")),
            str(embed(opts, session=SESSION, nonce=NONCE)),
        ),
        headers={"Content-Security-Policy": csp.policy(opts, nonce=NONCE)},
    )
    page.goto(url)
    settle(page, 1)
    page.wait_for_function("document.querySelector('[data-fsc-order-total]').textContent !== '$0'")
    assert page.text_content("[data-fsc-item-price]") == "$49.00"
    assert page.text_content("[data-fsc-order-total]") == "$49.00"
    assert csp_problems(page) == []


@pytest.mark.parametrize("mode", ["inline", "external"])
def test_flask_csp_true_end_to_end(page: Any, page_server: PageServer, mode: str) -> None:
    """A page and header from Flask's ``Sblgen(app, csp=True)``, served to chromium."""
    app = Flask(__name__)
    app.config.update(
        SBLGEN_STOREFRONT=STOREFRONTS["popup"], SBLGEN_ACCESS_KEY="TESTKEY", SBLGEN_MODE=mode
    )
    Sblgen(app, csp=True)

    @app.get("/")
    def buy() -> str:
        return render_template_string(
            "<!doctype html><html><body>{{ sbl_script(session=session) }}"
            "{{ sbl_buttons(session) }}</body></html>",
            session=SESSION,
        )

    response = app.test_client().get("/")
    if mode == "external":
        serve_loader(page_server)
    url = page_server.add(
        f"/csp-flask-{mode}.html",
        response.text,
        headers={"Content-Security-Policy": response.headers["Content-Security-Policy"]},
    )
    page.goto(url)
    settle(page, 1)
    page.eval_on_selector("[data-fsc-action]", "el => el.click()")
    page.wait_for_selector("#fsc-popup-frame", state="attached")
    page.wait_for_timeout(300)
    assert csp_problems(page) == []
    assert {"/sbl/1.0.3/fastspring.css", "/pinhole/spin.svg"} <= loaded(page)
