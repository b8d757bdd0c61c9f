"""How much of a webhook body sblgen reads: at most :data:`MAX_BODY_BYTES` bytes and
:data:`MAX_JSON_DEPTH` levels of nesting, checked before anything is parsed.

>>> check_bounds(b'{"events": [[[[]]]]}')
>>> json_depth(b'{"events": [[[[]]]]}')
5
"""

from __future__ import annotations

from sblgen import limits
from sblgen.errors import WebhookPayloadError

__all__ = ["MAX_BODY_BYTES", "MAX_JSON_DEPTH", "check_bounds", "json_depth"]

#: The largest webhook body read (:data:`sblgen.limits.MAX_BODY_BYTES`, 5 MiB). FastSpring
#: posts a handful of events at a time, each a few kilobytes.
MAX_BODY_BYTES = limits.MAX_BODY_BYTES

#: The deepest JSON nesting accepted: sblgen's one limit, :data:`sblgen.limits.MAX_DEPTH`.
#: FastSpring's deepest documented event (an expanded order whose items carry fulfilments)
#: nests about 10 levels.
MAX_JSON_DEPTH = limits.MAX_DEPTH

#: How deeply JSON text nests (:func:`sblgen.limits.json_depth`).
json_depth = limits.json_depth
_nests_deeper_than = limits.nests_deeper_than


def check_bounds(body: bytes) -> None:
    """Raise :class:`~sblgen.errors.WebhookPayloadError` (one line) when ``body`` is larger
    than :data:`MAX_BODY_BYTES`, nests deeper than :data:`MAX_JSON_DEPTH` or breaks another
    of sblgen's input limits (:mod:`sblgen.limits`).

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
    try:
        limits.check_json_integers(body)  # the other input limit (the depth is checked)
    except limits.LimitError as err:
        raise WebhookPayloadError(f"The webhook body is refused: {err}.") from None
