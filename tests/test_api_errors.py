"""v2 error bodies (``ErrorResponse``) on the typed errors: ``error_id``, ``error_status``,
``timestamp`` and ``errors[]``, one line that never shows the refused value."""

from __future__ import annotations

import json

import httpx
import pytest

from sblgen import AuthenticationError, BadRequestError, NotFoundError
from sblgen.api import Client
from sblgen.api.policy import error_for_response
from sblgen.errors import ApiFieldError
from sblgen.testing import FakeFastSpring

URL = "https://api.example.com/v2/checkouts/acme/popup-acme/sessions"


def test_documented_error_body_on_exception(fake: FakeFastSpring, client: Client) -> None:
    fake.fail_next("400-documented")
    with pytest.raises(BadRequestError) as exc:
        client.checkout("acme/popup-acme").create({})
    err = exc.value
    assert err.error_id == "FS123456789012345ABC"
    assert err.error_status == "400 BAD_REQUEST"
    assert err.timestamp == "2026-03-20T10:49:51.000Z"
    assert err.errors[0] == ApiFieldError(
        "INVALID_EMAIL_FORMAT",
        "customer.billToContact.email",
        "Invalid email format",
        "my.invalid.Email_fastspring.com",
    )
    assert err.server_message == "Invalid email format"
    assert "FS123456789012345ABC" in str(err)
    assert "customer.billToContact.email: INVALID_EMAIL_FORMAT" in str(err)
    assert "my.invalid" not in str(err) and "my.invalid" not in repr(err)
    assert "my.invalid" not in repr(err.errors[0])
    assert len(str(err).splitlines()) == 1


def test_not_found_and_unauthorized_error_bodies(fake: FakeFastSpring, client: Client) -> None:
    with pytest.raises(NotFoundError) as missing:
        client.checkout("acme/popup-acme").get("missing")
    assert missing.value.error_status == "404 NOT_FOUND"
    assert missing.value.error_id is not None and missing.value.error_id.startswith("FS")
    wrong = Client(username="x", password="y", base_url=fake.base_url)
    with wrong, pytest.raises(AuthenticationError) as denied:
        wrong.checkout("acme/popup-acme").get("missing")
    assert denied.value.error_status == "401 UNAUTHORIZED"


def test_validation_errors_from_fake(client: Client) -> None:
    path = client.checkout("acme/popup-acme").base_path
    with pytest.raises(BadRequestError) as exc:
        client.request("POST", path, content=b'{"buyerIp": "nope"}')
    (error,) = exc.value.errors
    assert (error.field, error.error_code, error.rejected_value) == (
        "buyerIp",
        "INVALID_VALUE",
        "nope",
    )
    assert "'nope' is not an IPv4 or IPv6 address" in str(exc.value)
    body = b'{"cart": {"lineItems": [{"productPath": "a", "quantity": -1}]}}'
    with pytest.raises(BadRequestError) as exc:
        client.request("POST", path, content=body)
    assert exc.value.errors[0].field == "cart.lineItems[0].quantity"
    assert exc.value.errors[0].rejected_value == "-1"  # not a string: compact JSON


def test_message_names_at_most_three_field_errors() -> None:
    errors = [
        {"errorCode": f"E{n}", "field": f"f{n}", "message": f"m{n}", "rejectedValue": f"secret{n}"}
        for n in range(5)
    ]
    body = {"status": "400 BAD_REQUEST", "id": "FS9", "errors": errors}
    err = error_for_response("POST", URL, httpx.Response(400, json=body))
    assert err.server_message == "m0"  # no top-level message: the first error's
    assert str(err) == (
        f"POST {URL} -> HTTP 400: m0 (f0: E0; f1: E1 m1; f2: E2 m2) (+2 more) [error id FS9]"
    )
    assert "secret" not in str(err) and "secret" not in repr(err)
    assert [e.rejected_value for e in err.errors] == [f"secret{n}" for n in range(5)]


def test_v1_shaped_and_plain_bodies_keep_todays_path() -> None:
    v1 = error_for_response(
        "POST", URL, httpx.Response(400, json={"message": "m", "params": {"a": 1}})
    )
    assert (v1.server_message, v1.params, v1.errors, v1.error_id) == ("m", {"a": 1}, (), None)
    odd = error_for_response("POST", URL, httpx.Response(400, json={"id": 5, "errors": "x"}))
    assert odd.errors == () and odd.error_id is None  # not an ErrorResponse: read as v1
    text = error_for_response("POST", URL, httpx.Response(502, text="<html>"))
    assert text.server_message is None and json.dumps(text.errors) == "[]"
