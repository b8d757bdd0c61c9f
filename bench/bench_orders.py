"""Issue 15: an order fetch through ``Client.orders.get`` (typed ``Order``) as a ratio to a
raw httpx GET plus ``.json()`` on the same fake server. Run alone: ``python bench/bench_orders.py``.
"""

from __future__ import annotations

import statistics
import sys
import time
from collections.abc import Callable
from pathlib import Path

import httpx

sys.path.insert(0, str(Path(__file__).resolve().parent))
sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from run import Figure, fake_server

from sblgen.api import Client
from sblgen.testing import PASSWORD, USERNAME

#: Paired calls: each pair times one fetch through sblgen and one raw GET, alternating which
#: goes first. The figure compares the two medians of per-call times: on a shared, noisy
#: machine a burst of load hits a few calls of both sides, not a whole batch of one.
PAIRS = 3000
WARMUP = 100
#: What the fake server holds: one order, whose id it prints after its URL.
SETUP = (
    "from sblgen.testing.resources import resources\n"
    "order = resources(fake).add_order(items=[('pro-monthly', 1), ('basic-monthly', 2)])\n"
    "extra.append(order['order'])"
)


def figures() -> list[Figure]:
    with (
        fake_server(SETUP) as (base_url, order_id),
        Client(username=USERNAME, password=PASSWORD, base_url=base_url) as client,
        httpx.Client(auth=(USERNAME, PASSWORD), headers={"User-Agent": "bench"}) as raw,
    ):
        url = f"{base_url}/orders/{order_id}"
        orders = client.orders
        assert orders.get(order_id).order_id == raw.get(url).json()["order"]
        sides: tuple[Callable[[], object], Callable[[], object]] = (
            lambda: orders.get(order_id),
            lambda: raw.get(url).json(),
        )
        for _ in range(WARMUP):
            sides[0](), sides[1]()
        times: tuple[list[float], list[float]] = ([], [])
        for pair in range(PAIRS):
            for side in (0, 1) if pair % 2 else (1, 0):
                start = time.perf_counter()
                sides[side]()
                times[side].append(time.perf_counter() - start)
        ours, base = statistics.median(times[0]), statistics.median(times[1])
    return [
        Figure(
            "Client.orders.get / raw httpx GET (same fake server)",
            base / ours,
            0.95,
            ">=",
            f"median per call: sblgen {ours * 1e6:,.0f} us (typed Order), "
            f"httpx {base * 1e6:,.0f} us (.json()); {PAIRS} pairs",
        )
    ]


if __name__ == "__main__":
    for figure in figures():
        mark = "yes" if figure.meets_goal else "NO"
        print(f"{figure.name}: {figure.ratio:.3f} (goal {figure.better} {figure.goal:g}: {mark})")
        print(f"    {figure.detail}")
