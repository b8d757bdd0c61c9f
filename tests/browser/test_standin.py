"""What the SBL does with a page, checked on the stand-in (SBL behaviour §N cites the modelled
rule). The assertions look only at what any SBL build would show (the requests that reach the
storefront, the DOM, page callbacks), so this file also runs against another build with
SBLGEN_BROWSER_SBL=/path/to/sbl.js; the stand-in's own record is cross-checked separately."""

from __future__ import annotations

import json
from typing import Any
from urllib.parse import urlsplit

import pytest

from sblgen import Product, SblOptions, Session, button, script_tag, session_init
from tests.browser.harness import (
    USING_STANDIN,
    PageServer,
    builder_requests,
    page_html,
    settle,
    wire_requests,
)

pytestmark = pytest.mark.browser

POPUP = "acme.test.onfastspring.com/popup-acme"
WEB = "acme.test.onfastspring.com/acme"
EMBEDDED = "acme.test.onfastspring.com/embedded-acme"
LIVE_POPUP = "acme.onfastspring.com/popup-acme"
SESSION_ID = "SESSIONid1234567"
SBL_VERSION = "sbl/1.0.3"
RECORDER = """<script>
window.__cb = [];
['onData','onError','onBeforeRequests','onAfterRequests','onBeforeMarkup','onAfterMarkup',
 'onPopupClosed','onPopupEvent','onPopupWebhook','onValidation'].forEach(function (n) {
  window[n] = function () { window.__cb.push([n].concat(JSON.parse(JSON.stringify(
    Array.prototype.slice.call(arguments))))); };
});
window.onDecorate = function (url) { window.__cb.push(['onDecorate', url]); return url; };
</script>"""
CALLBACKS = {
    "data_callback": "onData",
    "error_callback": "onError",
    "before_requests_callback": "onBeforeRequests",
    "after_requests_callback": "onAfterRequests",
    "before_markup_callback": "onBeforeMarkup",
    "after_markup_callback": "onAfterMarkup",
    "popup_closed": "onPopupClosed",
    "popup_event_received": "onPopupEvent",
    "popup_webhook_received": "onPopupWebhook",
    "validation_callback": "onValidation",
    "decorate_callback": "onDecorate",
}


def options(storefront: str = POPUP, **kw: Any) -> SblOptions:
    # A plain tag unless a test says otherwise: these pages call fastspring.builder from
    # inline scripts right after it (sblgen's own default is defer).
    kw.setdefault("loading", None)
    return SblOptions(storefront=storefront, access_key="TESTKEY", **kw)


def load(page: Any, server: PageServer, *parts: str, count: int = 1, **kw: Any) -> None:
    url = server.add("/standin.html", page_html(*parts), **kw)
    page.goto(url)
    settle(page, count)


def sent(page: Any) -> list[tuple[str, str, Any, dict[str, str]]]:
    """(method, path, put, other form fields) of each builder request."""
    return [
        (
            e["method"],
            urlsplit(e["url"]).path,
            e["put"],
            {k: v for k, v in e["form"].items() if k != "put"},
        )
        for e in wire_requests(page)
    ]


def callbacks(page: Any) -> list[Any]:
    return list(page.evaluate("window.__cb"))


def fsc_session(data: dict[str, Any]) -> str:
    return f"<script>var fscSession = {json.dumps(data)};</script>"


# ----------------------------------------------------------------------------- loading, §1-2


def test_first_request_forwards_only_the_whitelist(page: Any, page_server: PageServer) -> None:
    """§1.3 step 3, §2.3 step 1, §2.2 returnMeaningful, §2.5 sblVersion: the first request goes
    out at load, carries only forwarded keys, products as reversed ``items``."""
    session = Session(
        reset=True,
        products=[Product(path="pro-plan"), Product(path="addon", quantity=3)],
        coupon="SPRING",
        country="DE",
        payment_method="paypal",
        tags={"a": "1"},
    )
    load(page, page_server, session_init(session), script_tag(options()))
    assert sent(page) == [
        (
            "POST",
            "/popup-acme/builder",
            {
                "coupon": "SPRING",
                "items": [{"path": "addon", "quantity": 3}, {"path": "pro-plan", "quantity": 1}],
                "tags": {"a": "1"},
                "country": "DE",
                "paymentMethod": "paypal",
                "sblVersion": SBL_VERSION,
            },
            {},
        )
    ]


