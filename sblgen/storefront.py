"""The storefront a page sells through: the SBL's ``data-storefront`` value.

Sellers paste storefronts in many forms; all of these are the same storefront::

    acme.test.onfastspring.com/popup-acme
    https://acme.test.onfastspring.com/popup-acme/
    ACME.test.onfastspring.com/popup-acme

>>> sf = Storefront.parse("https://acme.test.onfastspring.com/popup-acme/")
>>> sf.value, sf.is_test, sf.checkout_type, sf.store_id
('acme.test.onfastspring.com/popup-acme', True, 'popup', 'acme')
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Literal

from sblgen import types
from sblgen._value import TextValue
from sblgen.errors import StorefrontError

__all__ = ["CheckoutType", "Storefront"]

CheckoutType = Literal["popup", "embedded", "inapp", "web"]

_SCHEME = re.compile(r"^https?://", re.IGNORECASE)
_STOREFRONT = re.compile(
    r"(?P<store>[a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?)"
    r"(?P<test>\.test)?"
    r"\.onfastspring\.com"
    r"(?:/(?P<path>[A-Za-z0-9][A-Za-z0-9_-]{0,127}))?"
    r"/?"
)


@dataclass(frozen=True, slots=True)
class Storefront(TextValue):
    """A FastSpring storefront: ``<store>[.test].onfastspring.com[/<checkout path>]``.

    Build one with :meth:`parse`; use it directly as a pydantic field type too.
    """

    store_id: str
    path: str
    is_test: bool

    @classmethod
    def parse(cls, text: str | Storefront) -> Storefront:
        """Accept what sellers paste (with or without ``https://``, trailing slash, any
        letter case in the host) and normalise it; anything else raises
        :class:`~sblgen.errors.StorefrontError`.

        >>> Storefront.parse("acme.onfastspring.com").value
        'acme.onfastspring.com'
        >>> Storefront.parse("acme.example.com/popup-acme")
        Traceback (most recent call last):
        ...
        sblgen.errors.StorefrontError: 'acme.example.com/popup-acme' is not a FastSpring ...
        """
        if isinstance(text, Storefront):
            return text
        if not isinstance(text, str):
            raise StorefrontError(
                f"A storefront must be a string such as 'acme.test.onfastspring.com/popup-acme', "
                f"not {type(text).__name__}."
            )
        host, slash, tail = _SCHEME.sub("", text.strip()).partition("/")
        match = _STOREFRONT.fullmatch(host.lower() + slash + tail)
        if match is None:
            raise StorefrontError(
                f"{text!r} is not a FastSpring storefront; use the value shown in the FastSpring "
                "app, such as 'acme.test.onfastspring.com/popup-acme' (test) or "
                "'acme.onfastspring.com/popup-acme' (live)."
            )
        return cls(
            store_id=match["store"],
            path=match["path"] or "",
            is_test=match["test"] is not None,
        )

    @property
    def host(self) -> str:
        """``acme.test.onfastspring.com``"""
        return f"{self.store_id}{'.test' if self.is_test else ''}.onfastspring.com"

    @property
    def value(self) -> str:
        """The normalised ``data-storefront`` value (no scheme, no trailing slash)."""
        return f"{self.host}/{self.path}" if self.path else self.host

    @property
    def checkout_type(self) -> CheckoutType:
        """How the SBL opens checkout, classified as the SBL does it: by substrings anywhere
        in the ``data-storefront`` value (letter case kept), ``popup`` or ``pinhole``, then
        ``inapp``, then ``embedded``, a later match winning. So a store named ``popupshop``
        has popup storefronts, and ``.../popup-embedded`` is an embedded one.

        >>> Storefront.parse("popupshop.test.onfastspring.com/shop").checkout_type
        'popup'
        >>> Storefront.parse("acme.test.onfastspring.com/popup-embedded").checkout_type
        'embedded'
        """
        value = self.value
        if "embedded" in value:
            return "embedded"
        if "inapp" in value:
            return "inapp"
        if "popup" in value or "pinhole" in value:
            return "popup"
        return "web"

    def session_url(self, session_id: str) -> str:
        """The checkout page of a Sessions API session, as the SBL opens it: the storefront
        with its path, then ``/session/<id>`` (a popup opens ``.../popup-acme/session/<id>``,
        a web storefront navigates to ``.../acme/session/<id>``). The id must be one the SBL
        reads as a session id (longer than 10 characters).

        >>> Storefront.parse("acme.onfastspring.com/popup-acme").session_url("ABC123def456")
        'https://acme.onfastspring.com/popup-acme/session/ABC123def456'
        """
        try:
            checked = types.session_id(session_id)
        except ValueError as err:
            raise StorefrontError(str(err)) from None
        return f"https://{self.value}/session/{checked}"
