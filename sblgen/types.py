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
from collections.abc import Iterable, Mapping, Sequence
from decimal import Decimal, InvalidOperation
from typing import TYPE_CHECKING, Annotated, Any, Final, Literal

from pydantic import AfterValidator, BeforeValidator, Field, PlainSerializer
from pydantic_core import PydanticCustomError

# The code tables and dates have modules of their own; their names are re-exported here so
# that every value type is importable from one place.
from sblgen.codes import country_code, currency_code, language_code, not_str
from sblgen.dates import FutureDate, Timestamp, frozen_today, future_date, today
from sblgen.limits import MAX_INT_DIGITS, PROTO_KEY, check_text

__all__ = [
    "KNOWN_PAYMENT_METHODS",
    "SESSION_ID_MIN_LENGTH",
    "Checkout",
    "CountryCode",
    "CouponCode",
    "CurrencyCode",
    "Email",
    "FrozenList",
    "FutureDate",
    "Interval",
    "JsIdentifier",
    "LanguageCode",
    "Money",
    "NonEmpty",
    "NonNegativeInt",
    "PaymentMethod",
    "PositiveInt",
    "PriceMap",
    "ProductPath",
    "Quantity",
    "SessionId",
    "TagMap",
    "Text",
    "TextMap",
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
    "session_id",
    "text",
    "today",
]

# --------------------------------------------------------------------------- numbers and text

_INT_BOUND = 10**MAX_INT_DIGITS


def _not_huge(value: int) -> int:
    """Every whole number a model holds has at most MAX_INT_DIGITS digits
    (:mod:`sblgen.limits`), so that it can always be written out and read back."""
    if value >= _INT_BOUND:
        raise ValueError(
            f"a number with more than MAX_INT_DIGITS={MAX_INT_DIGITS} digits; FastSpring takes "
            "far smaller ones"
        )
    return value


#: A whole number of at least 1 (an interval length, a count of periods).
PositiveInt = Annotated[int, Field(ge=1, strict=True), AfterValidator(_not_huge)]
#: A whole number of at least 0 (trial days, a default quantity).
NonNegativeInt = Annotated[int, Field(ge=0, strict=True), AfterValidator(_not_huge)]
#: A cart quantity: ``0`` removes the product.
Quantity = NonNegativeInt


def text(value: str) -> str:
    """Free text a model sends on (a name, an address line, a memo): any valid Unicode.
    A lone surrogate (U+D800 to U+DFFF) is refused here, where the field is named, instead
    of failing later when the model is rendered, encrypted or sent
    (:func:`sblgen.limits.check_text`).

    >>> text("Zoë")
    'Zoë'
    >>> text(chr(0xD83D))
    Traceback (most recent call last):
    sblgen.limits.LimitError: the text contains a lone surrogate (U+D83D) at index 0: ...
    """
    return value if value.isascii() else check_text(value, "the text")


#: Free text: any valid Unicode (:func:`text`).
Text = Annotated[str, AfterValidator(text)]
#: Text that is not empty.
NonEmpty = Annotated[str, Field(min_length=1), AfterValidator(text)]
#: A subscription billing period, as the secure payload and the Sessions API spell it.
Interval = Literal["adhoc", "day", "week", "month", "year"]

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


# --------------------------------------------------------------------------- identifiers

_PRODUCT_PATH = re.compile(r"[A-Za-z0-9][A-Za-z0-9._-]{0,254}")
_COUPON = re.compile(r"[A-Za-z0-9_-]{0,255}")
#: The SBL reads a ``checkout`` string as a session id only if it is longer than 10
#: characters (shorter ones become a plain checkout).
SESSION_ID_MIN_LENGTH: Final = 11
_SESSION_ID_MAX_LENGTH: Final = 128
_SESSION_ID = re.compile(rf"[A-Za-z0-9._~-]{{{SESSION_ID_MIN_LENGTH},{_SESSION_ID_MAX_LENGTH}}}")
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
        raise not_str("A product path", value)
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
        raise not_str("A coupon code", value)
    if not _COUPON.fullmatch(value):
        raise ValueError(
            f"{value!r} is not a coupon code; use letters, digits, '-' or '_' (at most 255), "
            "or '' to remove the applied coupon."
        )
    return value


