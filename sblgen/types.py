"""Validated value types shared by every wire model.

Each type is an ``Annotated`` alias usable as a pydantic field type, and each has a plain
function form (``product_path("pro-plan")``) for code that is not a model. Errors are
``ValueError`` with a sentence naming the value and the fix; inside a model they surface as a
:class:`pydantic.ValidationError` with the field's location.

>>> from pydantic import TypeAdapter
>>> TypeAdapter(CountryCode).validate_python("de")
'DE'
>>> TypeAdapter(Money).dump_json(Decimal("7.95"))
b'7.95'
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Iterator, Mapping, Sequence
from contextlib import contextmanager
from contextvars import ContextVar
from datetime import UTC, date, datetime
from decimal import Decimal, InvalidOperation
from functools import cache
from importlib.resources import files
from typing import TYPE_CHECKING, Annotated, Any, Literal

from pydantic import (
    AfterValidator,
    BeforeValidator,
    Field,
    PlainSerializer,
    ValidationInfo,
)
from pydantic_core import PydanticCustomError

__all__ = [
    "KNOWN_PAYMENT_METHODS",
    "Checkout",
    "CountryCode",
    "CouponCode",
    "CurrencyCode",
    "Email",
    "FrozenList",
    "FutureDate",
    "JsIdentifier",
    "LanguageCode",
    "Money",
    "PaymentMethod",
    "PriceMap",
    "ProductPath",
    "SessionId",
    "TagMap",
    "Timestamp",
    "country_code",
    "coupon_code",
    "currency_code",
    "first_duplicate",
    "frozen_today",
    "future_date",
    "js_identifier",
    "language_code",
    "money",
    "product_path",
    "today",
]

# --------------------------------------------------------------------------- sequences

if TYPE_CHECKING:
    #: A list field of a frozen model: type checkers see ``Sequence[X]`` (pass a list or a
    #: tuple); at run time pydantic validates it as ``tuple[X, ...]``.
    FrozenList = Sequence
else:

    def _sequence_only(value: Any) -> Any:
        if isinstance(value, list | tuple):
            return value
        if isinstance(value, Sequence) and not isinstance(value, str | bytes):
            return tuple(value)
        raise PydanticCustomError("list_type", "Input should be a valid list")

    class FrozenList:
        """``FrozenList[X]`` is ``tuple[X, ...]`` for pydantic: a list (or any sequence but
        a string) in, a tuple out, so frozen models stay immutable. pydantic-core validates
        and serialises a tuple natively (a ``Sequence`` field goes through Python code,
        about twice as slow).

        >>> FrozenList[int]
        typing.Annotated[tuple[int, ...], BeforeValidator(...)]
        """

        def __class_getitem__(cls, item: Any) -> Any:
            return Annotated[tuple[item, ...], BeforeValidator(_sequence_only)]


# --------------------------------------------------------------------------- code tables


@cache
def _table(name: str) -> frozenset[str]:
    text = files("sblgen").joinpath("data").joinpath(name).read_text(encoding="utf-8")
    return frozenset(
        line.strip() for line in text.splitlines() if line.strip() and not line.startswith("#")
    )


def countries() -> frozenset[str]:
    """ISO 3166-1 alpha-2 codes, uppercase (shipped as package data)."""
    return _table("countries.txt")


def languages() -> frozenset[str]:
    """ISO 639-1 two-letter codes, lowercase (shipped as package data)."""
    return _table("languages.txt")


def currencies() -> frozenset[str]:
    """ISO 4217 alphabetic codes, uppercase (shipped as package data)."""
    return _table("currencies.txt")


def _not_str(kind: str, value: object) -> ValueError:
    return ValueError(f"{kind} must be a string, not {type(value).__name__} {value!r}.")


def country_code(value: object) -> str:
    """An ISO 3166-1 alpha-2 country code, normalised to uppercase.

    >>> country_code("us")
    'US'
    """
    if not isinstance(value, str):
        raise _not_str("A country code", value)
    code = value.upper()
    if code not in countries():
        raise ValueError(
            f"{value!r} is not an ISO 3166-1 alpha-2 country code; use two letters such as "
            "'US', 'DE' or 'GB'."
        )
    return code


def language_code(value: object) -> str:
    """An ISO 639-1 language code, normalised to lowercase.

    >>> language_code("DE")
    'de'
    """
    if not isinstance(value, str):
        raise _not_str("A language code", value)
    code = value.lower()
    if code not in languages():
        raise ValueError(
            f"{value!r} is not an ISO 639-1 language code; use two letters such as 'en', "
            "'de' or 'ja'."
        )
    return code


def currency_code(value: object) -> str:
    """An ISO 4217 currency code, normalised to uppercase.

    >>> currency_code("eur")
    'EUR'
    """
    if not isinstance(value, str):
        raise _not_str("A currency code", value)
    code = value.upper()
    if code not in currencies():
        raise ValueError(
            f"{value!r} is not an ISO 4217 currency code; use three letters such as 'USD' or 'EUR'."
        )
    return code


# --------------------------------------------------------------------------- identifiers

_PRODUCT_PATH = re.compile(r"[A-Za-z0-9][A-Za-z0-9._-]{0,254}")
_COUPON = re.compile(r"[A-Za-z0-9_-]{0,255}")
_SESSION_ID = re.compile(r"[A-Za-z0-9._~-]{11,128}")
_PAYMENT_METHOD = re.compile(r"[a-z][a-z0-9_-]{0,63}")
_EMAIL = re.compile(r"[^@\s]+@[^@\s]+")
_JS_IDENTIFIER = re.compile(r"[A-Za-z_$][A-Za-z0-9_$]{0,127}")
_JS_RESERVED = frozenset(
    """break case catch class const continue debugger default delete do else enum export
    extends false finally for function if import in instanceof new null return super switch
    this throw true try typeof var void while with yield let static implements interface
    package private protected public await arguments eval undefined NaN Infinity""".split()
)

#: Payment method values the SBL is documented to accept; others are allowed (the full list
#: is not published) as long as they look like one.
KNOWN_PAYMENT_METHODS = (
    "card",
    "paypal",
    "applepay",
    "googlepay",
    "wire",
    "ideal",
    "sepa",
    "ach",
)


def product_path(value: object) -> str:
    """A catalog product path (the product id in the FastSpring app).

    >>> product_path("pro-plan")
    'pro-plan'
    """
    if not isinstance(value, str):
        raise _not_str("A product path", value)
    if not _PRODUCT_PATH.fullmatch(value):
        raise ValueError(
            f"{value!r} is not a product path; use the product id from the FastSpring app: "
            "letters, digits, '-', '_' or '.', starting with a letter or digit, at most 255 "
            "characters."
        )
    return value


def coupon_code(value: object) -> str:
    """A coupon code (not its id). The empty string is valid: it removes the coupon.

    >>> coupon_code("WELCOME10"), coupon_code("")
    ('WELCOME10', '')
    """
    if not isinstance(value, str):
        raise _not_str("A coupon code", value)
    if not _COUPON.fullmatch(value):
        raise ValueError(
            f"{value!r} is not a coupon code; use letters, digits, '-' or '_' (at most 255), "
            "or '' to remove the applied coupon."
        )
    return value


def _session_id(value: object) -> str:
    if not isinstance(value, str):
        raise _not_str("A session id", value)
    if not _SESSION_ID.fullmatch(value):
        raise ValueError(
            f"{value!r} is not a Sessions API session id; pass the 'id' returned by POST "
            "/sessions (11 to 128 letters, digits, '-', '_', '.' or '~')."
        )
    return value


def _payment_method(value: object) -> str:
    if not isinstance(value, str):
        raise _not_str("A payment method", value)
    if not _PAYMENT_METHOD.fullmatch(value):
        raise ValueError(
            f"{value!r} is not a payment method; use a lowercase name such as "
            f"{', '.join(repr(m) for m in KNOWN_PAYMENT_METHODS[:4])}."
        )
    return value


def _email(value: object) -> str:
    if not isinstance(value, str):
        raise _not_str("An email address", value)
    if not _EMAIL.fullmatch(value):
        raise ValueError(f"{value!r} is not an email address; use the form 'name@example.com'.")
    return value


def js_identifier(value: object) -> str:
    """The name of a global JavaScript function, as the SBL's callback attributes expect.

    Only a plain identifier is accepted (never code, never a reserved word), so a callback
    name can be written into an attribute without any way to run code.

    >>> js_identifier("onPopupClosed")
    'onPopupClosed'
    """
    if not isinstance(value, str):
        raise _not_str("A callback name", value)
    if not _JS_IDENTIFIER.fullmatch(value) or value in _JS_RESERVED:
        raise ValueError(
            f"{value!r} is not a JavaScript function name; give the name of a global function "
            "(letters, digits, '_' or '$', not starting with a digit, not a reserved word), "
            "not code."
        )
    return value


# --------------------------------------------------------------------------- money

_MAX_DIGITS = 15  # every decimal with <= 15 significant digits round-trips through a double
_MAX_PLACES = 4


def money(value: object) -> Decimal:
    """An amount of money as a :class:`~decimal.Decimal`.

    Accepts ``Decimal``, ``int``, decimal strings and floats (read through their shortest
    repr, so ``7.95`` is exactly ``Decimal('7.95')``). Must be finite, not negative, with at
    most 4 decimal places and 15 significant digits, so that it serialises as a JSON number
    without float noise.

    >>> money(7.95)
    Decimal('7.95')
    """
    if isinstance(value, bool):
        raise ValueError(f"{value!r} is not an amount of money; use a number such as 19.99.")
    try:
        if isinstance(value, Decimal):
            amount = value
        elif isinstance(value, int):
            amount = Decimal(value)
        elif isinstance(value, float):
            amount = Decimal(repr(value))
        elif isinstance(value, str):
            amount = Decimal(value.strip())
        else:
            raise InvalidOperation
    except InvalidOperation:
        raise ValueError(
            f"{value!r} is not an amount of money; use a number such as 19.99."
        ) from None
    if not amount.is_finite():
        raise ValueError(f"{value!r} is not a finite amount of money.")
    if amount < 0:
        raise ValueError(f"{value!r} is negative; a price must be 0 or more.")
    exponent = amount.as_tuple().exponent
    assert isinstance(exponent, int)  # finite, checked above
    if -exponent > _MAX_PLACES and amount != amount.quantize(Decimal(1).scaleb(-_MAX_PLACES)):
        raise ValueError(f"{value!r} has more than {_MAX_PLACES} decimal places; round it first.")
    normal = amount.normalize()
    if len(normal.as_tuple().digits) > _MAX_DIGITS:
        raise ValueError(f"{value!r} has more than {_MAX_DIGITS} significant digits.")
    return amount


def _money_json(amount: Decimal) -> int | float:
    """A JSON number with the amount's digits: ``int`` when whole, else the float whose
    shortest repr is exactly those digits (guaranteed for <= 15 significant digits)."""
    if amount == amount.to_integral_value():
        return int(amount)
    return float(amount)


# --------------------------------------------------------------------------- dates

_today: ContextVar[date | None] = ContextVar("sblgen_today", default=None)
_ISO_DATE = re.compile(r"\d{4}-\d{2}-\d{2}")


def today() -> date:
    """Today's date, or the date fixed by :func:`frozen_today`."""
    fixed = _today.get()
    return fixed if fixed is not None else date.today()


