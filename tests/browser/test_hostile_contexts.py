"""Every template helper in every HTML context it can stand in, with hostile data, in a real
chromium: no injected code runs, nothing injected becomes an attribute, and the data arrives
as it was; ``__proto__`` keys reach the page the same way in both modes."""

from __future__ import annotations

import json
from typing import Any

import jinja2
import pytest

from sblgen import (
    LOADER_PATH,
    SblOptions,
    SecureRequest,
    Session,
    push,
    script_tag,
    secure,
    session_init,
)
from sblgen.integrations.jinja import install
from tests.browser.harness import PageServer, page_html, wait_for_sbl

pytestmark = pytest.mark.browser

SHOP = "acme.test.onfastspring.com/popup-acme"
OPTIONS = SblOptions(storefront=SHOP, access_key="KEY")

#: What the sweep tried, each ending in code that marks the page if it ever runs.
HOSTILE = [
    '" autofocus onfocus="window.__pwned=1',
    "' autofocus onfocus='window.__pwned=2",
    "x autofocus onfocus=window.__pwned=3 y",
    '"><img src=/missing onerror=window.__pwned=4>',
    "</script><script>window.__pwned=5</script>",
    "&quot; autofocus onfocus=&quot;window.__pwned=6",
    '" open ontoggle="window.__pwned=7',
    '" onerror="window.__pwned=8',
    "<!--<script>window.__pwned=9//",
    "`${window.__pwned=10}`\u2028\u2029",
    '\\"; window.__pwned=11; //',
]

#: The filter in each context, on elements that fire events without any user action.
FILTER_CONTEXTS = """\
<p id="text">{{ v|sbl_json }}</p>
<input id="dq" value="{{ v|sbl_json }}">
<input id="sq" value='{{ v|sbl_json }}'>
<input id="uq" value={{ v|sbl_json }}>
<img id="img" src="/missing.png" title="{{ v|sbl_json }}">
<details id="details" title="{{ v|sbl_json }}"><summary>s</summary></details>
<script>window.__script_value = {{ v|sbl_json }};</script>
"""
TEMPLATE_IDS = ("text", "dq", "sq", "uq", "img", "details")
EXPECTED_ATTRIBUTES = {
    "text": ["id"],
    "dq": ["id", "value"],
    "sq": ["id", "value"],
    "uq": ["id", "value"],
    "img": ["id", "src", "title"],
    "details": ["id", "title"],
}


def _env() -> jinja2.Environment:
    return install(jinja2.Environment(autoescape=True), options=OPTIONS)


def _settle(page: Any) -> None:
    """Give focus, error and toggle events their chance to fire."""
    page.wait_for_load_state("load")
    page.wait_for_timeout(150)


def _never_ran(page: Any) -> None:
    assert page.evaluate("window.__pwned") is None


def _attribute_names(page: Any, element_id: str) -> list[str]:
    names: list[str] = page.eval_on_selector(
        f"#{element_id}", "el => Array.from(el.attributes, a => a.name)"
    )
    return names


@pytest.mark.parametrize("text", HOSTILE)
def test_sbl_json_in_every_context(page: Any, page_server: PageServer, text: str) -> None:
    """It broke out of a double-quoted attribute and ran code with no user action."""
    value = {"note": text, "list": [text, 1, None], text: True}
    html = page_html(_env().from_string(FILTER_CONTEXTS).render(v=value))
    page.goto(page_server.add("/filter.html", html))
    _settle(page)
    _never_ran(page)
    for element_id in TEMPLATE_IDS:
        names = _attribute_names(page, element_id)
        # A double quote of the JSON can end a double-quoted attribute early: what follows
        # becomes inert names, never one of the string's words, never a handler.
        assert [n for n in names if n in EXPECTED_ATTRIBUTES[element_id]] == EXPECTED_ATTRIBUTES[
            element_id
        ]
        # Each name left over holds JSON punctuation: never a word of the string, so never
        # an attribute HTML knows (a handler, autofocus, open, ...).
        extra = [n for n in names if n not in EXPECTED_ATTRIBUTES[element_id]]
        assert all(set(n) & set('"[]{},:') for n in extra), names
    assert page.evaluate("document.querySelectorAll('script').length") == 1
    # The value arrives intact where a template can carry JSON.
    assert json.loads(page.text_content("#text") or "") == value
    assert json.loads(page.get_attribute("#sq", "value") or "") == value
    assert page.evaluate("window.__script_value") == value


