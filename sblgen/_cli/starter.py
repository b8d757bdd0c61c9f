"""``sblgen starter``: print a starter template shipped in the package (a Flask page, a
Django page, an embeddable snippet), to copy into one's own project."""

from __future__ import annotations

import argparse
import sys
from importlib.resources import files
from typing import Any

from sblgen._cli.common import EXIT_OK
from sblgen.errors import InputFileError

#: Starter name -> (file in sblgen/starters/, what it is).
STARTERS = {
    "flask": ("flask/checkout.html", "a Flask (Jinja2) page, after Sblgen(app)"),
    "django": (
        "django/checkout.html",
        'a Django page, with "sblgen.integrations.django" installed',
    ),
    "embed": ("embed/snippet.html", "a snippet for any Jinja2 environment set up with install()"),
}


def register(commands: Any) -> None:
    parser = commands.add_parser(
        "starter",
        help="print a starter template (flask, django, embed) to copy into your project",
        description="Print a starter template shipped with sblgen, e.g. `sblgen starter flask "
        "> templates/checkout.html`. Without NAME, list them. For a whole static site, use "
        "`sblgen site init DIR`.",
    )
    parser.add_argument("name", nargs="?", metavar="NAME", help=", ".join(STARTERS))
    parser.set_defaults(handler=_starter)


def _starter(args: argparse.Namespace) -> int:
    if args.name is None:
        for name, (_path, what) in STARTERS.items():
            print(f"{name:8} {what}")
        return EXIT_OK
    if args.name not in STARTERS:
        raise InputFileError(
            f"NAME {args.name!r} is no starter; use one of {', '.join(STARTERS)} (or `sblgen "
            "site init DIR` for a static site)."
        )
    path, _what = STARTERS[args.name]
    sys.stdout.write(files("sblgen").joinpath("starters").joinpath(path).read_text("utf-8"))
    return EXIT_OK
