"""The template helpers (``sbl_script``, ``sbl_session``, ... and the ``sbl_json`` filter),
bound to default script-tag options: what the Jinja2, Flask and Django integrations and the
site builder install in their templates. Each returns :class:`markupsafe.Markup`.

>>> helpers = SblHelpers(SblOptions(storefront="acme.test.onfastspring.com/popup-acme"))
>>> print(helpers.session({"coupon": "SPRING"}))
<script>var fscSession = {"coupon":"SPRING"};</script>
>>> print(helpers.json({"a": "</script>"}))
{"a": "\\u003c\\u002fscript\\u003e"}
"""

from __future__ import annotations

import inspect
from collections.abc import Callable, Mapping
from typing import Any

import jinja2
from markupsafe import Markup
from pydantic import ValidationError

from sblgen import display, render
from sblgen._model import UNKNOWN_FIELD, as_model, unknown_field_message
from sblgen.errors import ConfigurationError, RenderError
from sblgen.escape import template_json
from sblgen.options import SblOptions
from sblgen.secure_request import SecureRequest
from sblgen.session import Session
from sblgen.storefront import Storefront

__all__ = [
    "DISPLAY_GLOBALS",
    "DISPLAY_HELPERS",
    "SblHelpers",
    "options_from_settings",
    "page_inputs",
    "settings_problems",
]


#: What a seller's storefront setting looks like, for messages.
_STOREFRONT_EXAMPLE = "'acme.test.onfastspring.com/popup-acme'"


def settings_problems(
    values: Mapping[str, Any], setting: Callable[[str], str]
) -> list[tuple[str, str]]:
    """Every problem with a framework's sblgen settings (keys are option names), as
    ``(kind, message)``: ``kind`` is ``"unknown"`` (a name that is no option; the message
    suggests the one probably meant), ``"missing"`` or ``"invalid"``, unknown names first.
    Each message names the setting as ``setting(name)`` spells it.

    >>> settings_problems({"storefont": "x"}, lambda n: f"SBLGEN_{n.upper()}")[0]
    ('unknown', 'SBLGEN_STOREFONT: unknown setting; did you mean SBLGEN_STOREFRONT?')
    >>> settings_problems({"storefront": "acme.onfastspring.com/popup-acme"}, str.upper)
    []
    """
    try:
        SblOptions.model_validate(values)
    except ValidationError as err:
        return _problems(err, setting)
    return []


def _problems(err: ValidationError, setting: Callable[[str], str]) -> list[tuple[str, str]]:
    names = list(SblOptions.model_fields)
    problems: list[tuple[str, str]] = []
    for item in err.errors(include_url=False):
        name = str(item["loc"][0]) if item["loc"] else "storefront"
        if item["type"] == UNKNOWN_FIELD:
            text = unknown_field_message(name, None, spell=setting, names=names, noun="setting")
            problems.append(("unknown", f"{setting(name)}: {text}"))
        elif item["type"] == "missing":
            fix = f"give your storefront, such as {_STOREFRONT_EXAMPLE}"
            problems.append(("missing", f"{setting(name)}: not set; {fix}"))
        else:
            message = item["msg"].removeprefix("Value error, ")
            problems.append(("invalid", f"{setting(name)}: {message}"))
    return sorted(problems, key=lambda problem: problem[0] != "unknown")


def options_from_settings(values: Mapping[str, Any], setting: Callable[[str], str]) -> SblOptions:
    """:class:`SblOptions` from a framework's settings (keys are option names); a bad value
    raises :class:`~sblgen.errors.ConfigurationError` naming the setting (``setting(name)``),
    a misspelt name the setting probably meant (:func:`settings_problems`).

    >>> options_from_settings({"storefront": "nope"}, lambda n: f"SBLGEN_{n.upper()}")
    Traceback (most recent call last):
    sblgen.errors.ConfigurationError: SBLGEN_STOREFRONT: 'nope' is not a FastSpring storefront; ...
    >>> options_from_settings({"storefront": "acme.onfastspring.com", "acess_key": "K"}, str.upper)
    Traceback (most recent call last):
    sblgen.errors.ConfigurationError: ACESS_KEY: unknown setting; did you mean ACCESS_KEY?
    """
    try:
        return SblOptions.model_validate(values)
    except ValidationError as err:
        raise ConfigurationError(_problems(err, setting)[0][1]) from None


def page_inputs(context: jinja2.runtime.Context) -> set[str]:
    """The value inputs (``data-fsc-<tag>-value`` tags) one template render has written so
    far: kept with the render (its blocks and the templates it extends), and handed to the
    templates it includes."""
    eval_ctx = context.eval_ctx
    seen: set[str] | None = getattr(eval_ctx, _INPUTS, None)
    if seen is None:
        inherited = context.get(_INPUTS)
        seen = inherited if isinstance(inherited, set) else set()
        setattr(eval_ctx, _INPUTS, seen)
        context.vars[_INPUTS] = seen
    return seen


#: Where a render keeps :func:`page_inputs`.
_INPUTS = "_sblgen_value_inputs"


def _with_caller(helper: Callable[..., Markup]) -> Callable[..., Markup]:
    """``helper`` taking its content from a Jinja2 ``{% call %}`` block as well:
    ``{% call sbl_item_selected("pro-plan") %}In your cart{% endcall %}``."""

    def call(*args: Any, caller: Callable[[], str] | None = None, **kwargs: Any) -> Markup:
        if caller is not None:
            kwargs["content"] = Markup(caller())  # noqa: S704 - the block, autoescaped by Jinja
        return helper(*args, **kwargs)

    call.__doc__ = helper.__doc__
    return call