def test_sbl_json_carries_any_json(page: Any, page_server: PageServer) -> None:
    value = {"a": ["x y", "a=b", "<>&'\"", 3.5, -2, True, None, {"nested": "é 😀"}]}
    html = page_html(_env().from_string(FILTER_CONTEXTS).render(v=value))
    page.goto(page_server.add("/filter-plain.html", html))
    _settle(page)
    assert page.evaluate("window.__script_value") == value
    assert json.loads(page.get_attribute("#sq", "value") or "") == value


ELEMENT_HELPERS = """\
<!doctype html><html><head><meta charset="utf-8">
{{ sbl_session(session) }}
{{ sbl_loader() }}
{{ sbl_script() }}
</head><body>
<p>{{ sbl_push(late) }}</p>
{{ sbl_secure(request) }}
{{ sbl_buttons(session, label=text ~ ' {path}', css_class=css) }}
<div>{{ sbl_button(text, product='pro', actions='Update', css_class=css,
                  quantity_src='#q' ~ css) }}</div>
</body></html>
"""


def _hostile_session(text: str) -> dict[str, Any]:
    return {
        "products": [{"path": "pro"}],
        "paymentContact": {"firstName": text, "company": text},
        "tags": {"note": text, text or "k": text},
        "postalCode": text,
    }


@pytest.mark.parametrize("text", HOSTILE)
def test_element_helpers_in_text_context(page: Any, page_server: PageServer, text: str) -> None:
    """The helpers that write elements, in <head> and <body>, with hostile data in every
    field, label and class they take."""
    session = _hostile_session(text)
    request = SecureRequest.plaintext({"tags": {"note": text}, "taxId": text})
    css = "btn " + text.replace("\x00", "")
    html = (
        _env()
        .from_string(ELEMENT_HELPERS)
        .render(session=session, late={"coupon": "LATER"}, request=request, text=text, css=css)
    )
    page.goto(page_server.add("/helpers.html", html))
    record = wait_for_sbl(page)
    _settle(page)
    _never_ran(page)
    assert record["initial"] == Session.model_validate(session).to_dict()
    # Plaintext (test mode) goes without a key: the shape builder.secure(payload) sends.
    assert record["calls"] == [["push", {"coupon": "LATER"}], ["secure", request.payload, None]]
    labels = page.eval_on_selector_all("button", "els => els.map(e => e.textContent)")
    assert labels == [f"{text} pro", text]
    classes = page.eval_on_selector_all("button", "els => els.map(e => e.className)")
    assert classes == [css, css]
    for names in page.eval_on_selector_all(
        "button, input, script", "els => els.map(e => Array.from(e.attributes, a => a.name))"
    ):
        assert not [n for n in names if n.startswith("on") or n == "autofocus"], names


DISPLAY_HELPERS = """\
<div id="display">
{{ sbl_item_price('pro', text, css_class=css) }}
{{ sbl_item_display('pro', text) }}
{{ sbl_item_price_total('pro', text, smartdisplay=True, hidden=False) }}
{{ sbl_item_discount('pro', text) }}
{{ sbl_item_total('pro', text) }}
{{ sbl_item_quantity('pro', text) }}
{{ sbl_item_description('pro', text) }}
{{ sbl_item_value('pro', 'sku', text) }}
{{ sbl_item_link('pro', text, href='/p?q=' ~ (text|urlencode)) }}
{{ sbl_item_selected('pro', text, hidden=False) }}
{{ sbl_order_total(text) }}
{{ sbl_order_discount(text) }}
{{ sbl_order_promocode(text) }}
{{ sbl_order_value('currency', text) }}
{{ sbl_order_selections(text, hidden=False) }}
{{ sbl_paypal_available(text, hidden=False) }}
{{ sbl_tax_exemption_allowed(text, hidden=False) }}
{% call sbl_item_selected('pro', selected=False) %}{{ text }}{% endcall %}
</div>
{{ sbl_item_image('pro', '/img?q=' ~ (text|urlencode), alt=text) }}
<input id="own" type="checkbox" {{ sbl_item_attributes('pro', 'selection-smartselect') }}>
<button id="own2" type="button" {{ sbl_order_attributes('selections-smartdisable') }}>x</button>
"""


