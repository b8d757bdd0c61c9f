"""Rendered snippets in a real chromium: what the page hands the SBL, in every placement,
with hostile data, under strict Content-Security-Policies."""

from __future__ import annotations

import re
from typing import Any

import pytest

from sblgen import (
    LOADER_PATH,
    PaymentContact,
    Product,
    SblOptions,
    SecureRequest,
    Session,
    button,
    embed,
    loader_tag,
    push,
    script_tag,
    secure,
    session_init,
)
from tests.browser.harness import USING_STANDIN, PageServer, page_html, wait_for_sbl
from tests.hostile import hostile_session

pytestmark = pytest.mark.browser

SHOP = "acme.test.onfastspring.com/popup-acme"
OPTIONS = SblOptions(storefront=SHOP, access_key="TESTKEY", popup_closed="onPopupClosed")
SESSION = Session(
    reset=True,
    products=[Product(path="pro-plan", quantity=1), Product(path="addon", quantity=3)],
    coupon="SPRING",
    payment_contact=PaymentContact(email="ann@example.com", first_name="Ann", last_name="Lee"),
    country="DE",
    language="de",
    tags={"user_id": "42"},
)
HOSTILE = [
    "</script><script>window.__pwned=1</script>",
    "</SCRIPT ><img src=x onerror=window.__pwned=2>",
    "<!--",
    "-->",
    "'\"`${1}\\",
    "line\u2028sep\u2029para",
    "emoji 😀👍🏽 ✓",
    "\u202eRTL override\u202c \u200fmark",
    "&amp; &lt; <b>bold</b>",
    "\x00\x1f nul",
]


def _load(page: Any, server: PageServer, path: str, html: str, **kw: Any) -> dict[str, Any]:
    url = server.add(path, html, **kw)
    page.goto(url)
    return wait_for_sbl(page)


def _unload_checks(page: Any) -> None:
    assert page.evaluate("window.__pwned") is None
    assert page.evaluate("window.__violations") == []
    csp = [m.text for m in page.console_messages if "Content Security Policy" in m.text]
    assert csp == []


def test_session_init_before_tag(page: Any, page_server: PageServer) -> None:
    html = page_html(session_init(SESSION, options=OPTIONS), script_tag(OPTIONS))
    record = _load(page, page_server, "/init.html", html)
    assert record["initial"] == SESSION.to_dict()
    assert record["calls"] == []
    assert record["data"] == {
        "data-storefront": SHOP,
        "data-access-key": "TESTKEY",
        "data-popup-closed": "onPopupClosed",
    }
    _unload_checks(page)


def test_push_before_tag_folds_into_fscsession(page: Any, page_server: PageServer) -> None:
    first = Session(products=[Product(path="a")], tags={"x": "1"})
    html = page_html(session_init(first), push(SESSION), script_tag(OPTIONS))
    record = _load(page, page_server, "/push-before.html", html)
    expected = {**first.to_dict(), **SESSION.to_dict()}
    expected["products"] = first.to_dict()["products"] + SESSION.to_dict()["products"]
    expected["tags"] = {"x": "1", "user_id": "42"}
    assert record["initial"] == expected
    assert record["calls"] == []


def test_push_after_tag(page: Any, page_server: PageServer) -> None:
    html = page_html(script_tag(OPTIONS), push(SESSION))
    record = _load(page, page_server, "/push-after.html", html)
    assert record["initial"] is None
    assert record["calls"] == [["push", SESSION.to_dict()]]


def test_push_injected_after_load(page: Any, page_server: PageServer) -> None:
    record = _load(page, page_server, "/push-late.html", page_html(script_tag(OPTIONS)))
    assert record["calls"] == []
    body = re.search(r"<script>(.*)</script>", str(push(SESSION)), re.S)
    assert body is not None
    page.add_script_tag(content=body.group(1))
    assert page.evaluate("window.__sbl.calls") == [["push", SESSION.to_dict()]]


@pytest.mark.skipif(not USING_STANDIN, reason="reads the stand-in's own record")
def test_push_waits_for_a_delayed_sbl(page: Any, page_server: PageServer) -> None:
    delayed = SblOptions(
        storefront=SHOP, src=f"{page_server.base_url}/standin/sbl.js?delay=600", loading="defer"
    )
    # A deferred SBL runs after parsing (DOMContentLoaded waits for it), so "not yet
    # defined" is checked by an inline script right after the tag.
    probe = "<script>window.__undefinedAfterTag = window.fastspring === undefined;</script>"
    html = page_html(script_tag(delayed), probe, push(SESSION))
    url = page_server.add("/push-delayed.html", html)
    page.goto(url, wait_until="domcontentloaded")
    assert page.evaluate("window.__undefinedAfterTag") is True
    page.wait_for_function("window.__sbl && window.__sbl.calls.length === 1", timeout=5000)
    record = page.evaluate("window.__sbl")
    assert record["initial"] is None
    assert record["calls"] == [["push", SESSION.to_dict()]]
    errors = [m.text for m in page.console_messages if m.type == "error"]
    assert not any("fastspring is not defined" in e for e in errors)


