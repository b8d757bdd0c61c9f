"""Build-time prices in chromium: the built page carries FastSpring's price for its country
(what a visitor without JavaScript, or a search engine, sees), and where the template uses
the SBL's display directives the buyer's live price replaces it in the browser."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest

from sblgen.site import build_site
from sblgen.testing import PASSWORD, USERNAME, FakeFastSpring
from tests.browser.harness import PageServer, settle

pytestmark = pytest.mark.browser

SITE = """
[site]
title = "Acme"
storefront = "acme.test.onfastspring.com/popup-acme"
[catalog.pro-monthly]
name = "Pro, monthly"
price = "see checkout"
[prices]
[[pages]]
path = "{language}-{country}.html"
title = "Pro"
products = ["pro-monthly"]
[pages.localize]
languages = ["en"]
countries = ["DE"]
[pages.session]
products = [{ path = "pro-monthly", quantity = 1 }]
"""
TEMPLATE = """<!doctype html><html><head><meta charset="utf-8"><title>{{ page.title }}</title>
{{ sbl_script(session=session) }}</head><body>
{% for path, product in products %}<span id="{{ path }}" data-fsc-item-path="{{ path }}"
 data-fsc-item-price>{{ product.price }}</span>{% endfor %}
</body></html>
"""


def test_fetched_price_in_the_html_then_the_live_price(
    page: Any, page_server: PageServer, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    site = tmp_path / "site"
    (site / "templates").mkdir(parents=True)
    (site / "site.toml").write_text(SITE, encoding="utf-8")
    (site / "templates" / "page.html").write_text(TEMPLATE, encoding="utf-8")
    with FakeFastSpring() as fake:
        monkeypatch.setenv("FASTSPRING_API_USERNAME", USERNAME)
        monkeypatch.setenv("FASTSPRING_API_PASSWORD", PASSWORD)
        monkeypatch.setenv("FASTSPRING_API_BASE_URL", fake.base_url)
        build_site(site, tmp_path / "out")
    html = (tmp_path / "out" / "en-DE.html").read_text(encoding="utf-8")
    assert "data-fsc-item-price>24,00 €</span>" in html  # FastSpring's price at build time
    page.store.catalog = {"pro-monthly": {"prices": {"USD": 26.0, "EUR": 25.5}}}
    page.goto(page_server.add("/prices/en-DE.html", html))
    settle(page, 1)
    assert page.inner_text("#pro-monthly") == "€25.50"  # the SBL's live price took over
