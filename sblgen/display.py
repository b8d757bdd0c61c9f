"""Display directives: elements the SBL fills with live, localized cart data.

FastSpring's library rewrites marked elements after every answer from the storefront: the
price in the buyer's currency, the cart's total, whether a product is in the cart. Each helper
here writes one such element with **fallback** text, what the page shows before the SBL has
loaded and without JavaScript (a static site's catalog price, say). Fallback text is
HTML-escaped; a :class:`~markupsafe.Markup` value goes in as it is.

>>> print(item_price("pro-plan", "$49.00"))
<span data-fsc-item-path="pro-plan" data-fsc-item-price>$49.00</span>
>>> print(order_total("$0.00", element="strong"))
<strong data-fsc-order-total>$0.00</strong>

Product level (``data-fsc-item-path`` plus one directive):

- values: :func:`item_display` (the product's display name), :func:`item_price` (unit price),
  :func:`item_price_total` (unit price x quantity), :func:`item_discount` (the discount on
  that), :func:`item_total` (after the discount), :func:`item_quantity`,
  :func:`item_description`, :func:`item_image`, :func:`item_link`, and :func:`item_value`
  for any other property of the order's item;
- state: :func:`item_selected` (shown while the product is, or is not, in the cart), a price
  shown only when a discount applies (``smartdisplay=True`` on :func:`item_price` and
  :func:`item_price_total`), and :func:`item_attributes` for elements of your own
  (``smartdisable``, ``selection-smartselect``, ...).

Order level: :func:`order_total`, :func:`order_discount`, :func:`order_promocode`,
:func:`order_value`; :func:`order_selections` (shown while the cart has, or has no,
selections), :func:`paypal_available`, :func:`tax_exemption_allowed` and
:func:`order_attributes`.

How the SBL fills them: an ``<input>`` or ``<button>`` gets the value as ``value``, an
``<img>`` as ``src``, a ``<div>`` nothing at all, and every other element as its inner HTML.
Value helpers therefore write a text element (``span`` by default), state helpers a ``<div>``
(whose content the SBL never touches). The SBL fills product directives only for products in
the order: the storefront's products and the cart's. A directive whose value is missing from
the order (``null``) makes the SBL stop before it binds the page's buttons, so use those your
storefront sends. State the SBL shows or hides starts out as the page without JavaScript
would be (nothing in the cart, no discount): hidden elements carry ``hidden``, which the
SBL's ``display:block`` overrides (unless a stylesheet says ``[hidden] {display: none
!important}``; pass ``hidden=False`` then).
"""

from __future__ import annotations

import re
from typing import Literal, get_args

from markupsafe import Markup

from sblgen._templates import render
from sblgen.errors import RenderError
from sblgen.types import product_path

__all__ = [
    "ITEM_STATE_DIRECTIVES",
    "ORDER_STATE_DIRECTIVES",
    "TextElement",
    "item_attributes",
    "item_description",
    "item_discount",
    "item_display",
    "item_image",
    "item_link",
    "item_price",
    "item_price_total",
    "item_quantity",
    "item_selected",
    "item_total",
    "item_value",
    "order_attributes",
    "order_discount",
    "order_promocode",
    "order_selections",
    "order_total",
    "order_value",
    "paypal_available",
    "tax_exemption_allowed",
]

#: Elements a value directive may be written as: the SBL sets their inner HTML.
TextElement = Literal[
    "span",
    "strong",
    "em",
    "b",
    "small",
    "s",
    "del",
    "p",
    "td",
    "th",
    "li",
    "dd",
    "h1",
    "h2",
    "h3",
    "h4",
    "h5",
    "h6",
]
_TEXT_ELEMENTS: tuple[str, ...] = get_args(TextElement)

