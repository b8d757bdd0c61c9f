"""What sblgen refuses or emits so that the real SBL reads a snippet as the seller meant
(issue 14). The browser tests (tests/browser/test_sbl_mismatches.py,
test_several_snippets.py) show each behaviour on the SBL; these pin the Python side: the
error messages, which name the field and the fix, and the markup."""

from __future__ import annotations

import re
from collections.abc import Callable

import jinja2
import pytest

from sblgen import (
    Product,
    RenderError,
    SblOptions,
    SecureRequest,
    Session,
    SessionResponse,
    Storefront,
    StorefrontError,
    button,
    buttons,
    checkout_call,
    checkout_snippet,
    embed,
    embedded_container,
    push,
    session_init,
)
from sblgen.helpers import SblHelpers
from sblgen.render import ACTIONS, value_input_tags

POPUP = "acme.test.onfastspring.com/popup-acme"
EMBEDDED = "acme.test.onfastspring.com/embedded-acme"
CONTAINER = '<div id="fsc-embedded-checkout-container"></div>'


# ----------------------------------------------------------------------------- buttons


@pytest.mark.parametrize(
    ("kwargs", "message"),
    [
        (
            {"product": "p", "actions": "Update", "quantity": 0},
            "quantity 0 is ignored by the SBL (it adds the product at its default quantity); "
            "use actions='Remove' to take it out.",
        ),
        ({"product": "p", "actions": "Update", "quantity": -2}, "whole number >= 1, not -2"),
        ({"product": "p", "actions": "Update", "quantity": True}, "whole number >= 1, not True"),
        (
            {"product": "p", "actions": "Add", "quantity": 2},
            "quantity: only the Update action reads a quantity (Add adds the catalog default); "
            "use actions='Update' (or ['Update', 'Checkout']).",
        ),
        ({"product": "p", "actions": "Remove", "quantity_src": "q"}, "quantity_src: only"),
        (
            {"actions": "Clean"},
            "actions: a lone Clean is never bound by the SBL; use actions=['Clean', 'Checkout'] "
            "(with data-continuous) or call fastspring.builder.clean().",
        ),
        ({"actions": ["Clean"]}, "a lone Clean is never bound"),
        ({"actions": ["Clean", "Reset"]}, "Clean only takes effect when checkout opens"),
        ({"actions": ["Clean", "Checkout"]}, "pass options=SblOptions(..., continuous=True)"),
        (
            {"actions": ["Clean", "Checkout"], "options": SblOptions(storefront=POPUP)},
            "Clean needs data-continuous on the script tag",
        ),
        (
            {"product": "p", "actions": "Replace"},
            "actions: the SBL treats Replace as Add and never removes the driver product",
        ),
        ({"product": "p", "preset": "X"}, "preset: only Promocode, PostalCode, TaxId and"),
        ({"actions": "Recognize", "preset": "a@b.c"}, "give a mapping with keys email,"),
        ({"actions": "Promocode", "input_label": {"coupon": "C"}}, "'coupon' is no input"),
        ({"actions": "Checkout", "session_id": "short"}, "button(session_id=...): 'short'"),
    ],
)
def test_button_refuses_what_the_sbl_would_misread(kwargs: dict[str, object], message: str) -> None:
    with pytest.raises(RenderError, match=re.escape(message)):
        button("Go", **kwargs)  # type: ignore[arg-type]


def test_clean_in_a_list_with_continuous_options() -> None:
    options = SblOptions(storefront=POPUP, continuous=True)
    html = button("Again", actions=["Clean", "Checkout"], options=options)
    assert html == '<button type="button" data-fsc-action="Clean,Checkout">Again</button>'


@pytest.mark.parametrize(
    ("action", "tags"),
    [
        ("Promocode", ("promocode",)),
        ("PostalCode", ("postalcode",)),
        ("TaxId", ("taxid",)),
        ("Recognize", ("email", "firstname", "lastname")),
    ],
)
def test_value_actions_come_with_their_inputs(action: str, tags: tuple[str, ...]) -> None:
    html = str(button("Go", actions=action))  # type: ignore[arg-type]
    assert value_input_tags(action) == tags  # type: ignore[arg-type]
    assert re.findall(r"data-fsc-(\w+)-value", html) == list(tags)
    assert html.count("<label>") == len(tags)
    assert 'data-fsc-action="' + action + '"' in html.rsplit("<button", 1)[1]
    assert "data-fsc-action" not in html.rsplit("<button", 1)[0]  # never on an input
    assert "<input" not in str(button("Go", actions=action, with_input=False))  # type: ignore[arg-type]


