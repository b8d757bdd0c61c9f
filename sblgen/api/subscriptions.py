"""Subscriptions: ``client.subscriptions`` (:class:`Subscriptions`) and
``async_client.subscriptions`` (:class:`AsyncSubscriptions`).

>>> from sblgen.api import Client
>>> client = Client(username="u", password="p", base_url="http://127.0.0.1:9")
>>> client.subscriptions.pause("s1", 0)
Traceback (most recent call last):
ValueError: periods=0: give the number of billing periods to pause, 1 or more.

Retries: ``get`` and ``estimate`` (which commits nothing) are retried like reads. Cancel,
uncancel, change, pause and resume are writes: once they may have reached FastSpring they
are never sent again (FastSpring documents no idempotency key); a timeout raises, and you
read the subscription to see what happened.

Assumptions where FastSpring's documentation is unconfirmed or contradictory:

- Uncancel is ``POST /subscriptions`` with ``"deactivation": null`` (the documented path; an
  SDK lists ``POST /subscriptions/{id}`` with the same body). Without ``deactivation: null``
  FastSpring answers success and leaves the subscription canceled, so sblgen always sends it
  and then reads the subscription back: a subscription still in state ``canceled`` raises
  :class:`~sblgen.errors.UnexpectedResponseError`.
- The estimate is ``POST /subscriptions/estimate`` with one flat object, never
  ``POST /subscriptions`` with ``preview: true``: if FastSpring ignored an unknown flag, the
  latter would *commit* the change, while a wrong guess at the estimate endpoint fails
  without changing anything.
- Pause sends ``{"pausePeriodCount": n}`` (the documented schema) and always gives the
  count. Pause and resume return the subscription when FastSpring answers with one, else
  sblgen reads it back. Whether a pause is scheduled is ``is_pause_scheduled``; ``paused``
  is not a documented ``state``.
- Error statuses are not confirmed (500 for a missing subscription in one spec): a
  ``result: error`` saying the subscription is not found raises
  :class:`~sblgen.errors.NotFoundError` whatever the status.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any

import httpx

from sblgen._model import as_model, dumps_compact
from sblgen.api.calls import (
    AsyncHandle,
    Call,
    Op,
    SyncHandle,
    model_parser,
    one_call,
    operation,
    parse_json,
    perform,
)
from sblgen.api.policy import unexpected_body
from sblgen.api.resource_data import resource_id
from sblgen.api.subscriptions_models import (
    EstimateAddon,
    ProrationEstimate,
    Subscription,
    SubscriptionChange,
    SubscriptionEstimateRequest,
    SubscriptionResult,
)

__all__ = ["AsyncSubscriptions", "Subscriptions", "subscription_path"]


def subscription_path(subscription_id: str) -> str:
    """The URL path of one subscription (a single id)."""
    return f"/subscriptions/{resource_id(subscription_id, 'subscription id')}"


def _subscription_id(sub: Subscription) -> str | None:
    return sub.subscription_id


_parse_subscription = model_parser(Subscription, key=_subscription_id)
_parse_estimate = model_parser(ProrationEstimate)


def _parse_result(method: str, url: str, response: httpx.Response) -> SubscriptionResult:
    """The first item of a batch write's ``subscriptions`` (a ``result: error`` raises)."""
    data = parse_json(method, url, response)
    if isinstance(data, dict) and isinstance(data.get("subscriptions"), list):
        data = data["subscriptions"][0] if data["subscriptions"] else {}
    return SubscriptionResult.model_validate(data if isinstance(data, dict) else {})


def _parse_maybe_subscription(
    method: str, url: str, response: httpx.Response
) -> Subscription | None:
    data = parse_json(method, url, response)
    if isinstance(data, dict) and (data.get("subscription") or data.get("id")):
        return Subscription.model_validate(data)
    return None


def _still_canceled(method: str, url: str, response: httpx.Response) -> Subscription:
    sub = _parse_subscription(method, url, response)
    if sub.is_canceled:
        when = sub.deactivation_date.isoformat() if sub.deactivation_date else "unset"
        detail = (
            "FastSpring accepted the uncancel but the subscription is still canceled "
            f"(deactivationDate {when}); try again, or check it in the FastSpring app"
        )
        raise unexpected_body(method, url, response, detail)
    return sub


def _json(data: Any) -> bytes:
    return dumps_compact(data).encode("utf-8")


def _get(subscription_id: str) -> Call[Subscription]:
    return Call("GET", subscription_path(subscription_id), None, True, _parse_subscription)


