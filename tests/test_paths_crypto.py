"""Key and certificate loading on every path: PEM as bytes and as text (ASCII or not), the
key a worker process loads without re-checking it, and the exact words of every refusal
(each names what is wrong and the fix, and never any key material)."""

from __future__ import annotations

import base64
import datetime as dt
import pickle
from typing import Any

import pytest
from cryptography import x509
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import ec, ed25519, rsa
from cryptography.x509.oid import NameOID

from sblgen import SecureKeyError
from sblgen.crypto import PrivateKey, PublicCertificate, check_pair
from tests.keys import KEYS

KEY_PEM = (KEYS / "test-privatekey.pem").read_bytes()
CERT_PEM = (KEYS / "test-publicCert.pem").read_bytes()
KEY = PrivateKey.from_pem(KEY_PEM)
CERT = PublicCertificate.from_pem(CERT_PEM)


def _message(call: Any) -> str:
    try:
        call()
    except (SecureKeyError, TypeError, ValueError) as err:
        return str(err)
    raise AssertionError("nothing was raised")  # pragma: no cover


def _certificate(key: Any, signer: Any = None) -> bytes:
    name = x509.Name([x509.NameAttribute(NameOID.COMMON_NAME, "sblgen test")])
    now = dt.datetime(2026, 1, 1, tzinfo=dt.UTC)
    cert = (
        x509.CertificateBuilder()
        .subject_name(name)
        .issuer_name(name)
        .public_key(key.public_key())
        .serial_number(1)
        .not_valid_before(now)
        .not_valid_after(now + dt.timedelta(days=1))
        .sign(signer or key, hashes.SHA256())
    )
    return cert.public_bytes(serialization.Encoding.PEM)


# --------------------------------------------------------------- PEM as bytes or text


def test_pem_as_text_or_bytes() -> None:
    for key in (PrivateKey.from_pem(KEY_PEM.decode("ascii")), PrivateKey.from_pem(KEY_PEM)):
        assert check_pair(key, CERT)
    for cert in (
        PublicCertificate.from_pem(CERT_PEM.decode()),
        PublicCertificate.from_pem(CERT_PEM),
    ):
        assert check_pair(KEY, cert)
    encrypted = (KEYS / "test-encrypted.pem").read_text()
    for password in ("s3cret", b"s3cret"):
        assert check_pair(PrivateKey.from_pem(encrypted, password), CERT)


def test_a_password_is_its_utf8_bytes(tmp_path: Any) -> None:
    password = "pässwörd-✓"
    pem = KEY._pkcs8()
    loaded = serialization.load_pem_private_key(pem, None)
    protected = loaded.private_bytes(
        serialization.Encoding.PEM,
        serialization.PrivateFormat.PKCS8,
        serialization.BestAvailableEncryption(password.encode("utf-8")),
    )
    assert check_pair(PrivateKey.from_pem(protected, password), CERT)
    assert check_pair(PrivateKey.from_pem(protected, password.encode("utf-8")), CERT)
    with pytest.raises(SecureKeyError, match="wrong password"):
        PrivateKey.from_pem(protected, password.encode("latin-1", "replace"))


@pytest.mark.parametrize("where", ["header", "body"])
def test_non_ascii_text_is_not_a_pem_file(where: str) -> None:
    """Text that cannot be ASCII is refused like any other non-PEM text (no raw
    UnicodeEncodeError)."""
    key_text, cert_text = KEY_PEM.decode(), CERT_PEM.decode()
    if where == "header":
        key_text = key_text.replace("PRIVATE KEY", "PRIVATE KÉY", 1)
        cert_text = cert_text.replace("CERTIFICATE", "CERTIFICATÉ", 1)
    else:
        key_text = key_text[:100] + "é" + key_text[101:]
        cert_text = cert_text[:100] + "é" + cert_text[101:]
    with pytest.raises(SecureKeyError, match="not a PEM private key"):
        PrivateKey.from_pem(key_text)
    with pytest.raises(SecureKeyError, match=r"not a PEM X\.509 certificate"):
        PublicCertificate.from_pem(cert_text)


# --------------------------------------------------------------- the worker's key


def test_the_key_a_worker_loads_is_the_same_key() -> None:
    """``encrypt_many``'s workers load the parent's already checked key from PKCS#8 PEM
    without re-checking it; it is the same key."""
    for source in (KEY, PrivateKey.from_file(KEYS / "test-pkcs1.pem")):
        again = PrivateKey._from_trusted_pkcs8(source._pkcs8())
        assert type(again) is PrivateKey
        assert again.key_size == source.key_size
        assert again._pkcs8() == source._pkcs8()
    assert CERT.decrypt(PrivateKey._from_trusted_pkcs8(KEY._pkcs8()).encrypt({"coupon": "W"})) == {
        "coupon": "W"
    }


