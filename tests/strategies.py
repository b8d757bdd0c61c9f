"""Shared hypothesis strategies: the inputs an adversarial sweep throws at every surface.

Text mixes ordinary characters with the pieces that broke (or could break) something:
prototype keys, lone surrogates, NUL and other controls, the JavaScript line terminators
U+2028/U+2029, markup and quote characters, template braces. Nesting and numbers go to the
sizes that make parsers recurse or allocate. :data:`HTML_CONTEXTS` are the places a helper's
output can stand in a page.

>>> from hypothesis import find
>>> find(hostile_text(), lambda t: "__proto__" in t)
'__proto__'
>>> [context.name for context in HTML_CONTEXTS]
['text', 'double-quoted attribute', 'single-quoted attribute', 'script', 'json script']
"""

from __future__ import annotations

import json
from collections.abc import Callable
from dataclasses import dataclass
from html.parser import HTMLParser
from typing import Any, TypeVar

from hypothesis import strategies as st

__all__ = [
    "ATOMS",
    "attempt",
    "HTML_CONTEXTS",
    "JS_PROTOTYPE_KEYS",
    "HtmlContext",
    "Tree",
    "deep_json_text",
    "huge_integers",
    "hostile_key",
    "hostile_text",
    "js_literal_loads",
    "json_values",
    "parse_html",
    "valid_text",
]

#: Keys JavaScript treats specially in an object literal or on every object.
JS_PROTOTYPE_KEYS = ("__proto__", "constructor", "prototype", "toString", "hasOwnProperty")

#: Fragments the sweep used; :func:`hostile_text` strings are built from these and ordinary
#: characters.
ATOMS = (
    *JS_PROTOTYPE_KEYS,
    "\x00",
    "\ud800",  # lone high surrogate
    "\udfff",  # lone low surrogate
    "\U0001f600",  # a real surrogate pair in UTF-16
    "\u2028",
    "\u2029",
    "\r",
    "\n",
    "\t",
    "\x0b",
    "\x1b[31m",
    "\x7f",
    "\ufeff",
    "\ufffd",
    "<",
    ">",
    "&",
    '"',
    "'",
    "`",
    "\\",
    "/",
    "</script>",
    "</SCRIPT ",
    "<script>",
    "<!--",
    "-->",
    "<![CDATA[",
    "]]>",
    "&amp;",
    "&#34;",
    "&quot",
    "${",
    "{{",
    "}}",
    "{path}",
    "{0.__class__}",
    "{quantity:>999}",
    "%s",
    '" onmouseover="alert(1)',
    "' onfocus='alert(1)",
    "javascript:",
    "\\u0022",
)

_characters = st.characters(codec=None)  # any code point, lone surrogates included


def hostile_text(*, max_size: int = 12) -> st.SearchStrategy[str]:
    """Text assembled from :data:`ATOMS` and arbitrary code points."""
    piece = st.one_of(st.sampled_from(ATOMS), _characters)
    return st.lists(piece, max_size=max_size).map("".join)


def valid_text(*, max_size: int = 12) -> st.SearchStrategy[str]:
    """:func:`hostile_text` without what no wire model accepts (lone surrogates, NUL): text
    every free-text field should carry unchanged."""
    return hostile_text(max_size=max_size).filter(
        lambda t: "\x00" not in t and not any("\ud800" <= c <= "\udfff" for c in t)
    )


def hostile_key() -> st.SearchStrategy[str]:
    """A map key: the prototype keys most often, else hostile text."""
    return st.one_of(st.sampled_from(JS_PROTOTYPE_KEYS), hostile_text(max_size=4))


def huge_integers() -> st.SearchStrategy[int]:
    """Integers from 0 to numbers with thousands of digits, and their negatives."""
    # 4300 digits: where Python's int <-> str conversion starts to refuse (CVE-2020-10735).
    digits = st.sampled_from([300, 4300, 4301, 5000, 20_000])
    return st.one_of(
        st.integers(min_value=-(2**64), max_value=2**64),
        digits.map(lambda n: 10**n - 1),
        digits.map(lambda n: -(10**n)),
    )


def json_values(*, key: st.SearchStrategy[str] | None = None) -> st.SearchStrategy[Any]:
    """JSON-shaped data (as ``json.loads`` returns it) with hostile keys and text."""
    leaves = st.one_of(
        st.none(),
        st.booleans(),
        st.integers(min_value=-(2**53), max_value=2**53),
        st.floats(allow_nan=False, allow_infinity=False),
        valid_text(),
    )
    return st.recursive(
        leaves,
        lambda inner: st.one_of(
            st.lists(inner, max_size=3),
            st.dictionaries(valid_key() if key is None else key, inner, max_size=3),
        ),
        max_leaves=8,
    )


def valid_key() -> st.SearchStrategy[str]:
    """:func:`hostile_key` without lone surrogates and NUL."""
    return st.one_of(st.sampled_from(JS_PROTOTYPE_KEYS), valid_text(max_size=4))


def deep_json_text(depth: int, *, kind: str = "list") -> str:
    """JSON text nested ``depth`` levels deep (``[[[...]]]`` or ``{"a":{"a":...}}``).

    >>> deep_json_text(2), deep_json_text(2, kind="object")
    ('[[0]]', '{"a":{"a":0}}')
    """
    if kind == "list":
        return "[" * depth + "0" + "]" * depth
    return '{"a":' * depth + "0" + "}" * depth


