"""Secure payload cryptography, exactly as FastSpring's Store Builder Library expects it.

For every payload (as FastSpring documents secure payloads):

1. the payload JSON is encoded as UTF-8;
2. a fresh random 16-byte AES key ``k`` encrypts it with AES-128-ECB and PKCS#7 padding;
3. ``k`` is "encrypted" with the seller's RSA *private* key using PKCS#1 v1.5 type-1
   padding and no digest (OpenSSL's ``RSA_private_encrypt``), through cryptography's
   ``sign(k, PKCS1v15(), NoDigestInfo())`` primitive;
4. both are standard base64: ``{"payload": ..., "key": ...}``.

FastSpring recovers ``k`` with the certificate the seller uploaded. Whoever holds that
certificate can do the same: read the payload, and even encrypt different JSON under the
same wrapped key. Keep the certificate as private as the key; a secure payload is not a way
to hide data from whoever holds it.

This module works on keys and bytes only: it writes no files and starts no processes
(:mod:`sblgen.keygen` creates and writes a key pair, :mod:`sblgen.batch` encrypts many
payloads on every core).

>>> import tempfile
>>> from sblgen.keygen import generate_key_pair
>>> key_path, cert_path = generate_key_pair(tempfile.mkdtemp())
>>> key = PrivateKey.from_file(key_path)
>>> request = key.encrypt({"coupon": "SPRING"})
>>> PublicCertificate.from_file(cert_path).decrypt(request)
{'coupon': 'SPRING'}
>>> key
PrivateKey(RSA, 2048 bits)

cryptography is imported by this module and :mod:`sblgen.keygen` only; ``import sblgen``
does not load it.
"""

from __future__ import annotations

import base64
import binascii
import os
from collections.abc import Mapping
from typing import Any, NoReturn

from cryptography import x509
from cryptography.exceptions import InvalidSignature, UnsupportedAlgorithm
from cryptography.hazmat.primitives import padding, serialization
from cryptography.hazmat.primitives.asymmetric import padding as asym_padding
from cryptography.hazmat.primitives.asymmetric import rsa, utils
from cryptography.hazmat.primitives.ciphers import Cipher, algorithms, modes

from sblgen._files import read_bounded
from sblgen.errors import DecryptError, SecureKeyError
from sblgen.limits import loads_json
from sblgen.payload import AuthenticatePayload, SecurePayload, payload_model
from sblgen.secure_request import SecureRequest

__all__ = [
    "MAX_PEM_FILE_BYTES",
    "MIN_KEY_BITS",
    "PrivateKey",
    "PublicCertificate",
    "check_pair",
    "decrypt",
    "encrypt",
]

#: FastSpring's documented key size; smaller keys are refused.
MIN_KEY_BITS = 2048
#: The largest key or certificate file read (a PEM RSA-16384 key is about 13 KB).
MAX_PEM_FILE_BYTES = 1_000_000

_AES_KEY_BYTES = 16
_PKCS1V15 = asym_padding.PKCS1v15()
_NO_DIGEST = utils.NoDigestInfo()


#: What can be encrypted: a secure payload or an ``authenticate`` payload (or a mapping).
Payload = SecurePayload | AuthenticatePayload | Mapping[str, Any]


def _payload_bytes(payload: Payload) -> bytes:
    """Validated, compact UTF-8 JSON of a payload."""
    model = payload if isinstance(payload, SecurePayload) else payload_model(payload)
    return model.to_json().encode("utf-8")


def _b64(data: bytes) -> str:
    return base64.b64encode(data).decode("ascii")


def _unb64(text: object, what: str) -> bytes:
    if not isinstance(text, str) or not text:
        raise DecryptError(f"The secure request's {what} is empty or not text; expected base64.")
    try:
        return base64.b64decode(text, validate=True)
    except (binascii.Error, ValueError):
        raise DecryptError(
            f"The secure request's {what} is not standard base64 (A-Z, a-z, 0-9, '+', '/', "
            "'=' padding)."
        ) from None