#: The display directive helpers (:mod:`sblgen.display`) by template name: Jinja2 globals
#: (:data:`DISPLAY_GLOBALS`) and Django tags of the same names.
DISPLAY_HELPERS: dict[str, Callable[..., Markup]] = {
    "sbl_item_value": display.item_value,
    "sbl_item_display": display.item_display,
    "sbl_item_price": display.item_price,
    "sbl_item_price_total": display.item_price_total,
    "sbl_item_discount": display.item_discount,
    "sbl_item_total": display.item_total,
    "sbl_item_quantity": display.item_quantity,
    "sbl_item_description": display.item_description,
    "sbl_item_image": display.item_image,
    "sbl_item_link": display.item_link,
    "sbl_item_selected": display.item_selected,
    "sbl_item_attributes": display.item_attributes,
    "sbl_order_value": display.order_value,
    "sbl_order_total": display.order_total,
    "sbl_order_discount": display.order_discount,
    "sbl_order_promocode": display.order_promocode,
    "sbl_order_selections": display.order_selections,
    "sbl_order_attributes": display.order_attributes,
    "sbl_paypal_available": display.paypal_available,
    "sbl_tax_exemption_allowed": display.tax_exemption_allowed,
}
#: The Jinja2 globals: :data:`DISPLAY_HELPERS`, those that wrap content also taking a
#: ``{% call %}`` block.
DISPLAY_GLOBALS: dict[str, Callable[..., Markup]] = {
    name: _with_caller(helper) if "content" in inspect.signature(helper).parameters else helper
    for name, helper in DISPLAY_HELPERS.items()
}


class SblHelpers:
    """The template helpers bound to default options (shared by the Flask and Django
    integrations)."""

    def __init__(self, options: SblOptions | None = None) -> None:
        self.options = options

    def _opts(self, storefront: str | Storefront | None) -> SblOptions:
        if storefront is not None:
            if self.options is None:
                return SblOptions.model_validate({"storefront": storefront})
            # model_copy(update=...) would skip validation and keep the string.
            return SblOptions.model_validate({**dict(self.options), "storefront": storefront})
        if self.options is None:
            raise jinja2.TemplateRuntimeError(
                "sbl_script() needs a storefront: pass storefront=... or install the helpers "
                "with options=SblOptions(storefront=...)."
            )
        return self.options

    def script(
        self,
        storefront: str | Storefront | None = None,
        session: Session | Mapping[str, Any] | None = None,
        secure: SecureRequest | Mapping[str, Any] | None = None,
        nonce: str | None = None,
    ) -> Markup:
        return render.embed(
            self._opts(storefront),
            session=as_model(session, Session) if session is not None else None,
            secure=as_model(secure, SecureRequest) if secure is not None else None,
            with_buttons=False,
            nonce=nonce,
        )

    def session(self, session: Session | Mapping[str, Any], nonce: str | None = None) -> Markup:
        return render.session_init(as_model(session, Session), options=self.options, nonce=nonce)

    def push(self, session: Session | Mapping[str, Any], nonce: str | None = None) -> Markup:
        return render.push(as_model(session, Session), options=self.options, nonce=nonce)

    def secure(
        self, request: SecureRequest | Mapping[str, Any], nonce: str | None = None
    ) -> Markup:
        return render.secure(as_model(request, SecureRequest), options=self.options, nonce=nonce)

    def loader(self, nonce: str | None = None) -> Markup:
        return render.loader_tag(self.options, nonce=nonce)

    def buttons(self, session: Session | Mapping[str, Any], **kwargs: Any) -> Markup:
        return render.buttons(as_model(session, Session), **kwargs)

    def button(self, label: str, *, seen: set[str] | None = None, **kwargs: Any) -> Markup:
        """:func:`sblgen.render.button` with these helpers' options (for ``Clean``). ``seen``
        holds the value inputs already on the page (``data-fsc-<tag>-value``): the SBL
        reads only the first of each, so a second one is refused."""
        kwargs.setdefault("options", self.options)
        html = render.button(label, **kwargs)
        if seen is not None and kwargs.get("with_input", True):
            tags = render.value_input_tags(kwargs.get("actions", ()))
            if kwargs.get("session_id") is not None:
                tags += ("session",)
            again = [tag for tag in tags if tag in seen]
            if again:
                raise RenderError(
                    f"sbl_button: the page already has an input data-fsc-{again[0]}-value, and "
                    "the SBL reads only the first one; pass with_input=False to make this "
                    "button read that one."
                )
            seen.update(tags)
        return html

    @jinja2.pass_context
    def _jinja_button(self, context: jinja2.runtime.Context, label: str, **kwargs: Any) -> Markup:
        return self.button(label, seen=page_inputs(context), **kwargs)

    @staticmethod
    def json(value: Any) -> Markup:
        """The ``sbl_json`` filter: harmless in text, a script or any attribute
        (:func:`sblgen.escape.template_json`)."""
        return template_json(value)

    def as_globals(self) -> dict[str, Any]:
        """The template globals, by name."""
        return {
            "sbl_script": self.script,
            "sbl_session": self.session,
            "sbl_push": self.push,
            "sbl_secure": self.secure,
            "sbl_loader": self.loader,
            "sbl_button": self._jinja_button,
            "sbl_buttons": self.buttons,
            "sbl_embedded_container": render.embedded_container,
            **DISPLAY_GLOBALS,
        }

    def install(self, env: jinja2.Environment) -> jinja2.Environment:
        """Add these helpers (:meth:`as_globals`) and the ``sbl_json`` filter to ``env``;
        returns ``env``."""
        env.globals.update(self.as_globals())
        env.filters["sbl_json"] = self.json
        return env
