"""``sblgen api create-session`` and ``sblgen api v2 ...``."""

from __future__ import annotations

import argparse
import json
from typing import Any

from sblgen._cli.common import EXIT_OK, load_data
from sblgen.errors import InputFileError


def register(commands: Any) -> None:
    api = commands.add_parser("api", help="call FastSpring's Sessions API")
    sub = api.add_subparsers(dest="api_command", metavar="ACTION", required=True)
    create = sub.add_parser(
        "create-session",
        help="POST /sessions; print the id, its expiry and the checkout snippet",
        description="Create a Sessions API session. Credentials come from "
        "FASTSPRING_API_USERNAME / FASTSPRING_API_PASSWORD (base URL: "
        "FASTSPRING_API_BASE_URL).",
    )
    create.add_argument("request", nargs="?", default="-", metavar="REQUEST_JSON|-")
    create.add_argument("--storefront", help="also print the hosted URL and the SBL tag")
    create.add_argument("--timeout", type=float, default=10.0)
    create.set_defaults(handler=_create_session)

    v2 = sub.add_parser(
        "v2",
        help="Sessions API v2 (sessions under a checkout path)",
        description="Sessions API v2. Credentials: FASTSPRING_API_USERNAME / "
        "FASTSPRING_API_PASSWORD (HTTP Basic), or FASTSPRING_OAUTH_CLIENT_ID / "
        "FASTSPRING_OAUTH_CLIENT_SECRET (OAuth2; token URL: FASTSPRING_OAUTH_TOKEN_URL).",
    )
    v2sub = v2.add_subparsers(dest="v2_command", metavar="ACTION", required=True)
    commands_v2 = {
        "create-session": ("create a session; prints the session JSON", ["body"]),
        "get": ("print a session", ["session_id"]),
        "add-item": ("add a line item; prints the line item JSON", ["session_id", "item"]),
        "remove-item": ("remove a product from the cart", ["session_id", "product_path"]),
    }
    for name, (text, positionals) in commands_v2.items():
        command = v2sub.add_parser(name, help=text)
        command.add_argument(
            "--checkout", required=True, metavar="STORE/CHECKOUT", help="e.g. acme/popup-acme"
        )
        command.add_argument("--timeout", type=float, default=10.0)
        command.add_argument(
            "--on-warning",
            choices=("log", "raise", "ignore"),
            default="log",
            help="FastSpring warnings on a created session: print them to stderr (log, the "
            "default), fail (raise) or ignore them",
        )
        for positional in positionals:
            if positional in ("body", "item"):
                command.add_argument(positional, nargs="?", default="-", metavar="JSON|-")
            else:
                command.add_argument(positional, metavar=positional.upper())
        command.set_defaults(handler=_v2, v2_action=name)


def _create_session(args: argparse.Namespace) -> int:
    from sblgen.api.client import Client
    from sblgen.api.models import SessionRequest
    from sblgen.options import SblOptions
    from sblgen.render import checkout_snippet, session_init

    request = SessionRequest.model_validate(load_data(args.request))
    with Client(timeout=args.timeout) as client:
        response = client.create_session(request)
    print(f"id: {response.id}")
    print(f"expires: {response.expires.isoformat() if response.expires else 'unknown'}")
    if args.storefront:
        options = SblOptions.model_validate({"storefront": args.storefront})
        print(f"hosted checkout: {response.hosted_url(options.storefront)}")
        print(checkout_snippet(response, options))
    else:
        print(session_init(response.checkout_session()))
    return EXIT_OK


def _v2(args: argparse.Namespace) -> int:
    from sblgen.api.client import Client
    from sblgen.api.v2 import CheckoutPath, SessionCreate, V2LineItem

    try:
        path = CheckoutPath.parse(args.checkout)
    except ValueError as err:
        raise InputFileError(str(err)) from None
    # Validate input before any network call.
    body = (
        SessionCreate.model_validate(load_data(args.body))
        if args.v2_action == "create-session"
        else None
    )
    item = V2LineItem.model_validate(load_data(args.item)) if args.v2_action == "add-item" else None
    with Client(timeout=args.timeout, on_warning=args.on_warning) as client:
        checkout = client.checkout(path)
        if body is not None:
            result: Any = checkout.create(body)
        elif item is not None:
            result = checkout.add_item(args.session_id, item)
        elif args.v2_action == "get":
            result = checkout.get(args.session_id)
        else:
            checkout.remove_item(args.session_id, args.product_path)
            result = None
    if result is None:
        print(json.dumps({"ok": True}))
    else:
        print(json.dumps(result.model_dump(mode="json", by_alias=True), ensure_ascii=False))
    return EXIT_OK
