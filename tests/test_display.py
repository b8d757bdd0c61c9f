"""Display directives: golden output of every helper, escaping of fallback text, the checks,
and the same helpers in Jinja2 (globals, ``{% call %}``), Flask, Django tags and the site
theme."""

from __future__ import annotations

import inspect
from collections.abc import Callable, Iterator
from html.parser import HTMLParser
from pathlib import Path
from typing import Any

import django
import jinja2
import pytest
from flask import Flask, render_template_string
from hypothesis import given
from hypothesis import strategies as st
from markupsafe import Markup

import sblgen
from sblgen import RenderError, SblOptions, build_site, display
from sblgen.helpers import DISPLAY_GLOBALS, DISPLAY_HELPERS
from sblgen.integrations.flask import Sblgen
from sblgen.integrations.jinja import install
from tests.conftest import Golden

STOREFRONT = "acme.test.onfastspring.com/popup-acme"

#: Every helper, called the way a page would.
CALLS: list[tuple[str, Callable[[], Markup]]] = [
    ("item_display", lambda: display.item_display("pro-plan", "Pro plan")),
    ("item_price", lambda: display.item_price("pro-plan", "$49.00", css_class="price")),
    ("item_price smartdisplay", lambda: display.item_price("pro-plan", "$49", smartdisplay=True)),
    (
        "item_price smartdisplay target",
        lambda: display.item_price("pro-plan", "$49", smartdisplay="data-sale-badge"),
    ),
    ("item_price_total", lambda: display.item_price_total("pro-plan", "$98.00", element="s")),
    ("item_discount", lambda: display.item_discount("pro-plan", "$0.00")),
    ("item_total", lambda: display.item_total("pro-plan", "$49.00", element="strong")),
    ("item_quantity", lambda: display.item_quantity("pro-plan", "1")),
    ("item_description", lambda: display.item_description("pro-plan", "For pros.")),
    ("item_description full", lambda: display.item_description("pro-plan", part="full")),
    ("item_image", lambda: display.item_image("pro-plan", "/img/pro.png", alt="Pro")),
    ("item_image no src", lambda: display.item_image("pro-plan")),
    ("item_link", lambda: display.item_link("pro-plan", "Details", href="pro.html")),
    ("item_value", lambda: display.item_value("pro-plan", "priceValue", "49")),
    ("item_selected", lambda: display.item_selected("pro-plan", "In your cart")),
    ("item_selected not", lambda: display.item_selected("pro-plan", "Buy it", selected=False)),
    ("item_selected shown", lambda: display.item_selected("pro-plan", "x", hidden=False)),
    (
        "item_attributes",
        lambda: display.item_attributes("pro-plan", "smartdisable", "hideifselected"),
    ),
    ("order_total", lambda: display.order_total("$0.00")),
    ("order_discount", lambda: display.order_discount("$0.00", element="td")),
    ("order_promocode", lambda: display.order_promocode()),
    ("order_value", lambda: display.order_value("country", "US")),
    ("order_selections", lambda: display.order_selections("Checkout below")),
    ("order_selections not", lambda: display.order_selections("Empty", selections=False)),
    ("order_attributes", lambda: display.order_attributes(*display.ORDER_STATE_DIRECTIVES)),
    ("paypal_available", lambda: display.paypal_available("PayPal", css_class="pp")),
    ("tax_exemption_allowed", lambda: display.tax_exemption_allowed("VAT ID", hidden=False)),
]


def test_golden(golden: Golden) -> None:
    golden("display/helpers.html", "".join(f"{name}\n{call()}\n" for name, call in CALLS))


def test_every_helper_is_public_and_in_the_templates() -> None:
    functions = {
        name
        for name, value in vars(display).items()
        if inspect.isfunction(value)
        and value.__module__ == display.__name__
        and not name.startswith("_")
    }
    assert functions == set(display.__all__) - {
        "ITEM_STATE_DIRECTIVES",
        "ORDER_STATE_DIRECTIVES",
        "TextElement",
    }
    assert functions <= set(sblgen.__all__)
    assert {f"sbl_{name}" for name in functions} == set(DISPLAY_HELPERS)
    assert {helper.__name__ for helper in DISPLAY_HELPERS.values()} == functions
    assert {name for name, _ in CALLS} >= functions


# ----------------------------------------------------------------------------- text


class _Text(HTMLParser):
    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.text = ""
        self.tags: list[str] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.tags.append(tag)

    def handle_data(self, data: str) -> None:
        self.text += data


