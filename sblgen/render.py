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
<script>var fscSession = (function(w,d,o,a){...})(window,document,"session",{"products":[{"path":"pro-plan","quantity":1}]});</script>
<script id="fsc-api" src="https://sbl.onfastspring.com/sbl/1.0.3/fastspring-builder.min.js" type="text/javascript" data-storefront="acme.test.onfastspring.com/popup-acme" defer></script>
<button type="button" data-fsc-item-path-value="pro-plan" data-fsc-action="Add,Checkout">Buy pro-plan</button>
"""

from __future__ import annotations

import re
import warnings
from collections.abc import Iterable, Mapping, Sequence
from typing import Literal, Protocol

from markupsafe import Markup

from sblgen import types
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
from sblgen.escape import html_safe_json, model_json, script_json
from sblgen.limits import LimitError, check_markup_text
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
    "embedded_container",
    "value_input_tags",
    "VALUE_INPUTS",
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

    It is ``defer`` by default (:attr:`SblOptions.loading`): the SBL runs once the page is
    parsed, after every session snippet on the page, and a script that calls
    ``fastspring.builder`` right after the tag must wait for it (as :func:`push` does).

    >>> script_tag("acme.test.onfastspring.com/popup-acme")
    Markup('<script id="fsc-api" src="https://sbl.onfastspring.com/sbl/1.0.3/fastspring-builder.min.js" type="text/javascript" data-storefront="acme.test.onfastspring.com/popup-acme" defer></script>')
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
    """Set ``fscSession`` before the SBL tag (read once when the library runs).

    In external mode this is a JSON block for the loader, which must follow it (the loader
    merges it into any ``fscSession`` already on the page). For a snippet that may share
    its page with other sblgen snippets, use :func:`embed`: it merges its session instead
    of setting it.

    >>> from sblgen import Session
    >>> session_init(Session(coupon="SPRING"))
    Markup('<script>var fscSession = {"coupon":"SPRING"};</script>')
    """
    check_session(session, options, "session_init")
    return _data("session_init.html", "session", model_json(session), options, nonce, mode)


def _merged_session(session: Session, options: SblOptions, nonce: str | None) -> Markup:
    """:func:`session_init` that merges into any ``fscSession`` already on the page, as the
    SBL merges pushes (``products`` appended, objects merged, other values replaced), or
    pushes once the SBL has run; it also takes out a later second SBL tag. The external
    mode's JSON block does the same through the loader."""
    check_session(session, options, "embed")
    return _data("session_merge.html", "session", model_json(session), options, nonce, None)


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
    data = script_json(data)  # read as a JavaScript literal: "__proto__" stays a key
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
    preset: str | Mapping[str, str] | None = None,
    input_label: str | Mapping[str, str] | None = None,
    with_input: bool = True,
    options: SblOptions | None = None,
) -> Markup:
    """A markup-action element (``data-fsc-action``) the SBL wires up on its own.

    >>> button("Buy", product="pro-plan")
    Markup('<button type="button" data-fsc-item-path-value="pro-plan" data-fsc-action="Add,Checkout">Buy</button>')
    >>> button("Pay", actions="Checkout", session_id="Xy12AbCdEf34GhIj")
    Markup('<input type="hidden" data-fsc-session-value value="Xy12AbCdEf34GhIj"><button type="button" data-fsc-action="Checkout">Pay</button>')

    ``Promocode``, ``PostalCode``, ``TaxId`` and ``Recognize`` read what the buyer typed
    from a value element, so the button comes with it, labelled (``input_label``) and
    optionally filled in (``preset``; the SBL reads the input's ``value``). ``Recognize``
    has three (keys ``email``, ``firstname``, ``lastname`` for ``preset`` and
    ``input_label``). Without one the SBL sends an empty value, and an empty coupon
    *removes* the coupon already applied.

    >>> print(button("Apply", actions="Promocode", preset="SPRING"))
    <label>Coupon code <input type="text" data-fsc-promocode-value value="SPRING" autocomplete="off"></label><button type="button" data-fsc-action="Promocode">Apply</button>

    **One per page**: the SBL reads the *first* ``[data-fsc-promocode-value]`` (and so on)
    in the whole document, whichever button is clicked. For a second button that reads an
    input already on the page, pass ``with_input=False``. The same holds for the hidden
    session-id input of ``session_id=``: once it is on a page, *every* Checkout button there
    opens that session.

    Refused, because the SBL would do something else than asked: a ``quantity`` below 1
    (the SBL ignores it and adds the catalog default; use ``actions="Remove"``), a
    ``quantity``/``quantity_src`` without ``Update`` (only ``Update`` reads them), a lone
    ``Clean`` (never bound), ``Clean`` without a checkout action or without
    ``data-continuous`` (pass ``options=``), and ``Replace`` (the SBL runs ``Add``).
    """
    _markup_text(label, "A button label")
    for what, value in (("css_class", css_class), ("quantity_src", quantity_src)):
        if value is not None:
            _markup_text(value, what)
    names = (actions,) if isinstance(actions, str) else tuple(actions)
    unknown = [a for a in names if a not in ACTIONS]
    if not names or unknown:
        raise RenderError(
            f"Unknown markup action(s) {unknown or names!r}; use some of {', '.join(ACTIONS)}."
        )
    _check_actions(names, quantity, quantity_src, options)
    needs_path = [name for name in names if name in ("Add", "Update", "Remove")]
    if needs_path and product is None:
        raise RenderError(f"Action {needs_path[0]} needs product=<product path>.")
    attrs: list[tuple[str, str]] = []
    if css_class:
        attrs.append(("class", css_class))
    if product is not None:
        attrs.append(("data-fsc-item-path-value", _product_path(product)))
    if quantity is not None:
        attrs.append(("data-fsc-item-quantity-value", str(quantity)))
    if quantity_src is not None:
        attrs.append(("data-fsc-quantity-src", quantity_src))
    attrs.append(("data-fsc-action", ",".join(names)))
    if session_id is not None:
        _checkout(session_id, "button(session_id=...)")  # the SBL's rule for a session id
    inputs = _value_inputs(names, preset, input_label) if with_input else []
    return render(
        "button.html",
        element=element,
        attrs=attrs,
        label=label,
        session_id=session_id,
        inputs=inputs,
    )


