"""HTML for the page: the SBL script tag, session and push/secure snippets, buttons.

Every function returns :class:`markupsafe.Markup`, so ``{{ snippet }}`` is safe in Jinja2
and Django without ``|safe``; ``str()`` gives the raw HTML. Output is deterministic.

There is exactly one way data reaches JavaScript: the model's wire JSON made HTML-safe
(:mod:`sblgen.escape`), so no string can close the script element, open a comment or end
a line of JavaScript early. Attribute values are HTML-escaped inside double quotes; callback
names are validated identifiers (:mod:`sblgen.options`). The markup itself lives in the
package templates (:mod:`sblgen._templates`).

Two modes, for two Content-Security-Policies:

``mode="inline"`` (default)
    small inline scripts; give every call the page's ``nonce`` and send
    ``Content-Security-Policy: script-src 'nonce-<nonce>' https://sbl.onfastspring.com``.

``mode="external"``
    no inline JavaScript at all: data travels in ``<script type="application/json"
    data-sblgen="...">`` blocks, read by the small loader shipped in the package
    (:data:`LOADER_PATH`, serve it from your own origin) placed before the SBL tag. Needs
    only ``Content-Security-Policy: script-src 'self' https://sbl.onfastspring.com``.

>>> from sblgen import Session, Product
>>> options = SblOptions(storefront="acme.test.onfastspring.com/popup-acme")
>>> print(embed(options, session=Session(products=[Product(path="pro-plan")])))
<script>var fscSession = {"products":[{"path":"pro-plan","quantity":1}]};</script>
<script id="fsc-api" src="https://sbl.onfastspring.com/sbl/1.0.3/fastspring-builder.min.js" type="text/javascript" data-storefront="acme.test.onfastspring.com/popup-acme"></script>
<button type="button" data-fsc-item-path-value="pro-plan" data-fsc-action="Add,Checkout">Buy pro-plan</button>
"""

from __future__ import annotations

import warnings
from collections.abc import Iterable, Sequence
from typing import Literal, Protocol

from markupsafe import Markup

from sblgen._checks import check_secure, check_session, require
from sblgen._templates import (
    LOADER_PATH,
    fill,
    loader_source,
    render,
    script_tag_frame,
    snippet_frame,
)
from sblgen.errors import RenderError
from sblgen.escape import html_safe_json, model_json
from sblgen.options import (
    ACTIONS,
    DEFAULT_SBL_VERSION,
    Action,
    Mode,
    SblOptions,
    check_nonce,
    coerce_options,
)
from sblgen.secure_request import SecureRequest
from sblgen.session import Session
from sblgen.storefront import Storefront
from sblgen.types import ProductPath

__all__ = [
    # the snippets, in the order a page uses them
    "session_init",
    "loader_tag",
    "script_tag",
    "push",
    "secure",
    "button",
    "buttons",
    "embed",
    "checkout_snippet",
    "checkout_call",
    "loader_js",
    "LOADER_PATH",
    # re-exported from sblgen.options and sblgen.escape
    "SblOptions",
    "Mode",
    "ACTIONS",
    "DEFAULT_SBL_VERSION",
    "html_safe_json",
]


def script_tag(options: SblOptions | Storefront | str, *, nonce: str | None = None) -> Markup:
    """The ``<script id="fsc-api">`` tag that loads the SBL.

    >>> script_tag("acme.test.onfastspring.com/popup-acme")
    Markup('<script id="fsc-api" src="https://sbl.onfastspring.com/sbl/1.0.3/fastspring-builder.min.js" type="text/javascript" data-storefront="acme.test.onfastspring.com/popup-acme"></script>')
    """
    plain, frame = script_tag_frame(coerce_options(options))
    if nonce is None:
        return plain
    check_nonce(nonce)
    return fill(frame, nonce)


def session_init(
    session: Session,
    *,
    options: SblOptions | None = None,
    nonce: str | None = None,
    mode: Mode | None = None,
) -> Markup:
    """Set ``fscSession`` before the SBL tag (read once when the library loads).

    In external mode this is a JSON block for the loader, which must follow it.

    >>> from sblgen import Session
    >>> session_init(Session(coupon="SPRING"))
    Markup('<script>var fscSession = {"coupon":"SPRING"};</script>')
    """
    check_session(session, options, "session_init")
    return _data("session_init.html", "session", model_json(session), options, nonce, mode)


def push(
    session: Session,
    *,
    options: SblOptions | None = None,
    nonce: str | None = None,
    mode: Mode | None = None,
) -> Markup:
    """``fastspring.builder.push(session)`` that works wherever it is placed.

    Before the SBL tag it folds the session into ``fscSession``; after the tag it waits for
    the library; once loaded it pushes at once. It never throws ``fastspring is not
    defined``.
    """
    check_session(session, options, "push")
    return _data("apply.html", "push", model_json(session), options, nonce, mode)