def test_unknown_keys_are_dropped(page: Any, page_server: PageServer) -> None:
    """§2.3 step 1: hideOtherPaymentMethods, paymentMethodOrder and unknown keys are dropped."""
    raw = {"hideOtherPaymentMethods": True, "paymentMethodOrder": ["card"], "x": 1, "coupon": "A"}
    load(page, page_server, fsc_session(raw), script_tag(options()))
    assert sent(page)[0][2] == {"coupon": "A", "sblVersion": SBL_VERSION}


def test_nothing_to_send_is_a_get(page: Any, page_server: PageServer) -> None:
    """§2.4: no fscSession (or only `reset`) gives GET /builder with no body; then a push
    carries the serial the first answer gave."""
    page.store.catalog["pro-plan"] = {"display": "Pro"}
    html = "<script>setTimeout(function(){fastspring.builder.add('pro-plan')}, 300)</script>"
    load(page, page_server, fsc_session({"reset": True}), script_tag(options()), html, count=2)
    first, second = wire_requests(page)
    assert (first["method"], first["body"]) == ("GET", None)
    assert second["method"] == "POST"
    assert second["form"]["session"] == "STANDIN-SERIAL-1"
    assert second["put"]["items"] == [{"path": "pro-plan", "quantity": None}]


def test_stylesheet_and_spinner_load_with_the_script(page: Any, page_server: PageServer) -> None:
    """§1.4: fastspring.css from the script's folder; spin.svg (popup) at load time."""
    load(page, page_server, script_tag(options()))
    loads = {e["url"] for e in page.fastspring_requests}
    assert "https://sbl.onfastspring.com/sbl/1.0.3/fastspring.css" in loads
    assert "https://sbl.onfastspring.com/pinhole/spin.svg" in loads


def test_web_storefront_has_no_spinner(page: Any, page_server: PageServer) -> None:
    load(page, page_server, script_tag(options(WEB)))
    loads = {e["url"] for e in page.fastspring_requests}
    assert "https://sbl.onfastspring.com/pinhole/spin.svg" not in loads
    assert "https://sbl.onfastspring.com/sbl/1.0.3/fastspring.css" in loads


# ----------------------------------------------------------------------------- secure, §3

SECURE_PAYLOAD = {"contact": {"email": "ann@example.com"}, "coupon": "SECRET"}


def test_secure_plaintext_key_present_vs_absent(page: Any, page_server: PageServer) -> None:
    """§3: on a test storefront `key: ""` in fscSession is "key present" (three fields);
    builder.secure(p, '') drops the key, so the payload is merged at the top level."""
    after = f"<script>fastspring.builder.secure({json.dumps(SECURE_PAYLOAD)}, '')</script>"
    load(
        page,
        page_server,
        fsc_session({"secure": {"payload": SECURE_PAYLOAD, "key": ""}}),
        script_tag(options()),
        after,
        count=2,
    )
    first, second = (e["put"] for e in wire_requests(page))
    assert first == {
        "accessKey": "TESTKEY",
        "secureKey": "",
        "securePayload": SECURE_PAYLOAD,
        "sblVersion": SBL_VERSION,
    }
    assert second == {"accessKey": "TESTKEY", **SECURE_PAYLOAD, "sblVersion": SBL_VERSION}


def test_secure_live_without_key_is_logged(page: Any, page_server: PageServer) -> None:
    """§3: live storefront, key absent: nothing secure, `No secure key found in payload`."""
    load(
        page,
        page_server,
        fsc_session({"secure": {"payload": "QUJD"}, "coupon": "A"}),
        script_tag(options(LIVE_POPUP)),
    )
    assert sent(page)[0][2] == {"coupon": "A", "sblVersion": SBL_VERSION}
    errors = [m.text for m in page.console_messages if m.type == "error"]
    assert "[FastSpring API] No secure key found in payload" in errors


def test_secure_without_access_key_is_logged(page: Any, page_server: PageServer) -> None:
    load(
        page,
        page_server,
        fsc_session({"secure": {"payload": "QUJD", "key": "S0VZ"}}),
        script_tag(SblOptions(storefront=POPUP)),
    )
    assert sent(page)[0][:2] == ("GET", "/popup-acme/builder")
    errors = [m.text for m in page.console_messages if m.type == "error"]
    assert "[FastSpring API] No access key found in payload" in errors


