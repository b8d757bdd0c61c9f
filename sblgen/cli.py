"""The ``sblgen`` command line: a thin front end over the public API.

Every subcommand parses its arguments, calls public functions and prints. User mistakes
(unreadable or invalid input) print a message and exit with status 2, never a traceback;
Ctrl+C prints ``sblgen: interrupted`` and exits with status 130.

>>> build_parser().prog
'sblgen'
"""

from __future__ import annotations

import argparse
import sys
from collections.abc import Sequence

from pydantic import ValidationError

from sblgen._cli import COMMAND_MODULES
from sblgen._cli.common import EXIT_USAGE, format_validation_error
from sblgen.errors import SblgenError

__all__ = ["build_parser", "main"]

#: The exit status after Ctrl+C (128 + SIGINT), as shells report it.
EXIT_INTERRUPTED = 130


def build_parser() -> argparse.ArgumentParser:
    """The argument parser with every subcommand registered."""
    from sblgen import __version__

    parser = argparse.ArgumentParser(
        prog="sblgen",
        description="Session objects, secure payloads and snippets for FastSpring's Store "
        "Builder Library.",
    )
    parser.add_argument("--version", action="version", version=f"sblgen {__version__}")
    commands = parser.add_subparsers(dest="command", metavar="COMMAND")
    for module in COMMAND_MODULES:
        module.register(commands)
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    """Run the CLI with ``argv`` (default: ``sys.argv[1:]``) and return the exit status."""
    try:
        return _run(argv)
    except KeyboardInterrupt:
        print("sblgen: interrupted", file=sys.stderr)
        return EXIT_INTERRUPTED


def _run(argv: Sequence[str] | None) -> int:
    parser = build_parser()
    args = parser.parse_args(argv)
    handler = getattr(args, "handler", None)
    if handler is None:
        parser.print_help(sys.stderr)
        return EXIT_USAGE
    try:
        status: int = handler(args)
    except ValidationError as err:
        for line in format_validation_error(err):
            print(line, file=sys.stderr)
        return EXIT_USAGE
    except SblgenError as err:
        print(f"sblgen: {err}", file=sys.stderr)
        return EXIT_USAGE
    except BrokenPipeError:  # pragma: no cover - `sblgen ... | head`
        return 0
    except OSError as err:  # a file or folder the user named cannot be read or written
        where = f"{err.filename}: " if err.filename else ""
        print(f"sblgen: {where}{err.strerror or err}", file=sys.stderr)
        return EXIT_USAGE
    return status
