"""The snippets: golden files for every snippet and mode, escaping properties, render errors."""

from __future__ import annotations

import json
import re
from typing import Any

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from markupsafe import Markup

from sblgen import (
    Product,
    RenderError,
    SblOptions,
    SecureRequest,
    Session,
    button,
    buttons,
    embed,
    loader_tag,
    push,
    script_tag,
    secure,
    session_init,
)
from tests.conftest import Golden
from tests.hostile import hostile_session
from tests.render_cases import ALL_OPTIONS, KEYED, LIVE_SHOP, PLAIN_SECURE, SESSION, TEST_SHOP

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
        "Two", product="pro-plan", actions=["Update"], quantity=2, element="a"
    ),
    "button/remove.html": lambda: button("Remove", product="pro-plan", actions="Remove"),
    "button/promocode.html": lambda: button("Apply", actions="Promocode", preset="SPRING"),
    "button/promocode_no_input.html": lambda: button(
        "Apply", actions=["Promocode", "Checkout"], with_input=False
    ),
    "button/postal_code.html": lambda: button(
        "Set", actions="PostalCode", input_label="ZIP code", preset="93101"
    ),
    "button/tax_id.html": lambda: button("Set", actions="TaxId"),
    "button/recognize.html": lambda: button(
        "Continue",
        actions=["Recognize", "Checkout"],
        preset={"email": "ann@example.com"},
        input_label={"firstname": "Given name"},
    ),
    "button/clean_checkout.html": lambda: button(
        "Start over",
        actions=["Clean", "Checkout"],
        options=SblOptions(storefront=TEST_SHOP, continuous=True),
    ),
    "button/session_id.html": lambda: button(
        "Pay", actions="Checkout", session_id="Xy12AbCdEf34GhIj"
    ),
    "button/view_cart.html": lambda: button("Cart", actions="ViewCart"),
    "buttons/session.html": lambda: buttons(SESSION),
    "buttons/checkout_id.html": lambda: buttons(Session(checkout="Xy12AbCdEf34GhIj")),
    "buttons/quantity_zero.html": lambda: buttons(
        Session(products=[Product(path="gone", quantity=0), Product(path="kept", quantity=3)])
    ),
    "embed/inline.html": lambda: embed(TEST_SHOP, session=SESSION),
    "embed/nonce_secure.html": lambda: embed(
        KEYED, session=SESSION, secure=PLAIN_SECURE, nonce="abc123"
    ),
    "embed/external.html": lambda: embed(
        SblOptions(storefront=TEST_SHOP, mode="external"), session=SESSION
    ),
    "embed/tag_only.html": lambda: embed(LIVE_SHOP),
    "embed/whole_page.html": lambda: embed(TEST_SHOP, session=SESSION, paste_safe=False),
    "embed/embedded.html": lambda: embed(
        "acme.test.onfastspring.com/embedded-acme", session=SESSION, label="Add {path}"
    ),
    "embed/embedded_external.html": lambda: embed(
        SblOptions(storefront="acme.test.onfastspring.com/embedded-acme", mode="external"),
        session=SESSION,
    ),
    "script_tag/plain.html": lambda: script_tag(SblOptions(storefront=TEST_SHOP, loading=None)),
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


# ---------------------------------------------------------------- render-time errors


@pytest.mark.parametrize("nonce", ["", "a b", '"><script>', "x" * 300])
def test_bad_nonce(nonce: str) -> None:
    with pytest.raises(RenderError, match="not a CSP nonce"):
        session_init(SESSION, nonce=nonce)
    with pytest.raises(RenderError, match="not a CSP nonce"):
        script_tag(TEST_SHOP, nonce=nonce)


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


def test_attribute_values_are_escaped() -> None:
    tag = script_tag(
        SblOptions(storefront=TEST_SHOP, access_key='a"b<c>&', src="https://x/?a=1&b=2")
    )
    assert 'data-access-key="a&#34;b&lt;c&gt;&amp;"' in tag
    assert 'src="https://x/?a=1&amp;b=2"' in tag
    label = button('<img src=x onerror="alert(1)">', product="p")
    assert "<img" not in label
    assert "&lt;img src=x onerror=&#34;alert(1)&#34;&gt;" in label


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
        marker = next((m for m in (',"session",', ',"push",') if m in body), None)
        if marker is not None:
            json_text = body[body.index(marker) + len(marker) : body.rindex(")")]
        else:
            json_text = body[start:end]
        assert json.loads(json_text) == session.to_dict()
