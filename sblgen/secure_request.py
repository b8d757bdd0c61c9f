"""The ``{payload, key}`` value that carries a secure payload to the SBL.

It is what ``fscSession.secure`` and ``fastspring.builder.secure(payload, key)`` take. An
encrypted request holds two base64 strings; a test-mode request (accepted only by test
storefronts) holds the plaintext payload object and an empty key.

>>> SecureRequest(payload={"coupon": "SPRING"}, key="").is_plaintext
True
"""

from __future__ import annotations

import base64
import binascii
from collections.abc import Mapping
from typing import Annotated, Any

from pydantic import BeforeValidator, model_validator

from sblgen._model import WireModel
from sblgen.payload import AuthenticatePayload, SecurePayload, payload_model

__all__ = ["SecureRequest"]


def _is_base64(text: str) -> bool:
    try:
        base64.b64decode(text, validate=True)
    except (binascii.Error, ValueError):
        return False
    return bool(text)


def _payload(value: object) -> object:
    if isinstance(value, str | dict):
        return value
    raise ValueError(
        "payload is base64 text (encrypted) or the plaintext payload object (test mode), "
        f"not {type(value).__name__}."
    )


class SecureRequest(WireModel):
    """An encrypted secure payload (``payload`` and ``key`` both standard base64), or its
    test-mode form (``payload`` the plaintext object, ``key`` empty)."""

    payload: Annotated[str | dict[str, Any], BeforeValidator(_payload)]
    key: str

    @model_validator(mode="after")
    def _check_form(self) -> SecureRequest:
        if self.key == "":
            if not isinstance(self.payload, dict):
                raise ValueError(
                    "A secure request with an empty key is the test-mode form and needs the "
                    "plaintext payload object as 'payload'; to send an encrypted payload, "
                    "give its base64 'key' too."
                )
            return self
        if not isinstance(self.payload, str) or not _is_base64(self.payload):
            raise ValueError(
                "An encrypted secure request needs 'payload' as standard base64 text; "
                "produce it with sblgen's encrypt()."
            )
        if not _is_base64(self.key):
            raise ValueError(
                "The secure request's 'key' is not standard base64; produce it with sblgen's "
                "encrypt()."
            )
        return self

    @classmethod
    def plaintext(
        cls, payload: SecurePayload | AuthenticatePayload | Mapping[str, Any]
    ) -> SecureRequest:
        """The unencrypted test-mode form: the payload object itself and an empty key.

        Only test storefronts (``*.test.onfastspring.com``) accept it; rendering it for a
        live storefront raises :class:`~sblgen.errors.RenderError`. The payload is
        validated like one that would be encrypted.

        >>> SecureRequest.plaintext({"coupon": "SPRING"}).to_dict()
        {'payload': {'coupon': 'SPRING'}, 'key': ''}
        """
        return cls(payload=payload_model(payload).to_dict(), key="")

    @property
    def is_plaintext(self) -> bool:
        """True for the unencrypted test-mode form (empty key)."""
        return self.key == ""

    def __repr__(self) -> str:
        if self.is_plaintext:
            return f"SecureRequest(test-mode plaintext, {len(self.payload)} fields)"
        return f"SecureRequest(payload=<{len(self.payload)} base64 chars>, key=<wrapped key>)"

    __str__ = __repr__
