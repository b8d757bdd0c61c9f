"""Secure payload crypto: known answers, round trips, openssl interop, malformed input."""

from __future__ import annotations

import base64
import json
import logging
import pickle
from pathlib import Path
from typing import Any

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from sblgen import DecryptError, SecureKeyError, SecurePayload, SecureRequest
from sblgen.crypto import PrivateKey, PublicCertificate, check_pair, decrypt, encrypt
from sblgen.keygen import generate_key_pair
from tests.keys import KEYS, openssl


@pytest.fixture(scope="module")
def key() -> PrivateKey:
    return PrivateKey.from_file(KEYS / "test-privatekey.pem")


@pytest.fixture(scope="module")
def cert() -> PublicCertificate:
    return PublicCertificate.from_file(KEYS / "test-publicCert.pem")


def _vectors() -> list[dict[str, str]]:
    data = json.loads((Path(__file__).parent / "data" / "secure_vectors.json").read_text())
    vectors: list[dict[str, str]] = data["vectors"]
    return vectors


# ------------------------------------------------------------------ known answers


@pytest.mark.parametrize("vector", _vectors(), ids=["ascii", "unicode"])
def test_known_answer_vectors(
    key: PrivateKey, cert: PublicCertificate, vector: dict[str, str]
) -> None:
    request = key._encrypt_bytes(vector["plain"].encode(), bytes.fromhex(vector["aesKeyHex"]))
    assert request.payload == vector["payload"]
    assert request.key == vector["key"]
    assert cert.decrypt(request) == json.loads(vector["plain"])


def test_each_encryption_uses_a_fresh_key(key: PrivateKey, cert: PublicCertificate) -> None:
    a, b = key.encrypt({"coupon": "X"}), key.encrypt({"coupon": "X"})
    assert a.key != b.key and a.payload != b.payload
    assert cert.decrypt(a) == cert.decrypt(b) == {"coupon": "X"}


def test_module_functions(key: PrivateKey, cert: PublicCertificate) -> None:
    payload = SecurePayload(coupon="SPRING")
    assert decrypt(encrypt(payload, key), cert) == {"coupon": "SPRING"}


def test_standard_base64_with_padding(key: PrivateKey) -> None:
    request = key.encrypt({"coupon": "X"})
    assert isinstance(request.payload, str)
    for text in (request.payload, request.key):
        assert base64.b64encode(base64.b64decode(text, validate=True)).decode() == text
    assert len(base64.b64decode(request.key)) == 256


# ------------------------------------------------------------------ round trips

_payload_text = st.text(st.characters(exclude_categories=["Cs"]), min_size=1, max_size=30)


@settings(max_examples=40, deadline=None)
@given(
    first=_payload_text,
    last=_payload_text,
    tags=st.dictionaries(
        _payload_text.filter(lambda k: k != "__proto__"), st.text(max_size=30), max_size=3
    ),
    price=st.decimals(min_value=0, max_value=10_000, places=2),
)
def test_round_trip_any_text(
    key: PrivateKey,
    cert: PublicCertificate,
    first: str,
    last: str,
    tags: dict[str, str],
    price: Any,
) -> None:
    payload = SecurePayload.model_validate(
        {
            "contact": {"email": "a@example.com", "firstName": first, "lastName": last},
            "items": [{"product": "p", "pricing": {"price": {"USD": price}}}],
            "tags": tags or None,
        }
    )
    decrypted = cert.decrypt(key.encrypt(payload))
    assert decrypted == payload.to_dict()
    assert SecurePayload.model_validate(decrypted) == payload


def test_encrypt_validates_payload(key: PrivateKey) -> None:
    from pydantic import ValidationError

    with pytest.raises(ValidationError, match="coupon"):
        key.encrypt({"coupon": "not a code"})


# ------------------------------------------------------------------ openssl interop