def test_the_workers_key_is_still_checked_for_size() -> None:
    small = rsa.generate_private_key(public_exponent=65537, key_size=1024)  # noqa: S505
    pem = small.private_bytes(
        serialization.Encoding.PEM, serialization.PrivateFormat.PKCS8, serialization.NoEncryption()
    )
    with pytest.raises(SecureKeyError, match="1024 bits"):
        PrivateKey._from_trusted_pkcs8(pem)


# --------------------------------------------------------------- every refusal, exactly


def _unsupported_key_pem() -> bytes:
    """A PKCS#8 key of a type cryptography does not know (an Ed25519 key, its OID
    changed)."""
    key = ed25519.Ed25519PrivateKey.generate()
    der = key.private_bytes(
        serialization.Encoding.DER, serialization.PrivateFormat.PKCS8, serialization.NoEncryption()
    )
    der = der.replace(bytes.fromhex("06032b6570"), bytes.fromhex("06032b6579"))
    body = base64.encodebytes(der)
    return b"-----BEGIN PRIVATE KEY-----\n" + body + b"-----END PRIVATE KEY-----\n"


_EC_KEY = ec.generate_private_key(ec.SECP256R1())
_SMALL_KEY = rsa.generate_private_key(public_exponent=65537, key_size=1024)  # noqa: S505

REFUSALS: dict[str, tuple[Any, str]] = {
    "an EC key object": (
        lambda: PrivateKey(_EC_KEY),  # type: ignore[arg-type]
        "A secure payload key must be RSA, not ECPrivateKey; create one with "
        "`sblgen keygen` or `openssl genrsa -out privatekey.pem 2048`.",
    ),
    "an EC key file": (
        lambda: PrivateKey.from_file(KEYS / "ec.pem"),
        "A secure payload key must be RSA, not ECPrivateKey; create one with `sblgen keygen`.",
    ),
    "a small key": (
        lambda: PrivateKey(_SMALL_KEY),
        "The RSA key has 1024 bits; FastSpring needs at least 2048. Create a new pair with "
        "`sblgen keygen`.",
    ),
    "no password": (
        lambda: PrivateKey.from_file(KEYS / "test-encrypted.pem"),
        "The private key is password-protected; give its password.",
    ),
    "a password for a plain key": (
        lambda: PrivateKey.from_pem(KEY_PEM, "s3cret"),
        "A password was given but the private key is not encrypted; drop the password.",
    ),
    "a wrong password": (
        lambda: PrivateKey.from_file(KEYS / "test-encrypted.pem", password="nope"),
        "The private key could not be decrypted: wrong password, or not a PEM private key.",
    ),
    "not a key": (
        lambda: PrivateKey.from_pem(CERT_PEM),
        "This is not a PEM private key; expected a file starting with "
        "'-----BEGIN PRIVATE KEY-----' or '-----BEGIN RSA PRIVATE KEY-----'.",
    ),
    "an unknown key type": (
        lambda: PrivateKey.from_pem(_unsupported_key_pem()),
        "The private key uses an unsupported algorithm.",
    ),
    "not a certificate": (
        lambda: PublicCertificate.from_pem(KEY_PEM.decode()),
        "This is not a PEM X.509 certificate; expected a file starting with "
        "'-----BEGIN CERTIFICATE-----' (create one with `sblgen keygen`).",
    ),
    "an EC certificate": (
        lambda: PublicCertificate.from_pem(_certificate(_EC_KEY)),
        "The certificate's key is not RSA; FastSpring needs an RSA key.",
    ),
    "a small certificate": (
        lambda: PublicCertificate.from_pem(_certificate(_SMALL_KEY)),
        "The certificate's RSA key has 1024 bits; FastSpring needs at least 2048.",
    ),
    "a pickle": (
        lambda: pickle.dumps(KEY),
        "PrivateKey cannot be pickled: key material never leaves by accident.",
    ),
    "a short AES key": (
        lambda: KEY._encrypt_bytes(b"{}", b"k" * 15),
        "The AES key must be 16 bytes.",
    ),
}


@pytest.mark.parametrize("case", sorted(REFUSALS))
def test_each_refusal_in_exact_words(case: str) -> None:
    call, message = REFUSALS[case]
    assert _message(call) == message


def test_the_certificate_repr_names_its_subject() -> None:
    cert = PublicCertificate.from_pem(_certificate(KEY._key))
    assert repr(cert) == "PublicCertificate(RSA, 2048 bits, subject='CN=sblgen test')"
