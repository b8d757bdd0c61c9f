"""What every webhook event and resource model shares: the generic :class:`Event`,
FastSpring's times, and references that are either an id or the expanded object.

Every model is lenient, because a field FastSpring adds or changes must not stop a seller's
fulfilment:

- unknown fields are kept and readable through ``model_extra``;
- every field is optional, so a partial or older payload still parses;
- ``account``, ``order``, ``product`` and ``subscription`` accept both shapes FastSpring
  sends: the id alone (webhook expansion off, the default) or the expanded object
  (expansion on). The ``*_id`` / ``product_path`` properties read the id from either;
- times are epoch milliseconds on the wire (``changed``, ``next``, ``begin``...) and become
  timezone-aware :class:`~datetime.datetime`; the ``...Display`` strings (locale-dependent)
  and the ``...Value`` / ``...InSeconds`` copies stay in ``model_extra``;
- amounts are :class:`~decimal.Decimal` (a JSON number or a numeric string).

The resources and event classes of each domain live in :mod:`sblgen.events.accounts`,
:mod:`~sblgen.events.subscriptions`, :mod:`~sblgen.events.orders`,
:mod:`~sblgen.events.charges` and :mod:`~sblgen.events.returns`.

>>> Product.model_validate({"product": "pro-plan", "display": {"en": "Pro"}}).display
{'en': 'Pro'}
"""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from typing import TYPE_CHECKING, Annotated, Any, ClassVar

from pydantic import AwareDatetime, ConfigDict, Field

from sblgen._model import ResponseModel
from sblgen.types import Timestamp

__all__ = [
    "AccountReference",
    "Event",
    "EventTime",
    "OrderReference",
    "Product",
    "ProductReference",
    "SubscriptionReference",
    "epoch_ms",
    "id_of",
    "join_key",
]

#: A FastSpring time, always timezone-aware: epoch milliseconds (what webhooks send) are
#: read by pydantic's own parser (no Python call per field), an ISO-8601 text with an offset
#: too; only a text without an offset goes through :data:`~sblgen.types.Timestamp`, which
#: reads it as UTC. (Integers up to 2e10 would count as seconds, i.e. ms times before
#: 1970-08-21: FastSpring sends none.)
EventTime = Annotated[AwareDatetime | Timestamp, Field(union_mode="left_to_right")]

_EPOCH = datetime(1970, 1, 1, tzinfo=UTC)
_MS = timedelta(milliseconds=1)


def epoch_ms(value: datetime | None) -> int | None:
    """``value`` as epoch milliseconds, the way FastSpring sent it (None stays None).

    >>> epoch_ms(datetime(2023, 11, 14, 22, 13, 20, tzinfo=UTC)), epoch_ms(None)
    (1700000000000, None)
    """
    return None if value is None else round((value - _EPOCH) / _MS)


def join_key(*parts: object) -> str | None:
    """``"a:b:c"``, or None when a part is missing (no stable key then).

    >>> join_key("order.completed", "o1"), join_key("order.completed", None)
    ('order.completed:o1', None)
    """
    if any(part is None or part == "" for part in parts):
        return None
    return ":".join(str(part) for part in parts)


def id_of(value: object, *fields: str) -> str | None:
    """The id of a reference that is either the id itself or an expanded object (the first
    of ``fields`` it has as a non-empty string).

    >>> id_of("o1", "order", "id"), id_of(Product(id="p1"), "product", "id"), id_of(None)
    ('o1', 'p1', None)
    """
    if value is None or isinstance(value, str):
        return value
    for name in fields:
        found = getattr(value, name, None)
        if isinstance(found, str) and found:
            return found
    return None


# Each reference mixin reads the id of one field that is an id or an expanded object; the
# model that uses it declares the field itself, in its own place in the wire order.


class AccountReference:
    """``account_id`` for a model with an ``account`` field."""

    if TYPE_CHECKING:
        account: object

    @property
    def account_id(self) -> str | None:
        """The account id, whether ``account`` is the id or the expanded account."""
        return id_of(self.account, "id", "account")


class OrderReference:
    """``order_id`` for a model with an ``order`` field."""

    if TYPE_CHECKING:
        order: object

    @property
    def order_id(self) -> str | None:
        """The order id, whether ``order`` is the id or the expanded order."""
        return id_of(self.order, "order", "id")


class SubscriptionReference:
    """``subscription_id`` for a model with a ``subscription`` field."""

    if TYPE_CHECKING:
        subscription: object

    @property
    def subscription_id(self) -> str | None:
        """The subscription id, whether ``subscription`` is the id or the expanded
        subscription."""
        return id_of(self.subscription, "id", "subscription")


class ProductReference:
    """``product_path`` for a model with a ``product`` field."""

    if TYPE_CHECKING:
        product: object

    @property
    def product_path(self) -> str | None:
        """The product path, whether ``product`` is the path or the expanded product."""
        return id_of(self.product, "product", "id")


class Product(ResponseModel):
    """An expanded ``product`` reference; ``product`` is the product path."""

    product: str | None = None
    id: str | None = None
    display: str | dict[str, str] | None = None
    sku: str | None = None


class Event(ResponseModel):
    """One webhook event. Also the class of every event type sblgen does not know:
    ``data`` then stays the JSON value FastSpring sent.

    Unknown top-level fields (``event`` on events from the events API, for one) are kept in
    ``model_extra``.
    """

    model_config = ConfigDict(defer_build=True)

    #: The ``type`` value(s) this class parses; empty for the generic event.
    event_types: ClassVar[tuple[str, ...]] = ()

    id: str = Field(min_length=1)
    type: str
    live: bool | None = None
    processed: bool | None = None
    created: EventTime | None = None
    data: Any = None

    def business_key(self) -> str | None:
        """A key for the *resource change* this event reports, stable across FastSpring's
        manual resends (which get a new event id), or None when the payload holds nothing
        that identifies the change (then only the event id de-duplicates).

        The generic event has none:

        >>> Event(id="e1", type="widget.invented").business_key() is None
        True
        """
        return None