def secure(
    request: SecureRequest,
    *,
    storefront: Storefront | str | None = None,
    options: SblOptions | None = None,
    nonce: str | None = None,
    mode: Mode | None = None,
) -> Markup:
    """``fastspring.builder.secure(payload, key)``, placed anywhere (like :func:`push`).

    A plaintext (test-mode) request is refused unless the storefront is a test one.
    """
    shop = Storefront.parse(storefront) if storefront is not None else None
    check_secure(request, shop or (options.storefront if options else None), options, "secure")
    return _data("apply.html", "secure", model_json(request), options, nonce, mode)


def _data(
    inline: str,
    op: str,
    data: str,
    options: SblOptions | None,
    nonce: str | None,
    mode: Mode | None,
) -> Markup:
    """Escaped JSON ``data`` for operation ``op``: the ``inline`` template's script, or a
    JSON block for the loader in external mode."""
    if (mode or (options.mode if options is not None else "inline")) == "external":
        return fill(snippet_frame(("data_block.html", op, False)), data)
    if nonce is None:
        return fill(snippet_frame((inline, op, False)), data)
    check_nonce(nonce)
    return fill(snippet_frame((inline, op, True)), nonce, data)


def loader_js() -> str:
    """The strict-CSP loader's source (serve it as ``application/javascript``)."""
    return loader_source()


def loader_tag(options: SblOptions | None = None, *, nonce: str | None = None) -> Markup:
    """The ``<script src>`` of the strict-CSP loader (external mode)."""
    src = (
        options.loader_src if options is not None else SblOptions.model_fields["loader_src"].default
    )
    return render("loader_tag.html", src=src, nonce=check_nonce(nonce))


def button(
    label: str,
    *,
    product: str | None = None,
    actions: Sequence[Action] | Action = ("Add", "Checkout"),
    quantity: int | None = None,
    quantity_src: str | None = None,
    session_id: str | None = None,
    element: Literal["button", "a"] = "button",
    css_class: str | None = None,
) -> Markup:
    """A markup-action element (``data-fsc-action``) the SBL wires up on its own.

    >>> button("Buy", product="pro-plan")
    Markup('<button type="button" data-fsc-item-path-value="pro-plan" data-fsc-action="Add,Checkout">Buy</button>')
    >>> button("Pay", actions="Checkout", session_id="Xy12AbCdEf34GhIj")
    Markup('<input type="hidden" data-fsc-session-value value="Xy12AbCdEf34GhIj"><button type="button" data-fsc-action="Checkout">Pay</button>')
    """
    if "\x00" in label:
        raise RenderError(
            "A button label cannot contain U+0000: HTML drops it from text; remove it."
        )
    names = (actions,) if isinstance(actions, str) else tuple(actions)
    unknown = [a for a in names if a not in ACTIONS]
    if not names or unknown:
        raise RenderError(
            f"Unknown markup action(s) {unknown or names!r}; use some of {', '.join(ACTIONS)}."
        )
    needs_path = {"Add", "Update", "Remove", "Replace"} & set(names)
    if needs_path and product is None:
        raise RenderError(f"Action {sorted(needs_path)[0]} needs product=<product path>.")
    attrs: list[tuple[str, str]] = []
    if css_class:
        attrs.append(("class", css_class))
    if product is not None:
        attrs.append(("data-fsc-item-path-value", _product_path(product)))
    if quantity is not None:
        if isinstance(quantity, bool) or not isinstance(quantity, int) or quantity < 0:
            raise RenderError(f"quantity must be a whole number >= 0, not {quantity!r}.")
        attrs.append(("data-fsc-item-quantity-value", str(quantity)))
    if quantity_src is not None:
        attrs.append(("data-fsc-quantity-src", quantity_src))
    attrs.append(("data-fsc-action", ",".join(names)))
    if session_id is not None:
        Session(checkout=session_id)  # validates the id
    return render("button.html", element=element, attrs=attrs, label=label, session_id=session_id)


def _product_path(path: str) -> str:
    from pydantic import TypeAdapter

    return TypeAdapter(ProductPath).validate_python(path)