class PrivateKey:
    """The seller's RSA private key, which signs (wraps) each payload's AES key.

    Load it once and reuse it: parsing PEM is far slower than encrypting. The key material
    never appears in ``repr``/``str``, error messages or pickles.
    """

    __slots__ = ("_key",)

    def __init__(self, key: rsa.RSAPrivateKey) -> None:
        if not isinstance(key, rsa.RSAPrivateKey):
            raise SecureKeyError(
                f"A secure payload key must be RSA, not {type(key).__name__}; create one with "
                "`sblgen keygen` or `openssl genrsa -out privatekey.pem 2048`."
            )
        if key.key_size < MIN_KEY_BITS:
            raise SecureKeyError(
                f"The RSA key has {key.key_size} bits; FastSpring needs at least "
                f"{MIN_KEY_BITS}. Create a new pair with `sblgen keygen`."
            )
        self._key = key

    @classmethod
    def from_pem(cls, data: bytes | str, password: bytes | str | None = None) -> PrivateKey:
        """Load a PEM private key (PKCS#1 ``RSA PRIVATE KEY`` or PKCS#8 ``PRIVATE KEY``,
        optionally encrypted with ``password``)."""
        raw = data.encode("ascii", "replace") if isinstance(data, str) else data
        secret = password.encode("utf-8") if isinstance(password, str) else password
        try:
            key = serialization.load_pem_private_key(raw, password=secret)
        except TypeError as err:
            if secret is None:
                raise SecureKeyError(
                    "The private key is password-protected; give its password."
                ) from None
            raise SecureKeyError(
                "A password was given but the private key is not encrypted; drop the password."
            ) from err
        except ValueError:
            if secret is not None:
                raise SecureKeyError(
                    "The private key could not be decrypted: wrong password, or not a PEM "
                    "private key."
                ) from None
            raise SecureKeyError(
                "This is not a PEM private key; expected a file starting with "
                "'-----BEGIN PRIVATE KEY-----' or '-----BEGIN RSA PRIVATE KEY-----'."
            ) from None
        except UnsupportedAlgorithm:
            raise SecureKeyError("The private key uses an unsupported algorithm.") from None
        if not isinstance(key, rsa.RSAPrivateKey):
            raise SecureKeyError(
                f"A secure payload key must be RSA, not {type(key).__name__.lstrip('_')}; "
                "create one with `sblgen keygen`."
            )
        return cls(key)

    @classmethod
    def from_file(
        cls, path: str | os.PathLike[str], password: bytes | str | None = None
    ) -> PrivateKey:
        """Load a PEM private key file (see :meth:`from_pem`)."""
        data = read_bounded(path, "Private key", limit=MAX_PEM_FILE_BYTES, error=SecureKeyError)
        return cls.from_pem(data, password)

    @property
    def key_size(self) -> int:
        """The RSA modulus size in bits."""
        return self._key.key_size

    def encrypt(self, payload: Payload) -> SecureRequest:
        """Encrypt a payload (a :class:`SecurePayload`, an
        :class:`~sblgen.payload.AuthenticatePayload` or a mapping, validated first) with a
        fresh random AES key."""
        return self._encrypt_plain(_payload_bytes(payload))

    def _encrypt_plain(self, plain: bytes) -> SecureRequest:
        """Encrypt already validated payload JSON bytes with a fresh random AES key."""
        return self._encrypt_bytes(plain, os.urandom(_AES_KEY_BYTES))

    def _encrypt_bytes(self, plain: bytes, aes_key: bytes) -> SecureRequest:
        """The deterministic seam: encrypt ``plain`` with the given AES key (tests only;
        reusing an AES key across payloads is never right)."""
        if len(aes_key) != _AES_KEY_BYTES:
            raise ValueError("The AES key must be 16 bytes.")
        padder = padding.PKCS7(128).padder()
        padded = padder.update(plain) + padder.finalize()
        encryptor = Cipher(algorithms.AES(aes_key), modes.ECB()).encryptor()  # noqa: S305
        body = encryptor.update(padded) + encryptor.finalize()
        wrapped = self._key.sign(aes_key, _PKCS1V15, _NO_DIGEST)
        # Both fields are base64 we just made: skip re-validating them.
        return SecureRequest.model_construct(payload=_b64(body), key=_b64(wrapped))

    def public_numbers_match(self, cert: PublicCertificate) -> bool:
        """True when ``cert`` holds this key's public half."""
        return self._key.public_key().public_numbers() == cert._public.public_numbers()

    @classmethod
    def _from_trusted_pkcs8(cls, pem: bytes) -> PrivateKey:
        """Load PEM made by :meth:`_pkcs8` of a key already checked (in a worker process,
        say), skipping the slow (~35 ms) RSA consistency check."""
        key = serialization.load_pem_private_key(
            pem, password=None, unsafe_skip_rsa_key_validation=True
        )
        if not isinstance(key, rsa.RSAPrivateKey):  # pragma: no cover - made by _pkcs8
            raise SecureKeyError("The key given is not an RSA private key.")
        return cls(key)

    def _pkcs8(self) -> bytes:
        return self._key.private_bytes(
            serialization.Encoding.PEM,
            serialization.PrivateFormat.PKCS8,
            serialization.NoEncryption(),
        )

    def __repr__(self) -> str:
        return f"PrivateKey(RSA, {self.key_size} bits)"

    __str__ = __repr__

    def __reduce__(self) -> NoReturn:
        raise TypeError("PrivateKey cannot be pickled: key material never leaves by accident.")


