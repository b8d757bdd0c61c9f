"""``sblgen keygen`` and ``sblgen secure encrypt|decrypt|check``."""

from __future__ import annotations

import argparse
import json
from pathlib import Path
from typing import TYPE_CHECKING, Any

from sblgen._cli.common import EXIT_FAILURE, EXIT_OK, env_value, load_data
from sblgen.errors import InputFileError, SecureKeyError

if TYPE_CHECKING:  # pragma: no cover
    from sblgen.crypto import PrivateKey

_KEYGEN_HELP = "create privatekey.pem and publicCert.pem for secure payloads"
_KEYGEN_DESCRIPTION = (
    "Create an RSA-2048 private key (mode 0600) and a self-signed certificate to upload to "
    "FastSpring. Existing files are kept unless --force."
)


def register(commands: Any) -> None:
    keygen = commands.add_parser("keygen", help=_KEYGEN_HELP, description=_KEYGEN_DESCRIPTION)
    keygen.add_argument("--out-dir", required=True, metavar="DIR")
    keygen.add_argument("--force", action="store_true", help="replace existing files")
    keygen.set_defaults(handler=_keygen)

    secure = commands.add_parser("secure", help="encrypt, decrypt and check secure payloads")
    sub = secure.add_subparsers(dest="secure_command", metavar="ACTION", required=True)

    encrypt = sub.add_parser(
        "encrypt",
        help="print {payload, key} for a payload JSON file",
        description='Validate and encrypt a secure payload; prints {"payload", "key"}.',
    )
    encrypt.add_argument("--private-key", metavar="FILE")
    encrypt.add_argument(
        "--password-env",
        metavar="VAR",
        help="environment variable holding the private key's password",
    )
    encrypt.add_argument(
        "--test-mode",
        action="store_true",
        help="print the unencrypted test-storefront form (payload object, empty key)",
    )
    encrypt.add_argument("payload", nargs="?", default="-", metavar="PAYLOAD_JSON|-")
    encrypt.set_defaults(handler=_encrypt)

    decrypt = sub.add_parser("decrypt", help="print the payload JSON inside {payload, key}")
    decrypt.add_argument("--cert", required=True, metavar="FILE")
    decrypt.add_argument("secure", nargs="?", default="-", metavar="SECURE_JSON|-")
    decrypt.set_defaults(handler=_decrypt)

    check = sub.add_parser("check", help="say whether a private key and certificate pair up")
    check.add_argument("--private-key", required=True, metavar="FILE")
    check.add_argument("--cert", required=True, metavar="FILE")
    check.add_argument("--password-env", metavar="VAR")
    check.set_defaults(handler=_check)


def _password(args: argparse.Namespace) -> str | None:
    return env_value(args.password_env) if args.password_env else None


def _pem_encrypted(path: str) -> bool | None:
    """Whether the PEM private key at ``path`` is password-protected (``None``: not a PEM
    private key, or unreadable)."""
    from sblgen._files import read_bounded
    from sblgen.crypto import MAX_PEM_FILE_BYTES

    try:
        data = read_bounded(path, "Private key", limit=MAX_PEM_FILE_BYTES, error=SecureKeyError)
    except SecureKeyError:
        return None
    if b"-----BEGIN ENCRYPTED PRIVATE KEY-----" in data:  # PKCS#8
        return True
    if b"PRIVATE KEY-----" not in data:
        return None
    return b"Proc-Type: 4,ENCRYPTED" in data  # PKCS#1 (OpenSSL's traditional form)


def _private_key(args: argparse.Namespace) -> PrivateKey:
    """``--private-key``, with ``--password-env``'s password; a password missing or given
    for nothing is said with the flags."""
    from sblgen.crypto import PrivateKey

    password = _password(args)
    try:
        return PrivateKey.from_file(args.private_key, password)
    except SecureKeyError:
        encrypted = _pem_encrypted(args.private_key)
        if encrypted and password is None:
            raise InputFileError(
                f"--private-key {args.private_key}: the key is password-protected; give "
                "--password-env VAR, naming the environment variable that holds its password."
            ) from None
        if encrypted is False and password is not None:
            raise InputFileError(
                f"--private-key {args.private_key}: the key is not password-protected; drop "
                "--password-env."
            ) from None
        raise


def _keygen(args: argparse.Namespace) -> int:
    from sblgen.keygen import PRIVATE_KEY_FILE, PUBLIC_CERT_FILE, generate_key_pair

    if not args.force:  # said with the flag (generate_key_pair would say force=True)
        existing = [
            n for n in (PRIVATE_KEY_FILE, PUBLIC_CERT_FILE) if (Path(args.out_dir) / n).exists()
        ]
        if existing:
            raise InputFileError(
                f"--out-dir {args.out_dir}: {' and '.join(existing)} already exist; nothing "
                "was written. Add --force to replace them."
            )
    key_path, cert_path = generate_key_pair(args.out_dir, force=args.force)
    print(f"wrote {key_path} (keep it secret, on the server)")
    print(f"wrote {cert_path} (upload it in FastSpring: Developer Tools > Store Builder Library)")
    return EXIT_OK


def _encrypt(args: argparse.Namespace) -> int:
    from sblgen.payload import payload_model
    from sblgen.secure_request import SecureRequest

    # A secure payload, or an authenticate payload ({"account", "timestamp"}).
    payload = payload_model(load_data(args.payload))
    if args.test_mode:
        request = SecureRequest.plaintext(payload)
    else:
        if not args.private_key:
            raise InputFileError("secure encrypt needs --private-key FILE (or --test-mode).")
        request = _private_key(args).encrypt(payload)
    print(json.dumps(request.to_dict(), ensure_ascii=False))
    return EXIT_OK


def _decrypt(args: argparse.Namespace) -> int:
    from sblgen.crypto import PublicCertificate

    data = load_data(args.secure)
    if not isinstance(data, dict):
        raise InputFileError('The secure request must be a JSON object {"payload", "key"}.')
    cert = PublicCertificate.from_file(args.cert)
    print(json.dumps(cert.decrypt(data), ensure_ascii=False))
    return EXIT_OK


def _check(args: argparse.Namespace) -> int:
    from sblgen.crypto import PublicCertificate, check_pair

    key = _private_key(args)
    cert = PublicCertificate.from_file(args.cert)
    if check_pair(key, cert):
        print(f"OK: {args.private_key} and {args.cert} form a pair")
        return EXIT_OK
    print(f"MISMATCH: {args.cert} does not hold the public half of {args.private_key}")
    return EXIT_FAILURE
