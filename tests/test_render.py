"""Rendering: golden files for every snippet and mode, escaping properties, render errors."""

from __future__ import annotations

import json
import re
from collections.abc import Callable
from typing import Any

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from markupsafe import Markup

from sblgen import (
    LOADER_PATH,
    PaymentContact,
    Product,
    RenderError,
    SblOptions,
    SecureRequest,
    Session,
    button,
    buttons,
    embed,
    html_safe_json,
    loader_js,
    loader_tag,
    push,
    script_tag,
    secure,
    session_init,
)
from sblgen import render as render_module
from tests.conftest import Golden
from tests.hostile import hostile_session

TEST_SHOP = "acme.test.onfastspring.com/popup-acme"
LIVE_SHOP = "acme.onfastspring.com/popup-acme"
SESSION = Session(
    reset=True,
    products=[Product(path="pro-plan", quantity=1), Product(path="addon", quantity=2)],
    coupon="SPRING",
    payment_contact=PaymentContact(email="ann@example.com", first_name="Ann"),
)
ALL_OPTIONS = SblOptions(
    storefront=TEST_SHOP,
    access_key="ABC_123",
    continuous=True,
    debug=True,
    animate_fader=False,
    data_callback="onData",
    error_callback="onError",
    validation_callback="onValidation",
    before_requests_callback="beforeRequests",
    after_requests_callback="afterRequests",
    before_markup_callback="beforeMarkup",
    after_markup_callback="afterMarkup",
    markup_helpers_callback="markupHelpers",
    decorate_callback="decorateUrl",
    popup_closed="onPopupClosed",
    popup_event_received="onPopupEvent",
    popup_webhook_received="onPopupWebhook",
    loading="async",
)
PLAIN_SECURE = SecureRequest.plaintext({"coupon": "SPRING"})
KEYED = SblOptions(storefront=TEST_SHOP, access_key="KEY")

GOLDEN_CASES: dict[str, Any] = {
    "script_tag/minimal.html": lambda: script_tag(TEST_SHOP),
    "script_tag/all_options.html": lambda: script_tag(ALL_OPTIONS),
    "script_tag/nonce.html": lambda: script_tag(ALL_OPTIONS, nonce="r4nd0m+/="),
    "script_tag/custom_src_defer.html": lambda: script_tag(
        SblOptions(storefront=LIVE_SHOP, src="https://cdn.example.com/sbl.js", loading="defer")
    ),
    "script_tag/version.html": lambda: script_tag(
        SblOptions(storefront=LIVE_SHOP, version="1.0.9")
    ),
    "session_init/inline.html": lambda: session_init(SESSION),
    "session_init/nonce.html": lambda: session_init(SESSION, nonce="abc123"),
    "session_init/external.html": lambda: session_init(SESSION, mode="external"),
    "push/inline.html": lambda: push(SESSION),
    "push/nonce.html": lambda: push(SESSION, nonce="abc123"),
    "push/external.html": lambda: push(SESSION, mode="external"),
    "secure/plaintext_test.html": lambda: secure(PLAIN_SECURE, storefront=TEST_SHOP),
    "secure/encrypted.html": lambda: secure(
        SecureRequest(payload="QUJDRA==", key="RUZHSA=="), options=KEYED, nonce="abc123"
    ),
    "secure/external.html": lambda: secure(PLAIN_SECURE, options=KEYED, mode="external"),
    "loader_tag/default.html": lambda: loader_tag(),
    "loader_tag/nonce.html": lambda: loader_tag(KEYED, nonce="abc123"),
    "button/add_checkout.html": lambda: button("Buy now", product="pro-plan"),
    "button/update_qty.html": lambda: button(
        "Set", product="pro-plan", actions="Update", quantity_src="qty", css_class="btn"
    ),
    "button/link_quantity.html": lambda: button(
        "Two", product="pro-plan", actions=["Add"], quantity=2, element="a"
    ),
    "button/session_id.html": lambda: button(
        "Pay", actions="Checkout", session_id="Xy12AbCdEf34GhIj"
    ),
    "button/view_cart.html": lambda: button("Cart", actions="ViewCart"),
    "buttons/session.html": lambda: buttons(SESSION),
    "buttons/checkout_id.html": lambda: buttons(Session(checkout="Xy12AbCdEf34GhIj")),
    "embed/inline.html": lambda: embed(TEST_SHOP, session=SESSION),
    "embed/nonce_secure.html": lambda: embed(
        KEYED, session=SESSION, secure_request=PLAIN_SECURE, nonce="abc123"
    ),
    "embed/external.html": lambda: embed(
        SblOptions(storefront=TEST_SHOP, mode="external"), session=SESSION
    ),
    "embed/tag_only.html": lambda: embed(LIVE_SHOP),
}


