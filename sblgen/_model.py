"""The base class of every wire model: camelCase aliases, frozen, unknown fields refused."""

from __future__ import annotations

import json
from collections.abc import Mapping, Sequence
from typing import (
    TYPE_CHECKING,
    Any,
    Self,
    TypeVar,
)

from pydantic import BaseModel, ConfigDict, ValidationError
from pydantic.alias_generators import to_camel

from sblgen._suggest import (
    UNKNOWN_FIELD,
    explain_unknown_fields,
    field_spellings,
    unknown_field_message,
)

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


def dumps_compact(data: Any) -> str:
    """Compact JSON in the order the data has, non-ASCII kept as is.

    >>> dumps_compact({"b": 1, "a": "é"})
    '{"b":1,"a":"é"}'
    """
    return json.dumps(data, ensure_ascii=False, separators=(",", ":"), allow_nan=False)


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