def test_authenticate_without_access_key_sends_nothing(page: Any, page_server: PageServer) -> None:
    """§2.3 step 3: authenticate without data-access-key aborts the whole push."""
    url = page_server.add(
        "/auth.html",
        page_html(
            fsc_session({"authenticate": {"payload": {"a": 1}}, "coupon": "A"}),
            script_tag(SblOptions(storefront=POPUP)),
        ),
    )
    page.goto(url)
    page.wait_for_function("window.fastspring && window.fastspring.builder")
    page.wait_for_timeout(300)
    assert wire_requests(page) == []


# ----------------------------------------------------------------------------- session ids, §2.3


def test_session_id_opens_the_popup_frame(page: Any, page_server: PageServer) -> None:
    """§2.3 step 8, §2.4: an id longer than 10 characters opens
    https://<storefront>/session/<id> in #fsc-popup-frame, keeping the storefront path."""
    url = page_server.add(
        "/sid.html",
        page_html(session_init(Session(checkout=SESSION_ID)), script_tag(options())),
    )
    page.goto(url)
    frame = page.wait_for_selector("#fscCanvas #fsc-popup-frame", state="attached")
    assert frame.get_attribute("src") == f"https://{POPUP}/session/{SESSION_ID}"
    assert wire_requests(page) == []  # the rest of the input is ignored


def test_session_id_navigates_a_web_storefront(page: Any, page_server: PageServer) -> None:
    url = page_server.add(
        "/sid-web.html",
        page_html(session_init(Session(checkout=SESSION_ID)), script_tag(options(WEB))),
    )
    page.goto(url)
    page.wait_for_url(f"https://{WEB}/session/{SESSION_ID}")


def test_ten_characters_is_not_a_session_id(page: Any, page_server: PageServer) -> None:
    """§2.1, §2.3: a 10-character string is a normal finalize."""
    load(page, page_server, fsc_session({"checkout": "ABCDEFGHIJ"}), script_tag(options()))
    assert sent(page)[0][1] == "/popup-acme/builder/finalize"


# ----------------------------------------------------------------------------- markup, §4


def click(page: Any, selector: str) -> None:
    """A click the element's listeners see even under an open checkout overlay."""
    page.eval_on_selector(selector, "el => el.click()")


def click_and_settle(page: Any, selector: str, count: int) -> None:
    click(page, selector)
    settle(page, count)


def test_markup_actions(page: Any, page_server: PageServer) -> None:
    """§4.1, §4.2: Add (quantity null), Update (quantity attribute), Remove (0), Replace (= Add),
    Add,Checkout as one finalize; a lone Clean is never bound, Clean,Checkout is."""
    load(
        page,
        page_server,
        script_tag(options()),
        button("add", product="a", actions="Add"),
        button("upd", product="b", actions="Update", quantity=3),
        button("rem", product="c", actions="Remove"),
        # sblgen refuses Replace (it would be Add); the SBL's handling, written by hand:
        '<button type="button" data-fsc-item-path-value="d" data-fsc-action="Replace">rep</button>',
        button("buy", product="e"),
        '<button id="clean" data-fsc-action="Clean">clean</button>',
        '<button id="cc" data-fsc-action="Clean, Checkout">clean checkout</button>',
    )
    for n, label in enumerate(["add", "upd", "rem", "rep", "buy"], start=2):
        click_and_settle(page, f"text={label}", n)
    click(page, "#clean")
    page.wait_for_timeout(200)
    click_and_settle(page, "#cc", 7)
    got = [(method, path, put) for method, path, put, _ in sent(page)[1:]]
    origin = page.url
    cart, finalize = "/popup-acme/builder", "/popup-acme/builder/finalize"

    def line(path: str, quantity: int | None) -> dict[str, Any]:
        return {"items": [{"path": path, "quantity": quantity}], "sblVersion": SBL_VERSION}

    assert got == [
        ("POST", cart, line("a", None)),
        ("POST", cart, line("b", 3)),
        ("POST", cart, line("c", 0)),
        ("POST", cart, line("d", None)),
        ("POST", finalize, {**line("e", None), "origin": origin, "sblVersion": SBL_VERSION}),
        ("POST", finalize, {"origin": origin, "sblVersion": SBL_VERSION}),
    ]


