"""Where sblgen's output and the SBL disagreed (issue 14). Each test asserts what a faithful
sblgen gives the SBL, on pages built with sblgen's public API; each failed on the output
sblgen gave before the fix. "Refused" (a ValueError/SblgenError naming the problem) is
always an acceptable fix where the SBL cannot do what the seller asked.

The assertions look only at the DOM and at what reaches the storefront, so the file also runs
against another SBL build (SBLGEN_BROWSER_SBL=/path/to/sbl.js) with the same outcomes."""

from __future__ import annotations

import json
from datetime import date
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

import pytest

import sblgen
from sblgen import (
    LOADER_PATH,
    PaymentContact,
    Product,
    Recipient,
    SblgenError,
    SblOptions,
    SecureRequest,
    Session,
    SessionResponse,
    Storefront,
    build_site,
    button,
    buttons,
    checkout_snippet,
    embed,
    frozen_today,
    push,
    script_tag,
    secure,
    session_init,
)
from sblgen.session import Address
from tests.browser.harness import PageServer, page_html, settle, wire_requests

pytestmark = pytest.mark.browser

DEMO = Path(__file__).resolve().parent.parent.parent / "demo_site"

POPUP = "acme.test.onfastspring.com/popup-acme"
WEB = "acme.test.onfastspring.com/acme"
EMBEDDED = "acme.test.onfastspring.com/embedded-acme"
SESSION_ID = "SESSIONid1234567"
REFUSED = (SblgenError, ValueError)
NONCE = "dGVzdC1ub25jZQ=="


def options(storefront: str = POPUP, **kw: Any) -> SblOptions:
    return SblOptions(storefront=storefront, access_key="TESTKEY", **kw)


def load(page: Any, server: PageServer, name: str, *parts: str, count: int = 1, **kw: Any) -> None:
    url = server.add(f"/mismatch-{name}.html", page_html(*parts), **kw)
    page.goto(url)
    settle(page, count)


def click(page: Any, selector: str, count: int) -> None:
    """Click (as the SBL's listener sees it) and wait for the builder request it causes."""
    page.eval_on_selector(selector, "el => el.click()")
    settle(page, count)


def click_sends(page: Any, selector: str, count: int, timeout_ms: int = 2000) -> bool:
    """Click; True if the builder request count then reaches ``count``."""
    page.eval_on_selector(selector, "el => el.click()")
    try:
        settle(page, count, timeout_ms=timeout_ms)
    except AssertionError:
        return False
    return True


def items(page: Any) -> list[list[dict[str, Any]]]:
    return [e["put"].get("items", []) for e in wire_requests(page) if e["put"]]


# ----------------------------------------------------------------------------- 1. quantity 0


def test_buttons_quantity_zero_never_adds(page: Any, page_server: PageServer) -> None:
    """SBL behaviour §4.3, §9.1: a quantity attribute of 0 is ignored and the label parsed
    (NaN -> null: add at the default quantity). Faithful: the line is left out, or Remove."""
    session = Session(
        products=[Product(path="p-zero", quantity=0), Product(path="two", quantity=2)]
    )
    html = str(buttons(session))
    load(page, page_server, "q0-buttons", script_tag(options()), html)
    attrs = page.eval_on_selector_all(
        "[data-fsc-item-quantity-value]", "els => els.map(e => e.dataset.fscItemQuantityValue)"
    )
    assert all(int(a) > 0 for a in attrs), attrs
    zero = page.locator("[data-fsc-item-path-value='p-zero']").count()
    for n in range(zero):
        click(page, f"[data-fsc-item-path-value='p-zero'] >> nth={n}", 2 + n)
    lines = [line for request in items(page) for line in request if line["path"] == "p-zero"]
    assert all(line["quantity"] == 0 for line in lines), lines


def test_button_quantity_zero_is_refused_or_removes(page: Any, page_server: PageServer) -> None:
    try:
        html = str(button("Drop it", product="p-zero", actions="Update", quantity=0))
    except REFUSED:
        return
    load(page, page_server, "q0-button", script_tag(options()), html)
    click(page, "button", 2)
    assert items(page)[-1] == [{"path": "p-zero", "quantity": 0}]