@pytest.mark.parametrize("text", HOSTILE)
def test_display_helpers_with_hostile_fallbacks(
    page: Any, page_server: PageServer, text: str
) -> None:
    """The display directives: their fallback text, labels, alt text and links in text
    context, their state attributes inside an element of the page's own."""
    css = "price " + text
    html = page_html(_env().from_string(DISPLAY_HELPERS).render(text=text, css=css))
    page.goto(page_server.add("/display.html", html))
    _settle(page)
    _never_ran(page)
    texts = page.eval_on_selector_all("#display > *", "els => els.map(e => e.textContent)")
    assert texts == [text] * 18
    assert page.get_attribute("img", "alt") == text
    assert page.get_attribute("#display > span", "class") == css
    assert _attribute_names(page, "own") == [
        "id",
        "type",
        "data-fsc-item-path",
        "data-fsc-item-selection-smartselect",
    ]
    assert _attribute_names(page, "own2") == ["id", "type", "data-fsc-selections-smartdisable"]
    for names in page.eval_on_selector_all(
        "body *", "els => els.map(e => Array.from(e.attributes, a => a.name))"
    ):
        assert not [n for n in names if n.startswith("on") or n == "autofocus"], names


# --------------------------------------------------------------------------- __proto__


PROTO_PAYLOAD = {
    "items": [
        {
            "product": "pro",
            "display": {"__proto__": "Pro plan", "en": "Pro"},
            "description": {"summary": {"__proto__": "Summary"}, "full": {"__proto__": "F"}},
        }
    ],
    "constructor": {"prototype": {"polluted": True}},
}


def _request() -> SecureRequest:
    """Built past validation, which refuses "__proto__" keys: what the page does with such
    a key if one ever gets through."""
    return SecureRequest.model_construct(payload=PROTO_PAYLOAD, key="")


def _own_keys(page: Any, expression: str) -> list[str]:
    keys: list[str] = page.evaluate(f"Object.keys({expression})")
    return keys


def _check_proto_arrived(page: Any, payload: str) -> None:
    """``payload`` (a JavaScript expression) holds every __proto__ key as its own."""
    assert _own_keys(page, payload) == ["items", "constructor"]
    assert _own_keys(page, f"{payload}.items[0].display") == ["__proto__", "en"]
    assert _own_keys(page, f"{payload}.items[0].description.summary") == ["__proto__"]
    assert page.evaluate(f"Object.getPrototypeOf({payload}) === Object.prototype")
    display = f"{payload}.items[0].display"
    assert page.evaluate(f"Object.getPrototypeOf({display}) === Object.prototype")
    assert page.evaluate(f"{display}.__proto__") == "Pro plan"  # its own key, not the prototype
    assert page.evaluate("({}).polluted") is None
    stringified = json.loads(page.evaluate(f"JSON.stringify({payload})"))
    assert stringified == PROTO_PAYLOAD


def test_proto_keys_inline_mode(page: Any, page_server: PageServer) -> None:
    """Inline, the JSON is a JavaScript object literal: a "__proto__" key set the object's
    prototype (or vanished) while external mode kept it."""
    request = _request()
    html = page_html(
        session_init(Session(secure=request), options=OPTIONS),
        script_tag(OPTIONS),
        secure(request, options=OPTIONS),
    )
    page.goto(page_server.add("/proto-inline.html", html))
    record = wait_for_sbl(page)
    _check_proto_arrived(page, "window.fscSession.secure.payload")
    assert json.loads(page.evaluate("JSON.stringify(window.__sbl.initial)")) == {
        "secure": request.to_dict()
    }
    assert record["calls"][0][0] == "secure"
    call = json.loads(page.evaluate("JSON.stringify(window.__sbl.calls[0][1])"))
    assert call == PROTO_PAYLOAD


def test_proto_keys_external_mode(page: Any, page_server: PageServer) -> None:
    options = SblOptions(storefront=SHOP, access_key="KEY", mode="external")
    page_server.add(
        "/static/sblgen/sbl-loader.js",
        LOADER_PATH.read_text(encoding="utf-8"),
        content_type="application/javascript",
    )
    request = _request()
    html = page_html(
        session_init(Session(secure=request), options=options),
        str(push(Session(coupon="X"), options=options)),
        f'<script src="{options.loader_src}"></script>',
        script_tag(options),
    )
    page.goto(page_server.add("/proto-external.html", html))
    wait_for_sbl(page)
    _check_proto_arrived(page, "window.fscSession.secure.payload")
    assert json.loads(page.evaluate("JSON.stringify(window.__sbl.initial)")) == {
        "secure": request.to_dict(),
        "coupon": "X",
    }