def test_value_lookup(page: Any, page_server: PageServer) -> None:
    """§4.3: Promocode etc. read the first [data-fsc-*-value] element in the document: its
    value, else its text, else ''. The attribute's own value is not read."""
    load(
        page,
        page_server,
        script_tag(options()),
        '<input data-fsc-promocode-value="IGNORED" value="FIRST">',
        '<input data-fsc-promocode-value value="SECOND">',
        "<span data-fsc-postalcode-value>93101</span>",
        # with_input=False: the lookup of the elements above (or of none) is the subject.
        button("promo", actions="Promocode", with_input=False),
        button("postal", actions="PostalCode", with_input=False),
        button("tax", actions="TaxId", with_input=False),
        button("who", actions="Recognize", with_input=False),
    )
    for n, label in enumerate(["promo", "postal", "tax", "who"], start=2):
        click_and_settle(page, f"text={label}", n)
    puts = [put for _, _, put, _ in sent(page)[1:]]
    assert [{k: v for k, v in p.items() if k != "sblVersion"} for p in puts] == [
        {"coupon": "FIRST"},
        {"postalCode": "93101"},
        {"taxId": ""},
        {"paymentContact": {"email": "", "firstName": "", "lastName": ""}},
    ]


@pytest.mark.parametrize(
    ("element", "expected"),
    [
        ('<button data-fsc-item-path-value="p" data-fsc-item-quantity-value="0" '
         'data-fsc-action="Update">Buy p</button>', None),
        ('<button data-fsc-item-path-value="p" data-fsc-item-quantity-value="0" '
         'data-fsc-action="Update">5 seats</button>', 5),
        ('<button data-fsc-item-path-value="p" data-fsc-item-quantity-value="-2" '
         'data-fsc-action="Update">Buy</button>', None),
        ('<button data-fsc-item-path-value="p" data-fsc-action="Update">Buy</button>', 1),
        ('<input id="q" value="4"><button data-fsc-item-path-value="p" data-fsc-quantity-src="q" '
         'data-fsc-action="Update">Buy</button>', 4),
        ('<span data-fsc-item-path-value="p" data-fsc-item-quantity-value>2</span>'
         '<button data-fsc-item-path-value="p" data-fsc-action="Update">Buy</button>', 2),
    ],
    ids=["zero-label", "zero-label-number", "negative", "none", "quantity-src", "findvalue"],
)  # fmt: skip
def test_update_quantity_rule(
    page: Any, page_server: PageServer, element: str, expected: int | None
) -> None:
    """§4.3: a quantity attribute <= 0 is ignored; the first element carrying both quantity
    and path attributes is read (a button: its label); quantity || 1, parseInt, NaN -> null."""
    load(page, page_server, script_tag(options()), element)
    click_and_settle(page, "button", 2)
    assert sent(page)[1][2]["items"] == [{"path": "p", "quantity": expected}]


def test_update_unchecked_checkbox_is_zero(page: Any, page_server: PageServer) -> None:
    load(
        page,
        page_server,
        script_tag(options()),
        '<input type="checkbox" checked data-fsc-item-path-value="p" data-fsc-action="Update">',
    )
    click(page, "input")  # unchecks it: a change event
    settle(page, 2)
    assert sent(page)[1][2]["items"] == [{"path": "p", "quantity": 0}]


def test_merged_actions_keep_the_last_line_per_path(page: Any, page_server: PageServer) -> None:
    """§4.1, §2.2: the actions of one element are merged into one request; the last line for
    a path wins."""
    load(
        page,
        page_server,
        script_tag(options()),
        button("x", product="p", actions=["Add", "Update", "Checkout"], quantity=2),
    )
    click_and_settle(page, "button", 2)
    assert sent(page)[1][2]["items"] == [{"path": "p", "quantity": 2}]


def test_checkout_reads_the_session_input(page: Any, page_server: PageServer) -> None:
    """§4.2: Checkout with a hidden data-fsc-session-value input opens that session."""
    load(
        page,
        page_server,
        script_tag(options()),
        button("Pay", actions="Checkout", session_id=SESSION_ID),
    )
    click(page, "button")
    frame = page.wait_for_selector("#fsc-popup-frame", state="attached")
    assert frame.get_attribute("src") == f"https://{POPUP}/session/{SESSION_ID}"
    assert len(wire_requests(page)) == 1  # only the load request


