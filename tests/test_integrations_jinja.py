"""The Jinja2 integration: globals and filter, Markup output, no |safe needed."""

from __future__ import annotations

import jinja2
import pytest

from sblgen import SblOptions, SecureRequest, Session
from sblgen.integrations.jinja import install

SHOP = "acme.test.onfastspring.com/popup-acme"


@pytest.fixture
def env() -> jinja2.Environment:
    return install(
        jinja2.Environment(autoescape=True, undefined=jinja2.StrictUndefined),
        options=SblOptions(storefront=SHOP, access_key="K"),
    )


def test_globals_render_markup(env: jinja2.Environment) -> None:
    template = env.from_string(
        "{{ sbl_session(session) }}{{ sbl_script() }}{{ sbl_push({'coupon': 'X'}, nonce='n') }}"
        "{{ sbl_buttons(session) }}{{ sbl_button('Cart', actions='ViewCart') }}"
        "{{ sbl_secure(secure) }}{{ sbl_loader() }}"
    )
    session = Session.model_validate({"products": [{"path": "pro-plan"}]})
    html = template.render(session=session, secure=SecureRequest.plaintext({"coupon": "Y"}))
    assert f"var fscSession = {session.to_json()};" in html
    assert 'id="fsc-api"' in html and 'data-access-key="K"' in html
    assert '<script nonce="n">' in html
    assert 'data-fsc-action="ViewCart"' in html
    assert "&lt;script" not in html


def test_sbl_script_with_storefront_override() -> None:
    env = install(jinja2.Environment(autoescape=True))
    html = env.from_string("{{ sbl_script('acme.onfastspring.com/popup-acme') }}").render()
    assert 'data-storefront="acme.onfastspring.com/popup-acme"' in html
    with pytest.raises(jinja2.TemplateRuntimeError, match="needs a storefront"):
        env.from_string("{{ sbl_script() }}").render()


def test_json_filter_is_html_safe(env: jinja2.Environment) -> None:
    html = env.from_string("<script>var x = {{ data|sbl_json }};</script>").render(
        data={"a": "</script><!--"}
    )
    assert html == '<script>var x = {"a": "\\u003c/script\\u003e\\u003c!--"};</script>'
    model = Session(coupon="X")
    assert env.from_string("{{ m|sbl_json }}").render(m=model) == '{"coupon":"X"}'


def test_nonce_getter_fills_every_inline_script() -> None:
    """install(nonce_getter=...) gives each render the current nonce; no nonce= needed."""
    current = {"nonce": "Zmlyc3Q="}
    env = install(
        jinja2.Environment(autoescape=True, undefined=jinja2.StrictUndefined),
        options=SblOptions(storefront=SHOP, access_key="K"),
        nonce_getter=lambda: current["nonce"],
    )
    template = env.from_string(
        "{{ sbl_script(session={'coupon': 'X'}) }}{{ sbl_push({'coupon': 'Y'}) }}"
        "{{ sbl_secure(secure) }}{{ sbl_loader() }}{{ sbl_session({'coupon': 'Z'}) }}"
    )
    secure = SecureRequest.plaintext({"coupon": "S"})
    html = template.render(secure=secure)
    assert html.count('nonce="Zmlyc3Q="') == 6  # session, SBL tag, push, secure, loader, session
    assert "<script>" not in html
    current["nonce"] = "c2Vjb25k"
    html = template.render(secure=secure)
    assert html.count('nonce="c2Vjb25k"') == 6 and "Zmlyc3Q=" not in html
    # an explicit nonce= wins; a getter answering None means no nonce
    assert (
        'nonce="ZXhwbGljaXQ="'
        in env.from_string("{{ sbl_push({'coupon': 'Y'}, nonce='ZXhwbGljaXQ=') }}").render()
    )
    current["nonce"] = None  # type: ignore[assignment]
    assert "nonce=" not in env.from_string("{{ sbl_push({'coupon': 'Y'}) }}").render()


def test_no_nonce_getter_means_no_nonce(env: jinja2.Environment) -> None:
    assert "nonce=" not in env.from_string("{{ sbl_script() }}").render()
