"""Issue 5: snippet render throughput against a bare json.dumps + f-string baseline."""

from __future__ import annotations

import json

from run import Figure, best_of

from sblgen import PaymentContact, Product, SblOptions, Session, script_tag, session_init

N = 20_000


def figures() -> list[Figure]:
    session = Session(
        products=[Product(path=f"product-{i}", quantity=i + 1) for i in range(3)],
        payment_contact=PaymentContact(
            email="ann@example.com", first_name="Ann", last_name="Lee", company="Example Ltd"
        ),
    )
    options = SblOptions(storefront="acme.test.onfastspring.com/popup-acme", access_key="KEY")
    data = session.to_dict()
    storefront = options.storefront.value

    def ours() -> None:
        for _ in range(N):
            script_tag(options) + session_init(session, options=options)

    def baseline() -> None:
        # No validation, no escaping: what a hand-written template would do (unsafely).
        for _ in range(N):
            _ = (
                '<script id="fsc-api" src="https://sbl.onfastspring.com/sbl/1.0.3/'
                f'fastspring-builder.min.js" type="text/javascript" data-storefront="{storefront}"'
                f' data-access-key="KEY"></script><script>var fscSession = {json.dumps(data)};'
                "</script>"
            )

    t_ours = best_of(ours, repeat=5)
    t_base = best_of(baseline, repeat=5)
    return [
        Figure(
            "render script tag + session init (3 products + contact) / json.dumps+f-string",
            t_base / t_ours,
            0.5,
            ">=",
            f"sblgen {N / t_ours:,.0f}/s, baseline {N / t_base:,.0f}/s",
        )
    ]
