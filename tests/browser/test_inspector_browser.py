"""The offline preview inspector (``sblgen site serve --offline``) says, for each click, what
the real SBL would send. Checked against the SBL itself: the same page is loaded once with the
SBL (stand-in, or SBLGEN_BROWSER_SBL) and once with the inspector in its place, every button is
clicked, and the inspector's prediction must equal the request that reached the storefront."""

from __future__ import annotations

from typing import Any
from urllib.parse import urlsplit

import pytest

from sblgen import SblOptions, button, script_tag
from sblgen.options import Action
from sblgen.preview import inspector_js
from tests.browser.harness import PageServer, page_html, settle, wire_requests

pytestmark = pytest.mark.browser

POPUP = "acme.test.onfastspring.com/popup-acme"
SESSION_ID = "SESSIONid1234567"
OPTIONS = SblOptions(storefront=POPUP, access_key="TESTKEY", continuous=True)

#: (case, button html): every markup action sblgen renders, plus what it refuses to render.
WITH_INPUTS = [
    ("add", button("add", product="p-add", actions="Add", css_class="case-add")),
    (
        "update",
        button("upd", product="p-upd", actions="Update", quantity=3, css_class="case-update"),
    ),
    ("remove", button("rem", product="p-rem", actions="Remove", css_class="case-remove")),
    ("buy", button("buy", product="p-buy", css_class="case-buy")),
    ("promo", button("promo", actions="Promocode", preset="SPRING", css_class="case-promo")),
    ("postal", button("zip", actions="PostalCode", preset="93101", css_class="case-postal")),
    ("tax", button("tax", actions="TaxId", preset="DE123456789", css_class="case-tax")),
    (
        "recognize",
        button(
            "who",
            actions="Recognize",
            preset={"email": "ann@example.com", "firstname": "Ann", "lastname": "Lee"},
            css_class="case-recognize",
        ),
    ),
    ("viewcart", button("cart", actions="ViewCart", css_class="case-viewcart")),
    ("paypal", button("paypal", actions="PaypalCheckout", css_class="case-paypal")),
    ("reset", button("reset", actions="Reset", css_class="case-reset")),
    (
        "clean-checkout",
        button(
            "again", actions=["Clean", "Checkout"], options=OPTIONS, css_class="case-clean-checkout"
        ),
    ),
    (
        "lone-clean",
        '<button type="button" class="case-lone-clean" data-fsc-action="Clean">x</button>',
    ),
]
#: A Sessions API session id on the page: every Checkout reads it (the first
#: data-fsc-session-value in the document), so Add,Checkout opens that session too.
WITH_SESSION_ID = [
    ("session", button("pay", actions="Checkout", session_id=SESSION_ID, css_class="case-session")),
    ("session-buy", button("buy", product="p-buy", css_class="case-session-buy")),
]
#: The value actions with no input on the page: the SBL sends empty values.
_BARE: tuple[tuple[str, Action], ...] = (
    ("promo", "Promocode"),
    ("postal", "PostalCode"),
    ("tax", "TaxId"),
    ("recognize", "Recognize"),
)
WITHOUT_INPUTS = [
    (f"bare-{name}", button(name, actions=action, with_input=False, css_class=f"case-bare-{name}"))
    for name, action in _BARE
]


def _body(cases: list[tuple[str, Any]]) -> list[str]:
    return [str(html) for _, html in cases]


def _sbl_sent(page: Any, server: PageServer, cases: list[tuple[str, Any]], case: str) -> Any:
    """Load the page with the SBL, click one button, and say what reached the storefront."""
    url = server.add(
        f"/inspect-sbl-{case}.html", page_html(str(script_tag(OPTIONS)), *_body(cases))
    )
    page.fastspring_requests.clear()
    page.goto(url)
    settle(page, 1)
    page.eval_on_selector(f".case-{case}", "el => el.click()")
    try:
        settle(page, 2, timeout_ms=1000)
    except AssertionError:
        frame = page.query_selector("#fsc-popup-frame")
        if frame is not None:
            return {"request": "open " + (frame.get_attribute("src") or "").rsplit("/", 1)[-1]}
        return {"request": None}
    entry = wire_requests(page)[1]
    put = {k: v for k, v in (entry["put"] or {}).items() if k not in ("sblVersion", "origin")}
    path = urlsplit(entry["url"]).path.removeprefix("/popup-acme")
    return {"request": f"{entry['method']} {path}", "put": put or None}


def _inspector_said(page: Any, server: PageServer, cases: list[tuple[str, Any]]) -> dict[str, Any]:
    server.add("/inspector.js", inspector_js().decode(), content_type="application/javascript")
    url = server.add(
        f"/inspect-offline-{cases[0][0]}.html",
        page_html('<script src="/inspector.js"></script>', *_body(cases)),
    )
    page.goto(url)
    page.wait_for_selector("#sblgen-inspector")
    said = {}
    for case, _ in cases:
        page.eval_on_selector(f".case-{case}", "el => el.click()")
        said[case] = page.evaluate("window.__sbl.clicks[window.__sbl.clicks.length - 1]")
    return said


@pytest.mark.parametrize(
    "cases",
    [WITH_INPUTS, WITHOUT_INPUTS, WITH_SESSION_ID],
    ids=["inputs", "no-inputs", "session-id"],
)
def test_inspector_predicts_what_the_sbl_sends(
    page: Any, page_server: PageServer, cases: list[tuple[str, Any]]
) -> None:
    said = _inspector_said(page, page_server, cases)
    for case, _ in cases:
        sent = _sbl_sent(page, page_server, cases, case)
        predicted = {"request": said[case]["request"]}
        if "put" in sent:
            predicted["put"] = said[case]["put"] or None
        assert predicted == sent, (case, said[case]["lines"])


def test_inspector_says_what_an_empty_value_means(page: Any, page_server: PageServer) -> None:
    said = _inspector_said(page, page_server, WITHOUT_INPUTS)
    assert (
        "coupon: '' (removes the coupon) [no data-fsc-promocode-value element on the page]"
        in (said["bare-promo"]["lines"])
    )
    text = page.inner_text("#sblgen-inspector")
    assert "coupon: '' (removes the coupon)" in text
    assert "postalCode: '' (clears the postal code)" in text
    lone = '<button type="button" class="case-lone" data-fsc-action="Clean">x</button>'
    page.evaluate("html => document.body.insertAdjacentHTML('beforeend', html)", lone)
    page.eval_on_selector(".case-lone", "el => el.click()")
    assert "not bound by the SBL" in page.inner_text("#sblgen-inspector")
