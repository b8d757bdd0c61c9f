"""Value types of FastSpring's Sessions API v2 schema: payment method types, language maps,
interval units, response amounts, the documented enum values.

Each ``Annotated`` alias is usable as a pydantic field type; a bad value is one error naming
the value and what the schema takes.

>>> from pydantic import TypeAdapter
>>> TypeAdapter(PaymentMethods).validate_python("card, applepay")
['CARD', 'APPLE_PAY']
>>> TypeAdapter(LanguageMap).validate_python({"en": "Pro", "IW": "פרו"})
{'en': 'Pro', 'iw': 'פרו'}
>>> TypeAdapter(IntervalUnit).validate_python("month")
'MONTH'
"""

from __future__ import annotations

from decimal import Decimal
from typing import Annotated, Any, Final, Literal, get_args
from urllib.parse import urlsplit

from pydantic import AfterValidator, BeforeValidator, Field, PlainSerializer

__all__ = [
    "CARD_VARIANTS",
    "CHECKOUT_STATUSES",
    "FIELD_ELEMENTS",
    "INTERVAL_UNITS",
    "LANGUAGE_MAP_KEYS",
    "PAYMENT_METHOD_TYPES",
    "PRODUCT_FORMATS",
    "PRODUCT_TYPES",
    "SESSION_STATUSES",
    "TAX_MODES",
    "WARNING_CODES",
    "AbsoluteUrl",
    "IntervalUnit",
    "LanguageMap",
    "PaymentMethodType",
    "PaymentMethods",
    "ResponseAmount",
    "payment_method_type",
]

# --------------------------------------------------------------------------- payment methods

PaymentMethodName = Literal[
    "ACH",
    "ALIPAY",
    "AMAZON",
    "APPLE_PAY",
    "CARD",
    "GOOGLE_PAY",
    "IDEAL",
    "KAKAOPAY",
    "KLARNA",
    "MERCADO_PAGO",
    "PAYPAL",
    "PIX",
    "SEPA",
    "TOSS",
    "UPI",
    "WECHAT_PAY",
    "WIRE",
    "QUOTE",
    "PURCHASE_ORDER",
    "UNKNOWN",
]
#: The schema's ``PaymentMethodType`` values, in its order.
PAYMENT_METHOD_TYPES: Final[tuple[str, ...]] = get_args(PaymentMethodName)
#: Spellings without the underscore (the SBL's own names, such as ``applepay``).
_JOINED = {value.replace("_", ""): value for value in PAYMENT_METHOD_TYPES if "_" in value}


def payment_method_type(value: object) -> object:
    """A payment method as the schema spells it: any case is accepted (FastSpring's own
    examples send lowercase), and the SBL's names without an underscore map to the schema's.

    >>> payment_method_type(" googlepay"), payment_method_type("wechat-pay")
    ('GOOGLE_PAY', 'WECHAT_PAY')
    >>> payment_method_type("bitcoin")
    Traceback (most recent call last):
    ValueError: 'bitcoin' is not a Sessions API v2 payment method; use one of ACH, ALIPAY, ...
    """
    if not isinstance(value, str):
        return value  # the Literal check names the type
    name = value.strip().upper().replace("-", "_")
    name = _JOINED.get(name, name)
    if name not in PAYMENT_METHOD_TYPES:
        raise ValueError(
            f"{value!r} is not a Sessions API v2 payment method; use one of "
            f"{', '.join(PAYMENT_METHOD_TYPES)} (any case)."
        )
    return name


#: One ``PaymentMethodType``: accepted in any case, sent UPPERCASE as the schema spells it.
PaymentMethodType = Annotated[PaymentMethodName, BeforeValidator(payment_method_type)]


def _method_list(value: Any) -> Any:
    if isinstance(value, str):
        return [part for part in (p.strip() for p in value.split(",")) if part]
    return value


#: ``paymentMethodsOrder`` / ``hidePaymentMethods``: a list, or sblgen's own convenience, a
#: comma-separated string.
PaymentMethods = Annotated[list[PaymentMethodType], BeforeValidator(_method_list)]

# --------------------------------------------------------------------------- language maps

