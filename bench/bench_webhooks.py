"""Issue 15: webhook verify + typed parse against bare ``hmac`` + ``json.loads``.

The body is what FastSpring posts for a new subscription purchase: ``order.completed``,
``subscription.activated`` and ``account.created`` (from ``tests/data/webhooks``), as
compact JSON. "Ours" is :func:`sblgen.webhooks.verify_signature` (base64 header,
constant-time compare) plus :func:`sblgen.events.parse` (size and depth bounds, every event
typed: orders, items, subscriptions, accounts, timestamps, amounts). The baseline is what a
hand-written view does: ``hmac`` over the body compared with the header, then
``json.loads``. The ratio is baseline time / our time (1.0 = as fast as bare parsing),
each the best CPU time of alternating batches.

Run standalone: ``python bench/bench_webhooks.py``.
"""

from __future__ import annotations

import base64
import hashlib
import hmac
import json
import time
from collections.abc import Callable
from pathlib import Path

from run import Figure

from sblgen.events import parse
from sblgen.webhooks import sign, verify_signature

DATA = Path(__file__).resolve().parent.parent / "tests" / "data" / "webhooks" / "every_type.json"
SECRET = "bench-webhook-secret"  # noqa: S105 (a benchmark key)
TYPES = ("order.completed", "subscription.activated", "account.created")


def _body(types: tuple[str, ...] | None) -> bytes:
    events = json.loads(DATA.read_bytes())["events"]
    chosen = [e for e in events if types is None or e["type"] in types]
    return json.dumps({"events": chosen}, separators=(",", ":")).encode()


def _cpu_time(fn: Callable[[], object], number: int) -> float:
    """CPU seconds per call of ``number`` calls: this process's own time, so that other
    processes on a busy machine disturb the ratio less than wall time would."""
    start = time.process_time()
    for _ in range(number):
        fn()
    return (time.process_time() - start) / number


def _figure(name: str, body: bytes) -> Figure:
    signature = sign(body, SECRET)
    key = SECRET.encode()
    header = signature.encode()

    def bare() -> object:
        digest = base64.b64encode(hmac.new(key, body, hashlib.sha256).digest())
        if not hmac.compare_digest(digest, header):
            raise ValueError("bad signature")
        return json.loads(body)

    def ours() -> object:
        verify_signature(body, signature, SECRET)
        return parse(body)

    ours()  # build the validators once, as a running server has
    number = max(10, 200_000 // len(body))  # about 10 ms a batch
    baseline = mine = float("inf")
    for _ in range(25):  # alternate short batches, keep each side's best: noise hits both
        baseline = min(baseline, _cpu_time(bare, number))
        mine = min(mine, _cpu_time(ours, number))
    events = len(parse(body))
    return Figure(
        f"webhook verify+typed parse / hmac+json.loads ({name})",
        baseline / mine,
        0.5,
        ">=",
        f"{len(body)} B, {events} events: sblgen {mine * 1e6:.1f} us, bare {baseline * 1e6:.1f} us",
    )


def figures() -> list[Figure]:
    return [
        _figure("new subscription post", _body(TYPES)),
        _figure("every event type", _body(None)),
    ]


if __name__ == "__main__":
    for figure in figures():
        mark = "yes" if figure.meets_goal else "NO"
        print(f"{figure.name:<62} {figure.ratio:>6.3f}  >= {figure.goal:g} {mark}")
        print(f"    {figure.detail}")
