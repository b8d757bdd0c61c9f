"""Render rules on every path they have: the ``authenticate`` secure request, the markup
actions that need a product (Remove and Replace as well as Add and Update), and the CSP
nonce of every Django template tag, Flask helper and Jinja2 global."""

from __future__ import annotations

import re
from collections.abc import Callable
from typing import Any

import jinja2
import pytest
from flask import Flask, g, render_template_string

import tests.test_integrations_django  # noqa: F401  (configures Django the one way)
from sblgen import (
    Product,
    RenderError,
    SblOptions,
    SecureRequest,
    Session,
    button,
    buttons,
    embed,
    push,
    session_init,
)
from sblgen.helpers import SblHelpers
from sblgen.integrations.flask import Sblgen
from sblgen.integrations.jinja import install
from sblgen.options import ACTIONS, Action
from tests.render_cases import LIVE_SHOP, TEST_SHOP
from tests.strategies import parse_html

PLAIN = SecureRequest.plaintext({"contact": {"email": "a@b.co", "firstName": "A", "lastName": "B"}})
ENCRYPTED = SecureRequest(payload="QUJDRA==", key="RUZHSA==")
TEST_KEYED = SblOptions(storefront=TEST_SHOP, access_key="KEY")
LIVE_KEYED = SblOptions(storefront=LIVE_SHOP, access_key="KEY")
NO_KEY = SblOptions(storefront=TEST_SHOP)

# --------------------------------------------------------------- authenticate

#: Each way a session with ``authenticate`` reaches a page: (name, render(session, options)).
AUTH_PATHS: list[tuple[str, Callable[[Session, SblOptions | None], str]]] = [
    ("session_init", lambda s, o: session_init(s, options=o)),
    ("push", lambda s, o: push(s, options=o, nonce="n")),
    ("session_init external", lambda s, o: session_init(s, options=o, mode="external")),
    (
        "embed",
        lambda s, o: embed(o or TEST_SHOP, session=s),
    ),
    ("helpers", lambda s, o: SblHelpers(o).session(s.to_dict())),
    ("helpers push", lambda s, o: SblHelpers(o).push(s.to_dict())),
]


@pytest.mark.parametrize(("name", "render"), AUTH_PATHS, ids=[n for n, _ in AUTH_PATHS])
@pytest.mark.parametrize("field", ["secure", "authenticate"])
def test_secure_requests_in_a_session_are_checked(
    name: str, render: Callable[[Session, SblOptions | None], str], field: str
) -> None:
    """``authenticate`` is checked exactly like ``secure``: a plaintext request only for a
    known test storefront, and never without ``data-access-key``."""
    plain = Session.model_validate({field: PLAIN})
    encrypted = Session.model_validate({field: ENCRYPTED})
    if name != "embed":  # embed always knows its storefront
        with pytest.raises(RenderError, match=rf"\.{field}: a plaintext .* needs the storefront"):
            render(plain, None)
    with pytest.raises(RenderError, match=rf"\.{field}: a plaintext .* cannot go to the live"):
        render(plain, LIVE_KEYED)
    for session in (plain, encrypted):
        with pytest.raises(RenderError, match=rf"\.{field}: secure payloads are ignored"):
            render(session, NO_KEY)
    assert f'"{field}":{{"payload":{{"contact"' in render(plain, TEST_KEYED)
    assert f'"{field}":{{"payload":"QUJDRA=="' in render(encrypted, LIVE_KEYED)


def test_both_requests_are_checked_independently() -> None:
    session = Session(secure=ENCRYPTED, authenticate=PLAIN)
    with pytest.raises(RenderError, match=r"session_init\.authenticate: .* live"):
        session_init(session, options=LIVE_KEYED)
    session = Session(secure=PLAIN, authenticate=ENCRYPTED)
    with pytest.raises(RenderError, match=r"push\.secure: .* live"):
        push(session, options=LIVE_KEYED)
    html = session_init(Session(secure=ENCRYPTED, authenticate=ENCRYPTED), options=LIVE_KEYED)
    assert html.count('"payload":"QUJDRA=="') == 2


