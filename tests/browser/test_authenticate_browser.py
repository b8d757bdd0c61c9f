"""``authenticate`` on the stand-in SBL: what reaches the storefront's /account/authenticate
(SBL behaviour §3) for the test-mode plaintext payload and for an encrypted one, given as
``fscSession.authenticate`` before the tag or pushed after the SBL loaded."""

from __future__ import annotations

from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

import pytest

from sblgen import (
    AuthenticatePayload,
    PrivateKey,
    PublicCertificate,
    SblOptions,
    SecureRequest,
    Session,
    push,
    script_tag,
    session_init,
)
from tests.browser.harness import PageServer, page_html, settle, wire_requests

pytestmark = pytest.mark.browser

KEYS = Path(__file__).parent.parent / "data" / "keys"
ACCOUNT = "N8FjcSWcQNeYCc-suM1O8g"
STAMP = 1_764_000_000_000
PAYLOAD = AuthenticatePayload(account=ACCOUNT, timestamp=STAMP)
TEST_SHOP = SblOptions(storefront="acme.test.onfastspring.com/popup-acme", access_key="TESTKEY")
LIVE_SHOP = SblOptions(storefront="acme.onfastspring.com/popup-acme", access_key="LIVEKEY")


def _paths(page: Any) -> list[tuple[str, str]]:
    return [(e["method"], urlsplit(e["url"]).path) for e in wire_requests(page)]


def test_plaintext_in_fsc_session_on_a_test_storefront(page: Any, page_server: PageServer) -> None:
    """Test mode: the payload object itself, with the access key added, as form field
    ``data``; a push holding ``authenticate`` makes no /builder request."""
    session = Session(authenticate=SecureRequest.plaintext(PAYLOAD))
    html = page_html(session_init(session, options=TEST_SHOP), script_tag(TEST_SHOP))
    page.goto(page_server.add("/auth-test.html", html))
    settle(page, 1)
    assert _paths(page) == [("POST", "/popup-acme/account/authenticate")]
    sent = wire_requests(page)[0]
    assert sent["data"] == {"account": ACCOUNT, "timestamp": STAMP, "accessKey": "TESTKEY"}
    assert set(sent["form"]) == {"data"}  # no cart serial
    assert page.page_errors == []


def test_encrypted_push_on_a_live_storefront(page: Any, page_server: PageServer) -> None:
    """Live: ``{securePayload, accessKey, secureKey}``; FastSpring's copy of the certificate
    reads back exactly the account and timestamp."""
    key = PrivateKey.from_file(KEYS / "test-privatekey.pem")
    request = key.encrypt(PAYLOAD)
    html = page_html(script_tag(LIVE_SHOP), push(Session(authenticate=request), options=LIVE_SHOP))
    page.goto(page_server.add("/auth-live.html", html))
    settle(page, 2)
    assert _paths(page) == [
        ("GET", "/popup-acme/builder"),  # the load, with nothing to send
        ("POST", "/popup-acme/account/authenticate"),
    ]
    data = wire_requests(page)[1]["data"]
    assert set(data) == {"securePayload", "accessKey", "secureKey"}
    assert data["accessKey"] == "LIVEKEY"
    assert (data["securePayload"], data["secureKey"]) == (request.payload, request.key)
    cert = PublicCertificate.from_file(KEYS / "test-publicCert.pem")
    assert cert.decrypt({"payload": data["securePayload"], "key": data["secureKey"]}) == {
        "account": ACCOUNT,
        "timestamp": STAMP,
    }


def test_builder_authenticate_sends_what_the_push_sends(page: Any, page_server: PageServer) -> None:
    """``fastspring.builder.authenticate(payload, key)`` (the SBL's own method) and sblgen's
    push of ``{authenticate: {payload, key}}`` reach the storefront identically."""
    key = PrivateKey.from_file(KEYS / "test-privatekey.pem")
    request = key.encrypt(PAYLOAD)
    html = page_html(script_tag(LIVE_SHOP))
    page.goto(page_server.add("/auth-method.html", html))
    settle(page, 1)
    page.evaluate("r => fastspring.builder.authenticate(r.payload, r.key)", request.to_dict())
    settle(page, 2)
    by_method = wire_requests(page)[1]["data"]
    inline = str(push(Session(authenticate=request)))
    page.add_script_tag(content=inline.removeprefix("<script>").removesuffix("</script>"))
    settle(page, 3)
    assert wire_requests(page)[2]["data"] == by_method
    assert by_method["securePayload"] == request.payload