#: Product-level state directives (``data-fsc-item-<name>``), each driven by whether the
#: product is in the cart (``selected``).
ITEM_STATE_DIRECTIVES = (
    "selection-smartselect",
    "selection-smartdisplay",
    "selection-smartdisplay-inverse",
    "hideifselected",
    "showifselected",
    "hideifnotselected",
    "showifnotselected",
    "smartdisable",
    "smartdisable-inverse",
    "disableifselected",
    "disableifnotselected",
    "enableifselected",
    "enableifnotselected",
)
#: Order-level state directives (``data-fsc-<name>``), each driven by whether the cart has
#: selections.
ORDER_STATE_DIRECTIVES = (
    "selections-smartselect",
    "selections-smartdisplay",
    "selections-smartdisplay-inverse",
    "selections-hideifselections",
    "selections-showifselections",
    "selections-hideifnoselections",
    "selections-showifnoselections",
    "selections-smartdisable",
    "selections-smartdisable-inverse",
    "selections-disableifselections",
    "selections-disableifnoselections",
    "selections-enableifselections",
    "selections-enableifnoselections",
    "checkout-hideempty",
)
#: The SBL checks this directive under a misspelt name; sblgen writes the name it checks.
_SPELLED_BY_THE_SBL = {"selections-disableifnoselections": "selections-disableifnoselectios"}

#: A property of the order object (``priceTotal``), or of an object inside it
#: (``description-summary``).
_PROPERTY = re.compile(r"[A-Za-z][A-Za-z0-9_]*(?:-[A-Za-z0-9_]+)?")
_ATTRIBUTE = re.compile(r"[a-z][a-z0-9-]*")
_URL_SCHEME = re.compile(r"[A-Za-z][A-Za-z0-9+.-]*:")
_Attrs = list[tuple[str, str | None]]


# ----------------------------------------------------------------------------- product level


def item_value(
    product: str,
    prop: str,
    fallback: str = "",
    *,
    element: TextElement = "span",
    css_class: str | None = None,
    smartdisplay: bool | str = False,
    hidden: bool | None = None,
) -> Markup:
    """An element the SBL fills with property ``prop`` of the product's item in the order
    (``data-fsc-item-<prop>``; ``description-summary`` for a key of an object property).

    ``smartdisplay`` (only with ``price`` and ``priceTotal``): ``True`` shows this element
    only while a discount applies (it starts ``hidden``); an attribute name such as
    ``"data-sale-badge"`` shows or hides the first element of the page with that attribute
    instead.

    >>> print(item_value("pro-plan", "priceTotal", "$98.00"))
    <span data-fsc-item-path="pro-plan" data-fsc-item-pricetotal>$98.00</span>
    >>> item_value("pro-plan", "path")
    Traceback (most recent call last):
    sblgen.errors.RenderError: item_value: the SBL writes the path only into ...
    """
    return _item(product, prop, fallback, element, css_class, smartdisplay, hidden, "item_value")


def item_display(
    product: str, fallback: str = "", *, element: TextElement = "span", css_class: str | None = None
) -> Markup:
    """The product's display name, in the buyer's language (``data-fsc-item-display``).

    >>> print(item_display("pro-plan", "Pro plan", element="strong"))
    <strong data-fsc-item-path="pro-plan" data-fsc-item-display>Pro plan</strong>
    """
    return _item(product, "display", fallback, element, css_class, False, None, "item_display")


def item_price(
    product: str,
    fallback: str = "",
    *,
    element: TextElement = "span",
    css_class: str | None = None,
    smartdisplay: bool | str = False,
    hidden: bool | None = None,
) -> Markup:
    """The unit price in the buyer's currency, formatted by FastSpring
    (``data-fsc-item-price``); see :func:`item_value` for ``smartdisplay``.

    >>> print(item_price("pro-plan", "$49.00", css_class="price"))
    <span class="price" data-fsc-item-path="pro-plan" data-fsc-item-price>$49.00</span>
    """
    return _item(product, "price", fallback, element, css_class, smartdisplay, hidden, "item_price")