def test_presets_go_in_value_and_are_escaped() -> None:
    html = str(
        button(
            "Go",
            actions=["Recognize", "Checkout"],
            preset={"email": 'a"b@example.com', "lastname": "<Lee>"},
            input_label={"email": "E-mail & more"},
        )
    )
    assert 'data-fsc-email-value value="a&#34;b@example.com"' in html
    assert 'data-fsc-lastname-value value="&lt;Lee&gt;"' in html
    assert "<label>E-mail &amp; more <input" in html
    assert "data-fsc-firstname-value autocomplete" in html  # no preset: no value attribute


def test_buttons_leave_out_quantity_zero_lines() -> None:
    session = Session(products=[Product(path="gone", quantity=0), Product(path="kept")])
    html = str(buttons(session))
    assert "gone" not in html and 'data-fsc-item-path-value="kept"' in html
    with pytest.raises(RenderError, match="every product of the session has quantity 0"):
        buttons(Session(products=[Product(path="gone", quantity=0)]))


def test_buttons_of_a_plain_dict_says_what_to_build() -> None:
    with pytest.raises(TypeError) as refused:
        buttons({"products": [{"path": "pro"}]})  # type: ignore[arg-type]
    assert str(refused.value) == (
        "buttons: expected a sblgen.Session, not dict; build one with "
        "Session.model_validate(data) (the Jinja2, Django and Flask helpers accept dicts as "
        "they are)."
    )


def test_embed_of_a_session_that_only_removes_has_no_buttons() -> None:
    """embed() still hands the SBL the removal; it just has nothing to sell."""
    session = Session(products=[Product(path="gone", quantity=0)])
    html = str(
        embed(SblOptions(storefront="acme.test.onfastspring.com/popup-acme"), session=session)
    )
    assert '"path":"gone","quantity":0' in html and "<button" not in html


# ----------------------------------------------------------------------------- embed, tags


def test_embedded_storefronts_get_one_empty_container_last() -> None:
    session = Session(products=[Product(path="pro-plan")])
    html = str(embed(EMBEDDED, session=session))
    assert html.endswith("\n" + CONTAINER)
    assert html.count('<div id="fsc-embedded-checkout-container">') == 1
    assert CONTAINER not in str(embed(EMBEDDED, session=session, with_container=False))
    assert CONTAINER not in str(embed(POPUP, session=session))
    assert str(embedded_container()) == CONTAINER
    assert str(checkout_snippet("Xy12AbCdEf34GhIj", EMBEDDED)).endswith(CONTAINER)


def test_embed_label() -> None:
    session = Session(products=[Product(path="pro-plan")])
    assert ">Get pro-plan</button>" in embed(POPUP, session=session, label="Get {path}")


def test_script_tag_defers_and_refuses_async() -> None:
    assert SblOptions(storefront=POPUP).loading == "defer"
    assert SblOptions(storefront=POPUP, loading=None).loading is None
    with pytest.raises(ValueError, match=re.escape("use loading='defer'")):
        SblOptions.model_validate({"storefront": POPUP, "loading": "async"})


def test_a_snippet_without_session_guards_against_a_second_tag() -> None:
    html = str(embed(POPUP))
    assert html.startswith("<script>(function(w,d,o,a){")
    assert '(window,document,"guard",null);</script>\n<script id="fsc-api"' in html
    assert "<script>" not in str(embed(SblOptions(storefront=POPUP, mode="external")))


# ----------------------------------------------------------------------------- sessions