@contextmanager
def frozen_today(day: date) -> Iterator[None]:
    """Fix "today" for future-date checks inside the block (for tests and builds).

    >>> with frozen_today(date(2030, 1, 1)):
    ...     future_date("2030-01-02")
    datetime.date(2030, 1, 2)
    """
    token = _today.set(day)
    try:
        yield
    finally:
        _today.reset(token)


def future_date(value: object, *, today_: date | None = None) -> date:
    """A date after today, from a ``date`` or a ``"yyyy-mm-dd"`` string."""
    if isinstance(value, datetime):
        raise ValueError(f"{value!r} is a datetime; pass a date or a 'yyyy-mm-dd' string.")
    if isinstance(value, str):
        if not _ISO_DATE.fullmatch(value):
            raise ValueError(f"{value!r} is not a date in the form 'yyyy-mm-dd'.")
        try:
            day = date.fromisoformat(value)
        except ValueError:
            raise ValueError(f"{value!r} is not a real calendar date.") from None
    elif isinstance(value, date):
        day = value
    else:
        raise ValueError(f"{value!r} is not a date; pass a date or a 'yyyy-mm-dd' string.")
    now = today_ or today()
    if day <= now:
        raise ValueError(
            f"{day.isoformat()} is not in the future (today is {now.isoformat()}); "
            "FastSpring only accepts a due date after today."
        )
    return day