def item_price_total(
    product: str,
    fallback: str = "",
    *,
    element: TextElement = "span",
    css_class: str | None = None,
    smartdisplay: bool | str = False,
    hidden: bool | None = None,
) -> Markup:
    """Unit price times quantity, before any discount (``data-fsc-item-pricetotal``). With
    ``smartdisplay=True`` it is shown only while a discount applies: the struck-out price
    next to :func:`item_total`.

    >>> print(item_price_total("pro-plan", element="s", smartdisplay=True))
    <s data-fsc-item-path="pro-plan" data-fsc-item-pricetotal data-fsc-smartdisplay hidden></s>
    """
    what = "item_price_total"
    return _item(product, "priceTotal", fallback, element, css_class, smartdisplay, hidden, what)


def item_discount(
    product: str, fallback: str = "", *, element: TextElement = "span", css_class: str | None = None
) -> Markup:
    """The discount on the product's line (``data-fsc-item-discounttotal``).

    >>> print(item_discount("pro-plan", "$0.00"))
    <span data-fsc-item-path="pro-plan" data-fsc-item-discounttotal>$0.00</span>
    """
    return _item(
        product, "discountTotal", fallback, element, css_class, False, None, "item_discount"
    )


def item_total(
    product: str, fallback: str = "", *, element: TextElement = "span", css_class: str | None = None
) -> Markup:
    """The line's total after its discount (``data-fsc-item-total``).

    >>> print(item_total("pro-plan", "$49.00"))
    <span data-fsc-item-path="pro-plan" data-fsc-item-total>$49.00</span>
    """
    return _item(product, "total", fallback, element, css_class, False, None, "item_total")


def item_quantity(
    product: str, fallback: str = "", *, element: TextElement = "span", css_class: str | None = None
) -> Markup:
    """The product's quantity in the cart, or its default quantity
    (``data-fsc-item-quantity``).

    >>> print(item_quantity("pro-plan", "1"))
    <span data-fsc-item-path="pro-plan" data-fsc-item-quantity>1</span>
    """
    return _item(product, "quantity", fallback, element, css_class, False, None, "item_quantity")


def item_description(
    product: str,
    fallback: str = "",
    *,
    part: str = "summary",
    element: TextElement = "p",
    css_class: str | None = None,
) -> Markup:
    """A part of the product's description (``data-fsc-item-description-<part>``), HTML from
    your FastSpring catalog (the SBL drops its first ``<p>`` and ``</p>``).

    >>> print(item_description("pro-plan", "For professionals."))
    <p data-fsc-item-path="pro-plan" data-fsc-item-description-summary>For professionals.</p>
    """
    if not isinstance(part, str) or not re.fullmatch(r"[A-Za-z][A-Za-z0-9_]*", part):
        raise RenderError(
            f"item_description: part {part!r} is not a key of the description; use 'summary'."
        )
    prop = f"description-{part}"
    return _item(product, prop, fallback, element, css_class, False, None, "item_description")


def item_image(
    product: str, src: str = "", *, alt: str = "", css_class: str | None = None
) -> Markup:
    """An ``<img>`` whose ``src`` the SBL sets to the product's image
    (``data-fsc-item-image``); ``src`` is the fallback image. FastSpring serves the image
    from its own hosts: a Content-Security-Policy must allow them in ``img-src``.

    >>> print(item_image("pro-plan", "/img/pro.png", alt="Pro plan"))
    <img data-fsc-item-path="pro-plan" data-fsc-item-image src="/img/pro.png" alt="Pro plan">
    """
    attrs: _Attrs = [
        ("data-fsc-item-path", _product(product, "item_image")),
        ("data-fsc-item-image", None),
    ]
    if src:
        attrs.append(("src", _url(src, "item_image", "src")))
    attrs.append(("alt", _text(alt, "item_image", "alt")))
    return _element("img", attrs, "", css_class, None, "item_image")


