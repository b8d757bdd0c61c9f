"""HTML for the page: the SBL script tag, session and push/secure snippets, buttons.

Every function returns :class:`markupsafe.Markup`, so ``{{ snippet }}`` is safe in Jinja2
and Django without ``|safe``; ``str()`` gives the raw HTML. Output is deterministic.

There is exactly one way data reaches JavaScript: the model's wire JSON made HTML-safe
(``<``, ``>``, ``&``, ``'``, U+2028 and U+2029 written as ``\\uXXXX`` escapes), so no string
can close the script element, open a comment or end a line of JavaScript early. Attribute
values are HTML-escaped inside double quotes; callback names are validated identifiers.

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

import re
from collections.abc import Iterable, Sequence
from functools import cache
from importlib.resources import files
from pathlib import Path
from typing import TYPE_CHECKING, Annotated, Any, Literal, get_args

import jinja2
from markupsafe import Markup
from pydantic import AfterValidator, ConfigDict, Field

from sblgen._model import StrictModel, WireModel
from sblgen.errors import RenderError
from sblgen.secure_request import SecureRequest
from sblgen.session import Session
from sblgen.storefront import Storefront
from sblgen.types import JsIdentifier, ProductPath

__all__ = [
    "ACTIONS",
    "DEFAULT_SBL_VERSION",
    "LOADER_PATH",
    "Mode",
    "SblOptions",
    "button",
    "buttons",
    "embed",
    "html_safe_json",
    "loader_js",
    "loader_tag",
    "push",
    "script_tag",
    "secure",
    "session_init",
]

#: The SBL version FastSpring's documentation prints; override with ``version=``.
DEFAULT_SBL_VERSION = "1.0.3"
_SBL_URL = "https://sbl.onfastspring.com/sbl/{version}/fastspring-builder.min.js"
#: The strict-CSP loader shipped in the package; serve it from your origin.
LOADER_PATH = Path(str(files("sblgen").joinpath("static").joinpath("sbl-loader.js")))
Mode = Literal["inline", "external"]
Action = Literal[
    "Add",
    "Update",
    "Remove",
    "Replace",
    "Checkout",
    "ViewCart",
    "PaypalCheckout",
    "Promocode",
    "PostalCode",
    "TaxId",
    "Recognize",
    "Reset",
    "Clean",
]
#: Markup actions the SBL understands in ``data-fsc-action``.
ACTIONS: tuple[Action, ...] = get_args(Action)

_VERSION = re.compile(r"\d+\.\d+\.\d+")
_NONCE = re.compile(r"[A-Za-z0-9+/=_-]{1,256}")
_URL_SCHEME = re.compile(r"[A-Za-z][A-Za-z0-9+.-]*:")

# ------------------------------------------------------------------------- escaping

_JSON_ESCAPES = (
    ("&", "\\u0026"),
    ("<", "\\u003c"),
    (">", "\\u003e"),
    ("'", "\\u0027"),
    ("\u2028", "\\u2028"),
    ("\u2029", "\\u2029"),
)


def html_safe_json(json_text: str) -> Markup:
    """Make JSON text safe inside ``<script>`` and single-quoted attributes.

    The escapes keep it valid JSON (and JavaScript) that parses back to the same value.

    >>> html_safe_json('{"a":"</script><!--"}')
    Markup('{"a":"\\\\u003c/script\\\\u003e\\\\u003c!--"}')
    """
    return Markup(_escape_json(json_text))  # noqa: S704 - escaped: no markup can survive


def _escape_json(json_text: str) -> str:
    for char, replacement in _JSON_ESCAPES:
        if char in json_text:
            json_text = json_text.replace(char, replacement)
    return json_text


def _model_json(model: WireModel) -> str:
    return _escape_json(model.to_json())


def _check_nonce(nonce: str | None) -> str | None:
    if nonce is not None and not _NONCE.fullmatch(nonce):
        raise RenderError(
            f"{nonce!r} is not a CSP nonce; use the base64 value your server put in the "
            "Content-Security-Policy header."
        )
    return nonce


# ------------------------------------------------------------------------- options


def _version(value: str) -> str:
    if not _VERSION.fullmatch(value):
        raise ValueError(f"{value!r} is not an SBL version; use a version such as '1.0.3'.")
    return value


def _script_url(value: str) -> str:
    """An ``https:``/``http:`` URL, a ``//host/...`` URL, or a path on the seller's site."""
    scheme = _URL_SCHEME.match(value)
    if any(char.isspace() or not char.isprintable() for char in value) or (
        scheme is not None and scheme.group(0).lower() not in ("https:", "http:")
    ):
        raise ValueError(
            f"{value!r} is not a script URL; use https://..., //host/... or a path on your "
            "site such as /static/sblgen/sbl-loader.js."
        )
    return value