# ----------------------------------------------------------------------------- 2. lone Clean


def test_lone_clean_is_refused_or_works(page: Any, page_server: PageServer) -> None:
    """SBL behaviour §4.1, §9.2: `Clean` alone is not in the click selector."""
    try:
        html = str(button("Start over", actions="Clean"))
    except REFUSED:
        return
    load(page, page_server, "clean", script_tag(options(continuous=True)), html)
    assert click_sends(page, "button", 2), "the click sent nothing: the button is not bound"


# ----------------------------------------------------------------------------- 3. value inputs

VALUE_ACTIONS = [
    ("Promocode", {"promocode": "SPRING"}, {"coupon": "SPRING"}),
    ("PostalCode", {"postalcode": "93101"}, {"postalCode": "93101"}),
    ("TaxId", {"taxid": "DE123456789"}, {"taxId": "DE123456789"}),
    (
        "Recognize",
        {"email": "ann@example.com", "firstname": "Ann", "lastname": "Lee"},
        {"paymentContact": {"email": "ann@example.com", "firstName": "Ann", "lastName": "Lee"}},
    ),
]


@pytest.mark.parametrize(
    ("action", "typed", "expected"),
    [pytest.param(*case, id=case[0]) for case in VALUE_ACTIONS],
)
def test_value_actions_render_their_inputs(
    page: Any, page_server: PageServer, action: Any, typed: dict[str, str], expected: Any
) -> None:
    """SBL behaviour §4.2, §4.3, §9.3: without a [data-fsc-<tag>-value] element the SBL sends
    '' (an empty coupon removes the applied one). Faithful: the button comes with its input."""
    load(
        page,
        page_server,
        f"value-{action}",
        script_tag(options()),
        str(button("Go", actions=action)),
    )
    for tag, text in typed.items():
        inputs = page.locator(f"input[data-fsc-{tag}-value]")
        assert inputs.count() == 1, f"no <input data-fsc-{tag}-value> next to the {action} button"
        inputs.fill(text)
    click(page, f"[data-fsc-action='{action}']", 2)
    put = wire_requests(page)[-1]["put"]
    assert {k: v for k, v in put.items() if k != "sblVersion"} == expected


# ----------------------------------------------------------------------------- 4. async


def test_async_loading_still_binds_buttons(page: Any, page_server: PageServer) -> None:
    """SBL behaviour §1.3, §9.4: a script run after DOMContentLoaded never binds markup.
    Faithful: `async` is refused, or rendered as `defer`."""
    src = f"{page_server.base_url}/standin/sbl.js?delay=300"
    try:
        tag = str(script_tag(options(src=src, loading="async")))
    except REFUSED:
        return
    load(page, page_server, "async", tag, str(button("Buy", product="pro-plan")))
    assert click_sends(page, "button", 2), "the click sent nothing: no button was bound"
    assert urlsplit(wire_requests(page)[-1]["url"]).path == "/popup-acme/builder/finalize"


# ----------------------------------------------------------------------------- 5. embedded


def test_embed_emits_the_embedded_container(page: Any, page_server: PageServer) -> None:
    """SBL behaviour §7, §9.5: without the container the SBL draws nothing. Faithful: embed()
    emits it, empty, so the skeleton and then the checkout frame go into it."""
    snippet = str(embed(options(EMBEDDED), session=Session(products=[Product(path="pro-plan")])))
    load(page, page_server, "embedded", snippet)
    assert page.evaluate(
        "(() => { const c = document.getElementById('fsc-embedded-checkout-container');"
        " return !!c && !c.textContent.trim(); })()"
    ), "no empty container in the snippet"
    frame = page.wait_for_selector(
        "#fsc-embedded-checkout-container #fsc-popup-frame", state="attached", timeout=3000
    )
    assert frame.get_attribute("src") == f"https://{EMBEDDED}/session/FINALIZEDsession0001"


# ----------------------------------------------------------------------------- 6. secure shape