def test_buttons_are_bound_only_after_dom_content_loaded(
    page: Any, page_server: PageServer
) -> None:
    """§1.3: `async` (run after DOMContentLoaded): requests and the data callback still happen,
    but no button is ever bound. `defer` and a plain tag work."""
    results = {}
    for loading in ("async", "defer", None):
        src = f"{page_server.base_url}/standin/sbl.js?delay=300"
        opts = options(
            src=src, loading=None if loading == "async" else loading, data_callback="onData"
        )
        tag = str(script_tag(opts))
        if loading == "async":  # sblgen refuses async; the tag the SBL would get, by hand
            tag = tag.replace("></script>", " async></script>")
        url = page_server.add(
            f"/load-{loading}.html",
            page_html(RECORDER, tag, button("buy", product="p", actions="Add")),
        )
        page.goto(url)
        settle(page, 1)
        click(page, "button")
        page.wait_for_timeout(300)
        results[loading] = (len(wire_requests(page)), len(callbacks(page)))
        page.fastspring_requests.clear()
    assert results == {"async": (1, 1), "defer": (2, 2), None: (2, 2)}


# ----------------------------------------------------------------------------- embedded, §7


def test_embedded_container_skeleton_and_auto_checkout(page: Any, page_server: PageServer) -> None:
    """§7: the skeleton and the checkout frame go into #fsc-embedded-checkout-container; after
    the first POST with selections the checkout opens by itself; no stylesheet, no spinner.
    (The skeleton goes in only if the container is still empty when the SBL's 50 ms poll
    finds it, so the store answers after 300 ms, as a real one would.)"""
    page.store.delay_ms = 300
    load(
        page,
        page_server,
        '<div id="fsc-embedded-checkout-container"></div>',
        session_init(Session(products=[Product(path="pro-plan")])),
        script_tag(options(EMBEDDED)),
        button("Checkout", actions="Checkout"),
        count=2,
    )
    page.wait_for_selector("#fsc-embedded-checkout-container #fsc-popup-frame", state="attached")
    skeleton = page.wait_for_selector(
        "#fsc-embedded-checkout-container #fsc-embedded-checkout-skeleton", state="attached"
    )
    assert skeleton.get_attribute("src") == "https://sbl.onfastspring.com/sbl/1.0.3/skeleton.html"
    frame_src = page.get_attribute("#fsc-popup-frame", "src")
    assert frame_src == f"https://{EMBEDDED}/session/FINALIZEDsession0001"
    assert (
        page.evaluate("document.getElementById('fsc-embedded-checkout-container').style.height")
        == "660px"
    )
    got = sent(page)
    assert [(m, p) for m, p, _, _ in got] == [
        ("POST", "/embedded-acme/builder"),
        ("POST", "/embedded-acme/builder/finalize"),
    ]
    assert got[1][2] == {"origin": page.url, "sblVersion": SBL_VERSION}
    click_and_settle(page, "button", 3)
    assert sent(page)[2][3]["sessionId"] == "FINALIZEDsession0001"
    loads = {e["url"] for e in page.fastspring_requests}
    assert not {u for u in loads if u.endswith(("fastspring.css", "spin.svg"))}


def test_embedded_without_container_shows_nothing(page: Any, page_server: PageServer) -> None:
    """§7: no container: no automatic checkout; a Checkout click still sends the finalize,
    logs the placement error and shows no frame."""
    load(
        page,
        page_server,
        session_init(Session(products=[Product(path="pro-plan")])),
        script_tag(options(EMBEDDED)),
        button("Checkout", actions="Checkout"),
    )
    page.wait_for_timeout(300)
    assert [p for _, p, _, _ in sent(page)] == ["/embedded-acme/builder"]
    click_and_settle(page, "button", 2)
    page.wait_for_timeout(200)
    assert [p for _, p, _, _ in sent(page)] == [
        "/embedded-acme/builder",
        "/embedded-acme/builder/finalize",
    ]
    assert page.locator("#fsc-popup-frame").count() == 0
    errors = [m.text for m in page.console_messages if m.type == "error"]
    assert "[FastSpring API] Make sure the inline checkout container is placed correctly" in errors


# ----------------------------------------------------------------------------- directives, §5