ScriptUrl = Annotated[str, Field(min_length=1), AfterValidator(_script_url)]


class SblOptions(StrictModel):
    """Everything the ``<script id="fsc-api">`` tag says (FASTSPRING.md section 1).

    Callbacks are *names* of global functions, validated as JavaScript identifiers. The
    storefront may be given as text (``str``) or a :class:`Storefront`; either way it is a
    :class:`Storefront` once validated.

    >>> SblOptions(storefront="https://acme.onfastspring.com/popup-acme/").storefront.value
    'acme.onfastspring.com/popup-acme'
    """

    model_config = ConfigDict(frozen=True, extra="forbid")

    storefront: Storefront
    access_key: Annotated[str, Field(min_length=1, max_length=512)] | None = None
    continuous: bool = False
    debug: bool = False
    animate_fader: bool | None = None
    data_callback: JsIdentifier | None = None
    error_callback: JsIdentifier | None = None
    validation_callback: JsIdentifier | None = None
    before_requests_callback: JsIdentifier | None = None
    after_requests_callback: JsIdentifier | None = None
    before_markup_callback: JsIdentifier | None = None
    after_markup_callback: JsIdentifier | None = None
    markup_helpers_callback: JsIdentifier | None = None
    decorate_callback: JsIdentifier | None = None
    popup_closed: JsIdentifier | None = None
    popup_event_received: JsIdentifier | None = None
    popup_webhook_received: JsIdentifier | None = None
    version: Annotated[str, AfterValidator(_version)] = DEFAULT_SBL_VERSION
    #: A full script URL instead of FastSpring's (a mirror, a pinned copy).
    src: ScriptUrl | None = None
    loading: Literal["async", "defer"] | None = None
    mode: Mode = "inline"
    #: Where the page serves :data:`LOADER_PATH` (external mode).
    loader_src: ScriptUrl = "/static/sblgen/sbl-loader.js"

    if TYPE_CHECKING:
        # What type checkers see, with or without the pydantic plugin: the storefront as
        # text or a Storefront (the field itself is always a Storefront). One parameter per
        # field, with the field's default (tests/test_types_no_plugin.py checks they agree).
        def __init__(
            self,
            *,
            storefront: str | Storefront,
            access_key: str | None = None,
            continuous: bool = False,
            debug: bool = False,
            animate_fader: bool | None = None,
            data_callback: JsIdentifier | None = None,
            error_callback: JsIdentifier | None = None,
            validation_callback: JsIdentifier | None = None,
            before_requests_callback: JsIdentifier | None = None,
            after_requests_callback: JsIdentifier | None = None,
            before_markup_callback: JsIdentifier | None = None,
            after_markup_callback: JsIdentifier | None = None,
            markup_helpers_callback: JsIdentifier | None = None,
            decorate_callback: JsIdentifier | None = None,
            popup_closed: JsIdentifier | None = None,
            popup_event_received: JsIdentifier | None = None,
            popup_webhook_received: JsIdentifier | None = None,
            version: str = DEFAULT_SBL_VERSION,
            src: ScriptUrl | None = None,
            loading: Literal["async", "defer"] | None = None,
            mode: Mode = "inline",
            loader_src: ScriptUrl = "/static/sblgen/sbl-loader.js",
        ) -> None: ...

    @property
    def script_src(self) -> str:
        """The URL the tag loads."""
        return self.src or _SBL_URL.format(version=self.version)

    def data_attributes(self) -> list[tuple[str, str]]:
        """``data-*`` attributes in FastSpring's documented order."""
        attrs = [("data-storefront", self.storefront.value)]
        if self.access_key is not None:
            attrs.append(("data-access-key", self.access_key))
        if self.continuous:
            attrs.append(("data-continuous", "true"))
        if self.debug:
            attrs.append(("data-debug", "true"))
        if self.animate_fader is not None:
            attrs.append(("data-animate-fader", "true" if self.animate_fader else "false"))
        for field in _CALLBACKS:
            name = getattr(self, field)
            if name is not None:
                attrs.append((_CALLBACKS[field], name))
        return attrs