def js_literal_loads(text: str) -> Any:
    """What a JavaScript object *literal* written as ``text`` holds, as ``json.loads``
    would return it: a ``"__proto__"`` key in a literal sets the object's prototype
    instead of an own property, so it is not there. (``JSON.parse`` keeps it.)

    >>> js_literal_loads('{"__proto__": {"x": 1}, "a": 2}')
    {'a': 2}
    """

    def pairs(items: list[tuple[str, Any]]) -> dict[str, Any]:
        return {k: v for k, v in items if k != "__proto__"}

    return json.loads(text, object_pairs_hook=pairs)


_T = TypeVar("_T")


def attempt(
    call: Callable[[], _T], *refusals: type[BaseException]
) -> tuple[_T, None] | tuple[None, BaseException]:
    """``(result, None)``, or ``(None, error)`` when ``call`` raises one of ``refusals``:
    for properties of the form "refused, or else it works".

    >>> attempt(lambda: int("x"), ValueError)[1]
    ValueError("invalid literal for int() with base 10: 'x'")
    """
    try:
        return call(), None
    except refusals as err:
        return None, err


# ------------------------------------------------------------------------- HTML


@dataclass(frozen=True)
class Tree:
    """What an HTML parser saw: every start tag with its attributes, the text outside
    tags, and the raw text of each script element."""

    tags: tuple[tuple[str, tuple[tuple[str, str | None], ...]], ...]
    text: str
    scripts: tuple[str, ...]

    def tag_names(self) -> list[str]:
        return [name for name, _ in self.tags]

    def attributes(self, tag: str) -> list[dict[str, str | None]]:
        return [dict(attrs) for name, attrs in self.tags if name == tag]


class _Collector(HTMLParser):
    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.tags: list[tuple[str, tuple[tuple[str, str | None], ...]]] = []
        self.text: list[str] = []
        self.scripts: list[str] = []
        self._in_script = False

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.tags.append((tag, tuple(attrs)))
        if tag == "script":
            self._in_script = True
            self.scripts.append("")

    def handle_startendtag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.tags.append((tag, tuple(attrs)))

    def handle_endtag(self, tag: str) -> None:
        if tag == "script":
            self._in_script = False

    def handle_data(self, data: str) -> None:
        if self._in_script:
            self.scripts[-1] += data
        else:
            self.text.append(data)

    def handle_comment(self, data: str) -> None:
        self.tags.append(("!--", ()))


def parse_html(html: str) -> Tree:
    """``html`` as :class:`html.parser.HTMLParser` reads it (character references
    resolved).

    >>> parse_html('<p title="a&amp;b">x<script>1<2</script></p>').tags
    (('p', (('title', 'a&b'),)), ('script', ()))
    """
    collector = _Collector()
    collector.feed(html)
    collector.close()
    return Tree(tuple(collector.tags), "".join(collector.text), tuple(collector.scripts))


@dataclass(frozen=True)
class HtmlContext:
    """A place in a page where a helper's output can stand: :meth:`render` puts a value
    at ``@@`` in ``page``; :meth:`read` parses the page and returns what a browser hands
    to the page's code there (the attribute's value, the element's text, the part of the
    script's source between ``before`` and ``after``), or ``None`` if that is not what
    the page holds any more."""

    name: str
    page: str
    #: The tags (with their attribute names) the page has on its own: the value must add
    #: none, and no attribute either.
    tags: tuple[tuple[str, tuple[str, ...]], ...]
    before: str = ""
    after: str = ""

    def render(self, value: str) -> str:
        return self.page.replace("@@", value)

    def structure(self, tree: Tree) -> tuple[tuple[str, tuple[str, ...]], ...]:
        """The tags and attribute names of ``tree``, to compare with :attr:`tags`."""
        return tuple((name, tuple(key for key, _ in attrs)) for name, attrs in tree.tags)

    def read(self, value: str) -> tuple[Tree, str | None]:
        tree = parse_html(self.render(value))
        if self.name.endswith("attribute"):
            found = [attrs for attrs in tree.attributes("div") if "data-x" in attrs]
            return tree, found[0]["data-x"] if found else None
        reading = tree.scripts[0] if "script" in self.name and tree.scripts else tree.text
        if not (reading.startswith(self.before) and reading.endswith(self.after)):
            return tree, None
        return tree, reading[len(self.before) : len(reading) - len(self.after)]


#: Every context a helper's output may be placed in; ``@@`` marks the spot.
HTML_CONTEXTS = (
    HtmlContext("text", "<div>@@</div>", (("div", ()),)),
    HtmlContext("double-quoted attribute", '<div data-x="@@"></div>', (("div", ("data-x",)),)),
    HtmlContext("single-quoted attribute", "<div data-x='@@'></div>", (("div", ("data-x",)),)),
    HtmlContext("script", "<script>var x = @@;</script>", (("script", ()),), "var x = ", ";"),
    HtmlContext(
        "json script", '<script type="application/json">@@</script>', (("script", ("type",)),)
    ),
)
