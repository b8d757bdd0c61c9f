"""Every example in FastSpring's Sessions API definitions (tests/data/sessions_api/): the
requests validate and round-trip byte for byte, the responses parse with nothing left over."""

from __future__ import annotations

import json
import re
from datetime import UTC
from decimal import Decimal
from pathlib import Path
from typing import Any

import pytest
from pydantic import BaseModel

from sblgen._model import ResponseModel
from sblgen.api import SessionRequest, SessionResponse
from sblgen.api.v2 import (
    SessionCreate,
    V2CustomerResponse,
    V2ErrorBody,
    V2OrderItem,
    V2PaymentMethods,
    V2Session,
)
from tests.jsontext import compact_js

DATA = Path(__file__).parent / "data" / "sessions_api"
V1_REQUESTS = sorted((DATA / "v1").glob("create-request-*.json"))
V2_RESPONSES = sorted((DATA / "v2").glob("*-response-*.json"))
#: Response file name (without the status) -> the model that reads it.
RESPONSE_MODELS: dict[str, type[ResponseModel]] = {
    "create": V2Session,
    "retrieve": V2Session,
    "update": V2Session,
    "add-item": V2OrderItem,
    "update-item": V2OrderItem,
    "update-customer": V2CustomerResponse,
    "payment-methods": V2PaymentMethods,
}
#: The AllFields example, with the three normalisations D1 (quantityDefault true -> 1), D2
#: (the line's imageUrl -> descriptions.imageUrl) and D3 (payment methods in UPPERCASE).
ALL_FIELDS_SENT = (
    '{"locale":"en","country":"US","buyerIp":"127.0.0.1","live":true,"customer":{"accountId":'
    '"ABC123","externalAccountId":"EDF456","billToContact":{"email":"support@fastspring.com",'
    '"firstName":"John","lastName":"Doe","company":"Acme Inc","phoneNumber":"555-555-5555"},'
    '"billToAddress":{"addressLine1":"123 Main St","addressLine2":"Apt 4","city":"Anytown",'
    '"postalCode":"93101","country":"US"},"shipToContact":{"email":"support@fastspring.com",'
    '"firstName":"John","lastName":"Doe","phoneNumber":"555-555-5555"},"accountTags":'
    '{"customerType":"VIP","segment":"enterprise"},"taxId":"123456789","taxIdRegion":"CA"},'
    '"orderTags":{"gamerId":"123456"},"cart":{"couponCode":"SUMMER2026","lineItems":[{'
    '"productPath":"gold-tier","quantity":1,"quantityDefault":1,"descriptions":{"display":{"en":'
    '"Title of Product"},"instructions":{"en":"Post buy instructions"},"summary":{"en":'
    '"Summary description"},"imageUrl":'
    '"https://cdn.onfastspring.com/themes/images/default-store-logo.png"},"customPrice":{'
    '"unitPrice":{"USD":9.99,"GBP":7.99},"discounts":[{"minQuantity":2,"amountDiscount":{"USD":1,'
    '"GBP":0.8}}]}}]},"paymentMethodsOrder":["CARD","PAYPAL"],"hidePaymentMethods":["WIRE"]}'
)


def leftovers(model: BaseModel, where: str = "") -> list[tuple[str, dict[str, Any]]]:
    """Every ``model_extra`` that is not empty, at any depth."""
    found = [(where or "(top)", model.model_extra)] if model.model_extra else []
    for name in type(model).model_fields:
        value = getattr(model, name)
        for child in value if isinstance(value, list | tuple) else [value]:
            if isinstance(child, BaseModel):
                found += leftovers(child, f"{where}.{name}")
    return found


# ---------------------------------------------------------------- v1


@pytest.mark.parametrize("path", V1_REQUESTS, ids=lambda p: p.stem)
def test_v1_documented_requests(path: Path) -> None:
    """Files 1 to 4 (the OpenAPI examples) byte for byte; 5 and 6 (the overview page's
    snippets) put coupon and expiration before items, so they compare JSON-equal."""
    text = compact_js(path.read_text())
    request = SessionRequest.from_json(text)
    if path.stem in ("create-request-5", "create-request-6"):
        assert json.loads(request.to_json()) == json.loads(text)
        assert request.to_json() != text  # the one fixed order is the OpenAPI one
    else:
        assert request.to_json() == text
    assert SessionRequest.model_validate(request.to_dict()) == request