_CALLBACKS = {
    "data_callback": "data-data-callback",
    "error_callback": "data-error-callback",
    "validation_callback": "data-validation-callback",
    "before_requests_callback": "data-before-requests-callback",
    "after_requests_callback": "data-after-requests-callback",
    "before_markup_callback": "data-before-markup-callback",
    "after_markup_callback": "data-after-markup-callback",
    "markup_helpers_callback": "data-markup-helpers-callback",
    "decorate_callback": "data-decorate-callback",
    "popup_closed": "data-popup-closed",
    "popup_event_received": "data-popup-event-received",
    "popup_webhook_received": "data-popup-webhook-received",
}


def _options(options: SblOptions | Storefront | str) -> SblOptions:
    if isinstance(options, SblOptions):
        return options
    return SblOptions(storefront=Storefront.parse(options))


# ------------------------------------------------------------------------- templates


@cache
def _env() -> jinja2.Environment:
    return jinja2.Environment(
        loader=jinja2.PackageLoader("sblgen", "templates"),
        autoescape=True,
        undefined=jinja2.StrictUndefined,
        keep_trailing_newline=False,
    )


@cache
def _template(name: str) -> jinja2.Template:
    return _env().get_template(name)


def _render(name: str, **context: Any) -> Markup:
    return Markup(_template(name).render(**context))  # noqa: S704 - autoescaped template


_SLOT = "\x00slot{}\x00"


@cache
def _frame(name: str, slots: tuple[str, ...], **fixed: Any) -> tuple[str, ...]:
    """The template rendered once with a sentinel in each slot, split around them.

    Hot snippets fill this frame instead of running Jinja per call: the template stays the
    one source of the markup, and filling a slot with already-safe Markup gives exactly
    what rendering would (tests/test_render.py checks both ways agree).
    """
    context = {slot: Markup(_SLOT.format(i)) for i, slot in enumerate(slots)}  # noqa: S704
    text = str(_render(name, **context, **fixed))
    pieces: list[str] = []
    for i in range(len(slots)):
        before, sep, text = text.partition(_SLOT.format(i))
        if not sep:  # pragma: no cover - a template that drops or repeats a slot
            raise RuntimeError(f"template {name} must use slot {slots[i]} exactly once")
        pieces.append(before)
    pieces.append(text)
    return tuple(pieces)


def _fill(frame: tuple[str, ...], *values: str) -> Markup:
    out = [frame[0]]
    for value, piece in zip(values, frame[1:], strict=True):
        out.append(value)
        out.append(piece)
    return Markup("".join(out))  # noqa: S704 - values are escaped JSON or validated tokens


@cache
def loader_js() -> str:
    """The strict-CSP loader's source (serve it as ``application/javascript``)."""
    return LOADER_PATH.read_text(encoding="utf-8")


@cache
def _apply_js() -> Markup:
    source = loader_js()
    start = source.index("/*sblgen:apply*/") + len("/*sblgen:apply*/")
    return Markup(source[start : source.index("/*sblgen:end*/")])  # noqa: S704 - our file


# ------------------------------------------------------------------------- checks


def _require(value: object, cls: type[WireModel], what: str) -> None:
    """A clear TypeError for a plain dict (or anything else) where a model is expected."""
    if not isinstance(value, cls):
        raise TypeError(
            f"{what}: expected a sblgen.{cls.__name__}, not {type(value).__name__}; build one "
            f"with {cls.__name__}.model_validate(data) (the Jinja2, Django and Flask helpers "
            "accept dicts as they are)."
        )


def _check_session(session: Session, options: SblOptions | None, what: str) -> None:
    _require(session, Session, what)
    if session.clean:
        if options is None:
            raise RenderError(
                f"{what}: the session sets clean=True, which only works with data-continuous "
                "on the script tag; pass options=SblOptions(..., continuous=True) so sblgen "
                "can check it."
            )
        if not options.continuous:
            raise RenderError(
                f"{what}: the session sets clean=True but the script tag has no "
                "data-continuous; use SblOptions(..., continuous=True) or drop clean."
            )
    for field in ("secure", "authenticate"):
        request = getattr(session, field)
        if request is not None:
            _check_secure(
                request, options.storefront if options else None, options, f"{what}.{field}"
            )


def _check_secure(
    request: SecureRequest,
    storefront: Storefront | None,
    options: SblOptions | None,
    what: str,
) -> None:
    _require(request, SecureRequest, what)
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


# ------------------------------------------------------------------------- snippets


