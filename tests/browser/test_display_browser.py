"""Display directives in chromium, filled by the SBL from the fake storefront's order object:
the price in the buyer's currency, cart state, discounts, PayPal and tax exemption; the
fallback text without JavaScript; and a page built by ``sblgen site build`` showing the price
FastSpring computes for the buyer's country.

The assertions look only at the DOM, so the file also runs against another SBL build
(``SBLGEN_BROWSER_SBL=/path/to/sbl.js``)."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import date
from pathlib import Path
from typing import Any

import pytest

from sblgen import (
    Product,
    SblOptions,
    Session,
    build_site,
    button,
    frozen_today,
    item_attributes,
    item_description,
    item_discount,
    item_display,
    item_image,
    item_link,
    item_price,
    item_price_total,
    item_quantity,
    item_selected,
    item_total,
    order_attributes,
    order_discount,
    order_selections,
    order_total,
    order_value,
    paypal_available,
    script_tag,
    session_init,
    tax_exemption_allowed,
)
from sblgen.preview import PreviewServer
from tests.browser.harness import PageServer, page_html, settle

pytestmark = pytest.mark.browser

POPUP = "acme.test.onfastspring.com/popup-acme"
DEMO = Path(__file__).resolve().parent.parent.parent / "demo_site"
CATALOG = {
    "pro-plan": {
        "display": "Pro plan",
        "prices": {"USD": 49.0, "EUR": 45.0, "GBP": 39.0},
        "image": "https://acme.test.onfastspring.com/img/pro.png",
        "summary": "<p>For professionals.</p>",
    }
}


def options(**kw: Any) -> SblOptions:
    return SblOptions(storefront=POPUP, access_key="TESTKEY", **kw)


def load(
    page: Any, server: PageServer, name: str, *parts: str, session: Session | None = None
) -> None:
    head = [str(session_init(session))] if session is not None else []
    url = server.add(f"/display-{name}.html", page_html(*parts, *head, str(script_tag(options()))))
    page.goto(url)
    settle(page, 1)


def text(page: Any, selector: str) -> str:
    return str(page.text_content(selector))


def shown(page: Any, selector: str) -> bool:
    return bool(page.is_visible(selector))


def click(page: Any, selector: str, count: int) -> None:
    page.eval_on_selector(selector, "el => el.click()")
    settle(page, count)


# ----------------------------------------------------------------------------- prices


@pytest.mark.parametrize(
    ("country", "price", "total"),
    [("US", "$49.00", "$98.00"), ("DE", "€45.00", "€90.00"), ("GB", "£39.00", "£78.00")],
)
def test_price_in_the_buyers_currency(
    page: Any, page_server: PageServer, country: str, price: str, total: str
) -> None:
    """The fake store prices USD for US, EUR for DE, GBP for GB: the page shows what it
    computes, in place of the fallback."""
    page.store.catalog = CATALOG
    load(
        page,
        page_server,
        f"price-{country}",
        f'<h2 id="name">{item_display("pro-plan", "Pro")}</h2>',
        f'<p id="price">{item_price("pro-plan", "$49")}</p>',
        f'<p id="line">{item_price_total("pro-plan", "$98")}</p>',
        f'<p id="total">{order_total("$0")}</p>',
        f'<p id="currency">{order_value("currency", "USD")}</p>',
        session=Session(country=country, products=[Product(path="pro-plan", quantity=2)]),
    )
    assert text(page, "#name") == "Pro plan"
    assert text(page, "#price") == price
    assert text(page, "#line") == total
    assert text(page, "#total") == total
    assert text(page, "#currency") == {"US": "USD", "DE": "EUR", "GB": "GBP"}[country]


def test_without_javascript_the_fallback_shows(browser: Any, page_server: PageServer) -> None:
    """No JavaScript, no SBL: the fallback text, and the state an empty cart would have."""
    url = page_server.add(
        "/display-nojs.html",
        page_html(
            f'<p id="price">{item_price("pro-plan", "$49 <excl. VAT>")}</p>',
            f'<p id="was">{item_price_total("pro-plan", "$60", smartdisplay=True)}</p>',
            f'<div id="in">{item_selected("pro-plan", "In your cart")}</div>',
            f'<div id="out">{item_selected("pro-plan", "Not in your cart", selected=False)}</div>',
            f'<div id="empty">{order_selections("Your cart is empty", selections=False)}</div>',
            f'<div id="pp">{paypal_available("PayPal")}</div>',
            str(script_tag(options())),
        ),
    )
    context = browser.new_context(java_script_enabled=False)
    try:
        page = context.new_page()
        page.route(
            "**/*",
            lambda route: (
                route.abort() if "127.0.0.1" not in route.request.url else route.continue_()
            ),
        )
        page.goto(url)
        assert text(page, "#price") == "$49 <excl. VAT>"
        assert not shown(page, "#was span")
        assert not shown(page, "#in div") and shown(page, "#out div")
        assert shown(page, "#empty div") and not shown(page, "#pp div")
    finally:
        context.close()


def test_a_hostile_fallback_stays_text(page: Any, page_server: PageServer) -> None:
    """A product the order does not hold keeps its fallback, which is text, not markup."""
    hostile = '<img src=x onerror="window.__pwned=1">'
    load(page, page_server, "hostile", f'<p id="p">{item_price("not-in-order", hostile)}</p>')
    page.wait_for_timeout(200)
    assert text(page, "#p") == hostile
    assert page.evaluate("window.__pwned") is None
    assert page.evaluate("document.querySelectorAll('#p img').length") == 0


# ----------------------------------------------------------------------------- cart state


def test_cart_state_follows_the_cart(page: Any, page_server: PageServer) -> None:
    page.store.catalog = CATALOG
    load(
        page,
        page_server,
        "state",
        str(button("Add", product="pro-plan", actions="Add")),
        f'<div id="in">{item_selected("pro-plan", "In your cart")}</div>',
        f'<div id="out">{item_selected("pro-plan", "Add it", selected=False)}</div>',
        f'<div id="full">{order_selections("Ready to check out")}</div>',
        f'<div id="empty">{order_selections("Your cart is empty", selections=False)}</div>',
        f'<input id="tick" type="checkbox" {item_attributes("pro-plan", "selection-smartselect")}>',
        f'<button id="remove" {item_attributes("pro-plan", "smartdisable")}>Remove</button>',
        f'<button id="pay" {order_attributes("checkout-hideempty")}>Checkout</button>',
        f'<button id="pay2" {order_attributes("selections-disableifnoselections")}>Pay</button>',
        f'<p id="qty">{item_quantity("pro-plan", "0")}</p>',
        f'<p id="total">{order_total("$0")}</p>',
    )
    assert not shown(page, "#in div") and shown(page, "#out div")
    assert not shown(page, "#full div") and shown(page, "#empty div")
    assert not page.is_checked("#tick")
    assert page.is_disabled("#remove") and page.is_disabled("#pay") and page.is_disabled("#pay2")
    assert text(page, "#total") == "$0.00"
    click(page, "[data-fsc-action='Add']", 2)
    assert shown(page, "#in div") and not shown(page, "#out div")
    assert shown(page, "#full div") and not shown(page, "#empty div")
    assert page.is_checked("#tick")
    assert page.is_enabled("#remove") and page.is_enabled("#pay")
    assert text(page, "#qty") == "1"
    assert text(page, "#total") == "$49.00"


@pytest.mark.parametrize("coupon", [None, "SPRING"])
def test_discount_shows_the_struck_price(
    page: Any, page_server: PageServer, coupon: str | None
) -> None:
    """smartdisplay: the price before the discount (and a badge elsewhere on the page) show
    only while a discount applies."""
    page.store.catalog = CATALOG
    page.store.coupons = {"SPRING": 20.0}
    badge = item_price("pro-plan", element="small", smartdisplay="data-sale-badge")
    load(
        page,
        page_server,
        f"discount-{coupon}",
        '<span id="badge" data-sale-badge hidden>Sale!</span>',
        f'<p id="was">{item_price_total("pro-plan", "", element="s", smartdisplay=True)}</p>',
        f'<p id="now">{item_total("pro-plan", "$49")}</p>',
        f'<p id="off">{item_discount("pro-plan", "$0")}</p>',
        f'<p id="order-off">{order_discount("$0")}</p>',
        f'<p id="unit">{badge}</p>',
        session=Session(coupon=coupon, products=[Product(path="pro-plan")]),
    )
    if coupon is None:
        assert not shown(page, "#was s") and not shown(page, "#badge")
        assert text(page, "#now") == "$49.00" and text(page, "#off") == "$0.00"
    else:
        assert shown(page, "#was s") and text(page, "#was") == "$49.00"
        assert shown(page, "#badge")
        assert text(page, "#now") == "$39.20"
        assert text(page, "#off") == "$9.80" and text(page, "#order-off") == "$9.80"


@pytest.mark.parametrize("offered", [True, False])
def test_paypal_and_tax_exemption(page: Any, page_server: PageServer, offered: bool) -> None:
    page.store.payment_methods = ["card", "paypal"] if offered else ["card"]
    page.store.tax_exemption_allowed = offered
    load(
        page,
        page_server,
        f"offers-{offered}",
        f'<div id="pp">{paypal_available("Pay with PayPal")}</div>',
        f'<div id="tax">{tax_exemption_allowed("Your VAT ID")}</div>',
    )
    assert shown(page, "#pp div") is offered
    assert shown(page, "#tax div") is offered


def test_image_link_and_description(page: Any, page_server: PageServer) -> None:
    page.store.catalog = CATALOG
    load(
        page,
        page_server,
        "media",
        item_image("pro-plan", "/fallback.png", alt="Pro plan"),
        item_link("pro-plan", "Details", href="/pro.html"),
        item_description("pro-plan", "Fallback summary"),
    )
    assert page.get_attribute("[data-fsc-item-image]", "src") == CATALOG["pro-plan"]["image"]
    assert page.get_attribute("[data-fsc-item-link]", "href") == f"https://{POPUP}/pro-plan"
    assert text(page, "[data-fsc-item-description-summary]") == "For professionals."


# ----------------------------------------------------------------------------- a built site


@pytest.fixture(scope="module")
def demo(tmp_path_factory: pytest.TempPathFactory) -> Iterator[tuple[PreviewServer, Path]]:
    out = tmp_path_factory.mktemp("display-demo") / "out"
    with frozen_today(date(2026, 11, 24)):
        build_site(DEMO, out)
    server = PreviewServer(out, port=0).start()
    yield server, out
    server.close()


@pytest.mark.parametrize(
    ("path", "fallback", "live"),
    [
        ("en-US/index.html", "$49", "$49.00"),
        ("en-DE/index.html", "$49", "€45.00"),
        ("de-DE/index.html", "$49", "€45.00"),
        ("pricing.html", "$9 / month", "$9.00"),
    ],
)
def test_a_built_page_shows_the_price_for_the_buyers_country(
    page: Any, demo: tuple[PreviewServer, Path], path: str, fallback: str, live: str
) -> None:
    """`sblgen site build`: the catalog text is in the HTML; with the SBL, FastSpring's price
    for the page's country replaces it."""
    page.store.catalog = {
        "widget-pro": {"prices": {"USD": 49.0, "EUR": 45.0}},
        "widget-pro-monthly": {"prices": {"USD": 9.0, "EUR": 8.0}},
    }
    product = "widget-pro-monthly" if path == "pricing.html" else "widget-pro"
    selector = f"[data-fsc-item-path='{product}'][data-fsc-item-price]"
    server, out = demo
    html = (out / path).read_text(encoding="utf-8")
    assert str(item_price(product, fallback)) in html
    page.goto(server.url + path)
    settle(page, 1)
    page.wait_for_function(f'document.querySelector("{selector}").textContent !== {fallback!r}')
    assert text(page, selector) == live


def test_a_built_page_can_keep_its_text(page: Any, demo: tuple[PreviewServer, Path]) -> None:
    """`data = { live_prices = false }`: the invoice page keeps "Invoiced"."""
    page.goto(demo[0].url + "invoice.html")
    settle(page, 1)
    assert text(page, ".price") == "Invoiced"
