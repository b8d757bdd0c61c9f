"""The SBL session object: what ``fscSession`` and ``fastspring.builder.push()`` take.

Field names and order follow FastSpring's documentation, so ``to_json()`` reproduces their
examples byte for byte.

>>> session = Session(reset=True, products=[Product(path="example-product", quantity=1)],
...                   coupon="YOUR10OFF")
>>> session.to_json()
'{"reset":true,"products":[{"path":"example-product","quantity":1}],"coupon":"YOUR10OFF"}'
"""

from __future__ import annotations

from pydantic import Field, model_validator

from sblgen._model import WireModel
from sblgen.contact import Address, PaymentContact, Recipient
from sblgen.secure_request import SecureRequest
from sblgen.types import (
    Checkout,
    CountryCode,
    CouponCode,
    FrozenList,
    FutureDate,
    LanguageCode,
    PaymentMethod,
    ProductPath,
    Quantity,
    TagMap,
    Text,
    first_duplicate,
)

__all__ = ["Address", "PaymentContact", "Product", "Recipient", "Session"]


class Product(WireModel):
    """One cart line: a catalog product path and a quantity (``0`` removes the product).

    >>> Product(path="pro-plan", quantity=2).to_dict()
    {'path': 'pro-plan', 'quantity': 2}
    """

    path: ProductPath
    quantity: Quantity = 1


class Session(WireModel):
    """An SBL session object (``var fscSession = {...}`` or ``fastspring.builder.push({...})``).

    Rules enforced beyond each field's type:

    - ``coupon=""`` removes the applied coupon; leave it ``None`` to not send it.
    - A product path appears at most once (the SBL would keep only the last line).
    - ``checkout`` is ``True`` (open checkout) or a Sessions API session id. With a session
      id the SBL ignores every other field, so setting one is an error unless
      ``allow_ignored_fields=True``.
    - ``clean=True`` needs ``checkout=True`` (and ``data-continuous`` on the script tag,
      checked when rendering).
    - ``invoice_due_date`` is a date after today, sent as ``yyyy-mm-dd``.

    >>> Session(checkout="Xy12AbCdEf34GhIj").to_dict()
    {'checkout': 'Xy12AbCdEf34GhIj'}
    """

    reset: bool | None = None
    products: FrozenList[Product] | None = None
    coupon: CouponCode | None = None
    payment_contact: PaymentContact | None = None
    recipient: Recipient | None = None
    country: CountryCode | None = None
    language: LanguageCode | None = None
    postal_code: Text | None = None
    tax_id: Text | None = None
    tags: TagMap | None = None
    payment_method: PaymentMethod | None = None
    #: Documented in the session table; known to be enforced only inside a secure payload.
    hide_other_payment_methods: bool | None = None
    invoice_due_date: FutureDate | None = None
    cart_view_enabled: bool | None = None
    checkout: Checkout | None = None
    clean: bool | None = None
    secure: SecureRequest | None = None
    authenticate: SecureRequest | None = None
    #: Not sent: set True to keep other fields next to a checkout session id on purpose.
    allow_ignored_fields: bool = Field(default=False, exclude=True)

    @model_validator(mode="after")
    def _check_rules(self) -> Session:
        duplicate = first_duplicate(p.path for p in self.products or ())
        if duplicate is not None:
            raise ValueError(
                f"Product {duplicate!r} appears more than once; the SBL keeps only the last "
                "line, so merge them into one with the total quantity."
            )
        if self.clean and self.checkout is not True:
            raise ValueError(
                "clean=True only works together with checkout=True (and data-continuous on "
                "the script tag); set checkout=True or drop clean."
            )
        if isinstance(self.checkout, str) and not self.allow_ignored_fields:
            ignored = [
                self.__class__.model_fields[name].alias or name
                for name in self.model_fields_set
                if name not in ("checkout", "allow_ignored_fields")
                and getattr(self, name) is not None
            ]
            if ignored:
                names = ", ".join(sorted(ignored))
                raise ValueError(
                    f"checkout is a session id, so the SBL ignores every other field "
                    f"({names}); put them in the Sessions API request instead, or pass "
                    "allow_ignored_fields=True to send them anyway."
                )
        return self