def test_embed_merges_its_session_into_fscsession() -> None:
    html = str(embed(POPUP, session=Session(coupon="A")))
    assert html.startswith("<script>var fscSession = (function(w,d,o,a){")
    assert '(window,document,"session",{"coupon":"A"});</script>\n<script id="fsc-api"' in html
    # A whole-page template has one snippet: the plain session_init.
    whole = str(embed(POPUP, session=Session(coupon="A"), paste_safe=False))
    assert whole.startswith(str(session_init(Session(coupon="A"))) + "\n<script id=")
    assert "guard" not in str(embed(POPUP, paste_safe=False))


@pytest.mark.parametrize("render", [session_init, push])
def test_hide_other_payment_methods_is_refused_in_a_plain_session(render: object) -> None:
    session = Session(payment_method="paypal", hide_other_payment_methods=True)
    with pytest.raises(RenderError, match=re.escape("SecurePayload.hide_other_payment_methods")):
        render(session)  # type: ignore[operator]
    with pytest.raises(RenderError, match="hideOtherPaymentMethods is dropped by the SBL"):
        embed(POPUP, session=session)


def test_products_and_plaintext_items_are_not_merged() -> None:
    options = SblOptions(storefront=POPUP, access_key="K")
    secure = SecureRequest.plaintext({"items": [{"product": "locked"}]})
    with pytest.raises(RenderError, match="merge the two lists entry by entry"):
        session_init(Session(products=[Product(path="p")], secure=secure), options=options)
    # Either list alone is fine.
    session_init(Session(secure=secure), options=options)
    session_init(
        Session(
            products=[Product(path="p")],
            secure=SecureRequest.plaintext({"coupon": "X"}),
        ),
        options=options,
    )


def test_plaintext_secure_has_no_key_on_the_wire() -> None:
    request = SecureRequest.plaintext({"coupon": "X"})
    assert request.to_dict() == {"payload": {"coupon": "X"}}
    assert SecureRequest.model_validate({"payload": {"coupon": "X"}}) == request
    assert SecureRequest(payload={"coupon": "X"}, key="") == request
    assert Session(secure=request).to_json() == '{"secure":{"payload":{"coupon":"X"}}}'
    encrypted = SecureRequest(payload="QUJD", key="REVG")
    assert encrypted.to_dict() == {"payload": "QUJD", "key": "REVG"}


# ----------------------------------------------------------------------------- session ids


def test_a_short_session_id_is_refused_with_the_reason() -> None:
    reason = "the SBL treats a checkout string of 10 characters or fewer as a plain"
    for make in (checkout_call, lambda s: checkout_snippet(s, POPUP)):
        with pytest.raises(RenderError, match=reason):
            make("ABCDEFGHIJ")
    response = SessionResponse.model_validate({"id": "ABCDEFGHIJ"})
    assert response.id == "ABCDEFGHIJ"  # a response keeps what the server sent
    with pytest.raises(ValueError, match=reason):
        response.checkout_session()
    with pytest.raises(StorefrontError, match=reason):
        response.hosted_url(POPUP)


@pytest.mark.parametrize(
    ("storefront", "kind"),
    [
        ("acme.test.onfastspring.com/popup-acme", "popup"),
        ("acme.test.onfastspring.com/pinhole-acme", "popup"),
        ("acme.test.onfastspring.com/embedded-acme", "embedded"),
        ("acme.test.onfastspring.com/inapp-acme", "inapp"),
        ("acme.test.onfastspring.com/acme", "web"),
        ("popupshop.test.onfastspring.com/shop", "popup"),
        ("acme.test.onfastspring.com/my-popup", "popup"),
        ("acme.test.onfastspring.com/popup-embedded", "embedded"),
        ("embeddedco.test.onfastspring.com/popup-x", "embedded"),
        ("inappco.onfastspring.com/popup-x", "inapp"),
        ("acme.test.onfastspring.com/Popup-acme", "web"),  # the SBL's test is case-sensitive
    ],
)
def test_checkout_type_is_the_sbls(storefront: str, kind: str) -> None:
    assert Storefront.parse(storefront).checkout_type == kind


# ----------------------------------------------------------------------------- templates


def _env(**templates: str) -> jinja2.Environment:
    helpers = SblHelpers(SblOptions(storefront=POPUP, continuous=True))
    return helpers.install(jinja2.Environment(autoescape=True, loader=jinja2.DictLoader(templates)))