def _future_date_field(value: object, info: ValidationInfo) -> date:
    context = info.context if isinstance(info.context, Mapping) else {}
    fixed = context.get("today")
    return future_date(value, today_=fixed if isinstance(fixed, date) else None)


# --------------------------------------------------------------------------- maps


def _tag_map(value: object) -> dict[str, str]:
    if not isinstance(value, Mapping):
        raise ValueError(f"Tags must be a mapping of strings to strings, not {value!r}.")
    out: dict[str, str] = {}
    for key, item in value.items():
        if not isinstance(key, str) or not key:
            raise ValueError(f"Tag name {key!r} must be a non-empty string.")
        if key == "__proto__":
            raise ValueError(
                "'__proto__' cannot be a tag name: JavaScript would treat it as the object's "
                "prototype and drop it; choose another name."
            )
        if not isinstance(item, str):
            raise ValueError(
                f"Tag {key!r} has the value {item!r}; tag values are strings (use str(...))."
            )
        out[key] = item
    return out


def _price_map(value: object) -> dict[str, Decimal]:
    if not isinstance(value, Mapping) or not value:
        raise ValueError(
            f"A price must be a non-empty mapping of currency to amount, such as "
            f"{{'USD': 19.99}}, not {value!r}."
        )
    out: dict[str, Decimal] = {}
    for code, amount in value.items():
        out[currency_code(code)] = money(amount)
    return out


