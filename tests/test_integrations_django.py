"""The Django app with a real Django test client, and django-csp's nonce."""

from __future__ import annotations

from pathlib import Path

import django
import pytest
from django.conf import settings

ROOT = Path(__file__).resolve().parent.parent

from csp.constants import NONCE, SELF  # noqa: E402

if not settings.configured:
    settings.configure(
        DEBUG=False,
        SECRET_KEY="test-only",
        ALLOWED_HOSTS=["testserver"],
        ROOT_URLCONF=__name__,
        INSTALLED_APPS=["django.contrib.contenttypes", "sblgen.integrations.django", "csp"],
        MIDDLEWARE=["csp.middleware.CSPMiddleware"],
        TEMPLATES=[
            {
                "BACKEND": "django.template.backends.django.DjangoTemplates",
                "DIRS": [str(ROOT / "templates" / "django")],
                "OPTIONS": {"context_processors": ["django.template.context_processors.request"]},
            }
        ],
        CONTENT_SECURITY_POLICY={
            "DIRECTIVES": {"script-src": [SELF, "https://sbl.onfastspring.com", NONCE]}
        },
        SBLGEN={"STOREFRONT": "acme.test.onfastspring.com/popup-acme", "ACCESS_KEY": "K"},
    )
    django.setup()

from django.http import HttpRequest, HttpResponse  # noqa: E402
from django.shortcuts import render  # noqa: E402
from django.template import Context, Template  # noqa: E402
from django.test import Client, override_settings  # noqa: E402
from django.urls import path  # noqa: E402

from sblgen import SecureRequest, Session  # noqa: E402

SESSION = Session.model_validate({"products": [{"path": "pro-plan", "quantity": 1}], "coupon": "X"})


def checkout_view(request: HttpRequest) -> HttpResponse:
    return render(request, "checkout.html", {"session": SESSION, "title": "<Checkout>"})


urlpatterns = [path("checkout/", checkout_view)]


def test_starter_template_with_csp_nonce() -> None:
    response = Client().get("/checkout/")
    assert response.status_code == 200
    html = response.content.decode()
    header = response["Content-Security-Policy"]
    nonce = header.split("'nonce-")[1].split("'")[0]
    assert f'<script nonce="{nonce}">var fscSession = (function(' in html
    assert f'(window,document,"session",{SESSION.to_json()});</script>' in html
    assert 'id="fsc-api"' in html and 'data-access-key="K"' in html
    assert f'nonce="{nonce}"></script>' in html
    assert 'data-fsc-item-path-value="pro-plan"' in html
    assert "&lt;Checkout&gt;" in html  # ordinary context stays escaped
    assert "&lt;script" not in html  # our markup is not double-escaped


def test_every_tag() -> None:
    template = Template(
        "{% load sblgen %}{% sbl_session s %}{% sbl_push s %}{% sbl_secure sec %}"
        "{% sbl_loader %}{% sbl_buttons s %}{% sbl_button 'Cart' actions='ViewCart' %}"
    )
    html = template.render(Context({"s": SESSION, "sec": SecureRequest.plaintext({"coupon": "Y"})}))
    assert "var fscSession" in html
    assert '"push",' in html and '"secure",' in html
    assert "sbl-loader.js" in html
    assert 'data-fsc-action="ViewCart"' in html


def test_dict_session_and_hostile_data_escaped() -> None:
    template = Template("{% load sblgen %}{% sbl_session s %}")
    html = template.render(Context({"s": {"tags": {"a": "</script><script>alert(1)</script>"}}}))
    assert "</script><script>" not in html.replace("var fscSession = ", "").split(";</script>")[0]
    assert "\\u003c/script\\u003e" in html


def test_missing_settings() -> None:
    from django.core.exceptions import ImproperlyConfigured

    with override_settings(SBLGEN=None), pytest.raises(ImproperlyConfigured, match="STOREFRONT"):
        Template("{% load sblgen %}{% sbl_script %}").render(Context({}))
    bad = {"STOREFRONT": "evil.example/popup", "ACCESS_KEY": "K"}
    with (
        override_settings(SBLGEN=bad),
        pytest.raises(ImproperlyConfigured, match=r"SBLGEN\['STOREFRONT'\]: .*not a FastSpring"),
    ):
        Template("{% load sblgen %}{% sbl_script %}").render(Context({}))
    with (
        override_settings(SBLGEN={"STOREFRONT": "acme.test.onfastspring.com/popup-a", "X": 1}),
        pytest.raises(ImproperlyConfigured, match=r"SBLGEN\['X'\]: unknown setting; use one of"),
    ):
        Template("{% load sblgen %}{% sbl_script %}").render(Context({}))
    # the settings in force again: the helpers follow them, nothing stale is kept
    assert "popup-acme" in Template("{% load sblgen %}{% sbl_script %}").render(Context({}))


def test_readme_snippet_renders() -> None:
    from tests.test_readme import readme_blocks

    (snippet,) = readme_blocks("django")
    html = Template(snippet).render(Context({"session": SESSION}))
    assert "var fscSession" in html and 'id="fsc-api"' in html
    assert 'data-fsc-item-path-value="pro-plan"' in html
    assert 'data-fsc-action="ViewCart"' in html


def test_one_value_input_of_a_kind_per_render() -> None:
    """The SBL reads only the first data-fsc-<tag>-value on a page: a second one is refused
    (per render, included templates counted), with_input=False reads the first."""
    from sblgen import RenderError

    ok = Template(
        "{% load sblgen %}{% sbl_button 'Apply' actions='Promocode' %}"
        "{% sbl_button 'Again' actions='Promocode' with_input=False %}"
        "{% sbl_embedded_container %}"
    )
    html = ok.render(Context({}))
    assert html.count("data-fsc-promocode-value") == 1
    assert html.endswith('<div id="fsc-embedded-checkout-container"></div>')
    assert ok.render(Context({})) == html  # a new render counts from zero
    twice = Template(
        "{% load sblgen %}{% sbl_button 'A' actions='TaxId' %}{% sbl_button 'B' actions='TaxId' %}"
    )
    with pytest.raises(RenderError, match="already has an input data-fsc-taxid-value"):
        twice.render(Context({}))
