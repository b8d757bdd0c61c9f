"""What FastSpring's REST resources (orders, subscriptions, accounts, prices, events) share:
lenient field types, the ``result`` fields, the ``result: error`` body and path ids.

Pure data: nothing here does IO or imports an HTTP client.

FastSpring signals the outcome of a call twice: by the HTTP status and by a ``result``
field (``"success"`` or ``"error"``) whose ``error`` object is keyed by the field at fault.
Batch calls report each item separately, so an error can hide inside a 200 answer:

>>> failure = result_failure({"subscriptions": [{"subscription": "s1",
...     "action": "subscription.cancel", "result": "error",
...     "error": {"subscription": "the subscription is already canceled"}}]})
>>> failure.message, failure.not_found
('subscription: the subscription is already canceled', False)
>>> failure.fields
{'subscription': 'the subscription is already canceled'}
>>> body = {"orders": [{"order": "x", "result": "error", "error": {"order": "Not found"}}]}
>>> result_failure(body).not_found
True
>>> result_failure({"order": "x", "result": "success"}) is None
True
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import UTC, date, datetime, timedelta
from decimal import Decimal, InvalidOperation
from typing import Annotated, Any, TypeVar

from pydantic import AwareDatetime, BeforeValidator, Field

from sblgen._model import ResponseModel
from sblgen.api.v2_path import url_segment
from sblgen.types import Timestamp

__all__ = [
    "Amount",
    "ApiTime",
    "Count",
    "IdOr",
    "Items",
    "LenientAmount",
    "LenientCount",
    "ProductInfo",
    "ResultFailure",
    "ResultFields",
    "api_date",
    "epoch_ms",
    "product_ref",
    "ref_id",
    "resource_id",
    "result_failure",
]

# --------------------------------------------------------------------------- lenient values

T = TypeVar("T")


def _amount(value: object) -> object:
    """A number, or text holding one; anything else (``"null"``, ``""``) reads as ``None``."""
    if value is None or isinstance(value, bool):
        return None
    if isinstance(value, int | float | Decimal):
        return value
    if isinstance(value, str):
        text = value.strip().rstrip(",").strip()
        try:
            number = Decimal(text)
        except InvalidOperation:
            return None
        return number if number.is_finite() else None
    return None


def _count(value: object) -> object:
    number = _amount(value)
    if number is None:
        return None
    whole = Decimal(str(number))
    return int(whole) if whole == whole.to_integral_value() else None


#: A money amount or rate: a JSON number or numeric text (``"36.15"``), read natively.
Amount = Decimal | None
#: A whole number: a JSON number or numeric text (``"2"``), read natively.
Count = int | None
#: An amount where FastSpring's documented examples show odd text (``"10.0,"``,
#: ``"null"``): text that holds no number reads as ``None`` rather than failing the whole
#: answer. A plain number is read natively; only anything else goes through Python.
LenientAmount = Annotated[
    Decimal | Annotated[Decimal | None, BeforeValidator(_amount)],
    Field(union_mode="left_to_right"),
]
#: A whole number that may come as odd text (``"null"``), read like :data:`LenientAmount`.
LenientCount = Annotated[
    int | Annotated[int | None, BeforeValidator(_count)], Field(union_mode="left_to_right")
]
#: A FastSpring time, always timezone-aware: epoch milliseconds are read by pydantic's own
#: parser (no Python call per field; integers above 2e10 count as milliseconds, and
#: FastSpring sends no earlier time), ISO-8601 with an offset too; only text without an
#: offset goes through :data:`~sblgen.types.Timestamp`, which reads it as UTC.
ApiTime = Annotated[AwareDatetime | Timestamp, Field(union_mode="left_to_right")]


def _none_as_empty(value: object) -> object:
    return () if value is None else value


#: A list FastSpring may also send as ``null`` (read as empty). A list is read natively;
#: only ``null`` goes through Python.
Items = Annotated[
    tuple[T, ...] | Annotated[tuple[T, ...], BeforeValidator(_none_as_empty)],
    Field(union_mode="left_to_right"),
]
#: A reference FastSpring sends as an id, or (webhook expansion) as the whole object ``T``.
#: An id is tried first, so the common shape costs no look at ``T``.
IdOr = Annotated[str | T | None, Field(union_mode="left_to_right")]


def ref_id(value: object, *keys: str) -> str | None:
    """The id of a reference that is either an id string or an expanded object (webhook
    expansion sends the whole account, product or subscription instead of its id).

    >>> ref_id("N8FjcSWcQNeYCc-suM1O8g", "account", "id")
    'N8FjcSWcQNeYCc-suM1O8g'
    >>> ref_id({"id": "A1", "account": "A1", "contact": {}}, "account", "id")
    'A1'
    >>> ref_id(None, "id") is None
    True
    """
    if isinstance(value, str):
        return value or None
    for key in keys:
        found = value.get(key) if isinstance(value, dict) else getattr(value, key, None)
        if isinstance(found, str) and found:
            return found
    return None


class ProductInfo(ResponseModel):
    """An expanded ``product`` (webhook expansion sends the product object instead of its
    path); ``product`` is the path."""

    product: str | None = None
    sku: str | None = None
    display: Any = None


def product_ref(value: str | ProductInfo | None) -> str | None:
    """The product path of a reference that is a path or an expanded product.

    >>> product_ref("pro-plan"), product_ref(ProductInfo(product="pro-plan"))
    ('pro-plan', 'pro-plan')
    """
    if isinstance(value, ProductInfo):
        return value.product
    return value or None


class ResultFields(ResponseModel):
    """``action``, ``result`` and ``error``: the outcome fields FastSpring adds to resources
    and to each item of a batch answer."""

    action: str | None = None
    result: str | None = None
    error: Any = None


# --------------------------------------------------------------------------- result: error

#: The list keys under which FastSpring returns one result per item.
_ITEM_LISTS = ("orders", "subscriptions", "accounts", "products", "events", "returns")
_NOT_FOUND = re.compile(r"not found|does not exist|unable to find|no such", re.IGNORECASE)


@dataclass(frozen=True, slots=True)
class ResultFailure:
    """A ``result: error`` found in a body: one line for people (``message``), the error
    object keyed by field (``fields``), and whether it says the resource does not exist."""

    message: str
    fields: Any
    not_found: bool


def _failure(item: dict[str, Any]) -> ResultFailure:
    error = item.get("error")
    if isinstance(error, dict) and error:
        message = "; ".join(f"{key}: {value}" for key, value in error.items())
        texts = [str(v) for v in error.values()]
    elif isinstance(error, str) and error:
        message, texts = error, [error]
    else:
        message, texts = "FastSpring answered result: error without details", []
    return ResultFailure(message, error, any(_NOT_FOUND.search(t) for t in texts))


def result_failure(data: object) -> ResultFailure | None:
    """The first ``result: error`` in a decoded body: on the body itself, or on an item of
    its ``orders``/``subscriptions``/``accounts``/... list. ``None`` when there is none."""
    if not isinstance(data, dict):
        return None
    if data.get("result") == "error":
        return _failure(data)
    for key in _ITEM_LISTS:
        items = data.get(key)
        if isinstance(items, list):
            for item in items:
                if isinstance(item, dict) and item.get("result") == "error":
                    return _failure(item)
    return None


# --------------------------------------------------------------------------- request values

_NOT_IN_ID = re.compile(r"[,/%\s\x00-\x1f\x7f]")
#: What FastSpring's ids are made of (URL-safe base64): a segment as it is.
_PLAIN_ID = re.compile(r"[A-Za-z0-9_-]+")


def resource_id(value: object, what: str) -> str:
    """``value`` as one URL path segment for a FastSpring id (order, subscription, account,
    event).

    FastSpring reads ``/orders/{id1},{id2}`` as a request for *several* orders (and answers
    with a different shape), so a ``,`` is refused; so are ``/`` and ``%`` (a server that
    decodes the path would see a separator or a comma) and whitespace or control characters,
    which no FastSpring id contains.

    >>> resource_id("oN5eASPKTM2Jwkx15ICNyg", "order id")
    'oN5eASPKTM2Jwkx15ICNyg'
    >>> resource_id("o1,o2", "order id")
    Traceback (most recent call last):
    ValueError: 'o1,o2' is not one order id: ',' would ask FastSpring for several at once; ...
    >>> resource_id("../x", "order id")
    Traceback (most recent call last):
    ValueError: '../x' is not an order id: '/' cannot be part of a FastSpring id.
    """
    if isinstance(value, str) and _PLAIN_ID.fullmatch(value):
        return value
    if not isinstance(value, str) or not value:
        raise ValueError(f"{value!r} is not {_article(what)}: give a non-empty string.")
    bad = _NOT_IN_ID.search(value)
    if bad is not None:
        if bad.group() == ",":
            raise ValueError(
                f"{value!r} is not one {what}: ',' would ask FastSpring for several at once; "
                "give a single id."
            )
        raise ValueError(
            f"{value!r} is not {_article(what)}: {bad.group()!r} cannot be part of a FastSpring id."
        )
    return url_segment(value, what)


def _article(what: str) -> str:
    return f"{'an' if what[:1] in 'aeiou' else 'a'} {what}"


def api_date(value: date | str, what: str) -> date:
    """A calendar date for a query parameter: a :class:`datetime.date` or ``yyyy-mm-dd``.

    >>> api_date("2026-01-31", "begin")
    datetime.date(2026, 1, 31)
    >>> api_date("31/01/26", "begin")
    Traceback (most recent call last):
    ValueError: begin='31/01/26' is not a date: give a datetime.date or 'yyyy-mm-dd'.
    """
    if isinstance(value, datetime):
        raise ValueError(f"{what}={value!r} is a datetime; give a datetime.date (a day).")
    if isinstance(value, date):
        return value
    if isinstance(value, str) and re.fullmatch(r"\d{4}-\d{2}-\d{2}", value):
        try:
            return date.fromisoformat(value)
        except ValueError:
            pass
    raise ValueError(f"{what}={value!r} is not a date: give a datetime.date or 'yyyy-mm-dd'.")


def epoch_ms(value: datetime, what: str) -> int:
    """A timezone-aware :class:`~datetime.datetime` as FastSpring's epoch milliseconds.

    >>> epoch_ms(datetime(2026, 1, 1, tzinfo=UTC), "begin")
    1767225600000
    >>> epoch_ms(datetime(2026, 1, 1), "begin")
    Traceback (most recent call last):
    ValueError: begin=datetime.datetime(2026, 1, 1, 0, 0) has no timezone; give an aware ...
    """
    if not isinstance(value, datetime):
        raise ValueError(f"{what}={value!r} is not a datetime.")
    if value.tzinfo is None or value.utcoffset() is None:
        raise ValueError(
            f"{what}={value!r} has no timezone; give an aware datetime (e.g. tzinfo=datetime.UTC)."
        )
    return (value - _EPOCH) // timedelta(milliseconds=1)


_EPOCH = datetime(1970, 1, 1, tzinfo=UTC)
