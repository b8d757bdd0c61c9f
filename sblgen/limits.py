"""Input limits: the one rule for everything sblgen reads from outside, and for its text.

Every entry point applies the same limits: JSON and TOML files and standard input given to
the CLI, ``site.toml``, Sessions API responses and webhook bodies. A breach raises
:class:`LimitError`, whose message names the limit; the entry point puts its source in
front and raises its own typed error (:class:`~sblgen.errors.InputFileError` for the CLI,
:class:`~sblgen.errors.SiteError` for ``site.toml``,
:class:`~sblgen.errors.UnexpectedResponseError` for an API response,
:class:`~sblgen.errors.WebhookPayloadError` for a webhook, and a
:class:`pydantic.ValidationError` inside a model), so a hostile input never ends in a raw
``RecursionError``, ``OverflowError`` or a crash later on.

The limits:

- :data:`MAX_DEPTH`: how deeply JSON or TOML may nest;
- :data:`MAX_INT_DIGITS`: how many digits an integer may have (Python's ``int`` parsing is
  slow for thousands of digits, and refuses more than 4300);
- :data:`MAX_BODY_BYTES`: the largest webhook body;
- :data:`MAX_RESPONSE_BYTES`: the largest Sessions API response, counted after
  decompression;
- :data:`MAX_ERROR_BODY_CHARS`: how much of a response body an error keeps.

The rules for text:

- **no lone surrogates** anywhere (:func:`check_text`): such a string is not Unicode, it
  cannot be written as UTF-8, so it would pass validation and fail when encrypted, sent or
  rendered;
- **no NUL or other control characters where HTML cannot carry them**
  (:func:`check_markup_text`): in an attribute or in text, HTML turns NUL into U+FFFD or
  drops it, and other controls are parse errors.

>>> loads_json('{"a": [1, 2.5, "x"]}')
{'a': [1, 2.5, 'x']}
>>> loads_json("[" * 65 + "]" * 65)
Traceback (most recent call last):
sblgen.limits.LimitError: nested deeper than MAX_DEPTH=64
>>> loads_json("1" * 70)
Traceback (most recent call last):
sblgen.limits.LimitError: an integer with 70 digits: more than MAX_INT_DIGITS=64
>>> check_markup_text("a\\x00b", "label")
Traceback (most recent call last):
sblgen.limits.LimitError: label contains U+0000 at index 1: HTML cannot carry it; remove it.
"""

from __future__ import annotations

import json
import math
import re
import tomllib
import unicodedata
from array import array
from collections.abc import Mapping
from itertools import accumulate
from typing import Any, Final

__all__ = [
    "MAX_BODY_BYTES",
    "MAX_DEPTH",
    "MAX_ERROR_BODY_CHARS",
    "MAX_INT_DIGITS",
    "MAX_RESPONSE_BYTES",
    "PROTO_KEY",
    "LimitError",
    "check_data",
    "check_json_bytes",
    "check_json_integers",
    "check_markup_text",
    "check_text",
    "json_depth",
    "loads_json",
    "loads_toml",
    "nests_deeper_than",
    "printable",
]

#: The deepest nesting of JSON or TOML accepted (objects, arrays, tables). FastSpring's
#: deepest documented data (an expanded order whose items carry fulfilments) nests about 10
#: levels; a session or ``site.toml`` far fewer.
MAX_DEPTH: Final = 64

#: The most digits an integer may have (sign not counted). Prices, quantities and epoch
#: milliseconds have at most 19; a JavaScript number holds 16 exactly.
MAX_INT_DIGITS: Final = 64

#: The largest webhook body read (5 MiB). FastSpring posts a handful of events at a time,
#: each a few kilobytes, so this leaves a wide margin and still bounds memory per request.
MAX_BODY_BYTES: Final = 5 * 1024 * 1024

#: The largest Sessions API response body read (16 MiB), counted *after* decompression, so
#: a small compressed body that would expand to gigabytes stops here.
MAX_RESPONSE_BYTES: Final = 16 * 1024 * 1024

#: How many characters of a response body an :class:`~sblgen.errors.ApiError` keeps in
#: ``body`` (the start of it): enough for any error FastSpring sends, never a whole page.
MAX_ERROR_BODY_CHARS: Final = 8192


class LimitError(ValueError):
    """Input beyond one of the limits, or text that breaks a rule; the message names the
    limit (``nested deeper than MAX_DEPTH=64``). Entry points re-raise it as their own
    typed error with the source in front."""


# --------------------------------------------------------------------------- text

