"""What snippets check before rendering: a session or secure request against the script tag."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pytest

from sblgen import (
    RenderError,
    SblOptions,
    SecureRequest,
    Session,
    buttons,
    embed,
    push,
    secure,
    session_init,
)
from tests.render_cases import LIVE_SHOP, PLAIN_SECURE, TEST_SHOP


def test_clean_needs_continuous() -> None:
    session = Session(checkout=True, clean=True)
    with pytest.raises(RenderError, match="no data-continuous"):
        session_init(session, options=SblOptions(storefront=TEST_SHOP))
    with pytest.raises(RenderError, match="pass options="):
        push(session)
    assert "clean" in session_init(
        session, options=SblOptions(storefront=TEST_SHOP, continuous=True)
    )


def test_plaintext_secure_refused_on_live_storefront() -> None:
    with pytest.raises(RenderError, match="cannot go to the live storefront"):
        secure(PLAIN_SECURE, storefront=LIVE_SHOP)
    with pytest.raises(RenderError, match="cannot go to the live storefront"):
        embed(SblOptions(storefront=LIVE_SHOP, access_key="K"), secure=PLAIN_SECURE)
    with pytest.raises(RenderError, match="cannot go to the live storefront"):
        session_init(
            Session(secure=PLAIN_SECURE), options=SblOptions(storefront=LIVE_SHOP, access_key="K")
        )
    with pytest.raises(RenderError, match="needs the storefront"):
        secure(PLAIN_SECURE)


def test_secure_needs_access_key() -> None:
    with pytest.raises(RenderError, match="without data-access-key"):
        secure(PLAIN_SECURE, options=SblOptions(storefront=TEST_SHOP))


def test_encrypted_secure_allowed_on_live() -> None:
    request = SecureRequest(payload="QUJD", key="REVG")
    assert "REVG" in secure(request, options=SblOptions(storefront=LIVE_SHOP, access_key="K"))


def test_plain_dicts_get_a_clear_type_error() -> None:
    """The typed API takes models; a dict says how to make one (not an AttributeError)."""
    data: Any = {"products": [{"path": "p", "quantity": 1}]}
    calls: dict[str, Callable[[], object]] = {
        "session_init": lambda: session_init(data),
        "push": lambda: push(data),
        "buttons": lambda: buttons(data),
        "embed": lambda: embed(TEST_SHOP, session=data),
        "secure": lambda: secure({"payload": {}, "key": ""}, storefront=TEST_SHOP),  # type: ignore[arg-type]
    }
    for what, call in calls.items():
        with pytest.raises(TypeError, match=rf"^{what}: expected a sblgen\.\w+, not dict; "):
            call()
