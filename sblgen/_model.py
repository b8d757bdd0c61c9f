"""The base class of every wire model: camelCase aliases, frozen, unknown fields refused."""

from __future__ import annotations

import difflib
import json
import types
import typing
from collections.abc import Callable, Iterable, Iterator, Mapping, Sequence
from typing import (
    TYPE_CHECKING,
    Annotated,
    Any,
    Literal,
    Self,
    TypeVar,
    Union,
    get_args,
    get_origin,
)

from pydantic import AliasChoices, BaseModel, ConfigDict, ValidationError
from pydantic.alias_generators import to_camel
from pydantic_core import InitErrorDetails, PydanticCustomError, core_schema

__all__ = [
    "ResponseModel",
    "UNKNOWN_FIELD",
    "StrictModel",
    "WireModel",
    "as_model",
    "dumps_compact",
    "error_lines",
    "error_location",
    "error_messages",
    "explain_unknown_fields",
    "field_spellings",
    "unknown_field_message",
]

M = TypeVar("M", bound=BaseModel)

#: pydantic's error type, and its own message, for a key a model does not have.
UNKNOWN_FIELD = "extra_forbidden"
_PYDANTIC_UNKNOWN = "Extra inputs are not permitted"
_KNOWN_ERROR_TYPES = frozenset(get_args(core_schema.ErrorType))
#: How alike a typo and a field name must be (``difflib`` ratio) to be suggested.
_CUTOFF = 0.6
#: Names this much less alike than the closest are not suggested with it.
_TIE = 0.05


def dumps_compact(data: Any) -> str:
    """Compact JSON in the order the data has, non-ASCII kept as is.

    >>> dumps_compact({"b": 1, "a": "é"})
    '{"b":1,"a":"é"}'
    """
    return json.dumps(data, ensure_ascii=False, separators=(",", ":"), allow_nan=False)


# ----------------------------------------------------------------- unknown fields


def field_spellings(model: type[BaseModel]) -> dict[str, str]:
    """Every key ``model`` accepts, mapped to its field name: each field's name (when it
    may be given by name) and its aliases (the camelCase wire names).

    >>> from sblgen.contact import PaymentContact
    >>> field_spellings(PaymentContact)["firstName"], field_spellings(PaymentContact)["first_name"]
    ('first_name', 'first_name')
    """
    config = model.model_config
    by_name = bool(config.get("populate_by_name") or config.get("validate_by_name"))
    by_alias = config.get("validate_by_alias", True)
    out: dict[str, str] = {}
    for name, info in model.model_fields.items():
        aliases: list[str] = []
        for alias in (info.validation_alias, info.alias):
            if isinstance(alias, str):
                aliases.append(alias)
            elif isinstance(alias, AliasChoices):
                aliases.extend(choice for choice in alias.choices if isinstance(choice, str))
        if by_name or not aliases or not by_alias:
            out.setdefault(name, name)
        if by_alias:
            for alias in aliases:
                out.setdefault(alias, name)
    return out


def _alternatives(annotation: Any) -> Iterator[Any]:
    """The types ``annotation`` stands for: ``Annotated`` metadata, ``None`` and type
    aliases stripped, unions split."""
    if type(annotation).__name__ == "TypeAliasType":  # `type X = ...`
        yield from _alternatives(annotation.__value__)
        return
    origin = get_origin(annotation)
    if origin is Annotated:
        yield from _alternatives(get_args(annotation)[0])
    elif origin is Union or origin is types.UnionType:
        for arg in get_args(annotation):
            if arg is not type(None):
                yield from _alternatives(arg)
    else:
        yield annotation


def _is_model(annotation: Any) -> bool:
    return isinstance(annotation, type) and issubclass(annotation, BaseModel)


def _step(annotation: Any, part: int | str) -> Any:
    """The type found at ``part`` (a field, an index, a key or a union member's name)
    inside ``annotation``; ``None`` when the location leads nowhere sblgen can follow."""
    options = list(_alternatives(annotation))
    if len(options) > 1:  # pydantic names the union member that failed
        named = [tp for tp in options if getattr(tp, "__name__", None) == part]
        if named:
            return named[0]
        models = [tp for tp in options if _is_model(tp)]
        options = models if len(models) == 1 else options
    for tp in options:
        if _is_model(tp) and isinstance(part, str):
            field = field_spellings(tp).get(part)
            if field is not None:
                return tp.model_fields[field].annotation
        origin, args = get_origin(tp), get_args(tp)
        if isinstance(part, int) and origin in (list, tuple, set, frozenset, Sequence):
            if origin is tuple and args and args[-1] is not Ellipsis:
                return args[part] if part < len(args) else None
            return args[0] if args else None
        if isinstance(part, str) and origin in (dict, Mapping) and len(args) == 2:
            return args[1]
    return None


