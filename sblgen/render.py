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

import warnings

from markupsafe import Markup

from sblgen._checks import HasId, check_secure, check_session, checkout_session, require
from sblgen._templates import (
    LOADER_PATH,
    fill,
    loader_source,
    render,
    script_tag_frame,
    snippet_frame,
)
from sblgen.actions import VALUE_INPUTS, button, buttons, buyable_lines, value_input_tags
from sblgen.escape import html_safe_json, model_json, script_json
from sblgen.options import (
    ACTIONS,
    DEFAULT_SBL_VERSION,
    Mode,
    SblOptions,
    check_nonce,
    coerce_options,
)
from sblgen.secure_request import SecureRequest
from sblgen.session import Session
from sblgen.storefront import Storefront

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
    # re-exported from sblgen.actions, sblgen.options and sblgen.escape
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


def embedded_container() -> Markup:
    """The ``<div id="fsc-embedded-checkout-container">`` an embedded storefront draws its
    checkout in: once per page, where the checkout should appear, and empty (the SBL then
    shows a skeleton while checkout loads; it sets the height itself). :func:`embed` adds
    it for embedded storefronts; pass ``with_container=False`` there to place it yourself.

    >>> embedded_container()
    Markup('<div id="fsc-embedded-checkout-container"></div>')
    """
    return Markup('<div id="fsc-embedded-checkout-container"></div>')


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
    # Buttons for what the session sells (a line with quantity 0 only removes a product).
    sells = session is not None and (
        bool(buyable_lines(session)) or isinstance(session.checkout, str)
    )
    if with_buttons and session is not None and sells:
        parts.append(buttons(session) if label is None else buttons(session, label=label))
    if with_container and opts.storefront.checkout_type == "embedded":
        parts.append(embedded_container())
    return Markup("\n").join(parts)


# ------------------------------------------------- Sessions API hand-off (session id -> page)


def checkout_snippet(
    session: str | HasId,
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
    checkout = checkout_session(session, "checkout_snippet")
    return embed(options, session=checkout, with_buttons=False, nonce=nonce)


def checkout_call(session: str | HasId, *, nonce: str | None = None) -> Markup:
    """``fastspring.builder.push({checkout: "<id>"})`` for a Sessions API session: the same
    as ``fastspring.builder.checkout("<id>")``, placed anywhere on a page with the SBL (see
    :func:`push`). ``session`` is the session id or the response that carries it.

    >>> checkout_call("Xy12AbCdEf34GhIj").endswith('"push",{"checkout":"Xy12AbCdEf34GhIj"});</script>')
    True
    """
    return push(checkout_session(session, "checkout_call"), nonce=nonce)
