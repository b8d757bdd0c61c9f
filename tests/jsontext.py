"""Turn documentation examples (JSON or JS object literals) into compact JSON text.

Documentation pages print examples with tabs, single quotes and ``//`` comments; the wire
form sblgen emits is compact JSON. ``compact_js`` removes whitespace outside strings, strips
comments and rewrites single-quoted strings as double-quoted ones, keeping every character of
every string, so a test can compare the two byte for byte.
"""

from __future__ import annotations

import json


def compact_js(text: str) -> str:
    """Compact JSON text from a JSON/JS object literal (comments, quotes and layout removed).

    >>> compact_js("{ 'a' : 1, // note\\n  \\"b\\": 'x y' }")
    '{"a":1,"b":"x y"}'
    """
    out: list[str] = []
    i, n = 0, len(text)
    while i < n:
        ch = text[i]
        if ch in "'\"":
            j = i + 1
            chars: list[str] = []
            while text[j] != ch:
                if text[j] == "\\":
                    chars.append(text[j : j + 2])
                    j += 2
                    continue
                chars.append(text[j])
                j += 1
            body = "".join(chars)
            if ch == "'":
                body = json.dumps(body.replace("\\'", "'"), ensure_ascii=False)[1:-1]
            out.append(f'"{body}"')
            i = j + 1
        elif text.startswith("//", i):
            while i < n and text[i] != "\n":
                i += 1
        elif ch.isspace():
            i += 1
        else:
            out.append(ch)
            i += 1
    return "".join(out)


def object_literal(text: str) -> str:
    """The ``{...}`` object in a ``var x = {...}`` statement."""
    start = text.index("{")
    end = text.rindex("}")
    return text[start : end + 1]
