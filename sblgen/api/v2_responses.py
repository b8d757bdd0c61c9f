"""Sessions API v2 response bodies, typed field for field from FastSpring's definitions.

Every model keeps unknown fields in ``model_extra`` and types enums as ``str`` (the
documented values are constants in :mod:`sblgen.api.v2_types`), so a field or value
FastSpring adds later never breaks parsing. Amounts are ``Decimal``
(:data:`~sblgen.api.v2_types.ResponseAmount`), each with its localised ``..._display`` text.

>>> item = V2OrderItem.model_validate({"productPath": "gold-tier", "quantity": 2,
...     "price": {"extendedNetTotal": 180, "extendedNetTotalDisplay": "$180.00"},
...     "subscription": {"billingFrequency": {"intervalUnit": "MONTH"}, "trialDays": 14}})
>>> item.price.extended_net_total, item.price.extended_net_total_display
(Decimal('180'), '$180.00')
>>> item.subscription.billing_frequency.interval_unit
'MONTH'
"""

from __future__ import annotations

from typing import Annotated, Any

from pydantic import BeforeValidator, Field, JsonValue

from sblgen._model import ResponseModel
from sblgen.api.v2_types import ResponseAmount
from sblgen.errors import ApiFieldError
from sblgen.session import Session
from sblgen.types import NonEmpty, Timestamp

__all__ = [
    "CheckoutUrls",
    "V2AddressResponse",
    "V2Cart",
    "V2ContactResponse",
    "V2CustomerResponse",
    "V2ErrorBody",
    "V2FieldError",
    "V2Interval",
    "V2ItemPrice",
    "V2OrderItem",
    "V2PaymentMethod",
    "V2PaymentMethods",
    "V2ProductDescription",
    "V2SavedPaymentMethod",
    "V2Session",
    "V2Subscription",
    "V2Warning",
]


def _as_list(value: Any) -> Any:
    return [value] if isinstance(value, str) else value


#: A list of strings; a bare string (as in some of FastSpring's examples) is one element.
StrList = Annotated[list[str], BeforeValidator(_as_list)]
Amount = ResponseAmount | None


# --------------------------------------------------------------------------- line items


class V2ItemPrice(ResponseModel):
    """``OrderItemResponse.price``: one unit and the line's totals, before and after
    discounts and tax."""

    unit_net_price: Amount = None
    unit_net_price_display: str | None = None
    unit_list_price: Amount = None
    unit_list_price_display: str | None = None
    unit_discount: Amount = None
    unit_discount_display: str | None = None
    extended_total_discount: Amount = None
    extended_total_discount_display: str | None = None
    extended_net_total: Amount = None
    extended_net_total_display: str | None = None
    extended_list_total: Amount = None
    extended_list_total_display: str | None = None
    tax_included: str | None = None
    unit_tax_amount: Amount = None
    unit_tax_amount_display: str | None = None
    extended_tax_total: Amount = None
    extended_tax_total_display: str | None = None
    tax_percent: Amount = None
    tax_exempt: bool | None = None
    product_discount_duration: int | None = None
    coupon_discount_duration: int | None = None


class V2ProductDescription(ResponseModel):
    """``descriptions``: text per language, and the image URL."""

    display: dict[str, str] = Field(default_factory=dict)
    instructions: dict[str, str] = Field(default_factory=dict)
    summary: dict[str, str] = Field(default_factory=dict)
    image_url: str | None = None


class V2Interval(ResponseModel):
    """``billingFrequency``."""

    interval_unit: str | None = None
    interval_length: int | None = None
    interval_count: int | None = None


class V2Subscription(ResponseModel):
    """``subscription`` of a line (``SubscriptionAttribute``)."""

    billing_frequency: V2Interval | None = None
    trial_days: int | None = None


class V2OrderItem(ResponseModel):
    """A cart line (``OrderItemResponse``): in ``cart.lineItems``, and the 200 body of add
    item and update items."""

    product_path: str
    quantity: int | None = None
    quantity_behavior: str | None = None
    quantity_default: int | None = None
    virtual_product: bool | None = None
    price: V2ItemPrice = V2ItemPrice()
    product_type: str | None = None
    removable: bool | None = None
    bundle: bool | None = None
    descriptions: V2ProductDescription = V2ProductDescription()
    product_format: str | None = None
    attributes: dict[str, JsonValue] = Field(default_factory=dict)
    subscription: V2Subscription | None = None


# --------------------------------------------------------------------------- cart


class V2Cart(ResponseModel):
    """``cart`` (``CartResponse``): the coupon as evaluated, the lines and the totals."""

    coupon_code: str | None = None
    coupon_has_applied: bool | None = None
    line_items: list[V2OrderItem] = Field(default_factory=list)
    net_total: Amount = None
    net_total_display: str | None = None
    list_total: Amount = None
    list_total_display: str | None = None
    with_tax_net_total: Amount = None
    with_tax_net_total_display: str | None = None
    with_tax_list_total: Amount = None
    with_tax_list_total_display: str | None = None
    without_tax_net_total: Amount = None
    without_tax_net_total_display: str | None = None
    without_tax_list_total: Amount = None
    without_tax_list_total_display: str | None = None
    discount_total: Amount = None
    discount_total_display: str | None = None
    coupon_discount_total: Amount = None
    coupon_discount_total_display: str | None = None
    product_discount_total: Amount = None
    product_discount_total_display: str | None = None
    tax_included: str | None = None
    tax_total: Amount = None
    tax_total_display: str | None = None
    tax_rate: Amount = None


# --------------------------------------------------------------------------- customer


class V2SavedPaymentMethod(ResponseModel):
    """``savedPaymentMethod``: the type (a plain string in the schema) and a masked text."""

    payment_method_type: str | None = None
    display: str | None = None


