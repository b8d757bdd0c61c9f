"""``sblgen webhook verify``."""

from __future__ import annotations

import argparse
from typing import Any

from sblgen._cli.common import EXIT_FAILURE, EXIT_OK, env_value, read_bytes
from sblgen.errors import InputFileError
from sblgen.limits import printable

_VERIFY_HELP = "check X-FS-Signature over a raw body (exit 0 valid, 1 invalid)"


def register(commands: Any) -> None:
    webhook = commands.add_parser("webhook", help="check FastSpring webhook signatures")
    wsub = webhook.add_subparsers(dest="webhook_command", metavar="ACTION", required=True)
    verify = wsub.add_parser("verify", help=_VERIFY_HELP)
    verify.add_argument("--secret", action="append", default=[], help="repeat for rotation")
    verify.add_argument(
        "--secret-env",
        action="append",
        default=[],
        metavar="VAR",
        help="environment variable holding a secret (keeps it out of `ps`); repeatable",
    )
    verify.add_argument("--signature", required=True, help="the X-FS-Signature header value")
    verify.add_argument("body", nargs="?", default="-", metavar="BODY_FILE|-")
    verify.set_defaults(handler=_verify)


def _verify(args: argparse.Namespace) -> int:
    from sblgen.errors import WebhookSignatureError
    from sblgen.webhooks import parse_events, verify_signature

    secrets = [*args.secret, *(env_value(name) for name in args.secret_env)]
    if not secrets:
        raise InputFileError("Give the webhook secret with --secret-env VAR (or --secret).")
    empty = ["--secret"] if "" in args.secret else []
    empty += [f"--secret-env {name}" for name in args.secret_env if not env_value(name)]
    if empty:  # a usage mistake, not a signature that does not match
        raise InputFileError(
            f"{', '.join(empty)}: the webhook secret is empty; give the secret set in FastSpring."
        )
    body = read_bytes(args.body)
    try:
        verify_signature(body, args.signature, secrets)
    except WebhookSignatureError as err:
        print(f"invalid: {err}")
        return EXIT_FAILURE
    events = parse_events(body).events
    types = ", ".join(printable(e.type) for e in events)  # the sender's text: no escapes
    print(f"valid: {len(events)} event(s): {types}")
    return EXIT_OK