#: The keys ``LanguageMap`` lists. Hebrew is ``iw`` (the retired ISO 639 code), not ``he``.
LANGUAGE_MAP_KEYS: Final = (
    "ar",
    "cs",
    "da",
    "de",
    "es",
    "en",
    "fi",
    "fr",
    "hr",
    "it",
    "iw",
    "ja",
    "ko",
    "nl",
    "no",
    "pl",
    "pt",
    "ru",
    "sk",
    "sv",
    "tr",
    "zh",
)


def _language_key(value: str) -> str:
    key = value.lower()
    if key == "he":
        raise ValueError(
            f"{value!r}: FastSpring's LanguageMap spells Hebrew 'iw' (the retired code); use 'iw'."
        )
    if key not in LANGUAGE_MAP_KEYS:
        raise ValueError(
            f"{value!r} is not a LanguageMap language; use one of {', '.join(LANGUAGE_MAP_KEYS)}."
        )
    return key


#: Text per language (a product's display name, summary, instructions): the 22 languages
#: the schema lists, each at most 512 characters; the caller's key order is kept.
LanguageMap = dict[
    Annotated[str, AfterValidator(_language_key)], Annotated[str, Field(max_length=512)]
]

# --------------------------------------------------------------------------- intervals

IntervalUnitName = Literal["DAY", "WEEK", "MONTH", "YEAR", "ON_DEMAND"]
INTERVAL_UNITS: Final[tuple[str, ...]] = get_args(IntervalUnitName)


def _upper(value: Any) -> Any:
    return value.strip().upper() if isinstance(value, str) else value


#: ``intervalUnit``: any case accepted, sent UPPERCASE.
IntervalUnit = Annotated[IntervalUnitName, BeforeValidator(_upper)]

# --------------------------------------------------------------------------- URLs


def _absolute_url(value: str) -> str:
    parts = urlsplit(value)
    if parts.scheme.lower() not in ("http", "https") or not parts.netloc or " " in value:
        raise ValueError(f"{value!r} is not an absolute URL; use https://host/path.")
    return value


#: An absolute ``http(s)`` URL (``descriptions.imageUrl``).
AbsoluteUrl = Annotated[str, AfterValidator(_absolute_url)]

# --------------------------------------------------------------------------- responses


def _amount_json(amount: Decimal) -> int | float:
    return int(amount) if amount == amount.to_integral_value() else float(amount)


#: An amount FastSpring computed: a ``Decimal`` with no checks of sblgen's, written back as
#: a JSON number (``19.8``, not ``"19.8"``).
ResponseAmount = Annotated[
    Decimal, PlainSerializer(_amount_json, return_type=Any, when_used="json")
]

#: Documented enum values. Response models type these fields as ``str``, so a value
#: FastSpring adds later never breaks parsing; compare against these constants.
SESSION_STATUSES: Final = ("OPEN", "EXPIRED", "CANCELLED", "PENDING_ORDER", "COMPLETED", "FAILED")
CHECKOUT_STATUSES: Final = ("PRODUCTS_REQUIRED", "READY_FOR_CHECKOUT", "CONCLUDED")
WARNING_CODES: Final = (
    "INVALID_PROMO_CODE",
    "INVALID_COUNTRY",
    "CHECKOUT_NOT_LIVE",
    "INVALID_TAX_ID",
    "INVALID_BUYER_IP",
    "INVALID_LOCALE",
    "INVALID_POSTAL_CODE",
)
TAX_MODES: Final = ("TAXES_INCLUDED_IN_PRICE", "TAXES_ADDED_TO_PRICE")
PRODUCT_TYPES: Final = ("ONE_TIME", "SUBSCRIPTION_PLAN")
PRODUCT_FORMATS: Final = ("DIGITAL", "PHYSICAL")
FIELD_ELEMENTS: Final = (
    "POSTAL_CODE",
    "NAME",
    "EMAIL",
    "PHONE",
    "COMPANY",
    "CPF",
    "BILLING_ADDRESS",
    "SHIPPING_ADDRESS",
    "ACH",
    "SEPA",
    "CARD",
)
CARD_VARIANTS: Final = (
    "VISA",
    "MASTER_CARD",
    "AMEX",
    "ELO",
    "DISCOVER",
    "DINNERS",
    "UNION_PAY",
    "JCB",
    "HIPERCARD",
)
