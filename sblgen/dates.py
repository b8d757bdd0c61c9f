"""Dates: "today" (which tests and builds can freeze), future due dates, and FastSpring's
timestamps.

"Today" has one source, :func:`today`, and one way to fix it, :func:`frozen_today`; every
future-date check reads it, so a build or a test that freezes the date sees the same day in
every model.

>>> with frozen_today(date(2030, 1, 1)):
...     future_date("2030-01-02")
datetime.date(2030, 1, 2)
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from contextlib import contextmanager
from contextvars import ContextVar
from datetime import UTC, date, datetime
from typing import Annotated

from pydantic import AfterValidator, BeforeValidator

__all__ = ["FutureDate", "Timestamp", "frozen_today", "future_date", "today"]

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


def future_date(value: object) -> date:
    """A date after :func:`today`, from a ``date`` or a ``"yyyy-mm-dd"`` string.

    >>> with frozen_today(date(2030, 1, 1)):
    ...     future_date("2030-01-01")
    Traceback (most recent call last):
    ValueError: 2030-01-01 is not in the future (today is 2030-01-01); ...
    """
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
    now = today()
    if day <= now:
        raise ValueError(
            f"{day.isoformat()} is not in the future (today is {now.isoformat()}); "
            "FastSpring only accepts a due date after today."
        )
    return day


#: A due date after today, sent as ``yyyy-mm-dd``.
FutureDate = Annotated[date, BeforeValidator(future_date)]


def _timestamp(value: object) -> object:
    """FastSpring sends times as epoch milliseconds (or, in v2, ISO-8601 text)."""
    if isinstance(value, int | float) and not isinstance(value, bool):
        try:
            return datetime.fromtimestamp(value / 1000, tz=UTC)
        except (OverflowError, OSError, ValueError):  # beyond year 1..9999, or NaN
            raise ValueError(
                f"{value!r} is not a time FastSpring sends: epoch milliseconds between the "
                "years 1 and 9999."
            ) from None
    return value


def _aware(value: datetime) -> datetime:
    return value if value.tzinfo is not None else value.replace(tzinfo=UTC)


#: A point in time from FastSpring: epoch milliseconds or ISO-8601, always timezone-aware.
Timestamp = Annotated[datetime, BeforeValidator(_timestamp), AfterValidator(_aware)]
