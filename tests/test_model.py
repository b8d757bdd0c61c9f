"""WireModel.to_json: the fast path writes exactly the text of dumps_compact(to_dict())."""

from __future__ import annotations

from decimal import Decimal

from hypothesis import given, settings
from hypothesis import strategies as st

from sblgen import PaymentContact, Product, SecurePayload, Session
from sblgen._model import dumps_compact


@settings(max_examples=200, deadline=None)
@given(
    text=st.text(),
    amount=st.decimals(min_value=0, max_value=Decimal("99999999999.9999"), places=4),
    quantity=st.integers(0, 10**12),
)
def test_to_json_matches_json_dumps(text: str, amount: Decimal, quantity: int) -> None:
    session = Session(
        products=[Product(path="p", quantity=quantity)],
        payment_contact=PaymentContact(first_name=text, company=text),
        tags={"k": text},
    )
    assert session.to_json() == dumps_compact(session.to_dict())
    payload = SecurePayload.model_validate(
        {"items": [{"product": "p", "pricing": {"price": {"USD": amount}}}], "tags": {"t": text}}
    )
    assert payload.to_json() == dumps_compact(payload.to_dict())


def test_control_and_separator_characters() -> None:
    text = '\x00\x01\x1f\x7f\n\t\r\b\f\u2028\u2029"\\/é😀'
    session = Session(tax_id=text)
    assert session.to_json() == dumps_compact(session.to_dict())
