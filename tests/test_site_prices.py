"""Prices at build time (``[prices]`` in site.toml): fetched per page country from the fake
FastSpring over real HTTP with credentials from the environment, cached with their fetch
time, and reused (saying how old) when a build cannot ask; the page shows the price."""

from __future__ import annotations

import json
import re
import socket
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest

from sblgen import SiteError
from sblgen.cli import main
from sblgen.site import build_site, load_site
from sblgen.site.prices import PagePrice, load_prices
from sblgen.testing import PASSWORD, USERNAME, FakeFastSpring
from sblgen.testing.resources import resources
from tests.sites import built_files

SITE = """
[site]
title = "Acme"
storefront = "acme.test.onfastspring.com/popup-acme"

[catalog.pro-monthly]
name = "Pro, monthly"
price = "from $20"

[catalog.pro-yearly]
name = "Pro, yearly"
price = "from $200"

[prices]
{prices}

[[pages]]
path = "{{language}}-{{country}}/index.html"
title = "Pro"
products = ["pro-monthly", "pro-yearly"]
[pages.localize]
languages = ["en"]
countries = ["US", "DE"]

[[pages]]
path = "index.html"
title = "Home"
products = ["pro-monthly"]
"""


@pytest.fixture
def online(fake: FakeFastSpring, monkeypatch: pytest.MonkeyPatch) -> FakeFastSpring:
    """Credentials for the fake in the environment, as a build server would have them."""
    monkeypatch.setenv("FASTSPRING_API_USERNAME", USERNAME)
    monkeypatch.setenv("FASTSPRING_API_PASSWORD", PASSWORD)
    monkeypatch.setenv("FASTSPRING_API_BASE_URL", fake.base_url)
    return fake


@pytest.fixture
def offline(monkeypatch: pytest.MonkeyPatch) -> None:
    for name in ("FASTSPRING_API_USERNAME", "FASTSPRING_API_PASSWORD", "FASTSPRING_API_BASE_URL"):
        monkeypatch.delenv(name, raising=False)
    monkeypatch.delenv("FASTSPRING_OAUTH_CLIENT_ID", raising=False)
    monkeypatch.delenv("FASTSPRING_OAUTH_CLIENT_SECRET", raising=False)


def _site(tmp_path: Path, prices: str = "") -> Path:
    site = tmp_path / "site"
    site.mkdir(exist_ok=True)
    (site / "site.toml").write_text(SITE.format(prices=prices), encoding="utf-8")
    return site


def _price_tags(html: str) -> list[str]:
    """The text of each price paragraph (the theme wraps it in the SBL's live-price
    directive, whose content is what the page shows until the SBL answers)."""
    return re.findall(r'<p class="price">(?:<span [^>]*>)?(.*?)(?:</span>)?</p>', html)


def test_pages_show_their_countrys_fetched_price(online: FakeFastSpring, tmp_path: Path) -> None:
    site = _site(tmp_path)
    result = build_site(site, tmp_path / "out")
    pages = built_files(tmp_path / "out")
    assert _price_tags(pages["en-US/index.html"]) == [
        "$25.00",
        "$250.00",
    ]
    assert _price_tags(pages["en-DE/index.html"]) == [
        "24,00 €",
        "240,00 €",
    ]
    assert _price_tags(pages["index.html"]) == ["$25.00"]  # [prices] country
    assert result.prices is not None and result.prices.source == "fastspring"
    assert result.prices.note == "prices fetched from FastSpring for DE, US"
    asked = sorted(r.path for r in online.requests if r.path.startswith("/products/price"))
    assert asked == ["/products/price?country=DE", "/products/price?country=US"]
    cache = json.loads((site / ".sblgen-prices.json").read_text(encoding="utf-8"))
    assert cache["countries"]["DE"]["pro-monthly"] == {
        "display": "24,00 €",
        "price": "24",
        "currency": "EUR",
    }
    fetched = datetime.fromisoformat(cache["fetched"])
    assert abs(datetime.now(UTC) - fetched) < timedelta(minutes=1)