@given(st.text(st.characters(exclude_characters="\x00\r", exclude_categories=["Cs"])))
def test_fallback_is_text_whatever_it_holds(fallback: str) -> None:
    """The fallback reads back as the same text, inside one element: no tag, attribute or
    entity in it survives as markup."""
    parser = _Text()
    parser.feed(str(display.item_price("pro-plan", fallback)))
    parser.close()
    assert parser.text == fallback
    assert parser.tags == ["span"]


def test_markup_goes_in_as_it_is() -> None:
    html = display.item_selected("p", Markup("<b>In</b> your cart"))
    assert ">" + "<b>In</b> your cart</div>" in html
    assert "&lt;b&gt;" in display.item_selected("p", "<b>In</b>")


def test_attributes_are_escaped() -> None:
    html = display.item_price("p", css_class='a" onclick="x')
    assert 'class="a&#34; onclick=&#34;x"' in html
    assert 'alt="&lt;&#34;&gt;"' in display.item_image("p", alt='<">')


# ----------------------------------------------------------------------------- checks


def _any(value: object) -> Any:
    """A value of a type the signature refuses (what an untyped caller may pass)."""
    return value


@pytest.mark.parametrize(
    ("call", "message"),
    [
        (lambda: display.item_price("pro plan"), "item_price: product 'pro plan'"),
        (lambda: display.item_price("p'], x"), "is not a product path"),
        (lambda: display.item_price(_any(3)), "product"),
        (lambda: display.item_value("p", "price total"), "not a property of the order"),
        (lambda: display.item_value("p", "a-b-c"), "not a property of the order"),
        (lambda: display.item_value("p", "path"), "data-fsc-item-path-element"),
        (lambda: display.item_value("p", "display", smartdisplay=True), "only with 'price'"),
        (lambda: display.item_price("p", smartdisplay="[x]"), "is not an attribute name"),
        (lambda: display.item_price("p", element=_any("div")), "not div"),
        (lambda: display.item_price("p", element=_any("script")), "element 'script'"),
        (lambda: display.order_total(element=_any("input")), "element 'input'"),
        (lambda: display.item_price("p", _any(49)), "must be text"),
        (lambda: display.item_price("p", "a\x00b"), r"U\+0000"),
        (lambda: display.item_image("p", "javascript:alert(1)"), "is not a link"),
        (lambda: display.item_link("p", "x", href="java script:x"), "is not a link"),
        (lambda: display.item_description("p", part="a-b"), "is not a key"),
        (lambda: display.item_attributes("p"), "unknown state directive"),
        (lambda: display.item_attributes("p", "smartdisplay"), "'smartdisplay'"),
        (lambda: display.order_attributes("selections-smartdisplay", "x"), r"\['x'\]"),
        (lambda: display.order_value("groups"), "item_... helpers"),
        (lambda: display.order_value("coupons"), "order_promocode"),
    ],
)
def test_refused(call: Callable[[], Markup], message: str) -> None:
    with pytest.raises(RenderError, match=message):
        call()


def test_property_names_are_matched_as_the_sbl_matches_them() -> None:
    """HTML attribute names ignore case: priceTotal is found as pricetotal, and the
    misspelt order directive is written as the SBL checks it."""
    assert "data-fsc-item-pricetotal" in display.item_value("p", "priceTotal")
    assert display.order_attributes("selections-disableifnoselections") == (
        "data-fsc-selections-disableifnoselectios"
    )


# ----------------------------------------------------------------------------- templates


def env() -> jinja2.Environment:
    return install(jinja2.Environment(autoescape=True), options=SblOptions(storefront=STOREFRONT))


def test_jinja_globals_equal_the_functions() -> None:
    environment = env()
    for name, helper in DISPLAY_HELPERS.items():
        assert environment.globals[name] is DISPLAY_GLOBALS[name]
        assert DISPLAY_GLOBALS[name].__doc__ == helper.__doc__
    html = environment.from_string(
        '{{ sbl_item_price("pro-plan", price) }}|{{ sbl_order_total("$0", element="strong") }}'
    ).render(price="<$49>")
    assert html == (
        '<span data-fsc-item-path="pro-plan" data-fsc-item-price>&lt;$49&gt;</span>|'
        "<strong data-fsc-order-total>$0</strong>"
    )


def test_jinja_call_blocks_wrap_their_content() -> None:
    template = env().from_string(
        '{% call sbl_item_selected("pro-plan") %}<b>{{ what }}</b>{% endcall %}'
        "{% call sbl_order_selections(selections=False) %}Empty{% endcall %}"
        "{% call sbl_paypal_available() %}PayPal{% endcall %}"
        '{% call sbl_tax_exemption_allowed(css_class="t") %}VAT{% endcall %}'
    )
    assert template.render(what="<in cart>") == (
        '<div data-fsc-item-path="pro-plan" data-fsc-item-selection-smartdisplay hidden>'
        "<b>&lt;in cart&gt;</b></div>"
        "<div data-fsc-selections-smartdisplay-inverse>Empty</div>"
        "<div data-fsc-smartdisplay data-fsc-order-paypal-available hidden>PayPal</div>"
        '<div class="t" data-fsc-smartdisplay data-fsc-order-taxid hidden>VAT</div>'
    )