def test_v1_documented_files_are_all_there() -> None:
    assert [p.stem for p in V1_REQUESTS] == [f"create-request-{n}" for n in range(1, 7)]


def test_v1_documented_response_parses() -> None:
    response = SessionResponse.model_validate_json(
        (DATA / "v1" / "create-response-200.json").read_text()
    )
    assert leftovers(response) == []
    assert response.subtotal == Decimal("399.99")
    assert response.expires is not None and response.expires.year == 2024


# ---------------------------------------------------------------- v2


def test_v2_documented_requests() -> None:
    minimal = compact_js((DATA / "v2" / "create-request-2.json").read_text())
    assert SessionCreate.from_json(minimal).to_json() == minimal
    all_fields = compact_js((DATA / "v2" / "create-request-1.json").read_text())
    body = SessionCreate.from_json(all_fields)
    assert body.to_json() == ALL_FIELDS_SENT
    assert SessionCreate.from_json(body.to_json()) == body


@pytest.mark.parametrize("path", V2_RESPONSES, ids=lambda p: p.stem)
def test_documented_responses_parse(path: Path) -> None:
    name = re.sub(r"-response-\d+$", "", path.stem)
    model = V2ErrorBody if path.stem.endswith("-400") else RESPONSE_MODELS[name]
    parsed = model.model_validate_json(path.read_text())
    assert leftovers(parsed) == []


def test_documented_response_values() -> None:
    session = V2Session.model_validate_json(
        (DATA / "v2" / "retrieve-response-200.json").read_text()
    )
    assert session.status == "OPEN"
    assert session.created is not None and session.created.year == 2026
    assert session.created.tzinfo is not None and session.created.utcoffset() == UTC.utcoffset(None)
    assert session.customer is not None
    assert session.customer.saved_payment_method is not None
    assert session.customer.saved_payment_method.display == "VISA - 4242"
    assert session.cart.tax_rate == Decimal("28.57")
    assert session.cart.line_items[0].price.tax_included == "TAXES_INCLUDED_IN_PRICE"
    assert session.payment_methods[0].supported_product_types == ["ONE_TIME"]
    assert session.warnings[0].code == "INVALID_PROMO_CODE"
    assert session.hide_payment_methods == ["WIRE"]
    assert session.checkout_status == ["PRODUCTS_REQUIRED"]
    created = V2Session.model_validate_json((DATA / "v2" / "create-response-201.json").read_text())
    assert created.payment_methods == [] and created.cart.coupon_has_applied is True
    error = V2ErrorBody.model_validate_json((DATA / "v2" / "create-response-400.json").read_text())
    assert (error.id, error.errors[0].rejected_value) == (
        "FS123456789012345ABC",
        "my.invalid.Email_fastspring.com",
    )


def test_unknown_enum_values_tolerated() -> None:
    session = V2Session.model_validate(
        {
            "id": "V2x",
            "status": "NEW_STATE",
            "checkoutStatus": ["LATER"],
            "warnings": [{"code": "NEW_WARNING"}],
            "cart": {
                "taxIncluded": "MAYBE",
                "lineItems": [{"productPath": "p", "productType": "X"}],
            },
            "paymentMethods": [{"id": "BITCOIN", "variants": ["NEW_CARD"]}],
        }
    )
    assert (session.status, session.checkout_status) == ("NEW_STATE", ["LATER"])
    assert session.payment_methods[0].id == "BITCOIN"


def test_response_amounts_print_as_numbers() -> None:
    """A CLI ``model_dump(mode="json")`` prints 19.8, not "19.8"."""
    session = V2Session.model_validate(
        {"id": "V2x", "cart": {"withTaxNetTotal": 19.8, "taxTotal": 0}}
    )
    dumped = session.model_dump(mode="json", by_alias=True)["cart"]
    assert (dumped["withTaxNetTotal"], dumped["taxTotal"]) == (19.8, 0)


def test_sources_lists_every_file() -> None:
    sources = (DATA / "SOURCES.md").read_text()
    named = set(re.findall(r"`(v[12]/[\w-]+\.json)`", sources))
    present = {str(p.relative_to(DATA)) for p in DATA.rglob("*.json")}
    assert named == present