PLAINTEXT = SecureRequest.plaintext(
    {"contact": {"email": "ann@example.com", "firstName": "Ann", "lastName": "Lee"}, "coupon": "X"}
)


def _secure_parts(placement: str) -> tuple[str, ...]:
    opts = options()
    if placement == "session_init":
        return (str(session_init(Session(secure=PLAINTEXT), options=opts)), str(script_tag(opts)))
    if placement == "secure_before_tag":
        return (str(secure(PLAINTEXT, options=opts)), str(script_tag(opts)))
    if placement == "embed":
        return (str(embed(opts, secure=PLAINTEXT)),)
    if placement == "push_after_tag":
        return (str(script_tag(opts)), str(push(Session(secure=PLAINTEXT), options=opts)))
    return (str(script_tag(opts)), str(secure(PLAINTEXT, options=opts)))


@pytest.mark.parametrize(
    "placement",
    ["session_init", "secure_before_tag", "embed", "push_after_tag", "secure_after_tag"],
)
def test_plaintext_secure_has_one_shape(page: Any, page_server: PageServer, placement: str) -> None:
    """SBL behaviour §3, §9.6: `key: ""` in fscSession or a push is "key present"
    (securePayload + secureKey ''), builder.secure(p, '') is "key absent" (payload merged at
    the top level). Faithful: key absent everywhere, so every placement sends the same."""
    count = 2 if placement.endswith("after_tag") else 1
    load(page, page_server, f"secure-{placement}", *_secure_parts(placement), count=count)
    puts = [e["put"] for e in wire_requests(page) if e["put"] and "accessKey" in e["put"]]
    assert len(puts) == 1, [e["put"] for e in wire_requests(page)]
    assert {k: v for k, v in puts[0].items() if k != "sblVersion"} == {
        "accessKey": "TESTKEY",
        **PLAINTEXT.to_dict()["payload"],
    }


# ----------------------------------------------------------------------------- 7. pre-load fold


@pytest.mark.parametrize(
    "mode",
    ["inline", "external"],
)
def test_preload_fold_merges_nested_objects(page: Any, page_server: PageServer, mode: Any) -> None:
    """SBL behaviour §2.2, §9.7: the SBL's merge is deep (objects merged, `products`
    appended, scalars replaced). Faithful: sblgen's fold of pushes placed before the tag
    gives what the SBL's own merge would."""
    opts = options(mode=mode)
    first = Session(
        products=[Product(path="a")],
        payment_contact=PaymentContact(first_name="Ann"),
        recipient=Recipient(address=Address(city="Santa Barbara")),
        tags={"x": "1"},
    )
    second = Session(
        products=[Product(path="b", quantity=2)],
        payment_contact=PaymentContact(email="ann@example.com"),
        recipient=Recipient(memo="Hi", address=Address(country="US")),
        tags={"y": "2"},
        coupon="SPRING",
    )
    parts = [str(session_init(first, options=opts)), str(push(second, options=opts))]
    if mode == "external":
        page_server.add(
            "/static/sblgen/sbl-loader.js",
            LOADER_PATH.read_text(encoding="utf-8"),
            content_type="application/javascript",
        )
        parts.append(str(sblgen.loader_tag(opts)))
    load(page, page_server, f"fold-{mode}", *parts, str(script_tag(opts)))
    put = wire_requests(page)[0]["put"]
    assert put == {
        "coupon": "SPRING",
        "items": [{"path": "b", "quantity": 2}, {"path": "a", "quantity": 1}],
        "tags": {"x": "1", "y": "2"},
        "paymentContact": {"firstName": "Ann", "email": "ann@example.com"},
        "recipient": {"address": {"city": "Santa Barbara", "country": "US"}, "memo": "Hi"},
        "sblVersion": "sbl/1.0.3",
    }


# ----------------------------------------------------------------------------- 8. payment methods