class PublicCertificate:
    """The seller's X.509 certificate (the file uploaded to FastSpring); decrypts payloads
    for debugging and tests."""

    __slots__ = ("_cert", "_public")

    def __init__(self, cert: x509.Certificate) -> None:
        public = cert.public_key()
        if not isinstance(public, rsa.RSAPublicKey):
            raise SecureKeyError("The certificate's key is not RSA; FastSpring needs an RSA key.")
        if public.key_size < MIN_KEY_BITS:
            raise SecureKeyError(
                f"The certificate's RSA key has {public.key_size} bits; FastSpring needs at "
                f"least {MIN_KEY_BITS}."
            )
        self._cert = cert
        self._public = public

    @classmethod
    def from_pem(cls, data: bytes | str) -> PublicCertificate:
        """Load a PEM certificate (``-----BEGIN CERTIFICATE-----``)."""
        raw = data.encode("ascii", "replace") if isinstance(data, str) else data
        try:
            cert = x509.load_pem_x509_certificate(raw)
        except ValueError:
            raise SecureKeyError(
                "This is not a PEM X.509 certificate; expected a file starting with "
                "'-----BEGIN CERTIFICATE-----' (create one with `sblgen keygen`)."
            ) from None
        return cls(cert)

    @classmethod
    def from_file(cls, path: str | os.PathLike[str]) -> PublicCertificate:
        """Load a PEM certificate file."""
        data = read_bounded(path, "Certificate", limit=MAX_PEM_FILE_BYTES, error=SecureKeyError)
        return cls.from_pem(data)

    @property
    def key_size(self) -> int:
        """The RSA modulus size in bits."""
        return self._public.key_size

    def decrypt(self, request: SecureRequest | Mapping[str, Any]) -> dict[str, Any]:
        """The payload object inside an encrypted secure request (or a test-mode one)."""
        if isinstance(request, Mapping):
            payload_text, key_text = request.get("payload"), request.get("key")
        else:
            payload_text, key_text = request.payload, request.key
        if not key_text and isinstance(payload_text, dict):
            return dict(payload_text)
        wrapped = _unb64(key_text, "key")
        body = _unb64(payload_text, "payload")
        try:
            aes_key = self._public.recover_data_from_signature(
                wrapped, asym_padding.PKCS1v15(), None
            )
        except (InvalidSignature, ValueError):
            raise DecryptError(
                "The secure request's key was not wrapped by the private key of this "
                "certificate (or is corrupt); check you use the matching certificate."
            ) from None
        if len(aes_key) != _AES_KEY_BYTES:
            raise DecryptError(
                f"The wrapped key holds {len(aes_key)} bytes, not a 16-byte AES-128 key."
            )
        if not body or len(body) % 16:
            raise DecryptError(
                "The secure request's payload is not a whole number of AES blocks; it is "
                "truncated or corrupt."
            )
        decryptor = Cipher(algorithms.AES(aes_key), modes.ECB()).decryptor()  # noqa: S305
        padded = decryptor.update(body) + decryptor.finalize()
        unpadder = padding.PKCS7(128).unpadder()
        try:
            plain = unpadder.update(padded) + unpadder.finalize()
        except ValueError:
            raise DecryptError("The decrypted payload has invalid PKCS#7 padding.") from None
        try:
            data = loads_json(plain.decode("utf-8"))
        except ValueError:  # not UTF-8, not JSON, or beyond sblgen's input limits
            raise DecryptError("The decrypted payload is not UTF-8 JSON.") from None
        if not isinstance(data, dict):
            raise DecryptError("The decrypted payload is JSON but not an object.")
        return data

    def __repr__(self) -> str:
        subject = self._cert.subject.rfc4514_string()
        return f"PublicCertificate(RSA, {self.key_size} bits, subject={subject!r})"


def encrypt(payload: Payload, private_key: PrivateKey) -> SecureRequest:
    """Encrypt one payload; see :meth:`PrivateKey.encrypt`."""
    return private_key.encrypt(payload)


def decrypt(
    request: SecureRequest | Mapping[str, Any], certificate: PublicCertificate
) -> dict[str, Any]:
    """Decrypt one secure request; see :meth:`PublicCertificate.decrypt`."""
    return certificate.decrypt(request)


def check_pair(private_key: PrivateKey, certificate: PublicCertificate) -> bool:
    """True when the certificate holds the private key's public half.

    >>> import tempfile
    >>> from sblgen.keygen import generate_key_pair
    >>> k, c = generate_key_pair(tempfile.mkdtemp())
    >>> check_pair(PrivateKey.from_file(k), PublicCertificate.from_file(c))
    True
    """
    return private_key.public_numbers_match(certificate)