def test_authenticate_through_django_flask_and_the_cli(
    tmp_path: Any, capsys: pytest.CaptureFixture[str]
) -> None:
    from django.template import Context, Template
    from django.test import override_settings

    from sblgen.cli import main

    session = {"authenticate": PLAIN.to_dict()}
    with (
        override_settings(SBLGEN={"STOREFRONT": LIVE_SHOP, "ACCESS_KEY": "K"}),
        pytest.raises(RenderError, match="authenticate: a plaintext"),
    ):
        Template("{% load sblgen %}{% sbl_session s %}").render(Context({"s": session}))
    app = _flask_app(SBLGEN_STOREFRONT=LIVE_SHOP, SBLGEN_ACCESS_KEY="K")
    with app.test_request_context(), pytest.raises(RenderError, match="authenticate"):
        render_template_string("{{ sbl_push(s) }}", s=session)
    path = tmp_path / "s.json"
    path.write_text('{"authenticate": {"payload": "QUJDRA==", "key": "RUZHSA=="}}')
    assert main(["render", "--storefront", TEST_SHOP, "--session", str(path)]) == 2
    assert "secure payloads are ignored without data-access-key" in capsys.readouterr().err
    argv = ["render", "--storefront", TEST_SHOP, "--access-key", "K", "--session", str(path)]
    assert main(argv) == 0
    assert '"authenticate":{"payload":"QUJDRA=="' in capsys.readouterr().out


# --------------------------------------------------------------- actions that need a product

NEEDS_PRODUCT = ("Add", "Update", "Remove")


def _the_button(html: str) -> dict[str, str | None]:
    """The attributes of the one <button> in ``html`` (value actions add their inputs)."""
    (attrs,) = [dict(attrs) for name, attrs in parse_html(html).tags if name == "button"]
    return attrs


@pytest.mark.parametrize("action", ACTIONS)
def test_each_action_with_and_without_a_product(action: Action) -> None:
    if action == "Replace":  # the SBL runs Add for it: refused with or without a product
        for product in (None, "pro-plan"):
            with pytest.raises(RenderError, match="the SBL treats Replace as Add"):
                button("x", product=product, actions=action)
        return
    if action == "Clean":  # alone, the SBL never binds it
        with pytest.raises(RenderError, match="a lone Clean is never bound"):
            button("x", actions=action)
        return
    if action in NEEDS_PRODUCT:
        with pytest.raises(RenderError, match=f"Action {action} needs product="):
            button("x", actions=action)
        with pytest.raises(RenderError, match=f"Action {action} needs product="):
            button("x", actions=[action, "Checkout"])
    else:
        assert _the_button(str(button("x", actions=action))) == {
            "type": "button",
            "data-fsc-action": action,
        }
    attrs = _the_button(str(button("x", product="pro-plan", actions=action)))
    assert attrs["data-fsc-item-path-value"] == "pro-plan"
    assert attrs["data-fsc-action"] == action


def test_the_first_action_needing_a_product_is_named() -> None:
    with pytest.raises(RenderError, match="Action Remove needs"):
        button("x", actions=["Checkout", "Remove", "Add"])
    with pytest.raises(RenderError, match="Action Update needs"):
        button("x", actions=["Update", "Add"])


def test_remove_buttons_per_product_carry_no_quantity() -> None:
    session = Session(products=[Product(path="a"), Product(path="b", quantity=3)])
    html = buttons(session, actions="Remove", label="{path}")
    tags = [dict(attrs) for _, attrs in parse_html(str(html)).tags]
    assert tags == [  # only Update reads a quantity; Remove takes the whole line out
        {"type": "button", "data-fsc-item-path-value": "a", "data-fsc-action": "Remove"},
        {"type": "button", "data-fsc-item-path-value": "b", "data-fsc-action": "Remove"},
    ]
    mixed = str(buttons(session, actions=["Remove", "Add"]))
    assert mixed.count("Remove,Update") == 1 and 'data-fsc-item-quantity-value="3"' in mixed
    with pytest.raises(RenderError, match="the SBL treats Replace as Add"):
        buttons(session, actions="Replace")


