"""``sblgen api orders|subscriptions|accounts|prices|events``: FastSpring's REST resources
from the command line.

Credentials come from the environment only (``FASTSPRING_API_USERNAME``,
``FASTSPRING_API_PASSWORD``; base URL ``FASTSPRING_API_BASE_URL``). Results print as JSON;
every error is one line on stderr with exit status 2.
"""

from __future__ import annotations

import argparse
import json
import re
from collections.abc import Callable
from contextlib import AbstractContextManager
from datetime import UTC, date, datetime, timedelta
from importlib import import_module
from typing import Any

from pydantic import BaseModel, ValidationError

from sblgen._cli.common import EXIT_FAILURE, EXIT_OK
from sblgen.errors import ConfigurationError, SblgenError

CREDENTIALS = (
    "Credentials come from FASTSPRING_API_USERNAME / FASTSPRING_API_PASSWORD (base URL: "
    "FASTSPRING_API_BASE_URL)."
)
_RELATIVE = re.compile(r"(?P<n>\d+)(?P<unit>[dh])")


class ArgumentError(SblgenError):
    """A command-line value the API refuses before anything is sent."""


#: How ``sblgen api`` makes its client: ``make_client(v1=False, timeout=...)``, a context
#: manager that says a refused configuration with the environment variables that set it.
ClientFactory = Callable[..., AbstractContextManager[Any]]


def register(sub: Any, make_client: ClientFactory) -> None:
    """Add the resource commands under ``sblgen api``; ``make_client`` is the ``api``
    command's client factory (passed in, so the two modules do not import each other)."""
    orders = _group(sub, "orders", "read orders")
    _command(
        orders, "get", "print one order as JSON", _orders_get, "order_id", make_client=make_client
    )

    subs = _group(sub, "subscriptions", "read, cancel and uncancel subscriptions")
    _command(
        subs,
        "get",
        "print one subscription as JSON",
        _subscription,
        "subscription_id",
        make_client=make_client,
    )
    cancel = _command(
        subs,
        "cancel",
        "cancel at the end of the paid period",
        _subscription,
        "subscription_id",
        make_client=make_client,
    )
    cancel.add_argument("--now", action="store_true", help="deactivate immediately instead")
    _command(
        subs,
        "uncancel",
        "remove a scheduled cancellation",
        _subscription,
        "subscription_id",
        make_client=make_client,
    )

    accounts = _group(sub, "accounts", "look up accounts; the account-management URL")
    lookup = _command(
        accounts, "lookup", "print the ids of matching accounts", _lookup, make_client=make_client
    )
    key = lookup.add_mutually_exclusive_group(required=True)
    key.add_argument("--email")
    key.add_argument("--custom", help="your own key for the account (lookup.custom)")
    portal = _command(
        accounts,
        "portal",
        "print a fresh URL that signs the buyer into the account portal (do not share it)",
        _portal,
        "account_id",
        make_client=make_client,
    )
    portal.add_argument("--subscriptions", action="store_true", help="open the Subscriptions tab")

    prices = sub.add_parser(
        "prices", help="print localized product prices as JSON", description=CREDENTIALS
    )
    prices.add_argument("--country", help="two-letter country code, e.g. DE")
    prices.add_argument("--currency", help="price in this currency (with --country)")
    prices.add_argument("--product", help="one product path instead of every product")
    prices.add_argument("--timeout", type=float, default=10.0)
    prices.set_defaults(handler=_checked(_prices), make_client=make_client)

    events = _group(sub, "events", "recover webhook events FastSpring could not deliver")
    pull = _command(
        events,
        "pull",
        "fetch unprocessed events; with --handler, handle each and mark it processed",
        _pull,
        make_client=make_client,
    )
    pull.add_argument(
        "--since",
        default="7d",
        help="ISO date or time (UTC unless it says), or Nd / Nh ago; default 7d, at most 30 days",
    )
    pull.add_argument(
        "--handler",
        dest="event_handler",
        metavar="MODULE:FUNCTION",
        help="a function taking the event's JSON object and returning True when processed",
    )


def _group(sub: Any, name: str, text: str) -> Any:
    parser = sub.add_parser(name, help=text, description=CREDENTIALS)
    return parser.add_subparsers(dest=f"{name}_command", metavar="ACTION", required=True)


def _command(
    group: Any,
    name: str,
    text: str,
    handler: Callable[[argparse.Namespace], int],
    *ids: str,
    make_client: ClientFactory,
) -> Any:
    command = group.add_parser(name, help=text, description=CREDENTIALS)
    for positional in ids:
        command.add_argument(positional, metavar="ID")
    command.add_argument("--timeout", type=float, default=10.0)
    command.set_defaults(handler=_checked(handler), action=name, make_client=make_client)
    return command


def _checked(handler: Callable[[argparse.Namespace], int]) -> Callable[[argparse.Namespace], int]:
    """``handler`` with the API's argument checks (ValueError) as one-line errors."""

    def run(args: argparse.Namespace) -> int:
        try:
            return handler(args)
        except ValidationError:
            raise
        except ValueError as err:
            raise ArgumentError(str(err)) from None

    return run


