"""A fake FastSpring for your tests: real HTTP on 127.0.0.1, FastSpring's documented answers,
state you can seed, every request logged, and faults on demand. No account, no network.

Start it (a ``with`` block, or the ``fake_fastspring`` pytest fixture), point sblgen at it
(:meth:`FakeFastSpring.env` for the environment, :func:`client_for` for a client), seed
what the test needs, run your code, and look at what it sent:

>>> import os
>>> from unittest import mock
>>> import sblgen
>>> from sblgen.api import Client
>>> from sblgen.testing import FakeFastSpring
>>> with FakeFastSpring() as fake, mock.patch.dict(os.environ, fake.env()):
...     request = sblgen.CheckoutBuilder().account("acc-1").product("falcon", 2).api_request()
...     with Client() as client:          # reads FASTSPRING_API_* from the environment
...         session = client.create_session(request)
...     fake.requests[-1].method, fake.requests[-1].path, fake.requests[-1].json()
('POST', '/sessions', {'account': 'acc-1', 'items': [{'product': 'falcon', 'quantity': 2}]})

What it serves: Sessions v1 (``POST /sessions``), Sessions v2 (``/v2/checkouts/{store}/
{checkout}/sessions`` and its items, customer and payment methods), the REST resources
(``/orders``, ``/subscriptions``, ``/accounts``, ``/products/price``, ``/events``) and
OAuth2 client credentials (``POST /identity/oauth/token``). Requests are checked with
sblgen's own request models, so a body FastSpring would refuse gets FastSpring's error.

With pytest, the plugin (loaded automatically once sblgen is installed) gives the fixtures
``fake_fastspring`` (a started fake, closed after the test) and ``fake_fastspring_env`` (the
same, with the environment pointing at it); see :mod:`sblgen.testing.pytest_plugin`.

This package is for tests only: nothing else in sblgen imports it.
"""

from __future__ import annotations

from sblgen.testing.core import (
    CLIENT_ID,
    CLIENT_SECRET,
    EXPIRES_MS,
    MAX_BODY_BYTES,
    PASSWORD,
    TOKEN_PATH,
    USERNAME,
    Recorded,
    Reply,
)
from sblgen.testing.resources import FakeResources
from sblgen.testing.server import (
    FAULTS,
    FakeFastSpring,
    async_client_for,
    client_for,
    oauth_client_for,
)

__all__ = [
    "CLIENT_ID",
    "CLIENT_SECRET",
    "EXPIRES_MS",
    "FAULTS",
    "MAX_BODY_BYTES",
    "PASSWORD",
    "TOKEN_PATH",
    "USERNAME",
    "FakeFastSpring",
    "FakeResources",
    "Recorded",
    "Reply",
    "async_client_for",
    "client_for",
    "oauth_client_for",
]