def test_secure_test_mode_before_and_after(page: Any, page_server: PageServer) -> None:
    request = SecureRequest.plaintext({"coupon": "SPRING", "tags": {"a": "b"}})
    html = page_html(secure(request, options=OPTIONS), script_tag(OPTIONS))
    record = _load(page, page_server, "/secure-before.html", html)
    assert record["initial"] == {"secure": request.to_dict()}
    html = page_html(script_tag(OPTIONS), secure(request, options=OPTIONS))
    record = _load(page, page_server, "/secure-after.html", html)
    # No key in the test-mode form: the recorded key is undefined (None in JSON).
    assert record["calls"] == [["secure", request.payload, None]]


def test_embed_buttons_reach_the_dom(page: Any, page_server: PageServer) -> None:
    html = page_html(str(embed(OPTIONS, session=SESSION)))
    record = _load(page, page_server, "/embed.html", html)
    assert record["initial"] == SESSION.to_dict()
    attrs = page.eval_on_selector_all(
        "button[data-fsc-action]",
        "els => els.map(e => [e.dataset.fscItemPathValue, e.dataset.fscAction, e.textContent])",
    )
    assert attrs == [
        ["pro-plan", "Add,Checkout", "Buy pro-plan"],
        ["addon", "Update,Checkout", "Buy addon"],
    ]


@pytest.mark.parametrize("text", HOSTILE)
def test_hostile_strings_arrive_unchanged(page: Any, page_server: PageServer, text: str) -> None:
    session = hostile_session(text, text)
    # HTML text cannot hold U+0000 or the controls HTML parsers reject (button() refuses
    # them: sblgen.limits.check_markup_text); everything else is shown as is.
    label = "".join(c for c in text if c in "\t\n\f\r" or not (c < " " or "\x7f" <= c <= "\x9f"))
    html = page_html(
        session_init(session),
        script_tag(OPTIONS),
        push(session),
        str(button(label, product="pro-plan")),
    )
    record = _load(page, page_server, "/hostile.html", html)
    expected = session.to_dict()
    assert record["initial"] == expected
    assert record["calls"] == [["push", expected]]
    assert page.text_content("button") == label
    assert page.evaluate("document.scripts.length") == 3
    _unload_checks(page)


def test_nonce_mode_under_strict_csp(page: Any, page_server: PageServer) -> None:
    nonce = "dGVzdC1ub25jZQ=="
    html = page_html(
        session_init(SESSION, nonce=nonce),
        script_tag(OPTIONS, nonce=nonce),
        push(Session(coupon="LATER"), nonce=nonce),
        secure(SecureRequest.plaintext({"coupon": "X"}), options=OPTIONS, nonce=nonce),
    )
    csp = f"script-src 'nonce-{nonce}' https://sbl.onfastspring.com; object-src 'none'"
    record = _load(page, page_server, "/nonce.html", html, headers={"Content-Security-Policy": csp})
    assert record["initial"] == SESSION.to_dict()
    assert record["calls"] == [["push", {"coupon": "LATER"}], ["secure", {"coupon": "X"}, None]]
    _unload_checks(page)


def test_nonce_mode_blocks_scripts_without_nonce(page: Any, page_server: PageServer) -> None:
    """Control: the CSP really is enforced, so the passing test above means something."""
    nonce = "dGVzdC1ub25jZQ=="
    html = page_html(session_init(SESSION), script_tag(OPTIONS, nonce=nonce))
    csp = f"script-src 'nonce-{nonce}' https://sbl.onfastspring.com"
    record = _load(
        page, page_server, "/nonce-missing.html", html, headers={"Content-Security-Policy": csp}
    )
    assert record["initial"] is None
    assert page.evaluate("window.__violations.length") == 1


def test_external_mode_under_self_only_csp(page: Any, page_server: PageServer) -> None:
    options = SblOptions(storefront=SHOP, access_key="TESTKEY", mode="external")
    page_server.add(
        "/static/sblgen/sbl-loader.js",
        LOADER_PATH.read_text(encoding="utf-8"),
        content_type="application/javascript",
    )
    html = page_html(str(embed(options, session=SESSION)))
    assert "<script>" not in html
    csp = "script-src 'self' https://sbl.onfastspring.com; object-src 'none'"
    record = _load(
        page, page_server, "/external.html", html, headers={"Content-Security-Policy": csp}
    )
    assert record["initial"] == SESSION.to_dict()
    # A push block injected later (e.g. by a framework) is applied by the loader.
    block = str(push(Session(coupon="LATER"), mode="external"))
    page.evaluate("html => document.body.insertAdjacentHTML('beforeend', html)", block)
    page.wait_for_function("window.__sbl.calls.length === 1", timeout=3000)
    assert page.evaluate("window.__sbl.calls") == [["push", {"coupon": "LATER"}]]
    html_secure = str(secure(SecureRequest.plaintext({"coupon": "X"}), options=options))
    page.evaluate("html => document.body.insertAdjacentHTML('beforeend', html)", html_secure)
    page.wait_for_function("window.__sbl.calls.length === 2", timeout=3000)
    assert page.evaluate("window.__sbl.calls")[1] == ["secure", {"coupon": "X"}, None]
    _unload_checks(page)
    assert loader_tag(options) in html
