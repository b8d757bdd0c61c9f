"""sblgen.secure_request: the ``{payload, key}`` value, its two forms and what it hides."""

from __future__ import annotations

import pytest
from pydantic import ValidationError

from sblgen import SecurePayload, SecureRequest


def test_secure_request_repr_hides_payload() -> None:
    request = SecureRequest(payload="QUJD" * 10, key="REVG")
    assert "QUJD" not in repr(request)
    assert "REVG" not in str(request)
    assert "test-mode" in repr(SecureRequest(payload={"a": 1}, key=""))


def test_plaintext_validates_the_payload_like_an_encrypted_one() -> None:
    # The test-mode form has no key on the wire (the SBL's "key absent" branch).
    assert SecureRequest.plaintext({"coupon": "SPRING"}).to_dict() == {
        "payload": {"coupon": "SPRING"},
    }
    model = SecurePayload.model_validate({"coupon": "SPRING"})
    assert SecureRequest.plaintext(model) == SecureRequest.plaintext({"coupon": "SPRING"})
    with pytest.raises(ValidationError, match="coupon"):
        SecureRequest.plaintext({"coupon": "no spaces allowed"})
    with pytest.raises(ValidationError, match=r"Extra inputs|unknown field"):
        SecureRequest.plaintext({"coupn": "SPRING"})


@pytest.mark.parametrize(
    ("data", "message"),
    [
        ({"payload": "QUJD", "key": ""}, "test-mode form and needs the plaintext payload object"),
        ({"payload": {"a": 1}, "key": "QUJD"}, "needs 'payload' as standard base64 text"),
        ({"payload": "not base64!", "key": "QUJD"}, "needs 'payload' as standard base64 text"),
        ({"payload": "QUJD", "key": "not base64!"}, "'key' is not standard base64"),
    ],
)
def test_each_form_rule(data: dict[str, object], message: str) -> None:
    with pytest.raises(ValidationError, match=message):
        SecureRequest.model_validate(data)


def test_is_plaintext() -> None:
    assert SecureRequest(payload={"a": 1}, key="").is_plaintext
    assert not SecureRequest(payload="QUJD", key="REVG").is_plaintext
