"""``sblgen session validate FILE``."""

from __future__ import annotations

import argparse
from typing import Any

from sblgen._cli.common import EXIT_OK, load_data
from sblgen.session import Session


def register(commands: Any) -> None:
    parser = commands.add_parser("session", help="work with SBL session objects")
    sub = parser.add_subparsers(dest="session_command", metavar="ACTION", required=True)
    validate = sub.add_parser(
        "validate",
        help="check a session object (JSON or TOML); prints OK or each error",
        description="Validate an SBL session object. Prints OK, or each error as "
        "'path.to.field: message' and exits with status 2.",
    )
    validate.add_argument("file", metavar="FILE", help="JSON or TOML file, or - for stdin")
    validate.set_defaults(handler=_validate)


def _validate(args: argparse.Namespace) -> int:
    Session.model_validate(load_data(args.file))
    print("OK")
    return EXIT_OK