def _model_at(model: type[BaseModel], path: Sequence[int | str]) -> type[BaseModel] | None:
    """The (sub)model found by following ``path`` from ``model``."""
    current: Any = model
    for part in path:
        current = _step(current, part)
        if current is None:
            return None
    models = [tp for tp in _alternatives(current) if _is_model(tp)]
    return models[0] if len(models) == 1 else None


def _models_named(title: str) -> list[type[BaseModel]]:
    """Every model class called ``title`` (the name a :class:`ValidationError` carries),
    sblgen's own first."""
    found: list[type[BaseModel]] = []
    seen: set[type[BaseModel]] = set()
    stack = list(BaseModel.__subclasses__())
    while stack:
        cls = stack.pop()
        if cls in seen:
            continue
        seen.add(cls)
        if cls.__name__ == title:
            found.append(cls)
        stack.extend(cls.__subclasses__())
    return sorted(found, key=lambda cls: not cls.__module__.startswith("sblgen."))


def _owner(models: Sequence[type[BaseModel]], loc: Sequence[int | str]) -> type[BaseModel] | None:
    """The model that refused the last part of ``loc`` (one that has no such field). A
    location may carry a prefix its error's model knows nothing of (``sbl``,
    ``pages[0].session``), so shorter paths are tried too."""
    path, key = tuple(loc[:-1]), str(loc[-1])
    for start in range(len(path) + 1):
        for model in models:
            found = _model_at(model, path[start:])
            if found is not None and key not in field_spellings(found):
                return found
    return None


def _closest(key: str, names: Iterable[str]) -> list[str]:
    """The names most like ``key`` (letter case aside): the closest, and at most one other
    nearly as close."""

    def likeness(name: str) -> tuple[float, float]:
        blind = difflib.SequenceMatcher(None, key.lower(), name.lower()).ratio()
        return blind, difflib.SequenceMatcher(None, key, name).ratio()

    scored = sorted(((likeness(name), name) for name in names), reverse=True)
    if not scored or scored[0][0][0] < _CUTOFF:
        return []
    best = scored[0][0][0]
    return [name for (ratio, _), name in scored[:2] if ratio >= max(_CUTOFF, best - _TIE)]


def unknown_field_message(
    key: str,
    model: type[BaseModel] | None,
    *,
    spell: Callable[[str], str] = repr,
    names: Sequence[str] | None = None,
    noun: str = "field",
) -> str:
    """What to say about ``key``, which ``model`` does not have: the closest names it does
    have (its fields' names and camelCase aliases), or, with no close one, all of them.
    ``spell`` shows a name (default: quoted); ``names`` replaces the model's names, and
    ``noun`` says what the key is.

    >>> from sblgen.session import Session
    >>> unknown_field_message("countyr", Session)
    "unknown field; did you mean 'country'?"
    >>> from sblgen.contact import PaymentContact
    >>> unknown_field_message("emial", PaymentContact)
    "unknown field; did you mean 'email'?"
    >>> unknown_field_message("zzz", None, names=["a", "b"])
    "unknown field; use one of 'a', 'b'"
    """
    if names is None:
        if model is None:
            return f"unknown {noun}; check its spelling, or remove it"
        spellings = field_spellings(model)
    else:
        spellings = {name: name for name in names}
    suggested: dict[str, str] = {}  # field -> its closest spelling, the closest field first
    for name in _closest(key, spellings):
        suggested.setdefault(spellings[name], name)
    if suggested:
        meant = " or ".join(spell(name) for name in list(suggested.values())[:2])
        return f"unknown {noun}; did you mean {meant}?"
    # None close: list every field, spelled the way the key is (camelCase or snake_case).
    camel = any(char.isupper() for char in key)
    by_field: dict[str, list[str]] = {}
    for name, field in spellings.items():
        by_field.setdefault(field, []).append(name)
    shown = [
        next((n for n in names_ if (n != field) == camel), names_[0])
        for field, names_ in by_field.items()
    ]
    return f"unknown {noun}; use one of {', '.join(spell(n) for n in shown)}"