class V2ContactResponse(ResponseModel):
    """``billToContact`` / ``shipToContact`` as FastSpring answers them."""

    email: str | None = None
    first_name: str | None = None
    last_name: str | None = None
    company: str | None = None
    phone_number: str | None = None


class V2AddressResponse(ResponseModel):
    """``billToAddress`` / ``shipToAddress`` as FastSpring answers them (no ``country``)."""

    address_line1: str | None = None
    address_line2: str | None = None
    city: str | None = None
    region: str | None = None
    postal_code: str | None = None


class V2CustomerResponse(ResponseModel):
    """``customer`` (``CustomerResponse``), and the 200 body of update customer.
    ``accountId`` and ``externalAccountId`` are revealed to authenticated calls only."""

    account_id: str | None = None
    external_account_id: str | None = None
    saved_payment_method: V2SavedPaymentMethod | None = None
    bill_to_contact: V2ContactResponse | None = None
    bill_to_address: V2AddressResponse | None = None
    ship_to_contact: V2ContactResponse | None = None
    ship_to_address: V2AddressResponse | None = None
    account_tags: dict[str, JsonValue] = Field(default_factory=dict)
    tax_id: str | None = None
    tax_id_region: str | None = None


# --------------------------------------------------------------------------- payment methods


class V2PaymentMethod(ResponseModel):
    """One payment method the checkout offers, in display order."""

    id: str
    description: str | None = None
    required_field_elements: StrList = Field(default_factory=list)
    show_field_elements: StrList = Field(default_factory=list)
    supported_product_types: StrList = Field(default_factory=list)
    variants: StrList = Field(default_factory=list)


class V2PaymentMethods(ResponseModel):
    """The 200 body of payment methods (``PaymentMethodResponse``)."""

    payment_methods: list[V2PaymentMethod] = Field(default_factory=list)


# --------------------------------------------------------------------------- session


class V2Warning(ResponseModel):
    """One of a session's ``warnings``: the session was made, but an input was not used as
    given (``code`` such as ``INVALID_PROMO_CODE``; ``field`` names the input)."""

    code: str
    field: str | None = None
    message: str | None = None


class CheckoutUrls(ResponseModel):
    """``checkoutUrls``."""

    webcheckout_url: str | None = Field(default=None, alias="webcheckoutUrl")


class V2Session(ResponseModel):
    """A v2 session: the 201 body of create (``BaseSessionResponse``), and the 200 body of
    retrieve and update (``SessionResponse``, which adds ``paymentMethods`` and
    ``hidePaymentMethods``).

    ``id`` is kept as FastSpring sends it (any non-empty string). To open the session on a
    page, see :func:`sblgen.render.checkout_snippet` and :func:`sblgen.render.checkout_call`.

    >>> s = V2Session.model_validate({"id": "Xy12AbCdEf34GhIj", "status": "OPEN",
    ...     "checkoutStatus": "READY_FOR_CHECKOUT",
    ...     "checkoutUrls": {"webcheckoutUrl": "https://acme.onfastspring.com/session/X"},
    ...     "cart": {"lineItems": [], "withTaxNetTotal": 9.9}})
    >>> s.status, s.checkout_status, s.redirect_url, s.cart.with_tax_net_total
    ('OPEN', ['READY_FOR_CHECKOUT'], 'https://acme.onfastspring.com/session/X', Decimal('9.9'))
    """

    id: NonEmpty
    created: Timestamp | None = None
    expires: Timestamp | None = None
    status: str | None = None
    locale: str | None = None
    country: str | None = None
    currency: str | None = None
    live: bool | None = None
    customer: V2CustomerResponse | None = None
    order_tags: dict[str, JsonValue] = Field(default_factory=dict)
    cart: V2Cart = V2Cart()
    payment_methods: list[V2PaymentMethod] = Field(default_factory=list)
    hide_payment_methods: list[str] = Field(default_factory=list)
    checkout_urls: CheckoutUrls = CheckoutUrls()
    warnings: list[V2Warning] = Field(default_factory=list)
    checkout_status: StrList = Field(default_factory=list)

    @property
    def redirect_url(self) -> str | None:
        """``checkoutUrls.webcheckoutUrl``: redirect the buyer here (web checkouts)."""
        return self.checkout_urls.webcheckout_url

    def checkout_session(self) -> Session:
        """``Session(checkout=<id>)``: the SBL opens this session (popup or embedded)."""
        return Session(checkout=self.id)


# --------------------------------------------------------------------------- errors


class V2FieldError(ResponseModel):
    """One entry of an error body's ``errors``. ``rejectedValue`` is kept as it arrives
    (typed string, but any JSON is read)."""

    error_code: str | None = None
    field: str | None = None
    message: str | None = None
    rejected_value: JsonValue = None

    def as_error(self) -> ApiFieldError:
        """The :class:`~sblgen.errors.ApiFieldError` that an ``ApiError`` carries."""
        return ApiFieldError(self.error_code, self.field, self.message, self.rejected_value)


class V2ErrorBody(ResponseModel):
    """The v2 error body (``ErrorResponse``): 400 on every endpoint, 401 on create, 404 on
    retrieve. ``status`` is the code and reason (``"400 BAD_REQUEST"``), ``id`` the error's
    id for FastSpring support; ``timestamp`` is kept as text.

    >>> body = V2ErrorBody.model_validate({"status": "400 BAD_REQUEST", "id": "FS1",
    ...     "errors": [{"errorCode": "INVALID_EMAIL_FORMAT", "field": "email"}]})
    >>> body.errors[0].as_error().field
    'email'
    """

    status: str | None = None
    timestamp: str | None = None
    id: str | None = None
    message: str | None = None
    errors: list[V2FieldError] = Field(default_factory=list)
