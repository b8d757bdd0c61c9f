"""sblgen.codes: the ISO code tables and their validators."""

from __future__ import annotations

from typing import Any

import pycountry
import pytest

from sblgen import codes
from sblgen import types as t


def test_country_table_matches_pycountry() -> None:
    assert codes.countries() == {c.alpha_2 for c in pycountry.countries}


def test_language_table_matches_pycountry() -> None:
    expected = {lang.alpha_2 for lang in pycountry.languages if hasattr(lang, "alpha_2")}
    assert codes.languages() == expected


def test_currency_table_matches_pycountry() -> None:
    assert codes.currencies() == {c.alpha_3 for c in pycountry.currencies}


@pytest.mark.parametrize(
    ("fn", "good", "normal", "bad"),
    [
        (t.country_code, "de", "DE", "XX"),
        (t.language_code, "EN", "en", "xx"),
        (t.currency_code, "eur", "EUR", "EURO"),
        (t.product_path, "pro-plan_2.x", "pro-plan_2.x", "pro plan"),
        (t.coupon_code, "WELCOME10", "WELCOME10", "TEN OFF"),
        (t.js_identifier, "$on_closed1", "$on_closed1", "alert(1)"),
    ],
)
def test_codes(fn: Any, good: str, normal: str, bad: str) -> None:
    assert fn(good) == normal
    with pytest.raises(ValueError, match=repr(bad).replace("(", r"\(").replace(")", r"\)")):
        fn(bad)
    with pytest.raises(ValueError, match="must be a string"):
        fn(42)
