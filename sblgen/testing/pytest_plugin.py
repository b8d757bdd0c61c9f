"""pytest fixtures for a fake FastSpring (:class:`~sblgen.testing.FakeFastSpring`).

pytest loads this plugin by itself once sblgen is installed (the ``pytest11`` entry point
``sblgen``); without that, add ``pytest_plugins = ["sblgen.testing.pytest_plugin"]`` to your
root ``conftest.py`` or run ``pytest -p sblgen.testing.pytest_plugin``.

- ``fake_fastspring``: a started fake, one per test, closed after it.
- ``fake_fastspring_env``: the same fake, with ``FASTSPRING_API_BASE_URL``,
  ``FASTSPRING_API_USERNAME`` and ``FASTSPRING_API_PASSWORD`` pointing at it for the test
  (and the OAuth2 variables unset), so code that makes ``Client()`` from the environment
  talks to the fake.

A test of your own code::

    def test_checkout_creates_a_session(fake_fastspring_env):
        response = my_app.test_client().post("/buy", data={"product": "falcon"})
        assert response.status_code == 200
        assert fake_fastspring_env.requests[-1].json()["items"][0]["product"] == "falcon"

Importing this module imports only pytest; the fake itself loads when a test asks for it.
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import TYPE_CHECKING

import pytest

if TYPE_CHECKING:
    from sblgen.testing.server import FakeFastSpring

__all__ = ["fake_fastspring", "fake_fastspring_env"]

_OAUTH_ENV = (
    "FASTSPRING_OAUTH_CLIENT_ID",
    "FASTSPRING_OAUTH_CLIENT_SECRET",
    "FASTSPRING_OAUTH_TOKEN_URL",
)


@pytest.fixture
def fake_fastspring() -> Iterator[FakeFastSpring]:
    """A :class:`~sblgen.testing.FakeFastSpring` serving on 127.0.0.1 for one test."""
    from sblgen.testing.server import FakeFastSpring

    with FakeFastSpring() as fake:
        yield fake


@pytest.fixture
def fake_fastspring_env(
    fake_fastspring: FakeFastSpring, monkeypatch: pytest.MonkeyPatch
) -> FakeFastSpring:
    """``fake_fastspring``, with the environment pointing sblgen's clients at it."""
    for name in _OAUTH_ENV:
        monkeypatch.delenv(name, raising=False)
    for name, value in fake_fastspring.env().items():
        monkeypatch.setenv(name, value)
    return fake_fastspring
