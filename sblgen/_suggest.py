"""Unknown fields that teach: "``countyr``: unknown field; did you mean 'country'?".

A typo in a field name must name the field that was meant, wherever the input came from (a
Python call, a JSON or TOML file, ``site.toml``, framework settings). pydantic reports an
unknown key as ``extra_forbidden`` at a location; this module walks the model class along that
location to the sub-model that owns the key and suggests its closest field names (Python names
and camelCase wire names alike), or lists the valid ones when none is close.
"""

from __future__ import annotations

import difflib
import types
import typing
from collections.abc import Callable, Iterable, Iterator, Mapping, Sequence
from typing import Annotated, Any, Literal, Union, get_args, get_origin

from pydantic import AliasChoices, BaseModel, ValidationError
from pydantic_core import InitErrorDetails, PydanticCustomError, core_schema

__all__ = [
    "UNKNOWN_FIELD",
    "explain_unknown_fields",
    "field_spellings",
    "unknown_field_message",
]

#: pydantic's error type, and its own message, for a key a model does not have.
UNKNOWN_FIELD = "extra_forbidden"
_PYDANTIC_UNKNOWN = "Extra inputs are not permitted"
_KNOWN_ERROR_TYPES = frozenset(get_args(core_schema.ErrorType))
#: How alike a typo and a field name must be (``difflib`` ratio) to be suggested.
_CUTOFF = 0.6
#: Names this much less alike than the closest are not suggested with it.
_TIE = 0.05


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
