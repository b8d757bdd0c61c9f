"""JSON inside HTML: the one way data reaches JavaScript on a page.

A model's wire JSON with ``<``, ``>``, ``&``, ``'``, U+2028 and U+2029 written as ``\\uXXXX``
escapes: still valid JSON (and JavaScript) that parses back to the same value, but no
string in it can close the script element, open a comment, end a single-quoted attribute
or end a line of JavaScript early.

>>> from sblgen import Session
>>> print(model_json(Session(tags={"note": "<b>&"})))
{"tags":{"note":"\\u003cb\\u003e\\u0026"}}

Inside an inline ``<script>`` the JSON is read as a JavaScript object literal, where a
``"__proto__"`` key is not a key but sets the object's prototype (JSON.parse, as the
external mode's loader uses, keeps it as a key). :func:`script_json` writes such a key as
the computed key ``["__proto__"]``, an ordinary key in a literal, so both modes hand the
SBL the same object. (An escape such as ``"\\u005f_proto__"`` does not help: a literal's
key is compared after its escapes are decoded.)

>>> script_json('{"display":{"__proto__":"x"}}')
'{"display":{["__proto__"]:"x"}}'

For a template's own use (the ``sbl_json`` filter), :func:`template_json` also escapes
``=`` and the spaces inside strings, so that the text stays harmless wherever it lands,
even in a double-quoted attribute:

>>> print(template_json({"name": "Ann Lee"}))
{"name": "Ann\\u0020Lee"}
"""

from __future__ import annotations

import json
import re
from typing import TYPE_CHECKING, Any

from markupsafe import Markup

from sblgen.errors import RenderError
from sblgen.limits import LimitError, check_text

if TYPE_CHECKING:  # pragma: no cover
    from sblgen._model import WireModel

__all__ = ["escape_json", "html_safe_json", "model_json", "script_json", "template_json"]

_JSON_ESCAPES = (
    ("&", "\\u0026"),
    ("<", "\\u003c"),
    (">", "\\u003e"),
    ("'", "\\u0027"),
    ("\u2028", "\\u2028"),
    ("\u2029", "\\u2029"),
)


def escape_json(json_text: str) -> str:
    """JSON text with the characters HTML or JavaScript could misread escaped.

    >>> escape_json('"it\\'s"')
    '"it\\\\u0027s"'
    """
    for char, replacement in _JSON_ESCAPES:
        if char in json_text:
            json_text = json_text.replace(char, replacement)
    return json_text


def html_safe_json(json_text: str) -> Markup:
    """Make JSON text safe inside ``<script>`` and single-quoted attributes.

    The escapes keep it valid JSON (and JavaScript) that parses back to the same value.

    >>> html_safe_json('{"a":"</script><!--"}')
    Markup('{"a":"\\\\u003c/script\\\\u003e\\\\u003c!--"}')
    """
    return Markup(escape_json(json_text))  # noqa: S704 - escaped: no markup can survive


def model_json(model: WireModel) -> str:
    """A model's compact wire JSON, made safe for HTML."""
    return escape_json(model.to_json())


#: A ``"__proto__"`` key (keys follow ``{`` or ``,``; inside a string every ``"`` is escaped,
#: so this never matches text).
_PROTO_KEY = re.compile(r'([{,])"__proto__":')


def script_json(json_text: str) -> str:
    """Escaped JSON text (:func:`escape_json`) as an inline script reads it: the same value
    as ``JSON.parse`` gives, ``"__proto__"`` keys included (written ``["__proto__"]``,
    which a JavaScript object literal treats as an ordinary key).

    >>> script_json('{"a":{"__proto__":{"b":1}},"c":"\\\\"__proto__\\\\":"}')
    '{"a":{["__proto__"]:{"b":1}},"c":"\\\\"__proto__\\\\":"}'
    """
    if '"__proto__"' not in json_text:
        return json_text
    return _PROTO_KEY.sub(r'\1["__proto__"]:', json_text)