#: The value elements each action reads (SBL: the first ``[data-fsc-<tag>-value]`` on the
#: page, its ``value``): tag, input type, ``autocomplete`` and default label.
VALUE_INPUTS: dict[str, tuple[tuple[str, str, str, str], ...]] = {
    "Promocode": (("promocode", "text", "off", "Coupon code"),),
    "PostalCode": (("postalcode", "text", "postal-code", "Postal code"),),
    "TaxId": (("taxid", "text", "off", "Tax ID"),),
    "Recognize": (
        ("email", "email", "email", "Email"),
        ("firstname", "text", "given-name", "First name"),
        ("lastname", "text", "family-name", "Last name"),
    ),
}
_CHECKOUT_ACTIONS = frozenset({"Checkout", "ViewCart", "PaypalCheckout"})


def value_input_tags(actions: Sequence[Action] | Action) -> tuple[str, ...]:
    """The ``data-fsc-<tag>-value`` tags a button with ``actions`` renders inputs for.

    >>> value_input_tags(["Recognize", "Checkout"])
    ('email', 'firstname', 'lastname')
    """
    names = (actions,) if isinstance(actions, str) else tuple(actions)
    return tuple(spec[0] for name in names for spec in VALUE_INPUTS.get(name, ()))


def _check_actions(
    names: tuple[str, ...],
    quantity: object,
    quantity_src: str | None,
    options: SblOptions | None,
) -> None:
    """The action lists the SBL would misread (SBL behaviour: the click selector, what each
    action does, how Update reads the quantity)."""
    if "Replace" in names:
        raise RenderError(
            "actions: the SBL treats Replace as Add and never removes the driver product; use "
            "a Remove button for the old product and Add for the new one, or push both lines."
        )
    if names == ("Clean",):
        raise RenderError(
            "actions: a lone Clean is never bound by the SBL; use actions=['Clean', "
            "'Checkout'] (with data-continuous) or call fastspring.builder.clean()."
        )
    if "Clean" in names:
        if not _CHECKOUT_ACTIONS & set(names):
            raise RenderError(
                "actions: Clean only takes effect when checkout opens; add 'Checkout' "
                "(actions=['Clean', 'Checkout'])."
            )
        if options is None or not options.continuous:
            raise RenderError(
                "actions: Clean only works with data-continuous on the script tag; pass "
                "options=SblOptions(..., continuous=True) so sblgen can check it."
                if options is None
                else "actions: Clean needs data-continuous on the script tag; use "
                "SblOptions(..., continuous=True) or drop Clean."
            )
    if quantity is not None:
        if isinstance(quantity, bool) or not isinstance(quantity, int) or quantity < 0:
            raise RenderError(f"quantity must be a whole number >= 1, not {quantity!r}.")
        if quantity == 0:
            raise RenderError(
                "quantity 0 is ignored by the SBL (it adds the product at its default "
                "quantity); use actions='Remove' to take it out."
            )
    if (quantity is not None or quantity_src is not None) and "Update" not in names:
        given = "quantity" if quantity is not None else "quantity_src"
        raise RenderError(
            f"{given}: only the Update action reads a quantity (Add adds the catalog "
            "default); use actions='Update' (or ['Update', 'Checkout'])."
        )