def _explained(item: Mapping[str, Any], models: Sequence[type[BaseModel]]) -> str | None:
    """The teaching message for an unknown-field error, or ``None`` for any other error
    (or one already explained)."""
    if item["type"] != UNKNOWN_FIELD or item["msg"] != _PYDANTIC_UNKNOWN or not item["loc"]:
        return None
    key = item["loc"][-1]
    return unknown_field_message(str(key), _owner(models, item["loc"]))


def explain_unknown_fields(
    err: ValidationError,
    model: type[BaseModel] | None = None,
    *,
    input_type: Literal["python", "json"] = "python",
) -> ValidationError:
    """``err`` with each unknown field's message saying which field was probably meant
    (:func:`unknown_field_message`), and without pydantic's URL for it; ``err`` itself when
    it has no unknown field. ``model`` is the model that raised ``err`` (default: found by
    the error's title).

    >>> from sblgen.session import Session
    >>> try:
    ...     Session(countyr="US")
    ... except ValidationError as err:
    ...     print(err)
    1 validation error for Session
    countyr
      unknown field; did you mean 'country'? [type=extra_forbidden, ...]
    """
    items = err.errors()
    models = [model] if model is not None else _models_named(err.title)
    messages = [_explained(item, models) for item in items]
    if not any(messages):
        return err
    details: list[InitErrorDetails] = []
    for item, message in zip(items, messages, strict=True):
        detail: dict[str, Any] = {"loc": item["loc"], "input": item["input"]}
        if message is not None:
            detail["type"] = PydanticCustomError(UNKNOWN_FIELD, message)
        elif item["type"] in _KNOWN_ERROR_TYPES:
            detail["type"] = item["type"]
            if "ctx" in item:
                detail["ctx"] = item["ctx"]
        else:  # a custom error: keep its text as it is (braces and all)
            detail["type"] = PydanticCustomError(
                item["type"], "{message}", {"message": item["msg"]}
            )
        details.append(typing.cast(InitErrorDetails, detail))
    return ValidationError.from_exception_data(err.title, details, input_type=input_type)


# ----------------------------------------------------------------- formatting


def error_messages(err: ValidationError) -> list[tuple[tuple[int | str, ...], str]]:
    """Each error of ``err`` as (location, message), without pydantic's ``Value error, ``
    prefix on sblgen's own messages, and an unknown field named with the field that was
    probably meant (:func:`explain_unknown_fields`).

    >>> from pydantic import TypeAdapter
    >>> from sblgen.types import CountryCode
    >>> try:
    ...     TypeAdapter(CountryCode).validate_python("XX")
    ... except ValidationError as err:
    ...     error_messages(err)
    [((), "'XX' is not an ISO 3166-1 alpha-2 country code; ...")]
    """
    return [
        (tuple(item["loc"]), item["msg"].removeprefix("Value error, "))
        for item in explain_unknown_fields(err).errors(include_url=False)
    ]


def error_location(loc: Sequence[int | str], *, indexed: bool = False) -> str:
    """A validation error's location as text: ``products.0.path``, or with ``indexed``
    ``products[0].path``; ``(top level)`` for a rule on the whole object.

    >>> error_location(("products", 0, "path")), error_location(("pages", 2), indexed=True)
    ('products.0.path', 'pages[2]')
    """
    out = ""
    for part in loc:
        if indexed and isinstance(part, int):
            out += f"[{part}]"
        else:
            out += f".{part}" if out else str(part)
    return out or "(top level)"


def error_lines(err: ValidationError, *, indexed: bool = False) -> list[str]:
    """Each error of ``err`` as one ``location: message`` line: the one formatter that the
    CLI, ``site.toml`` checks and framework settings all use.

    >>> from sblgen.session import Session
    >>> try:
    ...     Session.model_validate({"products": [{"path": "a", "quantity": -1}]})
    ... except ValidationError as err:
    ...     error_lines(err)
    ['products.0.quantity: Input should be greater than or equal to 0']
    """
    return [
        f"{error_location(loc, indexed=indexed)}: {message}" for loc, message in error_messages(err)
    ]