def test_hide_other_payment_methods_reaches_fastspring(page: Any, page_server: PageServer) -> None:
    """SBL behaviour §2.3, §9.8: a plain session forwards only 12 keys. Faithful: the control
    goes into the secure payload (plaintext merged at the top level on a test storefront), or
    it is refused in a plain session."""
    session = Session(payment_method="paypal", hide_other_payment_methods=True)
    opts = options()
    try:
        html = str(session_init(session, options=opts))
    except REFUSED:
        return
    load(page, page_server, "hide-pm", html, str(script_tag(opts)))
    put = wire_requests(page)[0]["put"]
    carried = put.get(
        "hideOtherPaymentMethods", (put.get("securePayload") or {}).get("hideOtherPaymentMethods")
    )
    assert carried is True, put


# ----------------------------------------------------------------------------- 9. session URL


@pytest.mark.parametrize("storefront", [WEB, POPUP])
def test_hosted_url_is_where_the_sbl_opens_the_session(
    page: Any, page_server: PageServer, storefront: str
) -> None:
    """SBL behaviour §2.4, §9.9: the SBL opens https://<data-storefront>/session/<id>, the
    storefront path kept (a navigation on web storefronts, the popup frame otherwise).
    The Python helpers give that same URL (fixed on main; kept as a guard)."""
    response = SessionResponse.model_validate({"id": SESSION_ID})
    opts = options(storefront)
    url = page_server.add(
        f"/mismatch-hosted-{storefront.rsplit('/', 1)[-1]}.html",
        page_html(str(checkout_snippet(response, opts))),
    )
    page.goto(url)
    if storefront == WEB:
        page.wait_for_url("https://acme.test.onfastspring.com/**")
        opened = page.url
    else:
        opened = page.wait_for_selector("#fsc-popup-frame", state="attached").get_attribute("src")
    assert response.hosted_url(storefront) == opened


def test_session_url_needs_more_than_ten_characters() -> None:
    """SBL behaviour §2.3 step 8, §9.9: ids of 10 characters or fewer are not session ids."""
    with pytest.raises(REFUSED):
        Storefront.parse(WEB).session_url("ABCDEFGHIJ")


# ----------------------------------------------------------------------------- 10. CSP

CSP_CASES = [
    ("popup", POPUP, "inline"),
    ("popup", POPUP, "external"),
    ("embedded", EMBEDDED, "inline"),
    ("web", WEB, "external"),
]


@pytest.mark.parametrize(
    ("kind", "storefront", "mode"), [pytest.param(*c, id=f"{c[0]}-{c[2]}") for c in CSP_CASES]
)
def test_generated_csp_allows_the_checkout(
    page: Any, page_server: PageServer, kind: str, storefront: str, mode: Any
) -> None:
    """SBL behaviour §1.5, §9.10: under sblgen's policy (a restrictive default-src plus the
    directives per storefront type and mode) the cart request, stylesheet, spinner and
    checkout frame load with no violation. Expects sblgen.content_security_policy(options,
    nonce=...) -> the header value (see the issue 14 fix notes)."""
    policy_for = sblgen.content_security_policy
    opts = options(storefront, mode=mode)
    nonce = NONCE if mode == "inline" else None
    policy = policy_for(opts, nonce=nonce)
    assert "default-src" in policy
    if mode == "external":
        page_server.add(
            "/static/sblgen/sbl-loader.js",
            LOADER_PATH.read_text(encoding="utf-8"),
            content_type="application/javascript",
        )
    snippet = str(embed(opts, session=Session(products=[Product(path="pro-plan")]), nonce=nonce))
    count = 2 if kind == "embedded" else 1
    load(
        page,
        page_server,
        f"csp-{kind}-{mode}",
        snippet,
        count=count,
        headers={"Content-Security-Policy": policy},
    )
    if kind != "web":
        if kind == "popup":
            click(page, "[data-fsc-action]", 2)
        page.wait_for_selector("#fsc-popup-frame", state="attached")
        page.wait_for_timeout(300)
    assert page.evaluate("window.__violations") == []
    loads = {urlsplit(e["url"]).path for e in page.fastspring_requests}
    assert "/" + storefront.split("/", 1)[1] + "/builder" in loads


# ----------------------------------------------------------------------------- Replace


