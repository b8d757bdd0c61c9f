"""The ``authenticate`` payload (account id + epoch-millisecond timestamp): built, encrypted,
its test-mode form, and rendered into ``fscSession.authenticate`` / a push."""

from __future__ import annotations

import json
from datetime import UTC, datetime
from pathlib import Path

import pytest
from pydantic import ValidationError

from sblgen import (
    AuthenticatePayload,
    PrivateKey,
    PublicCertificate,
    RenderError,
    SblOptions,
    SecureRequest,
    Session,
    push,
    session_init,
)
from sblgen.cli import main
from sblgen.payload import SecurePayload, payload_model

KEYS = Path(__file__).parent / "data" / "keys"
ACCOUNT = "N8FjcSWcQNeYCc-suM1O8g"
STAMP = 1_764_000_000_000
TEST_SHOP = SblOptions(storefront="acme.test.onfastspring.com/popup-acme", access_key="AK")
LIVE_SHOP = SblOptions(storefront="acme.onfastspring.com/popup-acme", access_key="AK")


def test_wire_form_is_account_and_timestamp() -> None:
    payload = AuthenticatePayload(account=ACCOUNT, timestamp=STAMP)
    assert payload.to_dict() == {"account": ACCOUNT, "timestamp": STAMP}
    assert AuthenticatePayload.from_json(payload.to_json()) == payload


def test_aware_datetime_becomes_milliseconds() -> None:
    at = datetime(2025, 11, 24, 16, 0, tzinfo=UTC)
    assert AuthenticatePayload(account=ACCOUNT, timestamp=at).timestamp == 1_764_000_000_000


def test_now_is_current_milliseconds() -> None:
    before = int(datetime.now(UTC).timestamp() * 1000)
    stamp = AuthenticatePayload.now(ACCOUNT).timestamp
    assert before - 1000 <= stamp <= before + 60_000


@pytest.mark.parametrize(
    ("value", "message"),
    [
        (1_764_000_000, "looks like epoch seconds; FastSpring reads milliseconds"),
        (datetime(2025, 11, 24), "has no time zone"),
        (True, "not bool"),
        ("1764000000000", "not str"),
        (10**15, "too large"),
    ],
)
def test_bad_timestamps_say_why(value: object, message: str) -> None:
    with pytest.raises(ValidationError, match=message):
        AuthenticatePayload(account=ACCOUNT, timestamp=value)


@pytest.mark.parametrize("account", ["", "two words", "a\nb", "x" * 256])
def test_bad_account_ids_are_refused(account: str) -> None:
    with pytest.raises(ValidationError, match="is not a FastSpring account id"):
        AuthenticatePayload(account=account, timestamp=STAMP)


def test_other_fields_are_refused_naming_the_two() -> None:
    with pytest.raises(ValidationError, match="AuthenticatePayload\ncoupon\n  unknown field"):
        payload_model({"account": ACCOUNT, "timestamp": STAMP, "coupon": "X"})


def test_payload_model_tells_the_two_payloads_apart() -> None:
    assert isinstance(payload_model({"account": ACCOUNT, "timestamp": STAMP}), AuthenticatePayload)
    assert isinstance(payload_model({"account": ACCOUNT}), SecurePayload)


def test_plaintext_form_for_test_storefronts() -> None:
    request = SecureRequest.plaintext({"account": ACCOUNT, "timestamp": STAMP})
    assert request.to_dict() == {"payload": {"account": ACCOUNT, "timestamp": STAMP}}
    model = SecureRequest.plaintext(AuthenticatePayload(account=ACCOUNT, timestamp=STAMP))
    assert model == request


def test_encrypts_and_decrypts_with_the_key_pair() -> None:
    key = PrivateKey.from_file(KEYS / "test-privatekey.pem")
    cert = PublicCertificate.from_file(KEYS / "test-publicCert.pem")
    request = key.encrypt(AuthenticatePayload(account=ACCOUNT, timestamp=STAMP))
    assert not request.is_plaintext
    assert cert.decrypt(request) == {"account": ACCOUNT, "timestamp": STAMP}
    from_mapping = key.encrypt({"account": ACCOUNT, "timestamp": STAMP})  # was refused before
    assert cert.decrypt(from_mapping) == {"account": ACCOUNT, "timestamp": STAMP}


def test_rendered_as_fsc_session_authenticate() -> None:
    request = SecureRequest.plaintext(AuthenticatePayload(account=ACCOUNT, timestamp=STAMP))
    html = str(session_init(Session(authenticate=request), options=TEST_SHOP))
    assert html == (
        '<script>var fscSession = {"authenticate":{"payload":{"account":"'
        + ACCOUNT
        + f'","timestamp":{STAMP}}}}}}};</script>'
    )
    assert '"authenticate":' in str(push(Session(authenticate=request), options=TEST_SHOP))


def test_plaintext_refused_on_a_live_storefront_and_without_access_key() -> None:
    request = SecureRequest.plaintext(AuthenticatePayload(account=ACCOUNT, timestamp=STAMP))
    with pytest.raises(RenderError, match=r"session_init\.authenticate: a plaintext"):
        session_init(Session(authenticate=request), options=LIVE_SHOP)
    no_key = SblOptions(storefront="acme.test.onfastspring.com/popup-acme")
    with pytest.raises(RenderError, match="ignored without data-access-key"):
        session_init(Session(authenticate=request), options=no_key)


def test_cli_encrypts_an_authenticate_payload(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    source = tmp_path / "auth.json"
    source.write_text(json.dumps({"account": ACCOUNT, "timestamp": STAMP}))
    assert main(["secure", "encrypt", "--test-mode", str(source)]) == 0
    assert json.loads(capsys.readouterr().out) == {
        "payload": {"account": ACCOUNT, "timestamp": STAMP}
    }
    key = str(KEYS / "test-privatekey.pem")
    assert main(["secure", "encrypt", "--private-key", key, str(source)]) == 0
    request = json.loads(capsys.readouterr().out)
    cert = PublicCertificate.from_file(KEYS / "test-publicCert.pem")
    assert cert.decrypt(request) == {"account": ACCOUNT, "timestamp": STAMP}