DIRECTIVES = """
<span id="name" data-fsc-item-path="pro-plan" data-fsc-item-display>fallback</span>
<span id="price" data-fsc-item-path="pro-plan" data-fsc-item-price>$49</span>
<span id="ptotal" data-fsc-item-path="pro-plan" data-fsc-item-pricetotal
  data-fsc-smartdisplay>x</span>
<span id="disc" data-fsc-item-path="pro-plan" data-fsc-item-discountTotal>x</span>
<span id="qty" data-fsc-item-path="pro-plan" data-fsc-item-quantity>x</span>
<span id="summary" data-fsc-item-path="pro-plan" data-fsc-item-description-summary>x</span>
<a id="link" data-fsc-item-path="pro-plan" data-fsc-item-link>link</a>
<button id="btn" data-fsc-item-path="pro-plan" data-fsc-item-price>Buy now</button>
<div id="div" data-fsc-item-path="pro-plan" data-fsc-item-price>kept</div>
<p id="sel" data-fsc-item-path="pro-plan" data-fsc-item-selection-smartdisplay>in cart</p>
<span id="total" data-fsc-order-total>x</span>
<span id="promo" data-fsc-order-promocode>x</span>
<span id="paypal" data-fsc-smartdisplay data-fsc-order-paypal-available>PayPal</span>
<span id="empty" data-fsc-selections-smartdisplay-inverse>empty</span>
<a id="hide" data-fsc-checkout-hideempty href="#">checkout</a>
"""


def test_display_directives(page: Any, page_server: PageServer) -> None:
    """§5.1-5.3: product- and order-level directives are written from the order object."""
    page.store.catalog["pro-plan"] = {"display": "Pro Plan", "prices": {"USD": 49.0, "EUR": 45.0}}
    page.store.coupons = {"SPRING": 10.0}
    load(
        page,
        page_server,
        session_init(Session(products=[Product(path="pro-plan", quantity=2)], coupon="SPRING")),
        script_tag(options()),
        DIRECTIVES,
    )
    page.wait_for_function("document.getElementById('name').textContent !== 'fallback'")
    text = page.evaluate(
        "ids => ids.map(id => document.getElementById(id).innerHTML)",
        ["name", "price", "ptotal", "disc", "qty", "summary", "link", "div", "total", "promo"],
    )
    assert text == [
        "Pro Plan", "$49.00", "$98.00", "$9.80", "2", "About pro-plan", "link", "kept",
        "$88.20", "SPRING",
    ]  # fmt: skip
    assert page.get_attribute("#link", "href") == f"https://{POPUP}/pro-plan"
    assert page.evaluate(
        "[document.getElementById('btn').value, document.getElementById('btn').textContent]"
    ) == ["$49.00", "Buy now"]
    styles = page.evaluate(
        "ids => ids.map(id => document.getElementById(id).style.display)",
        ["ptotal", "sel", "paypal", "empty", "hide"],
    )
    assert styles == ["block", "block", "block", "none", "inline"]


def test_directives_follow_the_country(page: Any, page_server: PageServer) -> None:
    """§5: the price shown is the one the storefront computes for the buyer's country."""
    page.store.catalog["pro-plan"] = {"display": "Pro Plan", "prices": {"USD": 49.0, "EUR": 45.0}}
    load(
        page,
        page_server,
        session_init(Session(country="DE")),
        script_tag(options()),
        DIRECTIVES,
    )
    page.wait_for_function("document.getElementById('price').textContent !== '$49'")
    assert page.inner_text("#price") == "€45.00"
    styles = page.evaluate(
        "ids => ids.map(id => document.getElementById(id).style.display)",
        ["ptotal", "sel", "empty", "hide"],
    )
    assert styles == ["none", "none", "block", "none"]


# ----------------------------------------------------------------------------- callbacks, §6


def test_callback_order(page: Any, page_server: PageServer) -> None:
    """§6: load; rejected coupon (error 400); checkout (decorate after the requests); popup
    messages; close with order references, then the fade and a reset (GET /builder)."""
    page.store.rejected_coupons = {"BAD"}
    opts = options(**CALLBACKS)
    load(page, page_server, RECORDER, script_tag(opts), session_init(Session()))
    assert [c[0] for c in callbacks(page)] == [
        "onBeforeRequests", "onData", "onBeforeMarkup", "onAfterMarkup", "onAfterRequests",
    ]  # fmt: skip
    page.evaluate("window.__cb = []; fastspring.builder.promo('BAD')")
    settle(page, 2)
    got = callbacks(page)
    assert [c[0] for c in got] == ["onBeforeRequests", "onError", "onAfterRequests"]
    assert got[1][1] == 400 and json.loads(got[1][2]) == {"error": "coupon BAD is not valid"}
    page.evaluate("window.__cb = []; fastspring.builder.checkout()")
    page.wait_for_selector("#fsc-popup-frame", state="attached")
    assert [c[0] for c in callbacks(page)] == ["onBeforeRequests", "onAfterRequests", "onDecorate"]
    page.evaluate("""window.__cb = [];
      [{action: 'event', eventData: {e: 1}}, {action: 'hook', hookData: {h: 2}},
       {action: 'close', orderReferences: {id: 'O1', reference: 'R1'}}].forEach(function (m) {
        window.postMessage({fscPopupMessage: m}, '*'); });""")
    page.wait_for_selector("#fscCanvas", state="detached")
    settle(page, 4)
    assert callbacks(page)[:3] == [
        ["onPopupEvent", {"e": 1}],
        ["onPopupWebhook", {"h": 2}],
        ["onPopupClosed", {"id": "O1", "reference": "R1"}],
    ]
    last = wire_requests(page)[-1]
    assert (last["method"], urlsplit(last["url"]).path) == ("GET", "/popup-acme/builder")


