"""FastSpring's localized product prices (``GET /products/price``).

Each product carries a ``pricing`` map from country code to that country's price: the
currency, the price with VAT/GST included, FastSpring's formatted ``display`` text, volume
tiers by quantity, and sale and setup-fee details.

FastSpring's documented example sends some numeric fields as text (``"10.0"``, ``"null"``);
their real wire types are not confirmed, so numbers are read from either (text that holds
no number reads as ``None``).

>>> price = ProductPrice.model_validate({"product": "pro-plan", "action": "product.price.get",
...     "result": "success", "pricing": {"DE": {"currency": "EUR", "price": 90,
...     "display": "90,00 €", "quantityDiscount": None, "discountPeriodCount": "null",
...     "2": {"discountPercent": 5, "unitPrice": 85.5, "unitPriceDisplay": "85,50 €"}}}})
>>> de = price.pricing["DE"]
>>> de.currency, de.price, de.display, de.discount_period_count
('EUR', Decimal('90'), '90,00 €', None)
>>> de.tiers[2].unit_price, de.tiers[2].unit_price_display
(Decimal('85.5'), '85,50 €')
"""

from __future__ import annotations

from typing import Any

from pydantic import Field

from sblgen._model import ResponseModel
from sblgen.api.resource_data import Count, Items, LenientAmount, LenientCount, ResultFields

__all__ = ["CountryPrice", "PricePage", "ProductPrice", "QuantityTier"]


class QuantityTier(ResponseModel):
    """The price per unit from a quantity on (volume discount)."""

    discount_percent: LenientAmount = None
    discount_value: LenientAmount = None
    discount_value_display: str | None = None
    unit_price: LenientAmount = None
    unit_price_display: str | None = None


class CountryPrice(ResponseModel):
    """One product's price in one country. Volume tiers (keys ``"2"``, ``"3"``, ... on the
    wire) are in :attr:`tiers`."""

    currency: str | None = None
    price: LenientAmount = None
    display: str | None = None
    quantity_discount: Any = None
    discount_reason: dict[str, Any] | None = None
    discount_period_count: LenientCount = None
    available: dict[str, Any] | None = None
    setup_fee_price: LenientAmount = None
    setup_fee_price_display: str | None = None
    setup_fee_reason: dict[str, Any] | None = None

    @property
    def tiers(self) -> dict[int, QuantityTier]:
        """Volume tiers by the quantity they start at."""
        extra = self.model_extra or {}
        return {
            int(key): QuantityTier.model_validate(value)
            for key, value in extra.items()
            if key.isdigit() and isinstance(value, dict)
        }


class ProductPrice(ResultFields):
    """One product's prices, by country code."""

    product: str | None = None
    pricing: dict[str, CountryPrice] = Field(default_factory=dict)


class PricePage(ResultFields):
    """One page of ``GET /products/price``; ``next_page`` is ``None`` on the last page."""

    page: Count = None
    limit: Count = None
    next_page: Count = None
    products: Items[ProductPrice] = ()
