"""The snippet templates, and the renderer's one cache.

Every snippet's markup lives in ``sblgen/templates/*.html`` and nowhere else. Hot snippets do
not run Jinja per call: each template is rendered once with a sentinel in each slot and split
around them into a *frame*; filling a frame's slots with already-safe text gives exactly what
rendering would (tests/test_templates.py checks both ways agree).

Everything the renderer keeps (the Jinja environment, loaded templates, frames, the script
tag per :class:`~sblgen.options.SblOptions`, the loader's source) is kept by :class:`Memo`.
"""

from __future__ import annotations

from collections.abc import Callable, Hashable
from importlib.resources import files
from pathlib import Path
from typing import Any, Generic, TypeVar

import jinja2
from markupsafe import Markup

from sblgen.options import SblOptions

__all__ = [
    "LOADER_PATH",
    "Frame",
    "Memo",
    "apply_js",
    "fill",
    "loader_source",
    "memo",
    "render",
    "script_tag_frame",
    "snippet_frame",
]

K = TypeVar("K", bound=Hashable)
V = TypeVar("V")

#: The strict-CSP loader shipped in the package; serve it from your origin.
LOADER_PATH = Path(str(files("sblgen").joinpath("static").joinpath("sbl-loader.js")))

#: A template split around its slots: ``frame[0] + value0 + frame[1] + value1 + ...``.
Frame = tuple[str, ...]

_SLOT = "\x00slot{}\x00"
_APPLY_START, _APPLY_END = "/*sblgen:apply*/", "/*sblgen:end*/"


class Memo(Generic[K, V]):
    """``make(key)`` computed once per key *value*, at most ``size`` kept (then it starts over).

    Keys must be immutable (strings, tuples of them, frozen models). Equal keys share one
    entry whatever their identity, so a freed key whose ``id()`` is reused can never return
    another key's value. The entry used last is returned again for the very same key object
    without hashing it: a page renders many snippets with one options object, and hashing
    all of its fields per snippet would cost more than the snippet.

    >>> calls = []
    >>> square = Memo(lambda n: calls.append(n) or n * n)
    >>> square(3), square(3), square(4), calls
    (9, 9, 16, [3, 4])
    """

    __slots__ = ("_entries", "_last", "_make", "_size")

    def __init__(self, make: Callable[[K], V], *, size: int = 256) -> None:
        self._make = make
        self._size = size
        self._entries: dict[K, V] = {}
        self._last: tuple[object, Any] = (object(), None)

    def __call__(self, key: K) -> V:
        last = self._last
        if last[0] is key:
            value: V = last[1]
            return value
        try:
            value = self._entries[key]
        except KeyError:
            if len(self._entries) >= self._size:
                self._entries.clear()
            value = self._entries[key] = self._make(key)
        self._last = (key, value)
        return value

    def __len__(self) -> int:
        return len(self._entries)


def memo(make: Callable[[K], V]) -> Memo[K, V]:
    """Decorator form of :class:`Memo` for a function of one hashable key."""
    return Memo(make)


# ------------------------------------------------------------------------- templates


@memo
def _environment(package: str) -> jinja2.Environment:
    return jinja2.Environment(
        loader=jinja2.PackageLoader(package, "templates"),
        autoescape=True,
        undefined=jinja2.StrictUndefined,
        keep_trailing_newline=False,
    )


@memo
def _template(name: str) -> jinja2.Template:
    return _environment("sblgen").get_template(name)


def render(name: str, **context: Any) -> Markup:
    """Run one snippet template (autoescaped) with ``context``."""
    return Markup(_template(name).render(**context))  # noqa: S704 - autoescaped template


@memo
def _text(path: Path) -> str:
    return path.read_text(encoding="utf-8")


def loader_source() -> str:
    """The strict-CSP loader's source."""
    return _text(LOADER_PATH)


@memo
def _apply_runtime(path: Path) -> Markup:
    source = _text(path)
    start = source.index(_APPLY_START) + len(_APPLY_START)
    return Markup(source[start : source.index(_APPLY_END)])  # noqa: S704 - our own file


def apply_js() -> Markup:
    """The runtime inline snippets share with the loader (one source: the loader file)."""
    return _apply_runtime(LOADER_PATH)


# ------------------------------------------------------------------------- frames


def _split(name: str, slots: tuple[str, ...], fixed: dict[str, Any]) -> Frame:
    """The template rendered once with a sentinel in each slot, split around them."""
    context = {slot: Markup(_SLOT.format(i)) for i, slot in enumerate(slots)}  # noqa: S704
    text = str(render(name, **context, **fixed))
    pieces: list[str] = []
    for i in range(len(slots)):
        before, sep, text = text.partition(_SLOT.format(i))
        if not sep:  # pragma: no cover - a template that drops or repeats a slot
            raise RuntimeError(f"template {name} must use slot {slots[i]} exactly once")
        pieces.append(before)
    pieces.append(text)
    return tuple(pieces)


@memo
def snippet_frame(key: tuple[str, str, bool]) -> Frame:
    """``(template, op, with_nonce)``: a data snippet's frame, slots ``nonce`` (if asked)
    and ``data``. Every data template may use ``op`` and the ``apply`` runtime."""
    name, op, with_nonce = key
    fixed: dict[str, Any] = {"op": op, "apply": apply_js()}
    if with_nonce:
        return _split(name, ("nonce", "data"), fixed)
    return _split(name, ("data",), {**fixed, "nonce": None})


@memo
def script_tag_frame(options: SblOptions) -> tuple[Markup, Frame]:
    """The script tag for ``options`` without a nonce, and its frame with a ``nonce`` slot."""
    context = {
        "src": options.script_src,
        "attrs": options.data_attributes(),
        "loading": options.loading,
    }
    plain = render("script_tag.html", nonce=None, **context)
    return plain, _split("script_tag.html", ("nonce",), context)


def fill(frame: Frame, *values: str) -> Markup:
    """The frame with its slots filled in order (values are escaped JSON or validated
    tokens, never raw user text)."""
    if len(values) == 1:  # the hot path: one data slot
        text = frame[0] + values[0] + frame[1]
    else:
        out = [frame[0]]
        for value, piece in zip(values, frame[1:], strict=True):
            out.append(value)
            out.append(piece)
        text = "".join(out)
    # What Markup(text) builds, without its __html__ probe (a str has none): hot path.
    return str.__new__(Markup, text)