def _value_inputs(
    names: tuple[str, ...],
    preset: str | Mapping[str, str] | None,
    input_label: str | Mapping[str, str] | None,
) -> list[tuple[str, str, str, str, str]]:
    """``(tag, type, autocomplete, label, value)`` of each value input ``names`` read."""
    specs = [spec for name in names for spec in VALUE_INPUTS.get(name, ())]
    tags = [spec[0] for spec in specs]
    presets = _per_tag(preset, tags, "preset")
    labels = _per_tag(input_label, tags, "input_label")
    return [
        (tag, kind, autocomplete, labels.get(tag, text), presets.get(tag, ""))
        for tag, kind, autocomplete, text in specs
    ]


def _per_tag(value: str | Mapping[str, str] | None, tags: list[str], what: str) -> dict[str, str]:
    if value is None:
        return {}
    if not tags:
        raise RenderError(
            f"{what}: only Promocode, PostalCode, TaxId and Recognize buttons have an input; "
            "drop it."
        )
    if isinstance(value, str):
        if len(tags) != 1:
            raise RenderError(
                f"{what}: this button has {len(tags)} inputs; give a mapping with keys "
                f"{', '.join(tags)}."
            )
        return {tags[0]: value}
    unknown = sorted(set(value) - set(tags))
    if unknown:
        raise RenderError(
            f"{what}: {', '.join(map(repr, unknown))} is no input of this button; use "
            f"{', '.join(tags)}."
        )
    return dict(value)


def embedded_container() -> Markup:
    """The ``<div id="fsc-embedded-checkout-container">`` an embedded storefront draws its
    checkout in: once per page, where the checkout should appear, and empty (the SBL then
    shows a skeleton while checkout loads; it sets the height itself). :func:`embed` adds
    it for embedded storefronts; pass ``with_container=False`` there to place it yourself.

    >>> embedded_container()
    Markup('<div id="fsc-embedded-checkout-container"></div>')
    """
    return Markup('<div id="fsc-embedded-checkout-container"></div>')


def _markup_text(value: object, what: str) -> None:
    """Text that goes into the HTML as is (label, attribute): HTML must carry it unchanged
    (:func:`sblgen.limits.check_markup_text`)."""
    if not isinstance(value, str):
        raise RenderError(f"{what} must be text (a str), not {type(value).__name__}.")
    try:
        check_markup_text(value, what)
    except LimitError as err:
        raise RenderError(str(err)) from None


#: The placeholders a ``buttons()`` label may use.
_PLACEHOLDER = re.compile(r"\{(path|quantity)\}")