@pytest.mark.parametrize("action", ["Remove", "Replace"])
def test_remove_and_replace_through_the_template_helpers(action: str) -> None:
    from django.template import Context, Template

    env = install(jinja2.Environment(autoescape=True), options=TEST_KEYED)
    django_tag = "{% load sblgen %}{% sbl_button 'x' actions=a %}"
    refusal = (
        "Action Remove needs product=" if action == "Remove" else "the SBL treats Replace as Add"
    )
    for render in (
        lambda ctx: env.from_string("{{ sbl_button('x', actions=a) }}").render(**ctx),
        lambda ctx: Template(django_tag).render(Context(ctx)),
    ):
        with pytest.raises(RenderError, match=refusal):
            render({"a": action})
    sbl_buttons = env.from_string("{{ sbl_buttons(s, actions=a) }}")
    if action == "Remove":
        html = sbl_buttons.render(s={"products": [{"path": "p"}]}, a=action)
        assert 'data-fsc-action="Remove"' in html
    else:
        with pytest.raises(RenderError, match=refusal):
            sbl_buttons.render(s={"products": [{"path": "p"}]}, a=action)


# --------------------------------------------------------------- nonces

_SCRIPT = re.compile(r"<script\b[^>]*>")


def script_nonces(html: str) -> list[str | None]:
    """The nonce of every script element that runs (JSON data blocks need none)."""
    found = []
    for name, attrs in parse_html(html).tags:
        attributes = dict(attrs)
        if name == "script" and attributes.get("type") != "application/json":
            found.append(attributes.get("nonce"))
    return found


DJANGO_TAGS = {
    "sbl_script": "{% sbl_script %}",
    "sbl_script session": "{% sbl_script session=s %}",
    "sbl_script secure": "{% sbl_script session=s secure=sec %}",
    "sbl_session": "{% sbl_session s %}",
    "sbl_push": "{% sbl_push s %}",
    "sbl_secure": "{% sbl_secure sec %}",
    "sbl_loader": "{% sbl_loader %}",
}
_EXPECTED_SCRIPTS = {
    "sbl_script": 2,  # the paste-safe guard (a second SBL tag is taken out) and the tag
    "sbl_script session": 2,
    "sbl_script secure": 2,
    "sbl_session": 1,
    "sbl_push": 1,
    "sbl_secure": 1,
    "sbl_loader": 1,
}


class _Request:
    """What the tags read of a request: django-csp's ``csp_nonce``."""

    def __init__(self, nonce: object) -> None:
        self.csp_nonce = nonce


class _LazyNonce:
    """Like django-csp's lazy nonce: falsy until ``str()`` generates it."""

    def __init__(self, value: str) -> None:
        self.value = value
        self.made = False

    def __bool__(self) -> bool:
        return self.made

    def __str__(self) -> str:
        self.made = True
        return self.value


@pytest.mark.parametrize("tag", sorted(DJANGO_TAGS))
@pytest.mark.parametrize("mode", ["inline", "external"])
def test_every_django_tag_uses_the_request_nonce(tag: str, mode: str) -> None:
    from django.template import Context, Template
    from django.test import override_settings

    template = Template("{% load sblgen %}" + DJANGO_TAGS[tag])
    data = {"s": {"products": [{"path": "p"}]}, "sec": PLAIN.to_dict()}
    config = {"STOREFRONT": TEST_SHOP, "ACCESS_KEY": "K", "MODE": mode}
    with override_settings(SBLGEN=config):
        for nonce in ("cmVxdWVzdA==", _LazyNonce("bGF6eQ==")):
            html = template.render(Context({**data, "request": _Request(nonce)}))
            nonces = script_nonces(html)
            count = _EXPECTED_SCRIPTS[tag]
            if mode == "external" and tag in ("sbl_session", "sbl_push", "sbl_secure"):
                count = 0  # a JSON block only
            elif mode == "external" and tag.startswith("sbl_script"):
                count = 2  # the loader and the SBL tag
            assert nonces == [str(nonce)] * count, (tag, html)
        for context in ({}, {"request": _Request(None)}, {"request": _Request("")}):
            html = template.render(Context({**data, **context}))
            assert set(script_nonces(html)) <= {None}, html