def item_link(product: str, label: str, *, href: str, css_class: str | None = None) -> Markup:
    """A link the SBL points at the product's page on the storefront
    (``data-fsc-item-link``: ``https://<storefront>/<path>``); ``href`` is the fallback.

    >>> print(item_link("pro-plan", "Details", href="/pro.html"))
    <a data-fsc-item-path="pro-plan" data-fsc-item-link href="/pro.html">Details</a>
    """
    attrs: _Attrs = [
        ("data-fsc-item-path", _product(product, "item_link")),
        ("data-fsc-item-link", None),
        ("href", _url(href, "item_link", "href")),
    ]
    return _element("a", attrs, label, css_class, None, "item_link")


def item_selected(
    product: str,
    content: str = "",
    *,
    selected: bool = True,
    css_class: str | None = None,
    hidden: bool | None = None,
) -> Markup:
    """A ``<div>`` shown while the product is in the cart
    (``data-fsc-item-selection-smartdisplay``), or, with ``selected=False``, while it is not
    (``...-inverse``). The first starts ``hidden``: without JavaScript the cart is empty.

    >>> print(item_selected("pro-plan", "In cart"))
    <div data-fsc-item-path="pro-plan" data-fsc-item-selection-smartdisplay hidden>In cart</div>
    >>> print(item_selected("pro-plan", "Buy", selected=False))
    <div data-fsc-item-path="pro-plan" data-fsc-item-selection-smartdisplay-inverse>Buy</div>
    """
    directive = "selection-smartdisplay" if selected else "selection-smartdisplay-inverse"
    attrs: _Attrs = [
        ("data-fsc-item-path", _product(product, "item_selected")),
        (f"data-fsc-item-{directive}", None),
    ]
    return _element(
        "div", attrs, content, css_class, selected if hidden is None else hidden, "item_selected"
    )


def item_attributes(product: str, *directives: str) -> Markup:
    """The attributes that put state directives (:data:`ITEM_STATE_DIRECTIVES`) on an
    element of your own, such as a checkbox ticked while the product is in the cart.

    >>> print(f'<input type="checkbox" {item_attributes("pro-plan", "selection-smartselect")}>')
    <input type="checkbox" data-fsc-item-path="pro-plan" data-fsc-item-selection-smartselect>
    """
    attrs: _Attrs = [("data-fsc-item-path", _product(product, "item_attributes"))]
    attrs += [
        (f"data-fsc-item-{name}", None)
        for name in _states(directives, ITEM_STATE_DIRECTIVES, "item_attributes")
    ]
    return render("display_attrs.html", attrs=attrs)


# ----------------------------------------------------------------------------- order level


def order_value(
    prop: str,
    fallback: str = "",
    *,
    element: TextElement = "span",
    css_class: str | None = None,
) -> Markup:
    """An element the SBL fills with top-level property ``prop`` of the order
    (``data-fsc-order-<prop>``), such as ``total``, ``discountTotal`` or ``currency``.

    >>> print(order_value("currency", "USD"))
    <span data-fsc-order-currency>USD</span>
    """
    return _order(prop, fallback, element, css_class, "order_value")


def order_total(
    fallback: str = "", *, element: TextElement = "span", css_class: str | None = None
) -> Markup:
    """The order's total in the buyer's currency (``data-fsc-order-total``).

    >>> print(order_total("$0.00"))
    <span data-fsc-order-total>$0.00</span>
    """
    return _order("total", fallback, element, css_class, "order_total")


def order_discount(
    fallback: str = "", *, element: TextElement = "span", css_class: str | None = None
) -> Markup:
    """The order's total discount (``data-fsc-order-discounttotal``).

    >>> print(order_discount("$0.00"))
    <span data-fsc-order-discounttotal>$0.00</span>
    """
    return _order("discountTotal", fallback, element, css_class, "order_discount")


