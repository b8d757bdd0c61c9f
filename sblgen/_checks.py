"""What a snippet checks before it renders: what a model alone cannot know.

A session or secure request is valid on its own; whether it works on a page depends on the
script tag it will meet (``clean`` needs ``data-continuous``, a secure payload needs
``data-access-key``, a plaintext one a test storefront; ``hideOtherPaymentMethods`` only
reaches FastSpring inside a secure payload). Each failure is a
:class:`~sblgen.errors.RenderError` naming the snippet and the fix.

>>> from sblgen import Session
>>> check_session(Session(checkout=True, clean=True), None, "push")
Traceback (most recent call last):
sblgen.errors.RenderError: push: the session sets clean=True, which only works with ...
"""

from __future__ import annotations

from typing import Protocol

from sblgen import types
from sblgen._model import WireModel
from sblgen.errors import RenderError
from sblgen.options import SblOptions
from sblgen.secure_request import SecureRequest
from sblgen.session import Session
from sblgen.storefront import Storefront

__all__ = ["check_secure", "check_session", "require"]


def require(value: object, cls: type[WireModel], what: str) -> None:
    """A clear TypeError for a plain dict (or anything else) where a model is expected."""
    if not isinstance(value, cls):
        raise TypeError(
            f"{what}: expected a sblgen.{cls.__name__}, not {type(value).__name__}; build one "
            f"with {cls.__name__}.model_validate(data) (the Jinja2, Django and Flask helpers "
            "accept dicts as they are)."
        )


def check_session(session: Session, options: SblOptions | None, what: str) -> None:
    """``session`` can go on a page whose script tag says ``options`` (``None``: unknown)."""
    require(session, Session, what)
    if session.clean and options is None:
        raise RenderError(
            f"{what}: the session sets clean=True, which only works with data-continuous on "
            "the script tag; pass options=SblOptions(..., continuous=True) so sblgen can "
            "check it."
        )
    if session.clean and options is not None and not options.continuous:
        raise RenderError(
            f"{what}: the session sets clean=True but the script tag has no data-continuous; "
            "use SblOptions(..., continuous=True) or drop clean."
        )
    if session.hide_other_payment_methods is not None:
        raise RenderError(
            f"{what}: hideOtherPaymentMethods is dropped by the SBL in a plain session; put "
            "it in the secure payload (SecurePayload.hide_other_payment_methods)."
        )
    secure, authenticate = session.secure, session.authenticate
    if secure is None and authenticate is None:  # the usual case: nothing secure
        return
    storefront = options.storefront if options else None
    for field, request in (("secure", secure), ("authenticate", authenticate)):
        if request is not None:
            check_secure(request, storefront, options, f"{what}.{field}")
    if (
        secure is not None
        and secure.is_plaintext
        and session.products
        and isinstance(secure.payload, dict)
        and secure.payload.get("items")
    ):
        raise RenderError(
            f"{what}: the session has products and its plaintext secure payload has items; "
            "the SBL would merge the two lists entry by entry. Put every line in the secure "
            "payload's items, or push the products separately."
        )


def check_secure(
    request: SecureRequest,
    storefront: Storefront | None,
    options: SblOptions | None,
    what: str,
) -> None:
    """``request`` can go to ``storefront`` through a script tag saying ``options``."""
    require(request, SecureRequest, what)
    if request.is_plaintext:
        if storefront is None:
            raise RenderError(
                f"{what}: a plaintext (test-mode) secure payload needs the storefront, to "
                "check it is a test storefront; pass options= or storefront=."
            )
        if not storefront.is_test:
            raise RenderError(
                f"{what}: a plaintext (test-mode) secure payload cannot go to the live "
                f"storefront {storefront.value!r}; encrypt it with PrivateKey.encrypt(), or use "
                "the '.test.' storefront."
            )
    if options is not None and options.access_key is None:
        raise RenderError(
            f"{what}: secure payloads are ignored without data-access-key; set "
            "SblOptions(access_key=...) from the FastSpring app."
        )


class HasId(Protocol):
    """Anything with a session ``id``: a Sessions API response (v1 or v2)."""

    @property
    def id(self) -> str: ...


def checkout_session(session: str | HasId, what: str) -> Session:
    """``Session(checkout=<id>)``; the SBL's rule for a session id applies here, and a
    refused id says why (:func:`sblgen.types.session_id`)."""
    session_id = session if isinstance(session, str) else getattr(session, "id", None)
    if not isinstance(session_id, str):
        raise TypeError(
            f"{what} takes a session id (a string) or a Sessions API response with an id, "
            f"not {type(session).__name__}."
        )
    try:
        return Session(checkout=types.session_id(session_id))
    except ValueError as err:
        raise RenderError(f"{what}: {err}") from None