def _print_json(value: Any) -> None:
    if isinstance(value, BaseModel):
        value = value.model_dump(mode="json", by_alias=True, exclude_none=True)
    elif isinstance(value, tuple | list):
        value = [
            v.model_dump(mode="json", by_alias=True, exclude_none=True)
            if isinstance(v, BaseModel)
            else v
            for v in value
        ]
    print(json.dumps(value, ensure_ascii=False))


def _client(args: argparse.Namespace) -> AbstractContextManager[Any]:
    make_client: ClientFactory = args.make_client
    return make_client(v1=False, timeout=args.timeout)


def _orders_get(args: argparse.Namespace) -> int:
    with _client(args) as client:
        _print_json(client.orders.get(args.order_id))
    return EXIT_OK


def _subscription(args: argparse.Namespace) -> int:
    with _client(args) as client:
        subscriptions = client.subscriptions
        if args.action == "get":
            result = subscriptions.get(args.subscription_id)
        elif args.action == "cancel":
            result = subscriptions.cancel(args.subscription_id, immediately=args.now)
        else:
            result = subscriptions.uncancel(args.subscription_id)
    _print_json(result)
    return EXIT_OK


def _lookup(args: argparse.Namespace) -> int:
    with _client(args) as client:
        _print_json(list(client.accounts.lookup(email=args.email, custom=args.custom)))
    return EXIT_OK


def _portal(args: argparse.Namespace) -> int:
    with _client(args) as client:
        print(client.accounts.management_url(args.account_id, subscriptions=args.subscriptions))
    return EXIT_OK


def _prices(args: argparse.Namespace) -> int:
    with _client(args) as client:
        products = client.products
        if args.product:
            result: Any = products.price(args.product, country=args.country, currency=args.currency)
        else:
            result = products.prices(country=args.country, currency=args.currency)
    _print_json(result)
    return EXIT_OK


def parse_since(text: str, now: datetime | None = None) -> datetime:
    """``--since``: ``Nd``/``Nh`` ago, an ISO date (midnight UTC) or an ISO date-time (UTC
    when it names no offset).

    >>> parse_since("2d", now=datetime(2026, 11, 24, tzinfo=UTC)).isoformat()
    '2026-11-22T00:00:00+00:00'
    >>> parse_since("2026-11-20T08:00:00+01:00").isoformat()
    '2026-11-20T08:00:00+01:00'
    >>> parse_since("2026-11-20").isoformat()
    '2026-11-20T00:00:00+00:00'
    """
    relative = _RELATIVE.fullmatch(text.strip())
    if relative is not None:
        amount = int(relative["n"])
        step = timedelta(days=amount) if relative["unit"] == "d" else timedelta(hours=amount)
        return (now or datetime.now(UTC)) - step
    try:
        if len(text) == 10:
            day = date.fromisoformat(text)
            return datetime(day.year, day.month, day.day, tzinfo=UTC)
        moment = datetime.fromisoformat(text)
    except ValueError:
        raise ArgumentError(
            f"--since {text!r}: give an ISO date (2026-11-20), date-time, or 7d / 12h ago."
        ) from None
    return moment if moment.tzinfo is not None else moment.replace(tzinfo=UTC)


def load_handler(spec: str) -> Callable[[dict[str, Any]], bool]:
    """The ``MODULE:FUNCTION`` named by ``--handler``."""
    module_name, _, name = spec.partition(":")
    if not module_name or not name:
        raise ConfigurationError(
            f"--handler {spec!r}: give MODULE:FUNCTION, e.g. myapp.hooks:handle."
        )
    try:
        module = import_module(module_name)
    except ImportError as err:
        raise ConfigurationError(
            f"--handler {spec!r}: cannot import {module_name} ({err})."
        ) from None
    handler = getattr(module, name, None)
    if not callable(handler):
        raise ConfigurationError(f"--handler {spec!r}: {module_name} has no function {name}.")
    return handler  # type: ignore[no-any-return]


class HandlerError(SblgenError):
    """The ``--handler`` function raised."""


def _pull(args: argparse.Namespace) -> int:
    from sblgen.api.events_api import pull_events

    since = parse_since(args.since)
    handler = load_handler(args.event_handler) if args.event_handler else None
    with _client(args) as client:
        if handler is None:
            events = list(client.events.unprocessed(begin=since))
            for event in events:
                created = event.created.isoformat() if event.created else "-"
                print(f"{event.id} {event.type} {created}")
            print(f"{len(events)} unprocessed; nothing marked (give --handler MODULE:FUNCTION).")
            return EXIT_OK

        def handle(event: dict[str, Any]) -> bool:
            try:
                done = handler(event)
            except Exception as err:
                name = type(err).__name__
                raise HandlerError(
                    f"{args.event_handler} raised {name} on event {event.get('id')!r}: {err}; "
                    "the events before it are marked, the rest wait for the next run."
                ) from None
            if not isinstance(done, bool):
                raise HandlerError(
                    f"{args.event_handler} returned {type(done).__name__}; return True (processed) "
                    "or False (leave it for the next run)."
                )
            return done

        result = pull_events(client, since, handle)
    print(result.summary())
    for event_id, error in result.unmarked:
        print(f"not marked: {event_id}: {error}")
    return EXIT_FAILURE if result.unmarked else EXIT_OK