def test_flask_templates_have_them() -> None:
    app = Flask(__name__)
    app.config["SBLGEN_STOREFRONT"] = STOREFRONT
    Sblgen(app)
    with app.test_request_context():
        html = render_template_string('{{ sbl_item_display("pro-plan", name) }}', name="<Pro>")
    assert html == str(display.item_display("pro-plan", "<Pro>"))


def _ensure_django() -> None:
    """Configure Django unless another test module did (at its import, so that this module
    never changes the settings another one relies on)."""
    from django.conf import settings

    if not settings.configured:
        settings.configure(
            DEBUG=False,
            SECRET_KEY="test-only",
            ALLOWED_HOSTS=["testserver"],
            INSTALLED_APPS=["django.contrib.contenttypes", "sblgen.integrations.django"],
        )
        django.setup()


@pytest.fixture
def django_templates() -> Iterator[None]:
    _ensure_django()
    from django.test import override_settings

    templates = [{"BACKEND": "django.template.backends.django.DjangoTemplates"}]
    with override_settings(TEMPLATES=templates, SBLGEN={"STOREFRONT": STOREFRONT}):
        yield


def test_django_tags(django_templates: None) -> None:
    from django.template import Context, Template

    template = Template(
        "{% load sblgen %}"
        '{% sbl_item_price "pro-plan" price element="strong" %}|'
        '{% sbl_order_selections "Empty" selections=False %}|'
        '{% sbl_item_attributes "pro-plan" "smartdisable" %}|'
        "{% sbl_order_total %}"
    )
    html = template.render(Context({"price": "<$49>"}))
    assert html == "|".join(
        [
            str(display.item_price("pro-plan", "<$49>", element="strong")),
            str(display.order_selections("Empty", selections=False)),
            str(display.item_attributes("pro-plan", "smartdisable")),
            str(display.order_total()),
        ]
    )
    assert "&lt;$49&gt;" in html


def test_django_every_tag_is_registered(django_templates: None) -> None:
    from sblgen.integrations.django.templatetags.sblgen import register

    assert set(DISPLAY_HELPERS) <= set(register.tags)


# ----------------------------------------------------------------------------- the theme


def test_theme_shows_the_live_price_with_the_catalog_text(tmp_path: Path) -> None:
    site = tmp_path / "site"
    site.mkdir()
    (site / "site.toml").write_text(
        f'[site]\ntitle = "T"\nstorefront = "{STOREFRONT}"\n'
        '[catalog.pro]\nname = "Pro"\nprice = "$49 <excl. tax>"\n'
        '[catalog.sub]\nname = "Sub"\nprice = "$9 / month"\ninterval = "every month"\n'
        '[[pages]]\npath = "index.html"\ntitle = "P"\nproducts = ["pro"]\n'
        '[[pages]]\npath = "pricing.html"\ntemplate = "pricing.html"\ntitle = "P"\n'
        'products = ["sub"]\n'
        '[[pages]]\npath = "quote.html"\ntitle = "Q"\nproducts = ["pro"]\n'
        "data = { live_prices = false }\n",
        encoding="utf-8",
    )
    build_site(site, tmp_path / "out")
    index = (tmp_path / "out" / "index.html").read_text(encoding="utf-8")
    assert str(display.item_price("pro", "$49 <excl. tax>")) in index
    pricing = (tmp_path / "out" / "pricing.html").read_text(encoding="utf-8")
    assert str(display.item_price("sub", "$9 / month")) in pricing
    quote = (tmp_path / "out" / "quote.html").read_text(encoding="utf-8")
    assert "data-fsc-item-price" not in quote
    assert '<p class="price">$49 &lt;excl. tax&gt;</p>' in quote


def test_helper_signatures_take_the_product_first() -> None:
    """Product-level helpers take (product, fallback-or-content ...), order-level ones
    (fallback-or-content ...): the order the guide and the tags document."""
    for name in display.__all__:
        helper = getattr(display, name)
        if not inspect.isfunction(helper):
            continue
        first = next(iter(inspect.signature(helper).parameters))
        expected = "product" if name.startswith("item_") else None
        if expected:
            assert first == expected, name
        else:
            assert first in ("prop", "fallback", "content", "directives"), name


def test_call_names_are_unique() -> None:
    names = [name for name, _ in CALLS]
    assert len(names) == len(set(names))
