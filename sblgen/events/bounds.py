"""How much of a webhook body sblgen reads: at most :data:`MAX_BODY_BYTES` bytes and
:data:`MAX_JSON_DEPTH` levels of nesting, checked before anything is parsed.

>>> check_bounds(b'{"events": [[[[]]]]}')
>>> json_depth(b'{"events": [[[[]]]]}')
5
"""

from __future__ import annotations

import re
from array import array
from itertools import accumulate

from sblgen.errors import WebhookPayloadError

__all__ = ["MAX_BODY_BYTES", "MAX_JSON_DEPTH", "check_bounds", "json_depth"]

#: The largest webhook body read (5 MiB). FastSpring posts a handful of events at a time,
#: each a few kilobytes, so this leaves a wide margin and still bounds memory per request.
MAX_BODY_BYTES = 5 * 1024 * 1024

#: The deepest JSON nesting accepted. FastSpring's deepest documented event (an expanded
#: order whose items carry fulfilments) nests about 10 levels.
MAX_JSON_DEPTH = 64

_STRING = re.compile(rb'"[^"\\]*(?:\\.[^"\\]*)*"')
_STEPS = bytes.maketrans(b"[{]}", b"\x01\x01\xff\xff")
_NOT_BRACKET = bytes(c for c in range(256) if c not in b"[]{}")
_NOT_BRACKET_OR_QUOTE = bytes(c for c in range(256) if c not in b'[]{}"')


def _max_depth(brackets: bytes) -> int:
    """Deepest nesting of a string made only of ``[]{}``."""
    return max(accumulate(array("b", brackets.translate(_STEPS))), default=0)


def _brackets(body: bytes) -> bytes:
    """The ``[]{}`` of ``body`` that are outside its strings, in order."""
    # Drop escaped backslashes and quotes, then keep only quotes and brackets: a string
    # without brackets becomes '""'. When every quote is in such a pair (counted the way
    # replace() would remove them), no string holds a bracket and the quotes can simply go;
    # only otherwise is the exact (slower) string-aware scan needed.
    text = body.replace(b"\\\\", b"").replace(b'\\"', b"") if b"\\" in body else body
    skeleton = text.translate(None, _NOT_BRACKET_OR_QUOTE)
    if skeleton.count(b'"') == 2 * skeleton.count(b'""'):
        return skeleton.translate(None, b'"')
    return _STRING.sub(b"", text).translate(None, _NOT_BRACKET)


def json_depth(body: bytes) -> int:
    """How deeply the JSON text ``body`` nests (brackets inside strings do not count).

    >>> json_depth(b'{"a": [1, {"b": "]]]{"}]}'), json_depth(b'"text"')
    (3, 0)
    """
    return _max_depth(_brackets(body))


def _nests_deeper_than(body: bytes, limit: int) -> int | None:
    """The depth of ``body`` if it is more than ``limit``, else None."""
    brackets = rest = _brackets(body)
    if len(brackets) <= limit:
        return None  # fewer brackets than the limit: it cannot nest deeper
    passes = 0
    # Each pass drops every innermost pair, so at least one and at most two levels: a body
    # peeled empty in n passes nests at most 2n deep. Cheaper than the exact count.
    while rest and 2 * passes < limit:
        peeled = rest.replace(b"{}", b"").replace(b"[]", b"")
        if peeled == rest:
            break  # not balanced: the parser will refuse it, the exact count decides here
        rest, passes = peeled, passes + 1
    if not rest and 2 * passes <= limit:
        return None
    depth = _max_depth(brackets)
    return depth if depth > limit else None


def check_bounds(body: bytes) -> None:
    """Raise :class:`~sblgen.errors.WebhookPayloadError` (one line) when ``body`` is larger
    than :data:`MAX_BODY_BYTES` or nests deeper than :data:`MAX_JSON_DEPTH`.

    >>> check_bounds(b"[" * 65)
    Traceback (most recent call last):
    sblgen.errors.WebhookPayloadError: The webhook body nests 65 levels deep, more than \
    MAX_JSON_DEPTH (64); FastSpring's events nest about 10, so refuse it.
    """
    if len(body) > MAX_BODY_BYTES:
        raise WebhookPayloadError(
            f"The webhook body is {len(body)} bytes, more than MAX_BODY_BYTES "
            f"({MAX_BODY_BYTES}); FastSpring's posts are far smaller, so refuse it."
        )
    depth = _nests_deeper_than(body, MAX_JSON_DEPTH)
    if depth is not None:
        raise WebhookPayloadError(
            f"The webhook body nests {depth} levels deep, more than MAX_JSON_DEPTH "
            f"({MAX_JSON_DEPTH}); FastSpring's events nest about 10, so refuse it."
        )