@pytest.mark.parametrize("keygen", ["openssl", "sblgen"])
def test_openssl_decrypts_what_sblgen_encrypts(tmp_path: Path, keygen: str) -> None:
    if keygen == "openssl":
        key_path, cert_path = KEYS / "test-pkcs1.pem", KEYS / "other-publicCert.pem"
    else:
        key_path, cert_path = generate_key_pair(tmp_path / "k")
    payload = {"contact": {"email": "zoë@example.com", "firstName": "Zoë", "lastName": "李"}}
    request = PrivateKey.from_file(key_path).encrypt(payload)
    wrapped = tmp_path / "wrapped.bin"
    wrapped.write_bytes(base64.b64decode(request.key))
    aes_key = openssl(
        "pkeyutl", "-verifyrecover", "-certin", "-inkey", str(cert_path),
        "-in", str(wrapped), "-pkeyopt", "rsa_padding_mode:pkcs1",
    )  # fmt: skip
    assert len(aes_key) == 16
    assert isinstance(request.payload, str)
    plain = openssl(
        "enc", "-d", "-aes-128-ecb", "-K", aes_key.hex(),
        data=base64.b64decode(request.payload),
    )  # fmt: skip
    assert json.loads(plain.decode("utf-8")) == payload


@pytest.mark.parametrize("keygen", ["openssl", "sblgen"])
def test_sblgen_decrypts_what_openssl_encrypts(tmp_path: Path, keygen: str) -> None:
    if keygen == "openssl":
        key_path, cert_path = KEYS / "test-privatekey.pem", KEYS / "test-publicCert.pem"
    else:
        key_path, cert_path = generate_key_pair(tmp_path / "k")
    plain = json.dumps({"coupon": "SPRING", "tags": {"note": "€ ✓"}}, ensure_ascii=False)
    aes_key = openssl("rand", "16")
    body = openssl("enc", "-aes-128-ecb", "-K", aes_key.hex(), data=plain.encode())
    raw_key = tmp_path / "k.bin"
    raw_key.write_bytes(aes_key)
    wrapped = openssl(
        "pkeyutl", "-sign", "-inkey", str(key_path), "-in", str(raw_key),
        "-pkeyopt", "rsa_padding_mode:pkcs1",
    )  # fmt: skip
    request = {
        "payload": base64.b64encode(body).decode(),
        "key": base64.b64encode(wrapped).decode(),
    }
    assert PublicCertificate.from_file(cert_path).decrypt(request) == json.loads(plain)


def test_sblgen_wrap_equals_openssl_wrap(tmp_path: Path, key: PrivateKey) -> None:
    """PKCS#1 v1.5 type-1 is deterministic: both tools must give the same bytes."""
    aes_key = bytes(range(16))
    raw_key = tmp_path / "k.bin"
    raw_key.write_bytes(aes_key)
    ours = base64.b64decode(key._encrypt_bytes(b"{}", aes_key).key)
    theirs = openssl(
        "pkeyutl", "-sign", "-inkey", str(KEYS / "test-privatekey.pem"), "-in", str(raw_key),
        "-pkeyopt", "rsa_padding_mode:pkcs1",
    )  # fmt: skip
    assert ours == theirs


# ------------------------------------------------------------------ keys


def test_loads_pkcs1_pkcs8_and_password_protected() -> None:
    assert PrivateKey.from_file(KEYS / "test-pkcs1.pem").key_size == 2048
    assert PrivateKey.from_file(KEYS / "test-privatekey.pem").key_size == 2048
    protected = PrivateKey.from_file(KEYS / "test-encrypted.pem", password="s3cret")
    assert check_pair(protected, PublicCertificate.from_file(KEYS / "test-publicCert.pem"))


@pytest.mark.parametrize(
    ("path", "password", "message"),
    [
        ("ec.pem", None, "must be RSA"),
        ("small-1024.pem", None, "1024 bits"),
        ("test-encrypted.pem", "wrong", "wrong password"),
        ("test-encrypted.pem", None, "password-protected"),
        ("test-privatekey.pem", "s3cret", "not encrypted"),
        ("test-publicCert.pem", None, "not a PEM private key"),
        ("missing.pem", None, "does not exist"),
    ],
)
def test_bad_private_keys(path: str, password: str | None, message: str) -> None:
    with pytest.raises(SecureKeyError, match=message):
        PrivateKey.from_file(KEYS / path, password=password)


