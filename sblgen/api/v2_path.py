"""Where Sessions API v2 sessions live: the checkout path, and the one rule for every id and
product path sblgen puts in a URL.

>>> CheckoutPath.parse("acme/popup-acme").url_path
'acme/popup-acme'
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import TYPE_CHECKING
from urllib.parse import quote

from sblgen._value import TextValue
from sblgen.errors import StorefrontError

if TYPE_CHECKING:  # pragma: no cover
    from sblgen.storefront import Storefront

__all__ = ["CheckoutPath", "url_segment"]

# --------------------------------------------------------------------------- checkout path

_SEGMENT = re.compile(r"(?!\.\.?$)[^/\s]{1,128}")


def url_segment(value: str, what: str = "URL path segment") -> str:
    """``value`` percent-encoded as exactly one URL path segment: the one rule for every id
    and product path sblgen puts in a URL (a session id is whatever FastSpring returned).

    The empty string, ``.`` and ``..`` are refused: an empty segment or a dot segment (which
    HTTP clients resolve) would send the request to another endpoint.

    >>> url_segment("SE1/../x")
    'SE1%2F..%2Fx'
    >>> url_segment("..")
    Traceback (most recent call last):
    ValueError: '..' is not a URL path segment ('.' and '..' would change the endpoint).
    >>> url_segment("", "v2 session id")
    Traceback (most recent call last):
    ValueError: '' is not a v2 session id: give a non-empty string.
    """
    if not isinstance(value, str) or not value:
        raise ValueError(f"{value!r} is not a {what}: give a non-empty string.")
    if value in (".", ".."):
        raise ValueError(f"{value!r} is not a {what} ('.' and '..' would change the endpoint).")
    return quote(value, safe="")


@dataclass(frozen=True, slots=True)
class CheckoutPath(TextValue):
    """``{storeId}/{checkoutId}``: where v2 sessions live. Each segment is percent-encoded
    on its own; the slash between them is a real path separator.

    >>> path = CheckoutPath.parse("examplestore/popup-checkout")
    >>> path.url_path
    'examplestore/popup-checkout'
    >>> CheckoutPath.from_storefront("acme.test.onfastspring.com/popup-acme").value
    'acme/popup-acme'
    """

    store: str
    checkout: str

    @classmethod
    def parse(cls, text: str | CheckoutPath) -> CheckoutPath:
        """Parse ``store/checkout``; anything else raises ``ValueError``."""
        if isinstance(text, CheckoutPath):
            return text
        if not isinstance(text, str):
            raise ValueError(f"A checkout path must be a string, not {type(text).__name__}.")
        parts = text.strip().strip("/").split("/")
        if len(parts) != 2 or not all(_SEGMENT.fullmatch(p) for p in parts):
            raise ValueError(
                f"{text!r} is not a checkout path; use 'store/checkout' as in the FastSpring "
                "app, for example 'acme/popup-acme' (two segments)."
            )
        return cls(parts[0], parts[1])

    @classmethod
    def from_storefront(cls, storefront: Storefront | str) -> CheckoutPath:
        """The checkout path of a storefront (``acme.test.onfastspring.com/popup-acme`` ->
        ``acme/popup-acme``)."""
        from sblgen.storefront import Storefront

        sf = Storefront.parse(storefront)
        if not sf.path:
            raise StorefrontError(
                f"{sf.value!r} has no checkout path; use the full storefront such as "
                f"'{sf.host}/popup-{sf.store_id}'."
            )
        return cls(sf.store_id, sf.path)

    def matches(self, storefront: Storefront | str) -> bool:
        """True when this path and the storefront name the same store and checkout."""
        try:
            return self == CheckoutPath.from_storefront(storefront)
        except StorefrontError:
            return False

    @property
    def value(self) -> str:
        return f"{self.store}/{self.checkout}"

    @property
    def url_path(self) -> str:
        """Both segments percent-encoded separately, joined by a real ``/``."""
        return f"{url_segment(self.store)}/{url_segment(self.checkout)}"
