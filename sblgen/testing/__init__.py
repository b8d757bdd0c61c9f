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

from importlib import import_module
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:  # pragma: no cover
    from sblgen.testing.core import CLIENT_ID as CLIENT_ID
    from sblgen.testing.core import CLIENT_SECRET as CLIENT_SECRET
    from sblgen.testing.core import EXPIRES_MS as EXPIRES_MS
    from sblgen.testing.core import MAX_BODY_BYTES as MAX_BODY_BYTES
    from sblgen.testing.core import PASSWORD as PASSWORD
    from sblgen.testing.core import TOKEN_PATH as TOKEN_PATH
    from sblgen.testing.core import USERNAME as USERNAME
    from sblgen.testing.core import Recorded as Recorded
    from sblgen.testing.core import Reply as Reply
    from sblgen.testing.resources import FakeResources as FakeResources
    from sblgen.testing.server import FAULTS as FAULTS
    from sblgen.testing.server import FakeFastSpring as FakeFastSpring
    from sblgen.testing.server import async_client_for as async_client_for
    from sblgen.testing.server import client_for as client_for
    from sblgen.testing.server import oauth_client_for as oauth_client_for

#: Module -> the names imported from it on first use (so that pytest, which loads the
#: plugin in every run, does not load the fake until a test asks for it).
_LAZY_MODULES: dict[str, tuple[str, ...]] = {
    "sblgen.testing.core": (
        "CLIENT_ID",
        "CLIENT_SECRET",
        "EXPIRES_MS",
        "MAX_BODY_BYTES",
        "PASSWORD",
        "TOKEN_PATH",
        "USERNAME",
        "Recorded",
        "Reply",
    ),
    "sblgen.testing.resources": ("FakeResources",),
    "sblgen.testing.server": (
        "FAULTS",
        "FakeFastSpring",
        "async_client_for",
        "client_for",
        "oauth_client_for",
    ),
}
_LAZY = {name: module for module, names in _LAZY_MODULES.items() for name in names}

__all__ = sorted(_LAZY)


def __getattr__(name: str) -> Any:
    module_name = _LAZY.get(name)
    if module_name is None:
        raise AttributeError(f"module 'sblgen.testing' has no attribute {name!r}")
    value = getattr(import_module(module_name), name)
    globals()[name] = value
    return value


def __dir__() -> list[str]:
    return sorted({*globals(), *_LAZY})