@pytest.mark.parametrize("name", sorted(GOLDEN_CASES))
def test_golden(name: str, golden: Golden) -> None:
    output = GOLDEN_CASES[name]()
    assert isinstance(output, Markup)
    golden(f"render/{name}", str(output) + "\n")


def test_markup_is_safe_in_jinja_without_safe_filter() -> None:
    import jinja2

    env = jinja2.Environment(autoescape=True)
    html = env.from_string("{{ s }}").render(s=session_init(SESSION))
    assert html == str(session_init(SESSION))


def test_frames_equal_full_template_render() -> None:
    """The frame-filled fast path gives exactly what rendering the template gives."""
    data = render_module._model_json(SESSION)
    for nonce in (None, "abc123"):
        full = render_module._render("session_init.html", nonce=nonce, data=Markup(data))
        assert session_init(SESSION, nonce=nonce) == full
        full = render_module._render(
            "apply.html", nonce=nonce, apply=render_module._apply_js(), op="push", data=Markup(data)
        )
        assert push(SESSION, nonce=nonce) == full
    options = ALL_OPTIONS
    full = render_module._render(
        "script_tag.html",
        src=options.script_src,
        attrs=options.data_attributes(),
        nonce="n0nce",
        loading="async",
    )
    assert script_tag(options, nonce="n0nce") == full


def test_loader_is_shipped_and_shares_the_inline_runtime() -> None:
    assert LOADER_PATH.is_file()
    source = loader_js()
    assert "/*sblgen:apply*/" in source
    assert str(render_module._apply_js()) in source
    assert str(render_module._apply_js()) in str(push(SESSION))


# ---------------------------------------------------------------- render-time errors


def test_clean_needs_continuous() -> None:
    session = Session(checkout=True, clean=True)
    with pytest.raises(RenderError, match="no data-continuous"):
        session_init(session, options=SblOptions(storefront=TEST_SHOP))
    with pytest.raises(RenderError, match="pass options="):
        push(session)
    assert "clean" in session_init(
        session, options=SblOptions(storefront=TEST_SHOP, continuous=True)
    )


def test_plaintext_secure_refused_on_live_storefront() -> None:
    with pytest.raises(RenderError, match="cannot go to the live storefront"):
        secure(PLAIN_SECURE, storefront=LIVE_SHOP)
    with pytest.raises(RenderError, match="cannot go to the live storefront"):
        embed(SblOptions(storefront=LIVE_SHOP, access_key="K"), secure_request=PLAIN_SECURE)
    with pytest.raises(RenderError, match="cannot go to the live storefront"):
        session_init(
            Session(secure=PLAIN_SECURE), options=SblOptions(storefront=LIVE_SHOP, access_key="K")
        )
    with pytest.raises(RenderError, match="needs the storefront"):
        secure(PLAIN_SECURE)


def test_secure_needs_access_key() -> None:
    with pytest.raises(RenderError, match="without data-access-key"):
        secure(PLAIN_SECURE, options=SblOptions(storefront=TEST_SHOP))


def test_encrypted_secure_allowed_on_live() -> None:
    request = SecureRequest(payload="QUJD", key="REVG")
    assert "REVG" in secure(request, options=SblOptions(storefront=LIVE_SHOP, access_key="K"))


@pytest.mark.parametrize("nonce", ["", "a b", '"><script>', "x" * 300])
def test_bad_nonce(nonce: str) -> None:
    with pytest.raises(RenderError, match="not a CSP nonce"):
        session_init(SESSION, nonce=nonce)
    with pytest.raises(RenderError, match="not a CSP nonce"):
        script_tag(TEST_SHOP, nonce=nonce)


@pytest.mark.parametrize(
    "url",
    ["javascript:alert(1)", " javascript:x", "JAVASCRIPT:x", "data:text/js,x", "a b", "\x00x"],
)
def test_script_urls_are_urls(url: str) -> None:
    for field in ("src", "loader_src"):
        with pytest.raises(ValueError, match="is not a script URL"):
            SblOptions.model_validate({"storefront": TEST_SHOP, field: url})


