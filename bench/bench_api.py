"""Issue 6: client throughput against the fake FastSpring, as a ratio to raw httpx."""

from __future__ import annotations

import sys
from pathlib import Path

import httpx
from run import Figure, best_of

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from sblgen.api import Client, SessionRequest
from tests.fake_fastspring import PASSWORD, USERNAME, FakeFastSpring

N = 300


def figures() -> list[Figure]:
    fake = FakeFastSpring()
    request = SessionRequest.model_validate(
        {
            "account": "uKj7izONRfanVwBL9eiG_A",
            "items": [{"product": "falcon", "quantity": 1, "pricing": {"price": {"USD": 7.95}}}],
        }
    )
    body = request.to_json().encode()
    url = fake.base_url + "/sessions"
    try:
        with Client(username=USERNAME, password=PASSWORD, base_url=fake.base_url) as client:
            ours = best_of(lambda: [client.create_session(request) for _ in range(N)], repeat=3)
        with httpx.Client(auth=(USERNAME, PASSWORD)) as raw:
            headers = {"Content-Type": "application/json"}
            base = best_of(
                lambda: [raw.post(url, content=body, headers=headers).json() for _ in range(N)],
                repeat=3,
            )
    finally:
        fake.close()
    return [
        Figure(
            "Client.create_session / raw httpx POST (same fake server)",
            base / ours,
            0.9,
            ">=",
            f"sblgen {N / ours:,.0f} req/s, httpx {N / base:,.0f} req/s",
        )
    ]
