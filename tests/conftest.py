"""Shared pytest fixtures: golden files, test data, a fixed "today"."""

from __future__ import annotations

import os
from collections.abc import Callable, Iterator
from datetime import date
from pathlib import Path
from typing import TYPE_CHECKING

import pytest
from hypothesis import settings

from sblgen.types import frozen_today

if TYPE_CHECKING:
    from sblgen.api import Client
    from sblgen.testing import FakeFastSpring
    from sblgen.testing.resources import FakeResources

# Machines here are shared and noisy: no per-example deadline (speed is benchmarked, not
# asserted), and print the blob that replays a failure.
settings.register_profile("sblgen", deadline=None, print_blob=True)
settings.load_profile("sblgen")

DATA = Path(__file__).parent / "data"
GOLDEN = Path(__file__).parent / "golden"

#: The date tests pretend it is, so future-date rules do not rot.
TODAY = date(2026, 11, 24)


def pytest_addoption(parser: pytest.Parser) -> None:
    parser.addoption(
        "--update-golden",
        action="store_true",
        default=False,
        help="rewrite golden files from the current output (review the diff!)",
    )


@pytest.fixture(autouse=True)
def _fixed_today() -> Iterator[None]:
    with frozen_today(TODAY):
        yield


@pytest.fixture
def data_dir() -> Path:
    """``tests/data``: example material copied from FastSpring's documentation."""
    return DATA


# For every test that talks to FastSpring (the API client, resources, confirmation, the
# integrations): a fresh fake FastSpring, its resource state, and a Client on it. A module
# that needs another fake (faults, OAuth) defines its own `fake`; `data` and `client` follow.
# Imported when used, so that collecting the suite loads no HTTP client.


@pytest.fixture
def fake() -> Iterator[FakeFastSpring]:
    from sblgen.testing import FakeFastSpring

    with FakeFastSpring() as server:
        yield server


@pytest.fixture
def data(fake: FakeFastSpring) -> FakeResources:
    from sblgen.testing.resources import resources

    return resources(fake)


@pytest.fixture
def client(fake: FakeFastSpring) -> Iterator[Client]:
    from sblgen.testing import client_for

    with client_for(fake) as c:
        yield c


Golden = Callable[[str, str], None]


@pytest.fixture
def golden(request: pytest.FixtureRequest) -> Golden:
    """Compare text with ``tests/golden/<name>``; ``--update-golden`` rewrites the file."""
    update = bool(request.config.getoption("--update-golden")) or bool(
        os.environ.get("SBLGEN_UPDATE_GOLDEN")
    )

    def check(name: str, actual: str) -> None:
        path = GOLDEN / name
        if update:
            path.parent.mkdir(parents=True, exist_ok=True)
            path.write_text(actual, encoding="utf-8")
            return
        assert path.exists(), f"missing golden file {path}; run pytest --update-golden"
        expected = path.read_text(encoding="utf-8")
        assert actual == expected, f"output differs from golden file {path}"

    return check