def _label(template: str, path: str, quantity: int) -> str:
    """``template`` with ``{path}`` and ``{quantity}`` filled in; any other text, braces
    included, stays as written (never ``str.format``: no attribute lookups, no format
    specs, no error on a stray brace).

    >>> _label("Buy {path} x{quantity} {path.__class__} {0:>999999}", "pro", 2)
    'Buy pro x2 {path.__class__} {0:>999999}'
    """
    values = {"path": path, "quantity": str(quantity)}
    return _PLACEHOLDER.sub(lambda match: values[match.group(1)], template)


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
    ``{quantity}``, filled in as text: other braces stay as written); for a checkout
    session id, one Checkout button. Lines with quantity 0 (which remove a product) get
    no button.

    >>> from sblgen import Product
    >>> print(buttons(Session(products=[Product(path="pro", quantity=2)]),
    ...               label="{quantity} x {path} {{not a placeholder}}"))
    <button type="button" data-fsc-item-path-value="pro" data-fsc-item-quantity-value="2" data-fsc-action="Update,Checkout">2 x pro {{not a placeholder}}</button>
    """
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

    # A line with quantity 0 removes the product: no buy button for it.
    lines = [p for p in session.products or () if p.quantity > 0]
    if session.products and not lines:
        raise RenderError(
            "buttons: every product of the session has quantity 0 (which removes it), so "
            "there is nothing to buy; use button(..., actions='Remove') for a remove button."
        )
    parts: Iterable[Markup] = (
        button(
            _label(label, p.path, p.quantity),
            product=p.path,
            actions=for_quantity(p.quantity),
            # Only Update reads a quantity (Remove, say, takes the whole line out).
            quantity=p.quantity if "Update" in for_quantity(p.quantity) else None,
            css_class=css_class,
        )
        for p in lines
    )
    return Markup("\n").join(parts)


def embed(
    options: SblOptions | Storefront | str,
    *,
    session: Session | None = None,
    secure: SecureRequest | None = None,
    with_buttons: bool = True,
    nonce: str | None = None,
    with_container: bool = True,
    label: str | None = None,
    paste_safe: bool = True,
    secure_request: SecureRequest | None = None,
) -> Markup:
    """A complete copy-paste snippet: session (and secure payload), loader in external
    mode, the SBL tag, a button per product and, for an embedded storefront, the empty
    container the checkout is drawn in (:func:`embedded_container`); what ``sblgen embed``
    prints.

    ``secure`` is the secure payload (``fscSession.secure``), as in the templates'
    ``sbl_script(secure=...)``; ``secure_request=`` is its old, deprecated name.

    ``paste_safe`` (the default): several such snippets may go on one page (one per
    product, pasted into a CMS). The page still loads the SBL once, and every snippet's
    session reaches it: merged into ``fscSession`` as the SBL merges pushes while the
    (deferred) SBL has not run, pushed once it has. For that the session script carries a
    small runtime (a snippet without a session, a guard script). ``paste_safe=False``
    writes the plain :func:`session_init`, for a page known to have one snippet, such as a
    whole-page template. ``label`` is the buttons' text (as in :func:`buttons`).
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
    if session is not None and paste_safe:
        parts.append(_merged_session(session, opts, nonce))
    elif session is not None:
        parts.append(session_init(session, options=opts, nonce=nonce))
    elif paste_safe and opts.mode == "inline":
        parts.append(_data("apply.html", "guard", "null", opts, nonce, None))
    if opts.mode == "external":
        parts.append(loader_tag(opts, nonce=nonce))
    parts.append(script_tag(opts, nonce=nonce))
    if with_buttons and session is not None:
        rendered = (
            (buttons(session) if label is None else buttons(session, label=label))
            # A session whose every line has quantity 0 only removes products: no buttons.
            if any(p.quantity > 0 for p in session.products or ())
            or isinstance(session.checkout, str)
            else None
        )
        if rendered:
            parts.append(rendered)
    if with_container and opts.storefront.checkout_type == "embedded":
        parts.append(embedded_container())
    return Markup("\n").join(parts)


# ------------------------------------------------- Sessions API hand-off (session id -> page)


class _HasId(Protocol):
    """Anything with a session ``id``: a Sessions API response (v1 or v2)."""

    @property
    def id(self) -> str: ...


def _checkout(session: str | _HasId, what: str) -> Session:
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
    <script>var fscSession = (function(w,d,o,a){...})(window,document,"session",{"checkout":"Xy12AbCdEf34GhIj"});</script>
    <script id="fsc-api" src="https://sbl.onfastspring.com/sbl/1.0.3/fastspring-builder.min.js" type="text/javascript" data-storefront="acme.onfastspring.com/popup-acme" defer></script>
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
