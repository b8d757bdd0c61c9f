"""Webhook signature verification and event parsing."""

from __future__ import annotations

import datetime as dt
import json

import pytest

from sblgen import WebhookPayloadError, WebhookSignatureError, verify_webhook
from sblgen.webhooks import SIGNATURE_HEADER, header, parse_events, sign, verify_signature

BODY = json.dumps(
    {
        "events": [
            {
                "id": "evt-1",
                "live": False,
                "processed": False,
                "type": "order.completed",
                "created": 1700000000000,
                "data": {"order": "ord-1", "total": 9.99},
                "futureField": 1,
            }
        ],
        "futureEnvelopeField": True,
    }
).encode()


def test_valid_signature_and_typed_events() -> None:
    payload = verify_webhook(BODY, {"X-FS-Signature": sign(BODY, "s3cret")}, "s3cret")
    (event,) = payload.events
    assert (event.id, event.type, event.live, event.processed) == (
        "evt-1",
        "order.completed",
        False,
        False,
    )
    assert event.created == dt.datetime(2023, 11, 14, 22, 13, 20, tzinfo=dt.UTC)
    assert event.data == {"order": "ord-1", "total": 9.99}
    assert event.model_extra == {"futureField": 1}
    assert payload.model_extra == {"futureEnvelopeField": True}


def test_header_lookup_is_case_insensitive() -> None:
    assert verify_webhook(BODY, {"x-fs-signature": sign(BODY, "k")}, ["k"]).events


def test_rotation_accepts_any_configured_secret() -> None:
    verify_signature(BODY, sign(BODY, "new"), ["old", "new"])
    verify_signature(BODY, sign(BODY, b"old"), ["old", "new"])
    with pytest.raises(WebhookSignatureError, match="does not match"):
        verify_signature(BODY, sign(BODY, "older"), ["old", "new"])


@pytest.mark.parametrize("header", [None, "", "   "])
def test_missing_signature_refused(header: str | None) -> None:
    headers = {} if header is None else {"X-FS-Signature": header}
    with pytest.raises(WebhookSignatureError, match="no X-FS-Signature"):
        verify_webhook(BODY, headers, "s3cret")


def test_tampered_body_and_bad_header() -> None:
    signature = sign(BODY, "s3cret")
    with pytest.raises(WebhookSignatureError, match="does not match"):
        verify_signature(BODY.replace(b"9.99", b"0.01"), signature, "s3cret")
    with pytest.raises(WebhookSignatureError, match="not base64"):
        verify_signature(BODY, "***", "s3cret")
    with pytest.raises(WebhookSignatureError, match="No webhook secret"):
        verify_signature(BODY, signature, [])
    with pytest.raises(TypeError, match="raw request body"):
        verify_signature(BODY.decode(), signature, "s3cret")  # type: ignore[arg-type]


@pytest.mark.parametrize("body", [b"not json", b"{}", b'{"events": [{"type": "x"}]}', b"[]"])
def test_bad_envelopes(body: bytes) -> None:
    with pytest.raises(WebhookPayloadError, match="events envelope"):
        parse_events(body)


def test_header_lookup_ignores_the_name_case() -> None:
    assert header({"X-FS-Signature": "exact", "x-fs-signature": "other"}, SIGNATURE_HEADER) == (
        "exact"
    )
    assert header({"x-fs-signature": "lower"}, SIGNATURE_HEADER) == "lower"
    assert header({"X-FS-SIGNATURE": "upper"}, "x-fs-signature") == "upper"
    assert header({"Content-Type": "application/json"}, SIGNATURE_HEADER) is None
    verify_webhook(BODY, {"x-fs-signature": sign(BODY, "s3cret")}, "s3cret")