def test_offline_builds_reuse_the_cache_and_say_how_old(
    online: FakeFastSpring, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    site = _site(tmp_path)
    build_site(site, tmp_path / "first")
    cache = site / ".sblgen-prices.json"
    data = json.loads(cache.read_text(encoding="utf-8"))
    data["fetched"] = (datetime.now(UTC) - timedelta(days=3, hours=1)).isoformat()
    cache.write_text(json.dumps(data), encoding="utf-8")
    online.close()  # no server any more: FastSpring cannot be reached
    result = build_site(site, tmp_path / "second")
    assert result.prices is not None and result.prices.source == "cache"
    assert result.prices.note.startswith(
        "prices from cache, fetched 3 days ago (FastSpring could not be asked: "
    )
    assert built_files(tmp_path / "second") == built_files(tmp_path / "first")
    for name in ("FASTSPRING_API_USERNAME", "FASTSPRING_API_PASSWORD"):
        monkeypatch.delenv(name)
    result = build_site(site, tmp_path / "third")
    assert result.prices is not None
    assert result.prices.note == (
        "prices from cache, fetched 3 days ago (no FastSpring API credentials in the "
        "environment (FASTSPRING_API_USERNAME / FASTSPRING_API_PASSWORD))"
    )


def test_no_credentials_and_no_cache_names_what_to_set(offline: None, tmp_path: Path) -> None:
    site = _site(tmp_path)
    with pytest.raises(SiteError) as caught:
        build_site(site, tmp_path / "out")
    message = str(caught.value)
    assert message.startswith(f"{site / 'site.toml'}: [prices]: no FastSpring API credentials")
    assert "there is no price cache at" in message and "build once with FastSpring" in message
    assert not (tmp_path / "out").exists()


def test_a_cache_without_a_country_the_pages_need(
    online: FakeFastSpring, offline: None, tmp_path: Path
) -> None:
    site = _site(tmp_path)
    (site / ".sblgen-prices.json").write_text(
        json.dumps({"version": 1, "fetched": "2026-11-20T00:00:00Z", "countries": {"US": {}}})
    )
    with pytest.raises(SiteError, match="has no prices for DE; build with FastSpring"):
        build_site(site, tmp_path / "out")


def test_max_age_refuses_a_stale_cache(offline: None, tmp_path: Path) -> None:
    site = _site(tmp_path, "max_age_days = 2")
    old = (datetime.now(UTC) - timedelta(days=5)).isoformat()
    countries = {c: {"pro-monthly": {"display": "x"}} for c in ("US", "DE")}
    (site / ".sblgen-prices.json").write_text(
        json.dumps({"version": 1, "fetched": old, "countries": countries})
    )
    with pytest.raises(SiteError, match="fetched 5 days ago, more than max_age_days = 2"):
        build_site(site, tmp_path / "out")


def test_an_unreadable_cache_says_to_delete_it(offline: None, tmp_path: Path) -> None:
    site = _site(tmp_path)
    (site / ".sblgen-prices.json").write_text("{not json")
    with pytest.raises(SiteError, match=r"cannot be read .*; delete it and build"):
        build_site(site, tmp_path / "out")


def test_wrong_credentials_fail_the_build_instead_of_using_the_cache(
    online: FakeFastSpring, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    site = _site(tmp_path)
    build_site(site, tmp_path / "first")
    monkeypatch.setenv("FASTSPRING_API_PASSWORD", "wrong-Pa55")
    with pytest.raises(SiteError, match="FastSpring refused the price request") as caught:
        build_site(site, tmp_path / "second")
    assert "wrong-Pa55" not in str(caught.value)


def test_a_product_without_a_fastspring_price_keeps_the_catalogs(
    online: FakeFastSpring, tmp_path: Path
) -> None:
    resources(online).prices.pop("pro-yearly")
    site = _site(tmp_path)
    result = build_site(site, tmp_path / "out")
    assert result.prices is not None
    assert result.prices.missing == (("pro-yearly", "DE"), ("pro-yearly", "US"))
    html = built_files(tmp_path / "out")["en-DE/index.html"]
    assert _price_tags(html) == ["24,00 €", "from $200"]


def test_pages_without_a_country_show_the_default_countrys(
    online: FakeFastSpring, tmp_path: Path
) -> None:
    site = _site(tmp_path, 'country = "DE"')
    table = load_prices(load_site(site))
    assert table is not None
    assert table.for_country("DE")["pro-monthly"] == PagePrice("24,00 €", "24", "EUR")
    build_site(site, tmp_path / "out")
    assert _price_tags(built_files(tmp_path / "out")["index.html"]) == ["24,00 €"]


def test_templates_get_the_prices_and_their_fetch_time(
    online: FakeFastSpring, tmp_path: Path
) -> None:
    site = _site(tmp_path)
    (site / "templates").mkdir()
    (site / "templates" / "page.html").write_text(
        "{% for path, p in products %}{{ path }}={{ prices[path].price }} "
        "{{ prices[path].currency }};{% endfor %} as of {{ prices_fetched.year }}"
    )
    build_site(site, tmp_path / "out")
    text = built_files(tmp_path / "out")["en-DE/index.html"]
    assert text == f"pro-monthly=24 EUR;pro-yearly=240 EUR; as of {datetime.now(UTC).year}"


def test_parallel_builds_use_the_same_prices(
    online: FakeFastSpring, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    import sblgen.site.build

    site = _site(tmp_path)
    build_site(site, tmp_path / "serial", workers=1)
    monkeypatch.setattr(sblgen.site.build, "_PARALLEL_THRESHOLD", 1)
    build_site(site, tmp_path / "parallel", workers=2)
    assert built_files(tmp_path / "parallel") == built_files(tmp_path / "serial")


def test_without_prices_nothing_is_asked(online: FakeFastSpring, tmp_path: Path) -> None:
    site = tmp_path / "site"
    site.mkdir()
    text = SITE.format(prices="").replace("[prices]\n", "")
    (site / "site.toml").write_text(text, encoding="utf-8")
    assert build_site(site, tmp_path / "out").prices is None
    assert not any(r.path.startswith("/products") for r in online.requests)
    assert _price_tags(built_files(tmp_path / "out")["index.html"]) == ["from $20"]


@pytest.mark.parametrize(
    ("prices", "message"),
    [
        ('country = "XX"', "prices.country: 'XX' is not an ISO 3166-1 alpha-2 country code"),
        ('username = "api-user"', "prices.username: unknown field"),
        ("max_age_days = 0", "prices.max_age_days"),
    ],
)
def test_prices_table_is_checked(tmp_path: Path, prices: str, message: str) -> None:
    with pytest.raises(SiteError, match=message):
        load_site(_site(tmp_path, prices))


def test_cli_says_where_the_prices_came_from(
    online: FakeFastSpring, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    site = _site(tmp_path)
    assert main(["site", "build", str(site), "--out", str(tmp_path / "out")]) == 0
    captured = capsys.readouterr()
    assert "built 3 pages" in captured.out
    assert "sblgen: prices fetched from FastSpring for DE, US" in captured.err
    online.close()
    assert main(["site", "build", str(site), "--out", str(tmp_path / "out")]) == 0
    assert "sblgen: prices from cache, fetched just now" in capsys.readouterr().err


def _closed_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


def test_an_unreachable_api_without_a_cache_fails_in_one_line(
    online: FakeFastSpring,
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
) -> None:
    monkeypatch.setenv("FASTSPRING_API_BASE_URL", f"http://127.0.0.1:{_closed_port()}")
    site = _site(tmp_path)
    assert main(["site", "build", str(site), "--out", str(tmp_path / "out")]) == 2
    err = capsys.readouterr().err
    assert "[prices]: FastSpring could not be asked" in err
    assert "Traceback" not in err and len(err.strip().splitlines()) == 1
