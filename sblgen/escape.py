"""JSON inside HTML: the one way data reaches JavaScript on a page.

A model's wire JSON with ``<``, ``>``, ``&``, ``'``, U+2028 and U+2029 written as ``\\uXXXX``
escapes: still valid JSON (and JavaScript) that parses back to the same value, but no
string in it can close the script element, open a comment, end a single-quoted attribute
or end a line of JavaScript early.

>>> from sblgen import Session
>>> print(model_json(Session(tags={"note": "<b>&"})))
{"tags":{"note":"\\u003cb\\u003e\\u0026"}}
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from markupsafe import Markup

if TYPE_CHECKING:  # pragma: no cover
    from sblgen._model import WireModel

__all__ = ["escape_json", "html_safe_json", "model_json"]

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