def session_id(value: object) -> str:
    """A checkout session id, as the SBL recognises one.

    The SBL treats a ``checkout`` string as a session id only when it is **longer than 10
    characters** (a shorter one silently becomes a plain "open checkout"), so that is the
    rule here; the characters are the URL-safe ones an id is made of, since the SBL puts it
    in the checkout URL (``https://<storefront>/session/<id>``).

    >>> session_id("Xy12AbCdEf34GhIj")
    'Xy12AbCdEf34GhIj'
    >>> session_id("short")
    Traceback (most recent call last):
    ValueError: 'short' cannot be handed to the SBL as a session id: ...
    """
    if not isinstance(value, str):
        raise not_str("A session id", value)
    if len(value) < SESSION_ID_MIN_LENGTH:
        raise ValueError(
            f"{value!r} cannot be handed to the SBL as a session id: the SBL treats a "
            f"checkout string of {SESSION_ID_MIN_LENGTH - 1} characters or fewer as a plain "
            "'open checkout' and drops it; pass the 'id' returned by the Sessions API."
        )
    if not _SESSION_ID.fullmatch(value):
        raise ValueError(
            f"{value!r} is not a Sessions API session id; pass the 'id' returned by the "
            "Sessions API (letters, digits, '-', '_', '.' or '~', at most "
            f"{_SESSION_ID_MAX_LENGTH} characters)."
        )
    return value


def _payment_method(value: object) -> str:
    if not isinstance(value, str):
        raise not_str("A payment method", value)
    if not _PAYMENT_METHOD.fullmatch(value):
        raise ValueError(
            f"{value!r} is not a payment method; use a lowercase name such as "
            f"{', '.join(repr(m) for m in KNOWN_PAYMENT_METHODS[:4])}."
        )
    return value


def _email(value: object) -> str:
    if not isinstance(value, str):
        raise not_str("An email address", value)
    if not _EMAIL.fullmatch(value):
        raise ValueError(f"{value!r} is not an email address; use the form 'name@example.com'.")
    return text(value)


def js_identifier(value: object) -> str:
    """The name of a global JavaScript function, as the SBL's callback attributes expect.

    Only a plain identifier is accepted (never code, never a reserved word), so a callback
    name can be written into an attribute without any way to run code.

    >>> js_identifier("onPopupClosed")
    'onPopupClosed'
    """
    if not isinstance(value, str):
        raise not_str("A callback name", value)
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
    # Counted on the digits themselves: normalize() would round to the context's 28 digits.
    significant = "".join(map(str, amount.as_tuple().digits)).strip("0")
    if len(significant) > _MAX_DIGITS:
        raise ValueError(f"{_short(value)} has more than {_MAX_DIGITS} significant digits.")
    if amount.adjusted() >= _MAX_DIGITS:
        raise ValueError(f"{_short(value)} is too large: a price is below 10**{_MAX_DIGITS}.")
    return amount


def _short(value: object) -> str:
    """``repr(value)``, cut short for a number too long to show (or to convert)."""
    if isinstance(value, int) and not -(10**40) < value < 10**40:
        return "a number with more than 40 digits"
    text = repr(value)
    return text if len(text) <= 60 else text[:57] + "..."


def _money_json(amount: Decimal) -> int | float:
    """A JSON number with the amount's digits: ``int`` when whole, else the float whose
    shortest repr is exactly those digits (guaranteed for <= 15 significant digits)."""
    if amount == amount.to_integral_value():
        return int(amount)
    return float(amount)


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
        out[text(key)] = text(item)
    return out


def _text_map(value: dict[str, str]) -> dict[str, str]:
    for key, item in value.items():
        if key == PROTO_KEY:
            raise ValueError(
                "'__proto__' cannot be a key: JavaScript would treat it as the object's "
                "prototype and drop it; use a language code or another name."
            )
        text(key)
        text(item)
    return value


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
SessionId = Annotated[str, AfterValidator(session_id)]


def _checkout(value: object) -> object:
    if value is True:
        return value
    if isinstance(value, str):
        return session_id(value)
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
#: A map of text to text (per-language texts, display names): keys and values valid Unicode.
TextMap = Annotated[dict[str, str], AfterValidator(_text_map)]


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
