"""ISO code tables (shipped as package data) and their validators: country, language,
currency.

>>> country_code("de"), language_code("EN"), currency_code("eur")
('DE', 'en', 'EUR')
"""

from __future__ import annotations

from functools import cache
from importlib.resources import files

__all__ = [
    "countries",
    "country_code",
    "currencies",
    "currency_code",
    "language_code",
    "languages",
    "not_str",
]


def not_str(kind: str, value: object) -> ValueError:
    """The error for a value that should have been a string (``kind`` names what it is)."""
    return ValueError(f"{kind} must be a string, not {type(value).__name__} {value!r}.")


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


def country_code(value: object) -> str:
    """An ISO 3166-1 alpha-2 country code, normalised to uppercase.

    >>> country_code("us")
    'US'
    """
    if not isinstance(value, str):
        raise not_str("A country code", value)
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
        raise not_str("A language code", value)
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
        raise not_str("A currency code", value)
    code = value.upper()
    if code not in currencies():
        raise ValueError(
            f"{value!r} is not an ISO 4217 currency code; use three letters such as 'USD' or 'EUR'."
        )
    return code
