"""Orders: ``client.orders`` (:class:`Orders`) and ``async_client.orders``
(:class:`AsyncOrders`).

>>> from sblgen.api import Client
>>> client = Client(username="u", password="p", base_url="http://127.0.0.1:9")
>>> client.orders.get("o1,o2")
Traceback (most recent call last):
ValueError: 'o1,o2' is not one order id: ',' would ask FastSpring for several at once; ...
>>> order_list_query("2026-01-01", "2026-02-01", scope="live")
'begin=2026-01-01&end=2026-02-01&scope=live'

Both are read-only, so both are retried on the failures a read may be retried on (see
:mod:`sblgen.api.policy`).

Assumptions where FastSpring's documentation is unconfirmed:

- The order list takes ``begin``/``end`` as ``yyyy-mm-dd`` (FastSpring's order docs; one
  SDK example shows ``MM/DD/YY``). sblgen sends the unambiguous ISO form and checks that
  ``begin`` is at least one day before ``end`` (FastSpring's documented rule).
- ``scope`` is always sent (``all`` by default), so FastSpring's own default does not
  matter. Each order's ``live`` says which kind it is.
- Pages are numbered by ``page`` and followed through ``nextPage`` until it is ``null``.
- FastSpring's older docs say throttling may show up as HTTP 404. A 404 is not retried
  (it cannot be told apart from a missing order); it raises
  :class:`~sblgen.errors.NotFoundError`.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date
from typing import Literal
from urllib.parse import urlencode

from sblgen.api.calls import (
    AsyncHandle,
    Call,
    Stream,
    SyncHandle,
    model_parser,
    one_call,
    paginate,
    stream,
)
from sblgen.api.orders_models import Order, OrderPage
from sblgen.api.resource_data import api_date, resource_id

__all__ = ["AsyncOrders", "Orders", "OrderScope", "OrderStatus", "order_list_query"]

OrderScope = Literal["all", "live", "test"]
OrderStatus = Literal["completed", "canceled", "failed"]


def _order_id(order: Order) -> str:
    return order.order_id


_parse_order = model_parser(Order, key=_order_id, fast=True)
_parse_page = model_parser(OrderPage, fast=True)


def order_path(order_id: str) -> str:
    """The URL path of one order (a single id: see
    :func:`~sblgen.api.resource_data.resource_id`)."""
    return f"/orders/{resource_id(order_id, 'order id')}"


def order_list_query(
    begin: date | str,
    end: date | str,
    *,
    scope: OrderScope = "all",
    status: OrderStatus | None = None,
    limit: int | None = None,
) -> str:
    """The query string of ``GET /orders`` for a date range (checked before sending)."""
    first, last = api_date(begin, "begin"), api_date(end, "end")
    if last <= first:
        raise ValueError(
            f"begin={first.isoformat()} must be at least one day before end={last.isoformat()} "
            "(FastSpring's rule for order lists)."
        )
    if scope not in ("all", "live", "test"):
        raise ValueError(f"scope={scope!r}: give 'live', 'test' or 'all'.")
    params: list[tuple[str, str]] = [
        ("begin", first.isoformat()),
        ("end", last.isoformat()),
        ("scope", scope),
    ]
    if status is not None:
        if status not in ("completed", "canceled", "failed"):
            raise ValueError(f"status={status!r}: give 'completed', 'canceled' or 'failed'.")
        params.append(("status", status))
    if limit is not None:
        if isinstance(limit, bool) or not isinstance(limit, int) or limit < 1:
            raise ValueError(f"limit={limit!r}: give a whole number of orders per page, 1 or more.")
        params.append(("limit", str(limit)))
    return urlencode(params)


def _page_call(query: str, page: int | None) -> Call[OrderPage]:
    tail = f"&page={page}" if page is not None else ""
    return Call("GET", f"/orders?{query}{tail}", None, True, _parse_page)


def _orders_of(page: OrderPage) -> Sequence[Order]:
    return page.orders


class _OrderCalls:
    """The order operations, written once for :class:`Orders` and :class:`AsyncOrders`."""

    @one_call
    def get(self, order_id: str) -> Call[Order]:
        """``GET /orders/{id}``: one order. An id containing ``,`` (which FastSpring would
        read as several orders), ``/`` or whitespace is refused before anything is sent."""
        return Call("GET", order_path(order_id), None, True, _parse_order)

    @stream
    def list(
        self,
        begin: date | str,
        end: date | str,
        *,
        scope: OrderScope = "all",
        status: OrderStatus | None = None,
        limit: int | None = None,
    ) -> Stream[Order]:
        """``GET /orders?begin=&end=&scope=``: every order changed in the date range, page
        after page (an iterator; FastSpring's default page size is 50). ``scope`` is
        ``live``, ``test`` or ``all``; ``status`` narrows to ``completed``, ``canceled``
        (declined) or ``failed``. The arguments are checked when this is called."""
        query = order_list_query(begin, end, scope=scope, status=status, limit=limit)
        return paginate(lambda page: _page_call(query, page), _orders_of)


class Orders(SyncHandle, _OrderCalls):
    """Orders on a :class:`~sblgen.api.Client`: ``get(id)`` and ``list(begin, end)``
    (an iterator over every page)."""


class AsyncOrders(AsyncHandle, _OrderCalls):
    """Orders on an :class:`~sblgen.api.AsyncClient`: ``await get(id)`` and
    ``async for order in list(begin, end)``."""