def order_promocode(
    fallback: str = "", *, element: TextElement = "span", css_class: str | None = None
) -> Markup:
    """The applied coupon code, or nothing (``data-fsc-order-promocode``: the SBL writes the
    order's first coupon, or ``''``).

    >>> print(order_promocode())
    <span data-fsc-order-promocode></span>
    """
    return _order("promocode", fallback, element, css_class, "order_promocode")


def order_selections(
    content: str = "",
    *,
    selections: bool = True,
    css_class: str | None = None,
    hidden: bool | None = None,
) -> Markup:
    """A ``<div>`` shown while the cart has selections (``data-fsc-selections-smartdisplay``),
    or, with ``selections=False``, while it is empty (``...-inverse``). The first starts
    ``hidden``: without JavaScript the cart is empty.

    >>> print(order_selections("Your cart is empty.", selections=False))
    <div data-fsc-selections-smartdisplay-inverse>Your cart is empty.</div>
    """
    directive = "selections-smartdisplay" if selections else "selections-smartdisplay-inverse"
    hide = selections if hidden is None else hidden
    return _element(
        "div", [(f"data-fsc-{directive}", None)], content, css_class, hide, "order_selections"
    )


def paypal_available(
    content: str = "", *, css_class: str | None = None, hidden: bool = True
) -> Markup:
    """A ``<div>`` shown only when the order offers PayPal (``data-fsc-smartdisplay
    data-fsc-order-paypal-available``), for a ``PaypalCheckout`` button.

    >>> print(paypal_available("Pay with PayPal"))
    <div data-fsc-smartdisplay data-fsc-order-paypal-available hidden>Pay with PayPal</div>
    """
    attrs: _Attrs = [("data-fsc-smartdisplay", None), ("data-fsc-order-paypal-available", None)]
    return _element("div", attrs, content, css_class, hidden, "paypal_available")


def tax_exemption_allowed(
    content: str = "", *, css_class: str | None = None, hidden: bool = True
) -> Markup:
    """A ``<div>`` shown only when the order allows a tax exemption (``data-fsc-smartdisplay
    data-fsc-order-taxid``), for a ``TaxId`` input and button.

    >>> print(tax_exemption_allowed("VAT ID"))
    <div data-fsc-smartdisplay data-fsc-order-taxid hidden>VAT ID</div>
    """
    attrs: _Attrs = [("data-fsc-smartdisplay", None), ("data-fsc-order-taxid", None)]
    return _element("div", attrs, content, css_class, hidden, "tax_exemption_allowed")


def order_attributes(*directives: str) -> Markup:
    """The attributes that put order state directives (:data:`ORDER_STATE_DIRECTIVES`) on
    an element of your own, such as a checkout button disabled while the cart is empty.
    ``selections-disableifnoselections`` is written as the SBL spells it.

    >>> print(f'<button {order_attributes("checkout-hideempty")}>Checkout</button>')
    <button data-fsc-checkout-hideempty>Checkout</button>
    >>> print(order_attributes("selections-disableifnoselections"))
    data-fsc-selections-disableifnoselectios
    """
    names = _states(directives, ORDER_STATE_DIRECTIVES, "order_attributes")
    attrs: _Attrs = [(f"data-fsc-{_SPELLED_BY_THE_SBL.get(name, name)}", None) for name in names]
    return render("display_attrs.html", attrs=attrs)


def _item(
    product: str,
    prop: str,
    fallback: str,
    element: str,
    css_class: str | None,
    smartdisplay: bool | str,
    hidden: bool | None,
    what: str,
) -> Markup:
    path = _product(product, what)
    name = _property(prop, what)
    if name == "path":
        raise RenderError(
            f"{what}: the SBL writes the path only into data-fsc-item-path-element, and you "
            "know it when you render; write the path as text."
        )
    attrs: _Attrs = [("data-fsc-item-path", path), (f"data-fsc-item-{name}", None)]
    if smartdisplay is not False:
        if name not in ("price", "pricetotal"):
            raise RenderError(
                f"{what}: smartdisplay works only with 'price' and 'priceTotal' (the SBL "
                f"ignores it on {prop!r}); drop it or show the price."
            )
        if smartdisplay is True:
            attrs.append(("data-fsc-smartdisplay", None))
            hidden = True if hidden is None else hidden
        else:
            attrs.append(("data-fsc-smartdisplay", _attribute(smartdisplay, "smartdisplay")))
    return _element(_text_element(element, what), attrs, fallback, css_class, hidden, what)