# ----------------------------------------------------------------------------- CSP, §1.5

STRICT_POPUP_POLICY = (
    "default-src 'self'; script-src 'nonce-{n}' https://sbl.onfastspring.com; "
    "connect-src https://acme.test.onfastspring.com https://acme.onfastspring.com; "
    "style-src 'self' https://sbl.onfastspring.com; img-src 'self' https://sbl.onfastspring.com; "
    "frame-src https://acme.test.onfastspring.com https://acme.onfastspring.com; "
    "object-src 'none'; base-uri 'self'"
)
NONCE = "dGVzdC1ub25jZQ=="


def test_full_policy_allows_cart_stylesheet_spinner_and_frame(
    page: Any, page_server: PageServer
) -> None:
    """§1.5: the recommended nonce-mode policy under default-src 'self': no violation while
    the cart request goes out, the stylesheet and spinner load and the popup frame opens."""
    load(
        page,
        page_server,
        session_init(Session(products=[Product(path="p")]), nonce=NONCE),
        script_tag(options(), nonce=NONCE),
        button("buy", product="p"),
        headers={"Content-Security-Policy": STRICT_POPUP_POLICY.format(n=NONCE)},
    )
    click(page, "button")
    page.wait_for_selector("#fsc-popup-frame", state="attached")
    settle(page, 2)
    page.wait_for_timeout(200)
    assert page.evaluate("window.__violations") == []
    loads = {urlsplit(e["url"]).path for e in page.fastspring_requests}
    assert {
        "/sbl/1.0.3/fastspring.css",
        "/pinhole/spin.svg",
        "/popup-acme/session/FINALIZEDsession0001",
    } <= loads


def test_script_src_only_policy_breaks_the_cart(page: Any, page_server: PageServer) -> None:
    """§1.5 control: with default-src 'self' and only script-src, the cart XHR, stylesheet and
    spinner are blocked and the error callback fires with status 0, twice."""
    csp = f"default-src 'self'; script-src 'nonce-{NONCE}' https://sbl.onfastspring.com"
    url = page_server.add(
        "/csp-broken.html",
        page_html(
            f'<script nonce="{NONCE}">window.__cb=[];window.onError=function(s,t)'
            "{window.__cb.push(['onError',s])};</script>",
            script_tag(options(error_callback="onError"), nonce=NONCE),
        ),
        headers={"Content-Security-Policy": csp},
    )
    page.goto(url)
    page.wait_for_function("window.__cb.length >= 2")
    page.wait_for_timeout(200)
    assert callbacks(page) == [["onError", 0], ["onError", 0]]
    blocked = {v.split(" ")[0] for v in page.evaluate("window.__violations")}
    assert {"connect-src", "style-src-elem", "img-src"} <= blocked
    assert wire_requests(page) == []


# ----------------------------------------------------------------------------- the record


@pytest.mark.skipif(not USING_STANDIN, reason="reads the stand-in's own record")
def test_standin_record_matches_the_wire(page: Any, page_server: PageServer) -> None:
    """window.__sbl.requests (what the stand-in sent) equals what reached the storefront."""
    load(
        page,
        page_server,
        session_init(Session(products=[Product(path="p")], coupon="A")),
        script_tag(options()),
        button("buy", product="p"),
    )
    click_and_settle(page, "button", 2)
    own = [
        {k: e[k] for k in ("method", "url", "body", "form", "put", "data")}
        for e in builder_requests(page)
    ]
    assert own == wire_requests(page)
    assert [e["status"] for e in builder_requests(page)] == [200, 200]
