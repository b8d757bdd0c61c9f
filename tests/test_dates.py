"""sblgen.dates: "today", future dates."""

from __future__ import annotations

from datetime import date, datetime

import pytest
from pydantic import TypeAdapter, ValidationError

from sblgen import dates as t
from tests.conftest import TODAY


def test_future_date_uses_frozen_today() -> None:
    assert t.today() == TODAY
    assert t.future_date("2026-11-25") == date(2026, 11, 25)
    with pytest.raises(ValueError, match="not in the future"):
        t.future_date("2026-11-24")
    with t.frozen_today(date(2020, 1, 1)):
        assert t.future_date("2026-11-24") == date(2026, 11, 24)


@pytest.mark.parametrize(
    ("value", "message"),
    [
        ("2026/12/01", "yyyy-mm-dd"),
        ("2026-02-30", "real calendar date"),
        ("26-12-01", "yyyy-mm-dd"),
        (datetime(2030, 1, 1), "is a datetime"),
        (20301231, "not a date"),
    ],
)
def test_future_date_rejects(value: object, message: str) -> None:
    with pytest.raises(ValueError, match=message):
        t.future_date(value)


def test_future_date_field_reads_frozen_today() -> None:
    """One way to fix "today": the model field reads the same frozen date as future_date()."""
    adapter = TypeAdapter(t.FutureDate)
    with t.frozen_today(date(2021, 1, 1)):
        assert adapter.validate_python("2021-01-02") == date(2021, 1, 2)
        with pytest.raises(ValidationError, match="not in the future"):
            adapter.validate_python("2021-01-01")