def test_template_helpers_refuse_a_second_value_input_per_render() -> None:
    env = _env(
        ok="{{ sbl_button('A', actions='Promocode') }}"
        "{{ sbl_button('B', actions=['Promocode', 'Checkout'], with_input=False) }}",
        twice="{{ sbl_button('A', actions='Promocode') }}"
        "{{ sbl_button('B', actions='Promocode') }}",
        base="{% block a %}{% endblock %}{% block b %}{% endblock %}",
        page="{% extends 'base' %}{% block a %}{{ sbl_button('A', actions='TaxId') }}{% endblock %}"
        "{% block b %}{% include 'part' %}{% endblock %}",
        part="{{ sbl_button('B', actions='TaxId') }}",
        ids="{{ sbl_button('P', actions='Checkout', session_id='Xy12AbCdEf34GhIj') }}"
        "{{ sbl_button('Q', actions='Checkout', session_id='Zz12AbCdEf34GhIj') }}",
        clean="{{ sbl_button('C', actions=['Clean', 'Checkout']) }}",
    )
    ok = env.get_template("ok")
    assert ok.render() == ok.render()  # each render counts on its own
    assert ok.render().count("data-fsc-promocode-value") == 1
    message = "the page already has an input data-fsc-promocode-value"
    with pytest.raises(RenderError, match=message):
        env.get_template("twice").render()
    with pytest.raises(RenderError, match="data-fsc-taxid-value"):
        env.get_template("page").render()
    with pytest.raises(RenderError, match="data-fsc-session-value"):
        env.get_template("ids").render()
    # The helpers' options say data-continuous, so Clean,Checkout is fine.
    assert 'data-fsc-action="Clean,Checkout"' in env.get_template("clean").render()


# ----------------------------------------------------------------------------- exact refusals


@pytest.mark.parametrize(
    ("render", "message"),
    [
        (
            lambda: button("Go", product="p", actions="Replace"),
            "actions: the SBL treats Replace as Add and never removes the driver product; use a "
            "Remove button for the old product and Add for the new one, or push both lines.",
        ),
        (
            lambda: button("Go", actions=["Clean", "Reset"]),
            "actions: Clean only takes effect when checkout opens; add 'Checkout' "
            "(actions=['Clean', 'Checkout']).",
        ),
        (
            lambda: button("Go", actions=["Clean", "Checkout"]),
            "actions: Clean only works with data-continuous on the script tag; pass "
            "options=SblOptions(..., continuous=True) so sblgen can check it.",
        ),
        (
            lambda: button(
                "Go", actions=["Clean", "Checkout"], options=SblOptions(storefront=POPUP)
            ),
            "actions: Clean needs data-continuous on the script tag; use "
            "SblOptions(..., continuous=True) or drop Clean.",
        ),
        (
            lambda: button("Go", product="p", preset="X"),
            "preset: only Promocode, PostalCode, TaxId and Recognize buttons have an input; "
            "drop it.",
        ),
        (
            lambda: button("Go", actions="Recognize", input_label={"b": "1", "a": "2"}),
            "input_label: 'a', 'b' is no input of this button; use email, firstname, lastname.",
        ),
        (
            lambda: button("Go", product="p", actions=["Add", "Bogus"]),  # type: ignore[list-item]
            f"Unknown markup action(s) ['Bogus']; use some of {', '.join(ACTIONS)}.",
        ),
        (
            lambda: button("a\x00"),
            "A button label contains U+0000 at index 1: HTML cannot carry it; remove it.",
        ),
        (
            lambda: button("Go", css_class="a\x1b"),
            "css_class contains U+001B at index 1: HTML cannot carry it; remove it.",
        ),
        (
            lambda: button("Go", product="p", actions="Update", quantity_src="q\x00"),
            "quantity_src contains U+0000 at index 1: HTML cannot carry it; remove it.",
        ),
        (
            lambda: button(5),  # type: ignore[arg-type]
            "A button label must be text (a str), not int.",
        ),
        (
            lambda: buttons(Session(products=[Product(path="p", quantity=0)])),
            "buttons: every product of the session has quantity 0 (which removes it), so there "
            "is nothing to buy; use button(..., actions='Remove') for a remove button.",
        ),
        (
            lambda: embed(POPUP, secure=SecureRequest(payload="QUJD", key="REVG")),
            "embed: secure payloads are ignored without data-access-key; set "
            "SblOptions(access_key=...) from the FastSpring app.",
        ),
        (
            lambda: checkout_call(123),  # type: ignore[arg-type]
            "checkout_call takes a session id (a string) or a Sessions API response with an id, "
            "not int.",
        ),
        (
            lambda: checkout_snippet(None, POPUP),  # type: ignore[arg-type]
            "checkout_snippet takes a session id (a string) or a Sessions API response with an "
            "id, not NoneType.",
        ),
    ],
)
def test_each_refusal_is_one_exact_line(render: Callable[[], object], message: str) -> None:
    with pytest.raises((RenderError, TypeError)) as raised:
        render()
    assert str(raised.value) == message