#: Escapes :func:`template_json` adds to :func:`escape_json`'s: ``=`` and ``/`` (never part
#: of JSON's structure) and, inside strings, the space: with ``>``, the characters that end
#: an attribute's name or start its value.
_TEMPLATE_ESCAPES = (("=", "\\u003d"), ("/", "\\u002f"), (" ", "\\u0020"))
#: The other characters Unicode calls white space (JSON already escapes the controls, and
#: :func:`escape_json` U+2028/9). Browsers split attribute names at ASCII space only, but a
#: server-side HTML parser or sanitizer may split at these too (Python's ``html.parser``
#: does), so inside strings they are escaped as well.
_OTHER_SPACES = re.compile("[\x85\xa0\u1680\u2000-\u200a\u202f\u205f\u3000]")
_STRING_OR_SEPARATOR = re.compile(r'"[^"\\]*(?:\\.[^"\\]*)*"|([,:])')


def _spaced(match: re.Match[str]) -> str:
    separator = match.group(1)
    return separator + " " if separator else match.group(0)


def template_json(value: Any) -> Markup:
    """A model's wire JSON, or plain data as JSON (``json.dumps`` spacing), that is harmless
    wherever a template puts it: in text, in a ``<script>``, and in an attribute with single,
    double or no quotes. It is what the ``sbl_json`` filter writes.

    Besides :func:`escape_json`'s escapes, ``=``, ``/`` and every space inside a string are
    written ``\\u003d``, ``\\u002f`` and ``\\u0020`` (other Unicode white space, such as
    U+00A0 or U+0085, as its ``\\u`` escape too). Where a double quote of the JSON ends
    an attribute early, what follows can hold no ``=``, ``/``, ``<``, ``>`` or space that a
    string supplied, so no string can add an attribute, a value or a tag. The *value*
    arrives intact in text, in a ``<script>`` and in a single-quoted attribute
    (``data-x='{{ v|sbl_json }}'``, read with ``JSON.parse(el.dataset.x)``); a double-quoted
    attribute cannot hold JSON's quotes.

    A ``"__proto__"`` key is refused (in a ``<script>`` the object literal would make it
    the prototype and drop it), as is text that is not valid Unicode.

    >>> print(template_json({"a": 'x" onmouseover=alert(1) y="'}))
    {"a": "x\\"\\u0020onmouseover\\u003dalert(1)\\u0020y\\u003d\\""}
    >>> template_json({"__proto__": {}})
    Traceback (most recent call last):
    sblgen.errors.RenderError: sbl_json: a "__proto__" key cannot be written for a template: ...
    """
    from sblgen._model import WireModel

    if isinstance(value, WireModel):
        text, spaced = value.to_json(), False
    else:
        text, spaced = _dumps(value), True
    if '"__proto__":' in text:
        raise RenderError(
            'sbl_json: a "__proto__" key cannot be written for a template: in a <script> a '
            "JavaScript object literal makes it the prototype and drops it; rename the key."
        )
    try:
        check_text(text, "sbl_json: the value")
    except LimitError as err:
        raise RenderError(str(err)) from None
    text = escape_json(text)
    for char, replacement in _TEMPLATE_ESCAPES:
        if char in text:
            text = text.replace(char, replacement)
    text = _OTHER_SPACES.sub(lambda match: f"\\u{ord(match.group()):04x}", text)
    if spaced:
        text = _STRING_OR_SEPARATOR.sub(_spaced, text)
    return Markup(text)  # noqa: S704 - escaped: no markup can survive


def _dumps(value: Any) -> str:
    """Plain data as compact JSON (the spaces :func:`template_json` writes are its own)."""
    try:
        return json.dumps(value, ensure_ascii=False, separators=(",", ":"), allow_nan=False)
    except (TypeError, ValueError, RecursionError) as err:
        raise RenderError(f"sbl_json: the value is not JSON data ({err}).") from None
