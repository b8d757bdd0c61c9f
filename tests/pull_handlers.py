"""Event handlers that ``sblgen api events pull --handler`` imports in the CLI tests."""

from __future__ import annotations

from typing import Any

#: The ids :func:`accept_orders` saw, in order.
SEEN: list[str] = []


def accept_orders(event: dict[str, Any]) -> bool:
    """Processed: order events; left for the next run: everything else."""
    SEEN.append(event["id"])
    return str(event.get("type", "")).startswith("order.")


def explode(event: dict[str, Any]) -> bool:
    raise RuntimeError("mail server down")


def say_maybe(event: dict[str, Any]) -> Any:
    return "maybe"


NOT_CALLABLE = 3