_SURROGATE = re.compile("[\ud800-\udfff]")
#: What HTML cannot carry: NUL (replaced or dropped) and the controls that are parse
#: errors (C0 but tab, line feed, form feed and carriage return; DEL; C1).
_NOT_MARKUP = re.compile("[\x00-\x08\x0b\x0e-\x1f\x7f-\x9f\ud800-\udfff]")


def check_text(text: str, what: str = "text") -> str:
    """``text`` if it is valid Unicode: no lone surrogate (U+D800 to U+DFFF), which no
    UTF-8 encoder accepts. ``what`` names the value in the message.

    >>> check_text("Zoë 😀")
    'Zoë 😀'
    >>> check_text("a\\ud800", "postalCode")
    Traceback (most recent call last):
    sblgen.limits.LimitError: postalCode contains a lone surrogate (U+D800) at index 1: it is \
not valid Unicode and cannot be written as UTF-8; fix the text where it came from.
    """
    if text.isascii():
        return text
    found = _SURROGATE.search(text)
    if found is not None:
        raise LimitError(
            f"{what} contains a lone surrogate (U+{ord(found.group()):04X}) at index "
            f"{found.start()}: it is not valid Unicode and cannot be written as UTF-8; fix "
            "the text where it came from."
        )
    return text


def check_markup_text(text: str, what: str = "text") -> str:
    """``text`` if HTML can carry it as is, in an attribute or as text: valid Unicode
    (:func:`check_text`), without NUL or the control characters HTML parsers reject (tab,
    line feed, form feed and carriage return are fine).

    >>> check_markup_text("Buy\\tnow")
    'Buy\\tnow'
    >>> check_markup_text("key\\x1b[0m", "access_key")
    Traceback (most recent call last):
    sblgen.limits.LimitError: access_key contains U+001B at index 3: HTML cannot carry it; \
remove it.
    """
    found = _NOT_MARKUP.search(text)
    if found is None:
        return text
    if "\ud800" <= found.group() <= "\udfff":
        return check_text(text, what)
    raise LimitError(
        f"{what} contains U+{ord(found.group()):04X} at index {found.start()}: HTML cannot "
        "carry it; remove it."
    )


_NAMED_ESCAPES = {"\n": "\\n", "\r": "\\r", "\t": "\\t"}


def _escaped(char: str) -> str:
    if unicodedata.category(char) not in ("Cc", "Cf", "Cs", "Zl", "Zp"):
        return char
    if char in _NAMED_ESCAPES:
        return _NAMED_ESCAPES[char]
    code = ord(char)
    return f"\\x{code:02x}" if code < 0x100 else f"\\u{code:04x}"


def printable(text: str) -> str:
    """``text`` safe to print on one line of a terminal or a log: control and format
    characters (escape sequences, NUL, line breaks, bidirectional overrides) and lone
    surrogates written as ``\\n``, ``\\x1b``, ``\\u202e``; everything else as is.

    >>> printable("order.completed\\x1b[2J\\nfake line \\u202eevil")
    'order.completed\\\\x1b[2J\\\\nfake line \\\\u202eevil'
    """
    if text.isprintable():
        return text
    return "".join(map(_escaped, text))


# --------------------------------------------------------------------------- nesting

_STRING = re.compile(rb'"[^"\\]*(?:\\.[^"\\]*)*"')
_STEPS = bytes.maketrans(b"[{]}", b"\x01\x01\xff\xff")
_NOT_BRACKET = bytes(c for c in range(256) if c not in b"[]{}")
_NOT_BRACKET_OR_QUOTE = bytes(c for c in range(256) if c not in b'[]{}"')


def _max_depth(brackets: bytes) -> int:
    """Deepest nesting of a string made only of ``[]{}``."""
    return max(accumulate(array("b", brackets.translate(_STEPS))), default=0)


def _brackets(body: bytes) -> bytes:
    """The ``[]{}`` of JSON ``body`` that are outside its strings, in order."""
    # Drop escaped backslashes and quotes, then keep only quotes and brackets: a string
    # without brackets becomes '""'. When every quote is in such a pair (counted the way
    # replace() would remove them), no string holds a bracket and the quotes can simply go;
    # only otherwise is the exact (slower) string-aware scan needed.
    text = body.replace(b"\\\\", b"").replace(b'\\"', b"") if b"\\" in body else body
    skeleton = text.translate(None, _NOT_BRACKET_OR_QUOTE)
    if skeleton.count(b'"') == 2 * skeleton.count(b'""'):
        return skeleton.translate(None, b'"')
    return _STRING.sub(b"", text).translate(None, _NOT_BRACKET)


def _as_bytes(body: bytes | bytearray | memoryview | str) -> bytes:
    if isinstance(body, str):
        return body.encode("utf-8", "surrogatepass")
    return bytes(body)


