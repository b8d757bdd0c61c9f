"""``sblgen keygen`` and ``sblgen secure encrypt|decrypt|check``."""

from __future__ import annotations

import argparse
import json
from typing import Any

from sblgen._cli.common import EXIT_FAILURE, EXIT_OK, env_value, load_data
from sblgen.errors import InputFileError

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


def _keygen(args: argparse.Namespace) -> int:
    from sblgen.keygen import generate_key_pair

    key_path, cert_path = generate_key_pair(args.out_dir, force=args.force)
    print(f"wrote {key_path} (keep it secret, on the server)")
    print(f"wrote {cert_path} (upload it in FastSpring: Developer Tools > Store Builder Library)")
    return EXIT_OK


def _encrypt(args: argparse.Namespace) -> int:
    from sblgen.payload import SecurePayload
    from sblgen.secure_request import SecureRequest

    payload = SecurePayload.model_validate(load_data(args.payload))
    if args.test_mode:
        request = SecureRequest.plaintext(payload)
    else:
        if not args.private_key:
            raise InputFileError("secure encrypt needs --private-key FILE (or --test-mode).")
        from sblgen.crypto import PrivateKey

        request = PrivateKey.from_file(args.private_key, _password(args)).encrypt(payload)
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
    from sblgen.crypto import PrivateKey, PublicCertificate, check_pair

    key = PrivateKey.from_file(args.private_key, _password(args))
    cert = PublicCertificate.from_file(args.cert)
    if check_pair(key, cert):
        print(f"OK: {args.private_key} and {args.cert} form a pair")
        return EXIT_OK
    print(f"MISMATCH: {args.cert} does not hold the public half of {args.private_key}")
    return EXIT_FAILURE
