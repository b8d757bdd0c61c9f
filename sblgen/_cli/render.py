"""``sblgen embed``: a copy-paste snippet for any page (what :func:`sblgen.embed` returns).

``sblgen render`` is its old, deprecated name: it still works, and says so on stderr.
"""

from __future__ import annotations

import argparse
import sys
from typing import TYPE_CHECKING, Any

from sblgen._cli.common import EXIT_OK, from_flags, load_data
from sblgen.errors import InputFileError

if TYPE_CHECKING:  # pragma: no cover
    from sblgen.options import SblOptions
    from sblgen.secure_request import SecureRequest
    from sblgen.session import Session

#: The option each flag sets, for messages that name the flag.
_FLAGS = {
    "storefront": "--storefront",
    "access_key": "--access-key",
    "mode": "--mode",
    "continuous": "--continuous",
}


def register(commands: Any) -> None:
    parser = commands.add_parser(
        "embed",
        aliases=["render"],
        help="print a copy-paste snippet (session, SBL tag, buttons), as sblgen.embed(); "
        "'render' is its deprecated old name",
        description="Print the HTML that loads FastSpring's Store Builder Library with a "
        "session object and/or a secure payload, ready to paste into a page.",
    )
    parser.add_argument(
        "--storefront", required=True, help="e.g. acme.test.onfastspring.com/popup-acme"
    )
    parser.add_argument(
        "--session", metavar="FILE", help="session object, JSON or TOML (- for stdin)"
    )
    parser.add_argument("--secure", metavar="FILE", help="secure request {payload, key} as JSON")
    parser.add_argument("--access-key", help="the access key from the FastSpring app")
    parser.add_argument("--nonce", help="CSP nonce for every inline script")
    parser.add_argument("--mode", choices=("inline", "external"), default="inline")
    parser.add_argument("--continuous", action="store_true", help='data-continuous="true"')
    parser.add_argument("--no-buttons", action="store_true", help="omit the product buttons")
    parser.add_argument(
        "--label",
        metavar="TEXT",
        help="the buttons' text ({path} and {quantity} are replaced; default 'Buy {path}')",
    )
    parser.set_defaults(handler=_render)


def _render(args: argparse.Namespace) -> int:
    if args.command == "render":
        print(
            "sblgen: `sblgen render` is now `sblgen embed` (as in Python, sblgen.embed()); "
            "the old name will be removed in the next release",
            file=sys.stderr,
        )
    from sblgen.options import SblOptions
    from sblgen.render import LOADER_PATH, embed
    from sblgen.secure_request import SecureRequest
    from sblgen.session import Session

    options = from_flags(
        SblOptions,
        {
            "storefront": args.storefront,
            "access_key": args.access_key,
            "mode": args.mode,
            "continuous": args.continuous,
        },
        _FLAGS,
    )
    session = Session.model_validate(load_data(args.session)) if args.session else None
    secure = SecureRequest.model_validate(load_data(args.secure)) if args.secure else None
    _check_flags(options, session, secure)
    _check_label(args.label, None if args.no_buttons else session)
    print(
        embed(
            options,
            session=session,
            secure=secure,
            with_buttons=not args.no_buttons,
            nonce=args.nonce,
            label=args.label,
        )
    )
    if args.mode == "external":
        print(
            f"sblgen: serve {LOADER_PATH} at {options.loader_src}; CSP: "
            "script-src 'self' https://sbl.onfastspring.com",
            file=sys.stderr,
        )
    return EXIT_OK


def _check_flags(
    options: SblOptions, session: Session | None, secure: SecureRequest | None
) -> None:
    """The snippet rules that a flag fixes, said with the flag (what :func:`embed` would
    say in Python terms)."""
    if session is not None and session.clean and not options.continuous:
        raise InputFileError(
            "--session: the session sets clean, which only works with data-continuous on the "
            "script tag; add --continuous, or drop clean."
        )
    requests = [("--secure", secure)]
    if session is not None:
        requests += [("--session", session.secure), ("--session", session.authenticate)]
    for flag, request in requests:
        if request is None:
            continue
        if request.is_plaintext and not options.storefront.is_test:
            raise InputFileError(
                f"{flag}: a plaintext (test-mode) secure payload cannot go to the live "
                f"storefront {options.storefront.value!r}; encrypt it with `sblgen secure "
                "encrypt --private-key FILE`, or give the '.test.' --storefront."
            )
        if options.access_key is None:
            raise InputFileError(
                f"{flag}: secure payloads are ignored without data-access-key; add "
                "--access-key KEY (the access key from the FastSpring app)."
            )


def _check_label(label: str | None, session: Session | None) -> None:
    """``--label`` is the buttons' text: refused where there are no buttons, or where it
    names a field other than {path} and {quantity}."""
    if label is None:
        return
    if session is None or not (session.products or isinstance(session.checkout, str)):
        raise InputFileError(
            "--label: the snippet has no buttons (they come from the --session products, "
            "or its checkout session id); drop --label, or give --session."
        )
    try:
        label.format(path="pro-plan", quantity=1)
    except (KeyError, IndexError, ValueError, AttributeError) as err:
        raise InputFileError(
            f"--label: {label!r} cannot be filled in ({type(err).__name__}: {err}); use "
            "{path} and {quantity} only, and write a literal brace as {{ or }}."
        ) from None
