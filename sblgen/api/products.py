"""Localized product prices: ``client.products`` (:class:`Products`) and
``async_client.products`` (:class:`AsyncProducts`).

>>> price_query("de", "usd")
'country=DE&currency=USD'
>>> price_query(None, "USD")
Traceback (most recent call last):
ValueError: currency='USD' needs country= too: FastSpring prices a currency for one country.

Prices include the country's VAT/GST. FastSpring refreshes exchange rates every 6 hours
and asks integrators to fetch prices at least once a day. Every call here is a read,
retried like one.

Assumptions where FastSpring's documentation is unconfirmed:

- ``currency`` is only documented together with ``country``; alone it is refused.
- The all-products answer is paged (``page``, ``limit`` 50, ``nextPage``); :meth:`Products.prices`
  follows ``nextPage`` until it is ``null`` and returns every product.
- Several product paths in one request (``/products/price/a,b``) are not documented, so one
  path is priced per call (product paths cannot contain ``,``).
"""

from __future__ import annotations

from collections.abc import Sequence
from urllib.parse import urlencode

import httpx

from sblgen.api.calls import (
    AsyncHandle,
    Call,
    Op,
    SyncHandle,
    collect,
    model_parser,
    one_call,
    operation,
    paginate,
)
from sblgen.api.policy import unexpected_body
from sblgen.api.products_models import PricePage, ProductPrice
from sblgen.api.v2_path import url_segment
from sblgen.codes import country_code, currency_code
from sblgen.types import product_path

__all__ = ["AsyncProducts", "Products", "price_query"]

_parse_page = model_parser(PricePage)


def price_query(country: str | None = None, currency: str | None = None) -> str:
    """The query of a price request (codes checked and upper-cased)."""
    params: dict[str, str] = {}
    if currency is not None and country is None:
        raise ValueError(
            f"currency={currency!r} needs country= too: FastSpring prices a currency for one "
            "country."
        )
    if country is not None:
        params["country"] = country_code(country)
    if currency is not None:
        params["currency"] = currency_code(currency)
    return urlencode(params)


def _path(base: str, query: str, page: int | None = None) -> str:
    params = query + (f"{'&' if query else ''}page={page}" if page is not None else "")
    return f"{base}?{params}" if params else base


def _products_of(page: PricePage) -> Sequence[ProductPrice]:
    return page.products


def _one_product(path: str, parse: Call[PricePage]) -> Call[ProductPrice]:
    def pick(method: str, url: str, response: httpx.Response) -> ProductPrice:
        page = parse.parse(method, url, response)
        for product in page.products:
            if product.product in (path, None):
                return product
        raise unexpected_body(method, url, response, f"no prices for product {path!r}")

    return Call(parse.method, parse.path, None, True, pick)


class _ProductCalls:
    """The price operations, written once for both clients."""

    @operation
    def prices(
        self, *, country: str | None = None, currency: str | None = None
    ) -> Op[tuple[ProductPrice, ...]]:
        """``GET /products/price``: every product's prices, for every country (each in its
        default currency), or for one ``country`` (and ``currency``). Follows every page."""
        query = price_query(country, currency)
        pages = paginate(
            lambda page: Call(
                "GET", _path("/products/price", query, page), None, True, _parse_page
            ),
            _products_of,
        )
        return tuple((yield from collect(pages)))

    @one_call
    def price(
        self, product: str, *, country: str | None = None, currency: str | None = None
    ) -> Call[ProductPrice]:
        """``GET /products/price/{path}``: one product's prices, for every country or for
        one ``country`` (and ``currency``)."""
        path = product_path(product)
        query = price_query(country, currency)
        base = f"/products/price/{url_segment(path, 'product path')}"
        call = Call("GET", _path(base, query), None, True, _parse_page)
        return _one_product(path, call)


class Products(SyncHandle, _ProductCalls):
    """Product prices on a :class:`~sblgen.api.Client`."""


class AsyncProducts(AsyncHandle, _ProductCalls):
    """Product prices on an :class:`~sblgen.api.AsyncClient` (same methods, awaited)."""
