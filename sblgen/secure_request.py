"""The ``{payload, key}`` value that carries a secure payload to the SBL.

It is what ``fscSession.secure`` and ``fastspring.builder.secure(payload, key)`` take. An
encrypted request holds two base64 strings; a test-mode request (accepted only by test
storefronts) holds the plaintext payload object and an empty key, which its wire form
leaves out. "No key" is the one shape the SBL reads the same way wherever it is placed:
``builder.secure(payload, "")`` drops a falsy key, while ``fscSession.secure`` with
``key: ""`` would be sent as an (empty) encrypted key.

>>> SecureRequest(payload={"coupon": "SPRING"}, key="").to_dict()
{'payload': {'coupon': 'SPRING'}}
"""

from __future__ import annotations

import base64
import binascii
from collections.abc import Mapping
from typing import Annotated, Any

from pydantic import (
    BeforeValidator,
    SerializerFunctionWrapHandler,
    model_serializer,
    model_validator,
)

from sblgen._model import WireModel
from sblgen.limits import PROTO_KEY, check_data
from sblgen.payload import AuthenticatePayload, SecurePayload, payload_model

__all__ = ["SecureRequest"]


def _is_base64(text: str) -> bool:
    try:
        base64.b64decode(text, validate=True)
    except (binascii.Error, ValueError):
        return False
    return bool(text)


_NO_PROTO = frozenset({PROTO_KEY})


def _payload(value: object) -> object:
    if isinstance(value, dict):
        # Valid Unicode, nesting and numbers bounded, and no "__proto__" key: the SBL folds a
        # test-mode payload into its request key by key, through an object's prototype.
        return check_data(value, "payload", refuse_keys=_NO_PROTO)
    if isinstance(value, str):
        return value
    raise ValueError(
        "payload is base64 text (encrypted) or the plaintext payload object (test mode), "
        f"not {type(value).__name__}."
    )


class SecureRequest(WireModel):
    """An encrypted secure payload (``payload`` and ``key`` both standard base64), or its
    test-mode form (``payload`` the plaintext object and an empty ``key``, which is left
    out of the wire form)."""

    payload: Annotated[str | dict[str, Any], BeforeValidator(_payload)]
    key: str = ""

    @model_serializer(mode="wrap")
    def _omit_empty_key(self, handler: SerializerFunctionWrapHandler) -> dict[str, Any]:
        data: dict[str, Any] = handler(self)
        if data.get("key") == "":
            del data["key"]
        return data

    @model_validator(mode="after")
    def _check_form(self) -> SecureRequest:
        if self.key == "":
            if not isinstance(self.payload, dict):
                raise ValueError(
                    "A secure request without a key is the test-mode form and needs the "
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
        """The unencrypted test-mode form: the payload object itself and no key.

        Only test storefronts (``*.test.onfastspring.com``) accept it; rendering it for a
        live storefront raises :class:`~sblgen.errors.RenderError`. The payload is
        validated like one that would be encrypted. On the page the SBL merges its fields
        into the request next to ``accessKey``, wherever the snippet is placed.

        >>> SecureRequest.plaintext({"coupon": "SPRING"}).to_dict()
        {'payload': {'coupon': 'SPRING'}}
        """
        return cls(payload=payload_model(payload).to_dict())

    @property
    def is_plaintext(self) -> bool:
        """True for the unencrypted test-mode form (no key)."""
        return self.key == ""

    def __repr__(self) -> str:
        if self.is_plaintext:
            return f"SecureRequest(test-mode plaintext, {len(self.payload)} fields)"
        return f"SecureRequest(payload=<{len(self.payload)} base64 chars>, key=<wrapped key>)"

    __str__ = __repr__
