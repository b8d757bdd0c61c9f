"""Prices at build time: each page shows its country's price, as FastSpring has it now.

Opt in with ``[prices]`` in ``site.toml``::

    [prices]
    country = "US"                  # for pages without a country (localized pages have one)
    cache = ".sblgen-prices.json"   # in the site folder (or an absolute path)
    max_age_days = 7                # optional: refuse an older cache when offline

Each build asks FastSpring (``GET /products/price?country=XX``, one request per country
the pages need) with the credentials in the environment, never from ``site.toml``:
``FASTSPRING_API_USERNAME`` and ``FASTSPRING_API_PASSWORD`` (and
``FASTSPRING_API_BASE_URL``). The answer is written to the cache with the time it was
fetched. A build that cannot ask (no credentials, no network, FastSpring down) uses the
cache instead and says how old it is: ``prices from cache, fetched 3 days ago``. A build
with neither fails, naming what to set.

The page shows the fetched price: each catalog product's ``price`` is FastSpring's
``display`` text for the page's country (VAT/GST included, in that country's currency),
and templates also get ``prices`` (product path -> :class:`PagePrice`) and
``prices_fetched`` (when). Those are the prices of the build; in the browser the SBL's
display directives (``data-fsc-item-path="..." data-fsc-item-price``), where a template
uses them, replace them with the buyer's live price. FastSpring refreshes exchange rates
every 6 hours and asks integrators to fetch prices at least once a day: rebuild daily.

>>> describe_age(timedelta(days=3, hours=2)), describe_age(timedelta(seconds=20))
('3 days ago', 'just now')
"""

from __future__ import annotations

import json
import os
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import TYPE_CHECKING, Any, Literal

from sblgen.codes import country_code
from sblgen.errors import (
    ApiConnectionError,
    ApiError,
    ApiTimeoutError,
    ConfigurationError,
    RateLimitError,
    ServerError,
    SiteError,
)
from sblgen.site.config import SITE_FILE, CatalogProduct, PricesConfig, Site

if TYPE_CHECKING:  # pragma: no cover
    from sblgen.api.client import Client

__all__ = [
    "CACHE_VERSION",
    "PagePrice",
    "PriceTable",
    "describe_age",
    "load_prices",
    "page_country",
    "priced_products",
]

#: The cache file's format version.
CACHE_VERSION = 1
_ENV = "FASTSPRING_API_USERNAME / FASTSPRING_API_PASSWORD"
#: Failures that mean "FastSpring cannot be asked now": the cache answers instead.
_OFFLINE = (ApiConnectionError, ApiTimeoutError, ServerError, RateLimitError)


@dataclass(frozen=True)
class PagePrice:
    """One product's price in one country: FastSpring's ``display`` text, the amount (VAT
    or GST included, as decimal text) and the currency."""

    display: str
    price: str | None = None
    currency: str | None = None


@dataclass(frozen=True)
class PriceTable:
    """The prices a build uses: country -> product path -> :class:`PagePrice`, when they
    were fetched, and where they came from (with the one line the build prints)."""

    fetched: datetime
    countries: Mapping[str, Mapping[str, PagePrice]]
    source: Literal["fastspring", "cache"]
    note: str
    #: Catalog products a country has no FastSpring price for (their own price is shown).
    missing: tuple[tuple[str, str], ...] = field(default=())

    def for_country(self, country: str) -> Mapping[str, PagePrice]:
        """The prices of one country (empty when FastSpring has none there)."""
        return self.countries.get(country, {})


def describe_age(age: timedelta) -> str:
    """How old something is, in words: ``'5 minutes ago'``, ``'1 day ago'``."""
    seconds = max(0, int(age.total_seconds()))
    for unit, size in (("day", 86400), ("hour", 3600), ("minute", 60)):
        if seconds >= size:
            count = seconds // size
            return f"{count} {unit}{'' if count == 1 else 's'} ago"
    return "just now"


def page_country(
    prices: PricesConfig, country: str | None, session: Mapping[str, Any] | None
) -> str:
    """The country whose prices a page shows: its localized country, else its session's
    ``country``, else ``[prices] country``.

    >>> config = PricesConfig()
    >>> page_country(config, None, {"country": "de"}), page_country(config, "FR", None)
    ('DE', 'FR')
    >>> page_country(config, None, None)
    'US'
    """
    for candidate in (country, (session or {}).get("country")):
        if isinstance(candidate, str):
            try:
                return country_code(candidate)
            except ValueError:
                continue  # the page's own validation names it
    return prices.country


def _countries(site: Site, prices: PricesConfig) -> list[str]:
    return sorted(
        {page_country(prices, country, page.session) for _i, page, _l, country in site.expand()}
    )


def priced_products(
    products: Iterable[tuple[str, CatalogProduct]], prices: Mapping[str, PagePrice]
) -> list[tuple[str, CatalogProduct]]:
    """The page's products with each ``price`` replaced by the fetched display price (a
    product FastSpring has no price for keeps the catalog's)."""
    return [
        (
            path,
            product.model_copy(update={"price": prices[path].display})
            if path in prices
            else product,
        )
        for path, product in products
    ]


