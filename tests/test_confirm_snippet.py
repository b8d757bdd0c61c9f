"""``confirm_on_close``: the script tag the popup-closed callback runs, its settings as data
attributes (escaped, validated), inline with a nonce or external, and the checks against
the SBL tag's options."""

from __future__ import annotations

import re

import pytest

from sblgen import RenderError, SblOptions
from sblgen.confirm_snippet import (
    CONFIRM_SCRIPT_PATH,
    DEFAULT_CALLBACK,
    confirm_js,
    confirm_on_close,
    confirm_options,
)

SHOP = SblOptions(storefront="acme.test.onfastspring.com/popup-acme")
WIRED = confirm_options(SHOP)


def _attrs(html: str) -> dict[str, str]:
    tag = html[: html.index(">")]
    return dict(re.findall(r' ([a-z-]+)="([^"]*)"', tag))


def test_inline_carries_the_code_and_the_nonce() -> None:
    html = str(confirm_on_close("/orders/confirm", options=WIRED, nonce="r4nd0m"))
    assert _attrs(html) == {
        "data-confirm-url": "/orders/confirm",
        "data-callback": DEFAULT_CALLBACK,
        "nonce": "r4nd0m",
    }
    code = html[html.index(">") + 1 : -len("</script>")]
    assert code.startswith("(function (w, d) {") and code in confirm_js()
    # Nothing in the inlined code can end the script element or open a comment in it.
    assert "</script" not in code.lower() and "<!--" not in code


def test_external_loads_the_file_with_the_same_settings() -> None:
    external = WIRED.model_copy(update={"mode": "external"})
    html = str(confirm_on_close("/orders/confirm", options=external, script_src="/js/c.js"))
    assert html == (
        '<script src="/js/c.js" data-confirm-url="/orders/confirm" '
        f'data-callback="{DEFAULT_CALLBACK}"></script>'
    )
    assert CONFIRM_SCRIPT_PATH.read_text(encoding="utf-8") == confirm_js()


def test_csrf_header_with_a_token_or_a_cookie() -> None:
    token = _attrs(
        str(confirm_on_close("/c", csrf_header="X-CSRFToken", csrf_token="abc.DEF-123_x"))
    )
    assert (token["data-csrf-header"], token["data-csrf-token"]) == ("X-CSRFToken", "abc.DEF-123_x")
    cookie = _attrs(str(confirm_on_close("/c", csrf_header="X-CSRFToken", csrf_cookie="csrftoken")))
    assert cookie["data-csrf-cookie"] == "csrftoken" and "data-csrf-token" not in cookie


def test_attribute_values_are_escaped() -> None:
    html = str(confirm_on_close("/orders/confirm?a=1&b=2", csrf_header="X-T", csrf_token="a&b"))
    assert 'data-confirm-url="/orders/confirm?a=1&amp;b=2"' in html
    assert 'data-csrf-token="a&amp;b"' in html


@pytest.mark.parametrize(
    ("kwargs", "message"),
    [
        ({"url": "javascript:alert(1)"}, "is not a URL"),
        ({"url": "/a b"}, "is not a URL"),
        ({"url": ""}, "is not a URL"),
        ({"url": "/c", "csrf_header": "X CSRF", "csrf_token": "t"}, "not an HTTP header name"),
        ({"url": "/c", "csrf_header": "X-CSRFToken"}, "needs csrf_token= (the token) or"),
        ({"url": "/c", "csrf_token": "t"}, "needs csrf_header= too"),
        ({"url": "/c", "csrf_header": "X-T", "csrf_token": 'a"b c'}, "not a header value"),
        ({"url": "/c", "csrf_header": "X-T", "csrf_cookie": "a;b"}, "not a cookie name"),
        ({"url": "/c", "callback": "not-a-name"}, "is not a JavaScript function name"),
        ({"url": "/c", "nonce": '"><x'}, "is not a CSP nonce"),
    ],
)
def test_refusals_name_the_fix(kwargs: dict[str, str], message: str) -> None:
    with pytest.raises(RenderError, match=re.escape(message)):
        confirm_on_close(**kwargs)  # type: ignore[arg-type]


def test_the_sbl_tag_must_call_the_script() -> None:
    with pytest.raises(RenderError, match=r"have no popup_closed.*confirm_options\(options"):
        confirm_on_close("/c", options=SHOP)
    other = SblOptions(storefront=SHOP.storefront, popup_closed="onClosed")
    with pytest.raises(RenderError, match="calls 'onClosed' when the popup closes"):
        confirm_on_close("/c", options=other, callback="sblgenConfirmOrder")
    assert _attrs(str(confirm_on_close("/c", options=other)))["data-callback"] == "onClosed"
    assert 'data-popup-closed="onClosed"' not in str(confirm_on_close("/c", options=other))


def test_confirm_options_keeps_everything_else() -> None:
    options = SblOptions(storefront=SHOP.storefront, access_key="K", debug=True, mode="external")
    wired = confirm_options(options, "onOrder")
    assert wired.popup_closed == "onOrder"
    assert wired.model_dump(exclude={"popup_closed"}) == options.model_dump(
        exclude={"popup_closed"}
    )