def json_depth(body: bytes | str) -> int:
    """How deeply the JSON text ``body`` nests (brackets inside strings do not count).

    >>> json_depth(b'{"a": [1, {"b": "]]]{"}]}'), json_depth(b'"text"')
    (3, 0)
    """
    return _max_depth(_brackets(_as_bytes(body)))


def nests_deeper_than(body: bytes | str, limit: int = MAX_DEPTH) -> int | None:
    """The depth of the JSON text ``body`` if it is more than ``limit``, else ``None``;
    fast for the usual shallow body.

    >>> nests_deeper_than(b"[[[]]]", 2), nests_deeper_than(b"[[[]]]", 3)
    (3, None)
    """
    brackets = rest = _brackets(_as_bytes(body))
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


def _too_deep() -> LimitError:
    return LimitError(f"nested deeper than MAX_DEPTH={MAX_DEPTH}")


# --------------------------------------------------------------------------- numbers

#: A run of digits that is an integer of more than MAX_INT_DIGITS digits (not a fraction,
#: not an exponent).
_LONG_INT = re.compile(rb"(?<![\d.eE])(?<![eE][+-])\d{%d,}(?![\d.eE])" % (MAX_INT_DIGITS + 1))
_INT_BOUND = 10**MAX_INT_DIGITS
#: Every digit as ``0``: a body holds a run of more than MAX_INT_DIGITS digits exactly when
#: its translation holds :data:`_LONG_RUN`, a substring search far cheaper than the regex
#: (which tries a match at every digit of every timestamp).
_DIGITS_AS_ZERO = bytes.maketrans(b"123456789", b"000000000")
_LONG_RUN = b"0" * (MAX_INT_DIGITS + 1)


def _too_long(digits: int) -> LimitError:
    return LimitError(f"an integer with {digits} digits: more than MAX_INT_DIGITS={MAX_INT_DIGITS}")


def _json_int(text: str) -> int:
    digits = len(text) - text.startswith("-")
    if digits > MAX_INT_DIGITS:
        raise _too_long(digits)
    return int(text)


def _json_float(text: str) -> float:
    value = float(text)
    if not math.isfinite(value):
        raise LimitError(f"the number {text[:40]} is out of range (more than a double holds)")
    return value


def _json_constant(name: str) -> Any:
    raise LimitError(f"{name} is not a JSON number; give a number or null")


def check_json_bytes(body: bytes | str) -> None:
    """Raise :class:`LimitError` if the JSON text ``body`` nests deeper than
    :data:`MAX_DEPTH` or holds an integer of more than :data:`MAX_INT_DIGITS` digits:
    checked on the raw text, before any parser (or model) sees it. Fast for the usual
    body.

    >>> check_json_bytes(b'{"card": "' + b"4" * 80 + b'"}')  # digits in a string: text
    >>> check_json_bytes(b'{"n": ' + b"4" * 80 + b'}')
    Traceback (most recent call last):
    sblgen.limits.LimitError: an integer with 80 digits: more than MAX_INT_DIGITS=64
    """
    raw = _as_bytes(body)
    if nests_deeper_than(raw, MAX_DEPTH) is not None:
        raise _too_deep()
    check_json_integers(raw)


def check_json_integers(body: bytes | str) -> None:
    """Raise :class:`LimitError` if the JSON text ``body`` holds an integer of more than
    :data:`MAX_INT_DIGITS` digits (digits inside strings are text): the half of
    :func:`check_json_bytes` for a caller that has checked the depth itself.

    >>> check_json_integers(b'{"n": ' + b"4" * 65 + b', "s": "' + b"4" * 90 + b'"}')
    Traceback (most recent call last):
    sblgen.limits.LimitError: an integer with 65 digits: more than MAX_INT_DIGITS=64
    """
    raw = _as_bytes(body)
    if _LONG_RUN not in raw.translate(_DIGITS_AS_ZERO) or _LONG_INT.search(raw) is None:
        return
    text = raw.replace(b"\\\\", b"").replace(b'\\"', b"") if b"\\" in raw else raw
    found = _LONG_INT.search(_STRING.sub(b'""', text))
    if found is not None:
        raise _too_long(len(found.group()))


# --------------------------------------------------------------------------- parsed data


def _key(path: str, key: object) -> str:
    if isinstance(key, int):
        return f"{path}[{key}]"
    return f"{path}.{key}" if path else str(key)


#: A key no map sent to a page may have: JavaScript object literals make it the object's
#: prototype, and the SBL's key-by-key merge would write through it into every object's.
PROTO_KEY: Final = "__proto__"