def script_tag(options: SblOptions | Storefront | str, *, nonce: str | None = None) -> Markup:
    """The ``<script id="fsc-api">`` tag that loads the SBL.

    >>> script_tag("acme.test.onfastspring.com/popup-acme")
    Markup('<script id="fsc-api" src="https://sbl.onfastspring.com/sbl/1.0.3/fastspring-builder.min.js" type="text/javascript" data-storefront="acme.test.onfastspring.com/popup-acme"></script>')
    """
    opts = _options(options)
    entry = _TAGS.get(id(opts))
    if entry is None or entry[0] is not opts:
        if len(_TAGS) >= 256:
            _TAGS.clear()
        entry = _TAGS[id(opts)] = (opts, *_script_tag_frame(opts))
    _, plain, frame = entry
    checked = _check_nonce(nonce)
    if checked is None:
        return plain
    return Markup(checked.join(frame))  # noqa: S704 - nonce is a validated token


#: Rendered tags by options object (identity-checked; options are immutable).
_TAGS: dict[int, tuple[SblOptions, Markup, list[str]]] = {}


def _script_tag_frame(opts: SblOptions) -> tuple[Markup, list[str]]:
    """The tag without a nonce, and split where a nonce goes (options are immutable)."""
    context = {"src": opts.script_src, "attrs": opts.data_attributes(), "loading": opts.loading}
    plain = _render("script_tag.html", nonce=None, **context)
    slot = _SLOT.format(0)
    frame = str(_render("script_tag.html", nonce=Markup(slot), **context)).split(slot)  # noqa: S704
    return plain, frame


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
    _check_session(session, options, "session_init")
    if _mode(mode, options) == "external":
        return _fill(_frame("data_block.html", ("data",), op="session"), _model_json(session))
    return _with_nonce("session_init.html", nonce, _model_json(session))


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
    _check_session(session, options, "push")
    return _apply("push", _model_json(session), options, nonce, mode)


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
    _check_secure(request, shop or (options.storefront if options else None), options, "secure")
    return _apply("secure", _model_json(request), options, nonce, mode)


def _mode(mode: Mode | None, options: SblOptions | None) -> Mode:
    if mode is not None:
        return mode
    return options.mode if options is not None else "inline"


def _apply(
    op: str, data: str, options: SblOptions | None, nonce: str | None, mode: Mode | None
) -> Markup:
    if _mode(mode, options) == "external":
        return _fill(_frame("data_block.html", ("data",), op=op), data)
    return _with_nonce("apply.html", nonce, data, op)


def _with_nonce(name: str, nonce: str | None, data: str, op: str = "") -> Markup:
    """Fill a ``nonce`` + ``data`` template; the nonce is a validated token."""
    if nonce is None:
        frame = _FRAMES.get((name, op))
        if frame is None:
            frame = _FRAMES[name, op] = _frame(name, ("data",), nonce=None, **_fixed(name, op))
        return Markup("".join((frame[0], data, frame[1])))  # noqa: S704 - escaped JSON
    _check_nonce(nonce)
    return _fill(_frame(name, ("nonce", "data"), **_fixed(name, op)), nonce, data)


#: Frames without a nonce, the hot path: (template, op) -> pieces.
_FRAMES: dict[tuple[str, str], tuple[str, ...]] = {}


def _fixed(name: str, op: str) -> dict[str, Any]:
    return {"apply": _apply_js(), "op": op} if name == "apply.html" else {}


def loader_tag(options: SblOptions | None = None, *, nonce: str | None = None) -> Markup:
    """The ``<script src>`` of the strict-CSP loader (external mode)."""
    src = (
        options.loader_src if options is not None else SblOptions.model_fields["loader_src"].default
    )
    return _render("loader_tag.html", src=src, nonce=_check_nonce(nonce))


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
    return _render("button.html", element=element, attrs=attrs, label=label, session_id=session_id)


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
    _require(session, Session, "buttons")
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
    secure_request: SecureRequest | None = None,
    with_buttons: bool = True,
    nonce: str | None = None,
) -> Markup:
    """A complete copy-paste snippet: session (and secure payload), loader in external
    mode, the SBL tag, and a button per product."""
    opts = _options(options)
    if session is not None:
        _require(session, Session, "embed")
    if secure_request is not None:
        _check_secure(secure_request, opts.storefront, opts, "embed")
        base = session.model_dump(exclude_none=True) if session else {}
        session = Session.model_validate({**base, "secure": secure_request})
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

from typing import Protocol  # noqa: E402  (lead: move up to the other imports at merge)

__all__ += ["checkout_call", "checkout_snippet"]  # (lead: fold into __all__ above at merge)


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