def test_key_files_are_read_with_a_size_limit(tmp_path: Path) -> None:
    from sblgen.crypto import MAX_PEM_FILE_BYTES

    huge = tmp_path / "huge.pem"
    huge.write_bytes((KEYS / "test-privatekey.pem").read_bytes().ljust(MAX_PEM_FILE_BYTES + 1))
    with pytest.raises(SecureKeyError, match=r"^Private key file .* is larger than 1000000 bytes"):
        PrivateKey.from_file(huge)
    with pytest.raises(SecureKeyError, match=r"^Certificate file .* is larger than"):
        PublicCertificate.from_file(huge)
    with pytest.raises(SecureKeyError, match=r"^Certificate file .* does not exist\.$"):
        PublicCertificate.from_file(tmp_path / "missing.pem")


def test_bad_certificates() -> None:
    with pytest.raises(SecureKeyError, match=r"not a PEM X.509 certificate"):
        PublicCertificate.from_file(KEYS / "test-privatekey.pem")


def test_mismatched_pair(key: PrivateKey) -> None:
    other = PublicCertificate.from_file(KEYS / "other-publicCert.pem")
    assert not check_pair(key, other)
    with pytest.raises(DecryptError, match="matching certificate"):
        other.decrypt(key.encrypt({"coupon": "X"}))


def test_key_material_never_shown(key: PrivateKey, caplog: pytest.LogCaptureFixture) -> None:
    pem = (KEYS / "test-privatekey.pem").read_text()
    secret_line = pem.splitlines()[5]
    caplog.set_level(logging.DEBUG)
    shown = [
        repr(key),
        str(key),
        f"{key}",
        repr(PublicCertificate.from_file(KEYS / "test-publicCert.pem")),
    ]
    for text in shown:
        assert secret_line not in text
        assert "PRIVATE" not in text
    assert repr(key) == "PrivateKey(RSA, 2048 bits)"
    with pytest.raises(TypeError, match="cannot be pickled"):
        pickle.dumps(key)
    with pytest.raises(SecureKeyError) as exc:
        PrivateKey.from_pem(pem.replace("MII", "XXX", 1))
    assert secret_line not in str(exc.value)
    assert secret_line not in caplog.text


# ------------------------------------------------------------------ malformed requests


def _tamper(request: SecureRequest, **changes: str) -> dict[str, Any]:
    data = request.to_dict()
    data.update(changes)
    return data


@pytest.mark.parametrize(
    ("change", "message"),
    [
        ({"key": "not base64!"}, "key is not standard base64"),
        ({"payload": "@@@"}, "payload is not standard base64"),
        ({"key": ""}, "key is empty"),
        ({"key": base64.b64encode(b"x" * 256).decode()}, "matching certificate"),
        ({"payload": base64.b64encode(b"x" * 15).decode()}, "whole number of AES blocks"),
        ({"payload": base64.b64encode(b"x" * 32).decode()}, "PKCS#7 padding"),
    ],
)
def test_malformed_requests(
    key: PrivateKey, cert: PublicCertificate, change: dict[str, str], message: str
) -> None:
    with pytest.raises(DecryptError, match=message):
        cert.decrypt(_tamper(key.encrypt({"coupon": "X"}), **change))


def test_wrapped_key_of_wrong_length(tmp_path: Path, cert: PublicCertificate) -> None:
    raw = tmp_path / "k.bin"
    raw.write_bytes(b"k" * 20)
    wrapped = openssl(
        "pkeyutl", "-sign", "-inkey", str(KEYS / "test-privatekey.pem"), "-in", str(raw),
        "-pkeyopt", "rsa_padding_mode:pkcs1",
    )  # fmt: skip
    request = {
        "payload": base64.b64encode(b"x" * 16).decode(),
        "key": base64.b64encode(wrapped).decode(),
    }
    with pytest.raises(DecryptError, match="20 bytes"):
        cert.decrypt(request)


def test_plaintext_test_mode(cert: PublicCertificate) -> None:
    request = SecureRequest.plaintext({"coupon": "SPRING"})
    assert request.is_plaintext
    assert request.to_dict() == {"payload": {"coupon": "SPRING"}}
    assert cert.decrypt(request) == {"coupon": "SPRING"}
    from pydantic import ValidationError

    with pytest.raises(ValidationError):
        SecureRequest.plaintext({"coupon": "bad code"})
