"""FastSpring subscriptions: the subscription object, per-item write results, the prorated
change estimate, and the bodies that change a plan or ask for an estimate.

Times are epoch milliseconds on the wire and :class:`~datetime.datetime` (UTC) here; the
``…Display`` siblings (formatted for the buyer's locale) stay in ``model_extra``.

>>> sub = Subscription.model_validate({"id": "AmYzjmPbSbWYkESv7MnwwA",
...     "subscription": "AmYzjmPbSbWYkESv7MnwwA", "active": True, "state": "canceled",
...     "account": {"id": "N8FjcSWcQNeYCc-suM1O8g"}, "product": "pro-monthly",
...     "next": 1574380800000, "nextDisplay": "11/22/19", "deactivationDate": 1574380800000})
>>> sub.subscription_id, sub.account_id, sub.product_path, sub.is_canceled
('AmYzjmPbSbWYkESv7MnwwA', 'N8FjcSWcQNeYCc-suM1O8g', 'pro-monthly', True)
>>> sub.next.isoformat(), sub.model_extra["nextDisplay"]
('2019-11-22T00:00:00+00:00', '11/22/19')
"""

from __future__ import annotations

from typing import Annotated, Any

from pydantic import Field

from sblgen._model import ResponseModel, WireModel
from sblgen.api.accounts_models import Account
from sblgen.api.resource_data import (
    Amount,
    ApiTime,
    Count,
    IdOr,
    Items,
    ProductInfo,
    ResultFields,
    product_ref,
    ref_id,
)
from sblgen.types import CouponCode, FrozenList, PositiveInt, PriceMap, ProductPath

__all__ = [
    "AmountDue",
    "EstimateAddon",
    "PlanEstimate",
    "ProrationEstimate",
    "Subscription",
    "SubscriptionChange",
    "SubscriptionEstimateRequest",
    "SubscriptionResult",
]

#: The documented ``state`` values. Others (``paused`` is not documented: a subscription
#: with a pause scheduled still reads ``active``) are kept as sent.
STATES = ("active", "overdue", "canceled", "deactivated", "trial")


class Subscription(ResultFields):
    """One subscription (``GET /subscriptions/{id}``, or the body of a pause).

    ``account`` and ``product`` are ids in API answers and may be whole objects in expanded
    webhooks; :attr:`account_id` and :attr:`product_path` read either. Whether a pause is
    scheduled is :attr:`is_pause_scheduled`, not ``state``.
    """

    id: str | None = None
    subscription: str | None = None
    active: bool | None = None
    state: str | None = None
    is_subscription_eligible_for_pause_by_buyer: bool | None = None
    is_pause_scheduled: bool | None = None
    changed: ApiTime | None = None
    live: bool | None = None
    currency: str | None = None
    account: IdOr[Account] = None
    product: IdOr[ProductInfo] = None
    sku: str | None = None
    display: str | None = None
    quantity: Count = None
    adhoc: bool | None = None
    auto_renew: bool | None = None
    price: Amount = None
    discount: Amount = None
    subtotal: Amount = None
    attributes: dict[str, Any] | None = None
    discount_duration: Count = None
    begin: ApiTime | None = None
    next: ApiTime | None = None
    end: ApiTime | None = None
    canceled_date: ApiTime | None = None
    deactivation_date: ApiTime | None = None
    pause_date: ApiTime | None = None
    resume_date: ApiTime | None = None
    sequence: Count = None
    periods: Count = None
    remaining_periods: Count = None
    interval_unit: str | None = None
    interval_length: Count = None
    next_charge_currency: str | None = None
    next_charge_date: ApiTime | None = None
    next_charge_pre_tax: Amount = None
    next_charge_total: Amount = None
    next_notification_type: str | None = None
    next_notification_date: ApiTime | None = None
    initial_order_id: str | None = None
    initial_order_reference: str | None = None
    quote: str | None = None
    addons: Items[dict[str, Any]] = ()
    discounts: Items[dict[str, Any]] = ()
    instructions: Items[dict[str, Any]] = ()
    setup_fee: dict[str, Any] | None = None

    @property
    def subscription_id(self) -> str | None:
        """The subscription id (``subscription``, or the older ``id``)."""
        return self.subscription or self.id

    @property
    def account_id(self) -> str | None:
        """The account id, whether ``account`` is an id or an expanded account."""
        return ref_id(self.account, "account", "id")

    @property
    def product_path(self) -> str | None:
        """The plan's product path, whether ``product`` is a path or an expanded product."""
        return product_ref(self.product)

    @property
    def is_canceled(self) -> bool:
        """Canceled and waiting for its deactivation date (still ``active`` until then)."""
        return self.state == "canceled"


