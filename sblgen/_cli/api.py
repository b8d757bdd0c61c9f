"""``sblgen api create-session`` and ``sblgen api v2 ...``."""

from __future__ import annotations

import argparse
import json
import os
import sys
from collections.abc import Iterator
from contextlib import contextmanager
from typing import TYPE_CHECKING, Any
from urllib.parse import urlsplit

from sblgen._cli import api_resources
from sblgen._cli.common import EXIT_OK, TIMEOUT_HELP, from_flags, load_data, seconds
from sblgen.errors import ConfigurationError, InputFileError

if TYPE_CHECKING:  # pragma: no cover
    from sblgen.api.client import Client, WarningMode

#: Where the CLI's credentials and URLs come from (never from flags: `ps` shows those).
_BASIC = ("FASTSPRING_API_USERNAME", "FASTSPRING_API_PASSWORD")
_OAUTH = ("FASTSPRING_OAUTH_CLIENT_ID", "FASTSPRING_OAUTH_CLIENT_SECRET")
_URLS = ("FASTSPRING_API_BASE_URL", "FASTSPRING_OAUTH_TOKEN_URL")
_BASIC_HELP = (
    "FASTSPRING_API_USERNAME and FASTSPRING_API_PASSWORD (HTTP Basic: Developer Tools > APIs > "
    "API Credentials in the FastSpring app)"
)
_OAUTH_HELP = "FASTSPRING_OAUTH_CLIENT_ID and FASTSPRING_OAUTH_CLIENT_SECRET (OAuth2)"


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
    create.add_argument(
        "--timeout", type=seconds, default=10.0, metavar="SECONDS", help=TIMEOUT_HELP
    )
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
        command.add_argument(
            "--timeout", type=seconds, default=10.0, metavar="SECONDS", help=TIMEOUT_HELP
        )
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
    api_resources.register(sub, _client)  # orders, subscriptions, accounts, prices, events


def _environment_help(v1: bool) -> str | None:
    """What is wrong with the environment the API client is made from, said with its
    variables (the client's own messages name its Python parameters); ``None`` when the
    environment looks right."""
    from sblgen.api.policy import public_url

    for name in _URLS:
        value = os.environ.get(name)
        if value and urlsplit(value).scheme not in ("http", "https"):
            return f"{name}={public_url(value)!r}: give an https:// (or http://) URL."
    basic = [name for name in _BASIC if os.environ.get(name)]
    oauth = [name for name in _OAUTH if os.environ.get(name)]
    if v1 and oauth:
        return (
            f"Sessions v1 (api create-session) takes HTTP Basic credentials only: unset "
            f"{' and '.join(oauth)} and set {_BASIC_HELP}; OAuth2 credentials work with "
            "`sblgen api v2`."
        )
    if basic and oauth:
        return (
            f"Both kinds of FastSpring API credentials are set ({', '.join(basic + oauth)}); "
            "unset one kind."
        )
    if not basic and not oauth:
        choices = _BASIC_HELP if v1 else f"{_BASIC_HELP}, or {_OAUTH_HELP}"
        return f"FastSpring API credentials are missing: set {choices}."
    missing = [name for name in (_BASIC if basic else _OAUTH) if not os.environ.get(name)]
    if missing:
        return f"FastSpring API credentials are incomplete: set {' and '.join(missing)} too."
    return None


@contextmanager
def _client(*, v1: bool, timeout: float, on_warning: WarningMode = "log") -> Iterator[Client]:
    """The API client made from the environment; a configuration it refuses is said with
    the environment variables that set it (the CLI has no flags for credentials)."""
    try:
        from sblgen.api import Client
    except ImportError as err:  # the sblgen[api] extra (httpx) is not installed
        raise ConfigurationError(str(err)) from None
    try:
        with Client(timeout=timeout, on_warning=on_warning) as client:
            yield client
    except ConfigurationError:
        help_ = _environment_help(v1)
        if help_ is None:
            raise
        raise InputFileError(help_) from None


def _create_session(args: argparse.Namespace) -> int:
    from sblgen.api.models import SessionRequest
    from sblgen.options import SblOptions
    from sblgen.render import checkout_snippet, session_init

    request = SessionRequest.model_validate(load_data(args.request))
    options = (
        from_flags(SblOptions, {"storefront": args.storefront}, {"storefront": "--storefront"})
        if args.storefront
        else None
    )
    with _client(v1=True, timeout=args.timeout) as client:
        response = client.create_session(request)
    # The session exists now: whatever follows is reported, never a failed command.
    print(f"id: {response.id}")
    print(f"expires: {response.expires.isoformat() if response.expires else 'unknown'}")
    try:
        if options is not None:
            hosted = response.hosted_url(options.storefront)
            snippet = checkout_snippet(response, options)
            print(f"hosted checkout: {hosted}")
            print(snippet)
        else:
            print(session_init(response.checkout_session()))
    except ValueError as err:  # StorefrontError, RenderError and ValidationError are too
        print(
            f"sblgen: the session was created, but its id cannot be handed to the browser: "
            f"{_reason(err)}",
            file=sys.stderr,
        )
    return EXIT_OK


def _reason(err: ValueError) -> str:
    """The one-line reason in ``err`` (a pydantic error's first message)."""
    from pydantic import ValidationError

    if isinstance(err, ValidationError):
        return str(err.errors(include_url=False)[0]["msg"]).removeprefix("Value error, ")
    text = str(err)
    for prefix in ("checkout_snippet: ",):
        text = text.removeprefix(prefix)
    return text


def _v2(args: argparse.Namespace) -> int:
    from sblgen.api.v2 import CheckoutPath, SessionCreate, V2LineItem
    from sblgen.api.v2_path import url_segment

    try:
        path = CheckoutPath.parse(args.checkout)
        # The ids on the command line, checked as the URL will take them (one line if odd).
        for name, what in (("session_id", "v2 session id"), ("product_path", "product path")):
            if getattr(args, name, None) is not None:
                url_segment(getattr(args, name), what)
    except ValueError as err:
        raise InputFileError(str(err)) from None
    # Validate input before any network call.
    body = (
        SessionCreate.model_validate(load_data(args.body))
        if args.v2_action == "create-session"
        else None
    )
    item = V2LineItem.model_validate(load_data(args.item)) if args.v2_action == "add-item" else None
    with _client(v1=False, timeout=args.timeout, on_warning=args.on_warning) as client:
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