class _SubscriptionCalls:
    """The subscription operations, written once for both clients."""

    @one_call
    def get(self, subscription_id: str) -> Call[Subscription]:
        """``GET /subscriptions/{id}``: one subscription."""
        return _get(subscription_id)

    @one_call
    def cancel(
        self, subscription_id: str, *, immediately: bool = False
    ) -> Call[SubscriptionResult]:
        """``DELETE /subscriptions/{id}``: cancel at the end of the paid period (the
        subscription stays ``active`` until its deactivation date and can be uncanceled
        until then), or with ``immediately=True`` (``billingPeriod=0``) deactivate it now.
        FastSpring sends ``subscription.canceled`` for the first, only
        ``subscription.deactivated`` for the second. Never retried once sent."""
        path = subscription_path(subscription_id)
        if immediately:
            path += "?billingPeriod=0"
        return Call("DELETE", path, None, False, _parse_result)

    @operation
    def uncancel(self, subscription_id: str) -> Op[Subscription]:
        """Remove a scheduled cancellation (``"deactivation": null``); the buyer is billed
        again as if it had never been canceled. Returns the subscription read back after
        the change; a deactivated one raises (FastSpring: "Subscription is not active.")."""
        path = subscription_path(subscription_id)  # the id rule of every other call
        body = _json({"subscriptions": [{"subscription": subscription_id, "deactivation": None}]})
        yield from perform(Call("POST", "/subscriptions", body, False, _parse_result))
        return (yield from perform(Call("GET", path, None, True, _still_canceled)))

    @operation
    def pause(self, subscription_id: str, periods: int) -> Op[Subscription]:
        """``POST /subscriptions/{id}/pause``: skip ``periods`` billing periods, starting at
        the next rebill date; FastSpring rebills and reactivates on the resume date."""
        if isinstance(periods, bool) or not isinstance(periods, int) or periods < 1:
            raise ValueError(
                f"periods={periods!r}: give the number of billing periods to pause, 1 or more."
            )
        path = f"{subscription_path(subscription_id)}/pause"
        body = _json({"pausePeriodCount": periods})
        sub = yield from perform(Call("POST", path, body, False, _parse_maybe_subscription))
        return sub if sub is not None else (yield from perform(_get(subscription_id)))

    @operation
    def resume(self, subscription_id: str) -> Op[Subscription]:
        """``POST /subscriptions/{id}/resume``: remove a scheduled pause."""
        path = f"{subscription_path(subscription_id)}/resume"
        sub = yield from perform(Call("POST", path, None, False, _parse_maybe_subscription))
        return sub if sub is not None else (yield from perform(_get(subscription_id)))

    @one_call
    def change(
        self,
        subscription_id: str,
        *,
        prorate: bool,
        product: str | None = None,
        quantity: int | None = None,
        coupons: Sequence[str] | None = None,
    ) -> Call[SubscriptionResult]:
        """``POST /subscriptions``: change the plan's product, quantity or coupons; this
        commits. ``prorate=True`` charges or credits the difference now; ``False`` switches
        without proration. Preview the cost first with :meth:`estimate`."""
        if product is None and quantity is None and coupons is None:
            raise ValueError("Give what to change: product=, quantity= or coupons=.")
        subscription_path(subscription_id)  # the id rule, though the id goes in the body
        change = SubscriptionChange(
            subscription=subscription_id,
            product=product,
            quantity=quantity,
            coupons=coupons,
            prorate=prorate,
        )
        body = _json({"subscriptions": [change.to_dict()]})
        return Call("POST", "/subscriptions", body, False, _parse_result)

    @one_call
    def estimate(
        self,
        subscription_id: str,
        *,
        product: str | None = None,
        quantity: int | None = None,
        pricing: Mapping[str, Any] | None = None,
        addons: Sequence[EstimateAddon | Mapping[str, Any]] | None = None,
    ) -> Call[ProrationEstimate]:
        """``POST /subscriptions/estimate``: what a prorated change to ``product`` (or
        ``quantity``, ``pricing``) would cost now and at the next charge. Commits nothing,
        so it is retried like a read."""
        subscription_path(subscription_id)  # the id rule, though the id goes in the body
        request = SubscriptionEstimateRequest(
            subscription=subscription_id,
            product=product,
            quantity=quantity,
            pricing=pricing,
            addons=None if addons is None else [as_model(a, EstimateAddon) for a in addons],
        )
        body = request.to_json().encode("utf-8")
        return Call("POST", "/subscriptions/estimate", body, True, _parse_estimate)


class Subscriptions(SyncHandle, _SubscriptionCalls):
    """Subscriptions on a :class:`~sblgen.api.Client`."""


class AsyncSubscriptions(AsyncHandle, _SubscriptionCalls):
    """Subscriptions on an :class:`~sblgen.api.AsyncClient` (same methods, awaited)."""