@pytest.mark.parametrize(
    "url",
    ["https://cdn.example.com/sbl.js", "HTTP://x/y.js", "//cdn.example/x.js", "/s/l.js", "l.js"],
)
def test_script_urls_accepted(url: str) -> None:
    assert SblOptions(storefront=TEST_SHOP, src=url, loader_src=url).script_src == url


def test_button_errors() -> None:
    with pytest.raises(RenderError, match="Unknown markup action"):
        button("x", product="p", actions=["Buy"])  # type: ignore[list-item]
    with pytest.raises(RenderError, match="needs product="):
        button("x", actions="Add")
    with pytest.raises(RenderError, match="quantity must be"):
        button("x", product="p", quantity=-1)
    with pytest.raises(ValueError, match="not a product path"):
        button("x", product='"><script>')
    with pytest.raises(RenderError, match="U\\+0000"):
        button("a\x00b", product="p")


def test_plain_dicts_get_a_clear_type_error() -> None:
    """The typed API takes models; a dict says how to make one (not an AttributeError)."""
    data: Any = {"products": [{"path": "p", "quantity": 1}]}
    calls: dict[str, Callable[[], object]] = {
        "session_init": lambda: session_init(data),
        "push": lambda: push(data),
        "buttons": lambda: buttons(data),
        "embed": lambda: embed(TEST_SHOP, session=data),
        "secure": lambda: secure({"payload": {}, "key": ""}, storefront=TEST_SHOP),  # type: ignore[arg-type]
    }
    for what, call in calls.items():
        with pytest.raises(TypeError, match=rf"^{what}: expected a sblgen\.\w+, not dict; "):
            call()


def test_options_validation() -> None:
    from pydantic import ValidationError

    with pytest.raises(ValidationError, match="not a JavaScript function name"):
        SblOptions(storefront=TEST_SHOP, popup_closed="alert(1)")
    with pytest.raises(ValidationError, match="not an SBL version"):
        SblOptions(storefront=TEST_SHOP, version="latest")
    with pytest.raises(ValidationError, match="not a FastSpring storefront"):
        SblOptions(storefront="example.com")


def test_attribute_values_are_escaped() -> None:
    tag = script_tag(
        SblOptions(storefront=TEST_SHOP, access_key='a"b<c>&', src="https://x/?a=1&b=2")
    )
    assert 'data-access-key="a&#34;b&lt;c&gt;&amp;"' in tag
    assert 'src="https://x/?a=1&amp;b=2"' in tag
    label = button('<img src=x onerror="alert(1)">', product="p")
    assert "<img" not in label
    assert "&lt;img src=x onerror=&#34;alert(1)&#34;&gt;" in label


def test_html_safe_json() -> None:
    text = json.dumps({"a": "</script><!--&'\u2028\u2029"}, ensure_ascii=False)
    safe = html_safe_json(text)
    assert not re.search(r"[<>&'\u2028\u2029]", safe)
    assert json.loads(safe) == json.loads(text)


# ---------------------------------------------------------------- properties

_any_text = st.text(max_size=60)
_SCRIPT_BODY = re.compile(r"<script[^>]*>(.*?)</script>", re.DOTALL | re.IGNORECASE)


@settings(max_examples=150, deadline=None)
@given(text=_any_text, key=_any_text.filter(lambda k: k not in ("", "__proto__")))
def test_any_text_stays_data(text: str, key: str) -> None:
    session = hostile_session(text, key)
    for snippet in (
        session_init(session),
        push(session, nonce="n"),
        session_init(session, mode="external"),
        push(session, mode="external"),
    ):
        bodies = _SCRIPT_BODY.findall(str(snippet))
        assert len(bodies) == 1
        body = bodies[0]
        lowered = body.lower()
        assert "</script" not in lowered
        assert "<!--" not in lowered
        assert "<script" not in lowered
        start, end = body.index("{"), body.rindex("}") + 1
        if body.startswith("var fscSession"):
            json_text = body[start:end]
        elif body.startswith("("):
            json_text = body[body.index(',"push",') + len(',"push",') : body.rindex(")")]
        else:
            json_text = body
        assert json.loads(json_text) == session.to_dict()