def _price_map_json(prices: dict[str, Decimal]) -> dict[str, int | float]:
    return {code: _money_json(amount) for code, amount in prices.items()}


ProductPath = Annotated[str, AfterValidator(product_path)]
CouponCode = Annotated[str, AfterValidator(coupon_code)]
CountryCode = Annotated[str, AfterValidator(country_code)]
LanguageCode = Annotated[str, AfterValidator(language_code)]
CurrencyCode = Annotated[str, AfterValidator(currency_code)]
SessionId = Annotated[str, AfterValidator(_session_id)]


def _checkout(value: object) -> object:
    if value is True:
        return value
    if isinstance(value, str):
        return _session_id(value)
    raise ValueError(
        f"checkout is True (JSON true: open checkout now) or a Sessions API session id, not "
        f"{value!r}."
    )


#: ``checkout``: ``True`` or a session id, checked in one step (one clear error, not one per
#: union member).
Checkout = Annotated[Literal[True] | str, BeforeValidator(_checkout)]
PaymentMethod = Annotated[str, AfterValidator(_payment_method)]
Email = Annotated[str, AfterValidator(_email)]
JsIdentifier = Annotated[str, AfterValidator(js_identifier)]
Money = Annotated[
    Decimal,
    BeforeValidator(money),
    PlainSerializer(_money_json, return_type=Any, when_used="json"),
]
PriceMap = Annotated[
    dict[str, Decimal],
    BeforeValidator(_price_map),
    PlainSerializer(_price_map_json, return_type=Any, when_used="json"),
]
TagMap = Annotated[dict[str, str], BeforeValidator(_tag_map)]
FutureDate = Annotated[date, BeforeValidator(_future_date_field)]
Quantity = Annotated[int, Field(ge=0, strict=True)]


# --------------------------------------------------------------------------- API helpers


def _timestamp(value: object) -> object:
    """FastSpring sends times as epoch milliseconds (or, in v2, ISO-8601 text)."""
    if isinstance(value, int | float) and not isinstance(value, bool):
        return datetime.fromtimestamp(value / 1000, tz=UTC)
    return value


def _aware(value: datetime) -> datetime:
    return value if value.tzinfo is not None else value.replace(tzinfo=UTC)


#: A point in time from FastSpring: epoch milliseconds or ISO-8601, always timezone-aware.
Timestamp = Annotated[datetime, BeforeValidator(_timestamp), AfterValidator(_aware)]


def first_duplicate(paths: Iterable[str]) -> str | None:
    """The first product path that appears twice, if any.

    >>> first_duplicate(["a", "b", "a"])
    'a'
    """
    seen: set[str] = set()
    for path in paths:
        if path in seen:
            return path
        seen.add(path)
    return None