# ------------------------------------------------------------------------------ fetching


def _env_client() -> Client:
    from sblgen.api.client import Client

    return Client(max_retries=1)


def _fetch(client: Client, countries: list[str]) -> dict[str, dict[str, PagePrice]]:
    table: dict[str, dict[str, PagePrice]] = {}
    for country in countries:
        found: dict[str, PagePrice] = {}
        for product in client.products.prices(country=country):
            entry = product.pricing.get(country)
            if product.product is None or entry is None or entry.display is None:
                continue
            price = None if entry.price is None else str(entry.price)
            found[product.product] = PagePrice(entry.display, price, entry.currency)
        table[country] = found
    return table


def _write_cache(
    path: Path, fetched: datetime, table: Mapping[str, Mapping[str, PagePrice]]
) -> None:
    data = {
        "version": CACHE_VERSION,
        "fetched": fetched.astimezone(UTC).isoformat(timespec="seconds").replace("+00:00", "Z"),
        "countries": {
            country: {
                path: {"display": p.display, "price": p.price, "currency": p.currency}
                for path, p in sorted(products.items())
            }
            for country, products in sorted(table.items())
        },
    }
    path.parent.mkdir(parents=True, exist_ok=True)
    temporary = path.with_name(f".{path.name}.{os.getpid()}.tmp")
    temporary.write_text(json.dumps(data, ensure_ascii=False, indent=1) + "\n", encoding="utf-8")
    os.replace(temporary, path)


def _read_cache(path: Path, where: str) -> tuple[datetime, dict[str, dict[str, PagePrice]]]:
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
        if data.get("version") != CACHE_VERSION:
            raise ValueError(f"version {data.get('version')!r}, not {CACHE_VERSION}")
        fetched = datetime.fromisoformat(data["fetched"])
        if fetched.tzinfo is None:
            raise ValueError("a fetch time without a time zone")
        table = {
            str(country): {
                str(product): PagePrice(str(p["display"]), p.get("price"), p.get("currency"))
                for product, p in products.items()
            }
            for country, products in data["countries"].items()
        }
    except (OSError, ValueError, KeyError, TypeError, AttributeError) as err:
        raise SiteError(
            f"{where}: the price cache {path} cannot be read ({err}); delete it and build "
            f"with FastSpring credentials ({_ENV}) to make it again."
        ) from None
    return fetched, table


def _missing(
    site: Site, table: Mapping[str, Mapping[str, PagePrice]], prices: PricesConfig
) -> tuple[tuple[str, str], ...]:
    missing: set[tuple[str, str]] = set()
    for _i, page, _l, country in site.expand():
        where = page_country(prices, country, page.session)
        for name in page.products:
            if name not in table.get(where, {}):
                missing.add((name, where))
    return tuple(sorted(missing))


def load_prices(
    site: Site,
    *,
    client: Client | None = None,
    now: datetime | None = None,
) -> PriceTable | None:
    """The prices a build of ``site`` shows (``None`` without ``[prices]``): fetched from
    FastSpring (and cached), or read from the cache when FastSpring cannot be asked. The
    client defaults to one from the environment."""
    prices = site.config.prices
    if prices is None:
        return None
    where = f"{site.root / SITE_FILE}: [prices]"
    moment = now or datetime.now(UTC)
    countries = _countries(site, prices)
    cache = Path(prices.cache) if os.path.isabs(prices.cache) else site.root / prices.cache
    reason: str
    try:
        api = client or _env_client()
    except ConfigurationError:
        reason = f"no FastSpring API credentials in the environment ({_ENV})"
    except ImportError:
        reason = "httpx is not installed (pip install 'sblgen[api]')"
    else:
        try:
            table = _fetch(api, countries)
        except _OFFLINE as err:
            reason = f"FastSpring could not be asked: {err}"
        except (ApiError, ConfigurationError) as err:
            raise SiteError(f"{where}: FastSpring refused the price request: {err}") from None
        else:
            _write_cache(cache, moment, table)
            note = f"prices fetched from FastSpring for {', '.join(countries)}"
            return PriceTable(moment, table, "fastspring", note, _missing(site, table, prices))
        finally:
            if client is None:
                api.close()
    if not cache.exists():
        raise SiteError(
            f"{where}: {reason}, and there is no price cache at {cache} yet; build once with "
            f"FastSpring credentials ({_ENV}) to make it."
        )
    fetched, table = _read_cache(cache, where)
    absent = [country for country in countries if country not in table]
    if absent:
        raise SiteError(
            f"{where}: {reason}, and the price cache {cache} has no prices for "
            f"{', '.join(absent)}; build with FastSpring credentials ({_ENV}) to fetch them."
        )
    age = moment - fetched
    if prices.max_age_days is not None and age > timedelta(days=prices.max_age_days):
        raise SiteError(
            f"{where}: {reason}, and the price cache was fetched {describe_age(age)}, more "
            f"than max_age_days = {prices.max_age_days:g}; build with FastSpring credentials "
            f"({_ENV}) to refresh it."
        )
    note = f"prices from cache, fetched {describe_age(age)} ({reason})"
    return PriceTable(fetched, table, "cache", note, _missing(site, table, prices))