def test_replace_is_refused() -> None:
    """SBL behaviour §4.2: `Replace` runs the same code as `Add`; removing the
    data-fsc-driver-item-path-value product is unreachable. A seller asking for Replace gets
    Add, so sblgen should refuse it (and say: push the driver with quantity 0, then Add)."""
    with pytest.raises(REFUSED):
        button("Switch", product="pro-plan-yearly", actions="Replace")


def test_replace_adds_like_add(page: Any, page_server: PageServer) -> None:
    """What the SBL does with today's Replace button: the same request as Add."""
    load(
        page,
        page_server,
        "replace",
        script_tag(options()),
        '<button data-fsc-item-path-value="b" data-fsc-driver-item-path-value="a" '
        'data-fsc-action="Replace">Switch</button>',
    )
    click(page, "button", 2)
    assert items(page)[-1] == [{"path": "b", "quantity": None}]
    assert json.dumps(items(page)).count('"a"') == 0


# ----------------------------------------------------------------------------- found comparing


def test_demo_session_page_opens_its_checkout(
    page: Any, page_server: PageServer, tmp_path: Path
) -> None:
    """Found running the built demo site against the real SBL (not in the behaviour list): a
    `checkout` in fscSession makes the SBL draw its overlay on document.body while it
    initialises (SBL behaviour §1.3, §2.3 step 8). In <head> there is no body yet, so init
    throws: no checkout opens, window.fastspring never exists, no button is bound. Faithful:
    the SBL tag runs once the body exists (end of <body>, or `defer`); the starter theme now
    writes it at the end of <body>."""
    with frozen_today(date(2026, 11, 24)):
        build_site(DEMO, tmp_path / "out")
    html = (tmp_path / "out" / "your-cart.html").read_text(encoding="utf-8")
    url = page_server.add("/mismatch-your-cart.html", html)
    page.goto(url)
    page.wait_for_timeout(500)
    assert [str(e).split("\n")[0] for e in page.page_errors] == []
    frame = page.wait_for_selector("#fsc-popup-frame", state="attached", timeout=2000)
    src = frame.get_attribute("src") or ""
    assert src.startswith(f"https://{POPUP}/session/")


def _sbl_checkout_type(page: Any) -> str:
    """How the SBL treated the storefront, from what it loaded and sent (SBL behaviour §1.2,
    §1.4, §2.4): the spinner only for popup, no stylesheet for embedded, origin for all but
    web."""
    loads = {urlsplit(e["url"]).path for e in page.fastspring_requests}
    finalize = [e for e in wire_requests(page) if e["url"].endswith("/builder/finalize")]
    if "/pinhole/spin.svg" in loads:
        return "popup"
    if not any(path.endswith("/fastspring.css") for path in loads):
        return "embedded"
    return "inapp" if "origin" in finalize[0]["put"] else "web"


@pytest.mark.parametrize(
    "storefront",
    [
        "acme.test.onfastspring.com/popup-acme",
        "acme.test.onfastspring.com/embedded-acme",
        "acme.test.onfastspring.com/inapp-acme",
        "acme.test.onfastspring.com/acme",
        "popupshop.test.onfastspring.com/shop",
        "acme.test.onfastspring.com/my-popup",
        "acme.test.onfastspring.com/popup-embedded",
        "embeddedco.test.onfastspring.com/popup-x",
    ],
)
def test_checkout_type_matches_the_sbl(page: Any, page_server: PageServer, storefront: str) -> None:
    """SBL behaviour §1.2: the SBL classifies by substring anywhere in data-storefront
    (popup/pinhole, then inapp, then embedded; a later match wins), so `popupshop` is a popup
    storefront. Faithful: Storefront.checkout_type (which picks CSP entries, the embedded
    container, where a session opens) agrees, or such storefronts are refused."""
    try:
        expected = Storefront.parse(storefront).checkout_type
    except REFUSED:
        return
    session = Session(products=[Product(path="p")], checkout=True)
    name = storefront.replace("/", "_")
    load(page, page_server, f"type-{name}", session_init(session), script_tag(options(storefront)))
    assert _sbl_checkout_type(page) == expected