def buttons(
    session: Session,
    *,
    label: str = "Buy {path}",
    actions: Sequence[Action] | Action = ("Add", "Checkout"),
    css_class: str | None = None,
) -> Markup:
    """One button per product of a session (``label`` may use ``{path}`` and
    ``{quantity}``); for a checkout session id, one Checkout button."""
    require(session, Session, "buttons")
    if isinstance(session.checkout, str):
        return button(
            "Checkout" if "{path}" in label else label,
            actions="Checkout",
            session_id=session.checkout,
            css_class=css_class,
        )
    names = (actions,) if isinstance(actions, str) else tuple(actions)

    def for_quantity(quantity: int) -> tuple[Action, ...]:
        # "Add" uses the catalog's default quantity; "Update" reads the quantity attribute.
        if quantity == 1:
            return names
        return tuple("Update" if name == "Add" else name for name in names)

    parts: Iterable[Markup] = (
        button(
            label.format(path=p.path, quantity=p.quantity),
            product=p.path,
            actions=for_quantity(p.quantity),
            quantity=p.quantity if p.quantity != 1 else None,
            css_class=css_class,
        )
        for p in session.products or ()
    )
    return Markup("\n").join(parts)


def embed(
    options: SblOptions | Storefront | str,
    *,
    session: Session | None = None,
    secure: SecureRequest | None = None,
    with_buttons: bool = True,
    nonce: str | None = None,
    secure_request: SecureRequest | None = None,
) -> Markup:
    """A complete copy-paste snippet: session (and secure payload), loader in external
    mode, the SBL tag, and a button per product (what ``sblgen embed`` prints).

    ``secure`` is the secure payload (``fscSession.secure``), as in the templates'
    ``sbl_script(secure=...)``; ``secure_request=`` is its old, deprecated name.
    """
    if secure_request is not None:
        warnings.warn(
            "embed(secure_request=...) is deprecated and will be removed in the next "
            "release; use embed(secure=...)",
            DeprecationWarning,
            stacklevel=2,
        )
        if secure is not None:
            raise TypeError("embed() takes secure=, not secure= and secure_request= together")
        secure = secure_request
    opts = coerce_options(options)
    if session is not None:
        require(session, Session, "embed")
    if secure is not None:
        check_secure(secure, opts.storefront, opts, "embed")
        base = session.model_dump(exclude_none=True) if session else {}
        session = Session.model_validate({**base, "secure": secure})
    parts: list[Markup] = []
    if session is not None:
        parts.append(session_init(session, options=opts, nonce=nonce))
    if opts.mode == "external":
        parts.append(loader_tag(opts, nonce=nonce))
    parts.append(script_tag(opts, nonce=nonce))
    if with_buttons and session is not None:
        rendered = (
            buttons(session) if session.products or isinstance(session.checkout, str) else None
        )
        if rendered:
            parts.append(rendered)
    return Markup("\n").join(parts)


# ------------------------------------------------- Sessions API hand-off (session id -> page)


class _HasId(Protocol):
    """Anything with a session ``id``: a Sessions API response (v1 or v2)."""

    @property
    def id(self) -> str: ...


def _checkout(session: str | _HasId, what: str) -> Session:
    """``Session(checkout=<id>)``; the SBL's rule for a session id applies here."""
    session_id = session if isinstance(session, str) else getattr(session, "id", None)
    if not isinstance(session_id, str):
        raise TypeError(
            f"{what} takes a session id (a string) or a Sessions API response with an id, "
            f"not {type(session).__name__}."
        )
    return Session(checkout=session_id)


def checkout_snippet(
    session: str | _HasId,
    options: SblOptions | Storefront | str,
    *,
    nonce: str | None = None,
) -> Markup:
    """The page snippet that opens a Sessions API session in a popup or embedded checkout:
    ``fscSession = {checkout: "<id>"}`` and the SBL tag. ``session`` is the session id or
    the response that carries it (``client.create_session(...)``, a v2 session).

    >>> print(checkout_snippet("Xy12AbCdEf34GhIj", "acme.onfastspring.com/popup-acme"))
    <script>var fscSession = {"checkout":"Xy12AbCdEf34GhIj"};</script>
    <script id="fsc-api" src="https://sbl.onfastspring.com/sbl/1.0.3/fastspring-builder.min.js" type="text/javascript" data-storefront="acme.onfastspring.com/popup-acme"></script>
    """
    checkout = _checkout(session, "checkout_snippet")
    return embed(options, session=checkout, with_buttons=False, nonce=nonce)


def checkout_call(session: str | _HasId, *, nonce: str | None = None) -> Markup:
    """``fastspring.builder.push({checkout: "<id>"})`` for a Sessions API session: the same
    as ``fastspring.builder.checkout("<id>")``, placed anywhere on a page with the SBL (see
    :func:`push`). ``session`` is the session id or the response that carries it.

    >>> checkout_call("Xy12AbCdEf34GhIj").endswith('"push",{"checkout":"Xy12AbCdEf34GhIj"});</script>')
    True
    """
    return push(_checkout(session, "checkout_call"), nonce=nonce)