def check_data(
    value: Any, what: str = "the data", *, refuse_keys: frozenset[str] = frozenset()
) -> Any:
    """``value`` (parsed JSON or TOML: dicts, lists, text, numbers) if it keeps to the
    limits: at most :data:`MAX_DEPTH` levels, integers of at most :data:`MAX_INT_DIGITS`
    digits, finite numbers, and valid Unicode (:func:`check_text`) in every key and string;
    none of ``refuse_keys`` as a key at any depth. The message says where
    (``pages[0].title``).

    >>> check_data({"pages": [{"title": "ok"}]})
    {'pages': [{'title': 'ok'}]}
    >>> check_data({"pages": [{"title": "\\udc80"}]})
    Traceback (most recent call last):
    sblgen.limits.LimitError: pages[0].title contains a lone surrogate (U+DC80) at index 0: ...
    """
    stack: list[tuple[Any, str, int]] = [(value, "", 0)]
    while stack:
        item, path, depth = stack.pop()
        if isinstance(item, str):
            check_text(item, path or what)
        elif isinstance(item, bool):
            continue
        elif isinstance(item, int):
            if not -_INT_BOUND < item < _INT_BOUND:
                raise LimitError(
                    f"{path or what}: an integer with more than MAX_INT_DIGITS="
                    f"{MAX_INT_DIGITS} digits"
                )
        elif isinstance(item, float):
            if not math.isfinite(item):
                raise LimitError(f"{path or what}: {item} is not a finite number")
        elif isinstance(item, Mapping | list | tuple):
            if depth >= MAX_DEPTH:
                raise LimitError(
                    f"{path + ': ' if path else ''}nested deeper than MAX_DEPTH={MAX_DEPTH}"
                )
            if isinstance(item, Mapping):
                for key, child in item.items():
                    if isinstance(key, str):
                        check_text(key, f"a key of {path}" if path else "a key")
                        if key in refuse_keys:
                            raise LimitError(
                                f"{key!r} cannot be a key{f' of {path}' if path else ''}: "
                                "JavaScript would treat it as the object's prototype; "
                                "rename it."
                            )
                    stack.append((child, _key(path, key), depth + 1))
            else:
                stack.extend((child, _key(path, i), depth + 1) for i, child in enumerate(item))
    return value


def loads_json(text: str | bytes) -> Any:
    """Parse JSON within the limits: :func:`check_json_bytes` before parsing, then
    ``NaN``/``Infinity`` and numbers beyond a double refused, and every string and key
    valid Unicode (:func:`check_data`). A syntax error is :class:`json.JSONDecodeError` as
    usual; a limit is :class:`LimitError`.

    >>> loads_json('{"a": NaN}')
    Traceback (most recent call last):
    sblgen.limits.LimitError: NaN is not a JSON number; give a number or null
    """
    check_json_bytes(text)
    data = json.loads(
        text,
        parse_int=_json_int,
        parse_float=_json_float,
        parse_constant=_json_constant,
    )
    return check_data(data)


#: TOML tokens that matter for nesting: strings (each kind), comments and brackets.
_TOML_TOKEN = re.compile(
    r'"""(?:[^\\]|\\.)*?"""|\'\'\'.*?\'\'\'|"(?:[^"\\\n]|\\.)*"|\'[^\'\n]*\'|#[^\n]*|[\[\]{}]',
    re.S,
)


def _toml_depth(text: str) -> int:
    depth = deepest = 0
    for token in _TOML_TOKEN.finditer(text):
        char = token.group()
        if char in "[{":
            depth += 1
            deepest = max(deepest, depth)
        elif char in "]}":
            depth -= 1
    return deepest


def loads_toml(text: str) -> dict[str, Any]:
    """Parse TOML within the limits (:func:`check_data`); a syntax error is
    :class:`tomllib.TOMLDecodeError` as usual, a limit :class:`LimitError`.

    >>> loads_toml('a = [1, [2]]')
    {'a': [1, [2]]}
    >>> loads_toml("a = " + "[" * 70 + "]" * 70)
    Traceback (most recent call last):
    sblgen.limits.LimitError: nested deeper than MAX_DEPTH=64
    """
    # Table headers ([a], [[a]]) count as one or two levels: harmless against 64.
    if ("[" in text or "{" in text) and _toml_depth(text) > MAX_DEPTH:
        raise _too_deep()
    try:
        data = tomllib.loads(text)
    except RecursionError:
        raise _too_deep() from None
    except tomllib.TOMLDecodeError:
        raise
    except ValueError:  # Python's own int limit (more than 4300 digits)
        raise LimitError(
            f"an integer with more than MAX_INT_DIGITS={MAX_INT_DIGITS} digits"
        ) from None
    checked: dict[str, Any] = check_data(data)
    return checked