def _order(prop: str, fallback: str, element: str, css_class: str | None, what: str) -> Markup:
    name = _property(prop, what)
    if name == "groups":
        raise RenderError(
            f"{what}: the SBL writes no element for 'groups'; show its items with the "
            "item_... helpers."
        )
    if name == "coupons":
        raise RenderError(
            f"{what}: the SBL writes the first coupon as 'promocode'; use order_promocode()."
        )
    tag = _text_element(element, what)
    return _element(tag, [(f"data-fsc-order-{name}", None)], fallback, css_class, None, what)


# ----------------------------------------------------------------------------- checks


def _product(product: object, what: str) -> str:
    try:
        return product_path(product)
    except ValueError as err:
        raise RenderError(f"{what}: product {err}") from None


def _property(prop: object, what: str) -> str:
    if not isinstance(prop, str) or not _PROPERTY.fullmatch(prop):
        raise RenderError(
            f"{what}: {prop!r} is not a property of the order object; use a name such as "
            "'price' or 'priceTotal' (or 'description-summary' for a key inside one)."
        )
    # HTML attribute names are case-insensitive; the SBL finds priceTotal as pricetotal.
    return prop.lower()


def _attribute(name: str, what: str) -> str:
    if not isinstance(name, str) or not _ATTRIBUTE.fullmatch(name):
        raise RenderError(
            f"{what}: {name!r} is not an attribute name; use True (this element) or the name of "
            "an attribute the target element carries, such as 'data-sale-badge'."
        )
    return name


def _states(directives: tuple[str, ...], known: tuple[str, ...], what: str) -> tuple[str, ...]:
    unknown = [name for name in directives if name not in known]
    if not directives or unknown:
        raise RenderError(
            f"{what}: unknown state directive(s) {unknown or list(directives)!r}; use some of "
            f"{', '.join(known)}."
        )
    return directives


def _text(value: object, what: str, field: str) -> str:
    if isinstance(value, Markup):
        return value
    if not isinstance(value, str):
        raise RenderError(
            f"{what}: {field} must be text (a str), not {type(value).__name__}; write it as "
            "the page would show it, such as '$49.00'."
        )
    if "\x00" in value:
        raise RenderError(f"{what}: {field} cannot contain U+0000 (HTML drops it); remove it.")
    return value


def _url(value: object, what: str, field: str) -> str:
    text = _text(value, what, field)
    scheme = _URL_SCHEME.match(text)
    if any(char.isspace() for char in text) or (
        scheme is not None and scheme.group(0).lower() not in ("https:", "http:")
    ):
        raise RenderError(
            f"{what}: {field} {text!r} is not a link the page can use; give https://..., "
            "//host/... or a path on your site."
        )
    return text


def _text_element(element: object, what: str) -> str:
    if element not in _TEXT_ELEMENTS:
        raise RenderError(
            f"{what}: element {element!r} is not one the SBL writes text into; use one of "
            f"{', '.join(_TEXT_ELEMENTS)} (not div: the SBL writes nothing into a <div>)."
        )
    return str(element)


def _element(
    element: str,
    attrs: _Attrs,
    content: object,
    css_class: str | None,
    hidden: bool | None,
    what: str,
) -> Markup:
    void = element == "img"
    if css_class is not None:
        attrs = [("class", _text(css_class, what, "css_class")), *attrs]
    if hidden:
        attrs = [*attrs, ("hidden", None)]
    text = _text(content, what, "the fallback text") if not void else ""
    return render("display.html", element=element, attrs=attrs, content=text, void=void)