def as_model(value: M | Mapping[str, Any], cls: type[M]) -> M:
    """``value`` itself if it already is a ``cls``, else ``value`` validated as one: the one
    way every API that takes "a model or a mapping" turns it into the model.

    >>> from sblgen.session import Session
    >>> as_model({"coupon": "SPRING"}, Session).to_dict()
    {'coupon': 'SPRING'}
    """
    return value if isinstance(value, cls) else cls.model_validate(value)


class StrictModel(BaseModel):
    """A model that refuses unknown fields and, when it does, says which field was probably
    meant (``countyr: unknown field; did you mean 'country'?``), from Python
    (``Model(...)``, :meth:`~pydantic.BaseModel.model_validate`,
    :meth:`~pydantic.BaseModel.model_validate_json`) as from every sblgen front end.

    >>> class Point(StrictModel):
    ...     x: int = 0
    >>> Point.model_validate({"xx": 1})
    Traceback (most recent call last):
    pydantic_core._pydantic_core.ValidationError: 1 validation error for Point
    xx
      unknown field; did you mean 'x'? [type=extra_forbidden, input_value=1, input_type=int]
    """

    model_config = ConfigDict(extra="forbid")

    if not TYPE_CHECKING:  # type checkers keep each model's own signature

        def __init__(self, /, **data: Any) -> None:
            try:
                super().__init__(**data)
            except ValidationError as err:
                raise explain_unknown_fields(err, type(self)) from None

        # Still pydantic's own __init__ as far as pydantic is concerned, so that nested
        # models are built without calling it (errors are explained once, at the top).
        __init__.__pydantic_base_init__ = True

        @classmethod
        def model_validate(cls, obj: Any, **kwargs: Any) -> Self:
            try:
                return super().model_validate(obj, **kwargs)
            except ValidationError as err:
                raise explain_unknown_fields(err, cls) from None

        @classmethod
        def model_validate_json(cls, json_data: Any, **kwargs: Any) -> Self:
            try:
                return super().model_validate_json(json_data, **kwargs)
            except ValidationError as err:
                raise explain_unknown_fields(err, cls, input_type="json") from None

        @classmethod
        def model_validate_strings(cls, obj: Any, **kwargs: Any) -> Self:
            try:
                return super().model_validate_strings(obj, **kwargs)
            except ValidationError as err:
                raise explain_unknown_fields(err, cls, input_type="json") from None


class WireModel(StrictModel):
    """A model that mirrors one FastSpring wire format field for field.

    Python attributes are snake_case; the wire is camelCase (``payment_contact`` is sent as
    ``paymentContact``). Both spellings are accepted on input. Instances are frozen and
    unknown fields are rejected, so a typo never disappears silently (and the error says
    which field was probably meant).
    """

    model_config = ConfigDict(
        alias_generator=to_camel,
        populate_by_name=True,
        extra="forbid",
        frozen=True,
        str_strip_whitespace=False,
        validate_default=False,
        ser_json_inf_nan="null",
        regex_engine="python-re",
        # Build validators on first use, not at import: `import sblgen` stays cheap.
        defer_build=True,
    )

    def to_dict(self) -> dict[str, Any]:
        """The exact wire form: camelCase keys in model order, unset fields omitted."""
        return self.model_dump(mode="json", by_alias=True, exclude_none=True)

    def to_json(self, *, indent: int | None = None) -> str:
        """The wire form as JSON text (compact unless ``indent`` is given)."""
        if indent is None:
            # pydantic-core writes the same compact text as dumps_compact(to_dict()), faster
            # (tests/test_model.py checks the two agree for any text and amount).
            return self.__pydantic_serializer__.to_json(
                self, by_alias=True, exclude_none=True
            ).decode()
        return json.dumps(self.to_dict(), ensure_ascii=False, indent=indent)

    @classmethod
    def from_json(cls, text: str | bytes) -> Self:
        """Parse and validate the wire JSON form."""
        return cls.model_validate_json(text)


class ResponseModel(BaseModel):
    """Base of API *response* models: unknown fields are kept, never an error.

    A field FastSpring adds tomorrow must not break a seller's integration today; the extra
    fields stay readable through :attr:`pydantic.BaseModel.model_extra`.
    """

    model_config = ConfigDict(
        alias_generator=to_camel,
        populate_by_name=True,
        extra="allow",
        frozen=True,
        defer_build=True,
    )