def test_embed_names_itself_in_a_session_refusal() -> None:
    session = Session(payment_method="paypal", hide_other_payment_methods=True)
    with pytest.raises(RenderError, match=r"^embed: "):
        embed(POPUP, session=session)


# ----------------------------------------------------------------------------- hand-off and options


def test_a_sessions_api_response_renders_as_its_id() -> None:
    response = SessionResponse.model_validate({"id": "Xy12AbCdEf34GhIj"})
    assert checkout_call(response) == checkout_call("Xy12AbCdEf34GhIj")
    assert checkout_snippet(response, POPUP) == checkout_snippet("Xy12AbCdEf34GhIj", POPUP)


def test_the_nonce_reaches_every_script_of_the_hand_off() -> None:
    assert checkout_call("Xy12AbCdEf34GhIj", nonce="n0nce").startswith('<script nonce="n0nce">')
    snippet = str(checkout_snippet("Xy12AbCdEf34GhIj", POPUP, nonce="n0nce"))
    assert snippet.count("<script") == snippet.count('nonce="n0nce"') == 2


def test_buttons_keep_the_css_class_and_a_checkout_label() -> None:
    products = Session(products=[Product(path="p"), Product(path="q", quantity=2)])
    html = str(buttons(products, css_class="buy"))
    assert html.count('class="buy"') == 2
    checkout = Session(checkout="Xy12AbCdEf34GhIj")
    assert str(buttons(checkout, label="Pay now", css_class="buy")).endswith(
        '<button type="button" class="buy" data-fsc-action="Checkout">Pay now</button>'
    )
    assert str(buttons(checkout)).endswith(">Checkout</button>")  # "Buy {path}": no path here


def test_embed_secure_request_is_a_deprecated_secure() -> None:
    options = SblOptions(storefront=POPUP, access_key="K")
    request = SecureRequest.plaintext({"coupon": "X"})
    with pytest.warns(DeprecationWarning, match=r"secure_request=") as caught:
        old = embed(options, secure_request=request)
    assert old == embed(options, secure=request)
    assert [str(w.message) for w in caught] == [
        "embed(secure_request=...) is deprecated and will be removed in the next release; "
        "use embed(secure=...)"
    ]
    # The warning points at the caller, not into sblgen (mutation testing adds a frame, so
    # this does not insist on this file).
    assert not caught[0].filename.endswith("render.py")
    with pytest.warns(DeprecationWarning, match="deprecated"), pytest.raises(TypeError) as raised:
        embed(options, secure=request, secure_request=request)
    assert str(raised.value) == "embed() takes secure=, not secure= and secure_request= together"


def test_embed_keeps_its_options_when_not_paste_safe() -> None:
    session = Session(coupon="SPRING")
    external = SblOptions(storefront=POPUP, mode="external", loader_src="/static/l.js")
    html = str(embed(external, session=session, paste_safe=False, nonce="n0nce"))
    assert html.startswith(str(session_init(session, options=external, nonce="n0nce")))
    assert '<script type="application/json"' in html  # the loader's data block, not a script
    assert 'src="/static/l.js"' in html
    inline = str(embed(POPUP, session=session, paste_safe=False, nonce="n0nce"))
    assert inline.startswith('<script nonce="n0nce">var fscSession = ')
    assert inline.count("<script") == inline.count('nonce="n0nce"') == 2
