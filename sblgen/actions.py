"""Markup actions: :func:`button` and :func:`buttons`, the value inputs that
``Promocode``, ``PostalCode``, ``TaxId`` and ``Recognize`` read, and the rules by which the
SBL reads a button (it binds ``[data-fsc-action]`` elements once, on ``DOMContentLoaded``; each
action reads the product, quantity and value elements it names).

Only markup the SBL reads the way the seller meant is emitted; the rest is refused with
the fix (:class:`~sblgen.errors.RenderError`): a quantity below 1, a quantity without
``Update``, a lone ``Clean``, ``Replace``.

>>> print(button("Buy", product="pro-plan"))
<button type="button" data-fsc-item-path-value="pro-plan" data-fsc-action="Add,Checkout">Buy</button>
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping, Sequence
from typing import Literal

from markupsafe import Markup

from sblgen._checks import checkout_session, require
from sblgen._templates import render
from sblgen.errors import RenderError
from sblgen.limits import LimitError, check_markup_text
from sblgen.options import ACTIONS, Action, SblOptions
from sblgen.session import Product, Session
from sblgen.types import ProductPath

__all__ = ["VALUE_INPUTS", "button", "buttons", "value_input_tags"]


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
        checkout_session(session_id, "button(session_id=...)")  # the SBL's rule for a session id
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


def buyable_lines(session: Session) -> tuple[Product, ...]:
    """The lines of ``session`` that get a buy button: a line with quantity 0 removes its
    product, so it gets none."""
    return tuple(p for p in session.products or () if p.quantity > 0)


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

    lines = buyable_lines(session)
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