class SubscriptionResult(ResultFields):
    """One item of a batch write's answer (cancel, change, uncancel)."""

    subscription: str | None = None


class EstimateAddon(WireModel):
    """An add-on in the proposed plan of an estimate."""

    product: ProductPath
    quantity: PositiveInt | None = None
    pricing: PriceMap | None = None


class SubscriptionEstimateRequest(WireModel):
    """The body of ``POST /subscriptions/estimate``: one subscription and its proposed plan
    (a single object, not a list)."""

    subscription: Annotated[str, Field(min_length=1)]
    product: ProductPath | None = None
    quantity: PositiveInt | None = None
    pricing: PriceMap | None = None
    addons: FrozenList[EstimateAddon] | None = None


class SubscriptionChange(WireModel):
    """One item of ``POST /subscriptions``: the new plan, and whether to prorate.

    ``prorate=True`` charges or credits the difference now (a proration order);
    ``prorate=False`` switches at the next rebill without proration.
    """

    subscription: Annotated[str, Field(min_length=1)]
    product: ProductPath | None = None
    quantity: PositiveInt | None = None
    coupons: FrozenList[CouponCode] | None = None
    prorate: bool


class PlanEstimate(ResponseModel):
    """The current or proposed plan in an estimate (amounts; ``…Display`` in extras)."""

    display: str | None = None
    product: str | None = None
    billing_frequency: str | None = None
    price: Amount = None
    discount: Amount = None
    quantity: Count = None
    subtotal: Amount = None
    tax: Amount = None
    total: Amount = None
    tax_percent: Amount = None
    prorated_item_charge: Amount = None
    prorated_item_credit: Amount = None
    prorated_item_subtotal: Amount = None
    prorated_item_tax: Amount = None
    prorated_item_total: Amount = None
    subscription_subtotal: Amount = None
    subscription_tax: Amount = None
    subscription_total: Amount = None
    addons: Items[dict[str, Any]] = ()


class AmountDue(ResponseModel):
    """What the buyer would pay now and at the next charge."""

    proration_subtotal: Amount = None
    proration_tax: Amount = None
    total_amount_due: Amount = None
    next_charge_date: ApiTime | None = None
    next_charge_amount: Amount = None


class ProrationEstimate(ResultFields):
    """``POST /subscriptions/estimate``: a prorated plan change, previewed. Nothing is
    committed.

    >>> est = ProrationEstimate.model_validate({"subscription": "s1", "currency": "USD",
    ...     "currentPlan": {"product": "basic", "price": 10}, "proposedPlan": {"product": "pro",
    ...     "price": 25}, "amountDue": {"totalAmountDue": 15.0, "totalAmountDueDisplay": "$15.00"}})
    >>> est.proposed_plan.product, est.amount_due.total_amount_due
    ('pro', Decimal('15.0'))
    """

    subscription: str | None = None
    currency: str | None = None
    timezone: str | None = None
    period_start_date: ApiTime | None = None
    period_end_date: ApiTime | None = None
    current_plan: PlanEstimate | None = None
    proposed_plan: PlanEstimate | None = None
    amount_due: AmountDue | None = None
