"""The template helpers bound to default options, and options from framework settings."""

from __future__ import annotations

import jinja2
import pytest
from markupsafe import Markup

from sblgen import ConfigurationError, SblOptions, SecureRequest, Session, render
from sblgen.helpers import SblHelpers, options_from_settings
from sblgen.integrations import jinja as jinja_integration

SHOP = "acme.test.onfastspring.com/popup-acme"


def test_helpers_take_models_or_mappings_and_return_markup() -> None:
    options = SblOptions(storefront=SHOP, access_key="K")
    helpers = SblHelpers(options)
    session = Session.model_validate({"products": [{"path": "pro-plan"}]})
    assert helpers.session(session) == helpers.session({"products": [{"path": "pro-plan"}]})
    assert helpers.session(session) == render.session_init(session, options=options)
    assert helpers.push({"coupon": "X"}, nonce="n") == render.push(
        Session(coupon="X"), options=options, nonce="n"
    )
    request = SecureRequest.plaintext({"coupon": "Y"})
    assert helpers.secure(request.to_dict()) == render.secure(request, options=options)
    assert helpers.buttons(session) == render.buttons(session)
    assert helpers.loader() == render.loader_tag(options)
    script = helpers.script(session=session)
    assert isinstance(script, Markup)
    assert 'data-access-key="K"' in script and session.to_json() in script


def test_script_storefront() -> None:
    with pytest.raises(jinja2.TemplateRuntimeError, match="needs a storefront"):
        SblHelpers().script()
    assert 'data-storefront="acme.onfastspring.com/popup-acme"' in SblHelpers().script(
        "acme.onfastspring.com/popup-acme"
    )
    bound = SblHelpers(SblOptions(storefront=SHOP, access_key="K"))
    other = bound.script("acme.onfastspring.com/popup-acme")
    assert 'data-storefront="acme.onfastspring.com/popup-acme"' in other
    assert 'data-access-key="K"' in other  # the other options stay


def test_install_adds_globals_and_filter() -> None:
    helpers = SblHelpers(SblOptions(storefront=SHOP))
    env = jinja2.Environment(autoescape=True)
    assert helpers.install(env) is env
    assert set(helpers.as_globals()) <= set(env.globals)
    html = env.from_string("{{ sbl_button('Buy', product='p') }}").render()
    assert html == render.button("Buy", product="p")
    assert env.filters["sbl_json"] is SblHelpers.json
    assert SblHelpers.json(Session(coupon="X")) == '{"coupon":"X"}'
    assert SblHelpers.json({"a": "é"}) == '{"a": "é"}'


def test_options_from_settings_names_the_setting() -> None:
    options = options_from_settings({"storefront": SHOP}, str.upper)
    assert options == SblOptions(storefront=SHOP)
    with pytest.raises(ConfigurationError, match=r"^SBLGEN_POPUP_CLOSED: 'alert\(1\)' is not"):
        options_from_settings(
            {"storefront": SHOP, "popup_closed": "alert(1)"}, lambda n: f"SBLGEN_{n.upper()}"
        )


def test_the_jinja_integration_re_exports_them() -> None:
    assert jinja_integration.SblHelpers is SblHelpers
    assert jinja_integration.options_from_settings is options_from_settings