def test_the_django_button_tags_have_no_script() -> None:
    from django.template import Context, Template

    html = Template(
        "{% load sblgen %}{% sbl_buttons s %}{% sbl_button 'Cart' actions='ViewCart' %}"
    ).render(Context({"s": {"products": [{"path": "p"}]}, "request": _Request("bm9uY2U=")}))
    assert "<script" not in html and html.count("<button") == 2


def _flask_app(**config: object) -> Flask:
    app = Flask(__name__)
    app.config.update({"SBLGEN_STOREFRONT": TEST_SHOP, "SBLGEN_ACCESS_KEY": "K", **config})
    Sblgen(app)
    return app


FLASK_HELPERS = {
    "sbl_script": "{{ sbl_script(session=s, secure=sec) }}",
    "sbl_script storefront": "{{ sbl_script(storefront='acme.test.onfastspring.com/x') }}",
    "sbl_session": "{{ sbl_session(s) }}",
    "sbl_push": "{{ sbl_push(s) }}",
    "sbl_secure": "{{ sbl_secure(sec) }}",
    "sbl_loader": "{{ sbl_loader() }}",
}


@pytest.mark.parametrize("helper", sorted(FLASK_HELPERS))
def test_every_flask_helper_uses_the_request_nonce(helper: str) -> None:
    app = _flask_app()
    data = {"s": {"products": [{"path": "p"}]}, "sec": PLAIN.to_dict()}
    with app.test_request_context():
        g.csp_nonce = "Zmxhc2s="
        nonces = script_nonces(render_template_string(FLASK_HELPERS[helper], **data))
        assert nonces and set(nonces) == {"Zmxhc2s="}
        explicit = FLASK_HELPERS[helper].replace(")", ", nonce='ZXhwbGljaXQ=')", 1)
        explicit = explicit.replace("(, ", "(")
        nonces = script_nonces(render_template_string(explicit, **data))
        assert nonces and set(nonces) == {"ZXhwbGljaXQ="}, explicit
    with app.test_request_context():
        assert set(script_nonces(render_template_string(FLASK_HELPERS[helper], **data))) == {None}


@pytest.mark.parametrize("helper", sorted(FLASK_HELPERS))
def test_every_jinja_global_takes_a_nonce(helper: str) -> None:
    env = install(jinja2.Environment(autoescape=True), options=TEST_KEYED)
    data = {"s": {"products": [{"path": "p"}]}, "sec": PLAIN.to_dict()}
    source = FLASK_HELPERS[helper]
    assert set(script_nonces(env.from_string(source).render(**data))) == {None}
    explicit = source.replace(")", ", nonce='amluamE=')", 1).replace("(, ", "(")
    assert set(script_nonces(env.from_string(explicit).render(**data))) == {"amluamE="}


def test_a_bad_nonce_is_refused_on_every_path() -> None:
    from django.template import Context, Template

    bad = '"><script>alert(1)</script>'
    with pytest.raises(RenderError, match="not a CSP nonce"):
        Template("{% load sblgen %}{% sbl_session s %}").render(
            Context({"s": {"coupon": "X"}, "request": _Request(bad)})
        )
    app = _flask_app()
    with app.test_request_context():
        g.csp_nonce = bad
        with pytest.raises(RenderError, match="not a CSP nonce"):
            render_template_string("{{ sbl_loader() }}")
