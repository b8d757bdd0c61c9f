"""The exceptions sblgen raises.

Invalid *data* (a model field that breaks a rule) raises :class:`pydantic.ValidationError`,
which carries the location of every bad field. Everything else derives from one root::

    SblgenError
     ├── UnsupportedFieldError   the builder was asked for something a target cannot carry
     ├── RenderError             a snippet cannot be rendered safely (e.g. clean without
     │                           data-continuous, a plaintext secure payload on a live store)
     ├── StorefrontError         a storefront string that is not a FastSpring storefront
     ├── InputFileError          a JSON/TOML file given to the CLI cannot be read or parsed
     └── CryptoError             secure payload cryptography
          ├── SecureKeyError      a private key or certificate that cannot be used
          └── DecryptError        a secure request that cannot be decrypted

Every message is a full sentence naming the bad value and the fix.

>>> issubclass(UnsupportedFieldError, SblgenError)
True
"""

from __future__ import annotations

__all__ = [
    "CryptoError",
    "DecryptError",
    "InputFileError",
    "RenderError",
    "SblgenError",
    "SecureKeyError",
    "StorefrontError",
    "UnsupportedFieldError",
]


class SblgenError(Exception):
    """Root of every sblgen error that is not a :class:`pydantic.ValidationError`."""


class UnsupportedFieldError(SblgenError, ValueError):
    """The purchase description holds something the requested target cannot carry.

    >>> err = UnsupportedFieldError("Session", "price override", "use .secure_payload()")
    >>> err.target, err.field
    ('Session', 'price override')
    """

    def __init__(self, target: str, field: str, fix: str) -> None:
        self.target = target
        self.field = field
        self.fix = fix
        super().__init__(f"{target} cannot carry {field}; {fix}.")


class RenderError(SblgenError, ValueError):
    """A snippet cannot be rendered as asked, because the result would not work or be unsafe."""


class StorefrontError(SblgenError, ValueError):
    """A string that is not a FastSpring storefront (``store.onfastspring.com/path``)."""


class InputFileError(SblgenError, ValueError):
    """A JSON or TOML input file that cannot be read or parsed."""


class CryptoError(SblgenError):
    """Secure payload cryptography failed; the message never contains key material."""


class SecureKeyError(CryptoError, ValueError):
    """A private key or certificate that cannot be used (not RSA, too small, wrong password,
    unreadable, or not matching its pair)."""


class DecryptError(CryptoError, ValueError):
    """A secure request that cannot be decrypted with the given certificate."""
