"""The base class of every wire model: camelCase aliases, frozen, unknown fields refused."""

from __future__ import annotations

import json
from collections.abc import Mapping, Sequence
from typing import Any, Self, TypeVar

from pydantic import BaseModel, ConfigDict, ValidationError
from pydantic.alias_generators import to_camel

__all__ = [
    "ResponseModel",
    "WireModel",
    "as_model",
    "dumps_compact",
    "error_lines",
    "error_location",
    "error_messages",
]

M = TypeVar("M", bound=BaseModel)


def dumps_compact(data: Any) -> str:
    """Compact JSON in the order the data has, non-ASCII kept as is.

    >>> dumps_compact({"b": 1, "a": "é"})
    '{"b":1,"a":"é"}'
    """
    return json.dumps(data, ensure_ascii=False, separators=(",", ":"), allow_nan=False)


def error_messages(err: ValidationError) -> list[tuple[tuple[int | str, ...], str]]:
    """Each error of ``err`` as (location, message), without pydantic's ``Value error, ``
    prefix on sblgen's own messages.

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
        for item in err.errors(include_url=False)
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


class WireModel(BaseModel):
    """A model that mirrors one FastSpring wire format field for field.

    Python attributes are snake_case; the wire is camelCase (``payment_contact`` is sent as
    ``paymentContact``). Both spellings are accepted on input. Instances are frozen and
    unknown fields are rejected, so a typo never disappears silently.
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


class TextValue:
    """Base of a value class that is text on the wire (a storefront, a checkout path): a
    pydantic field of the class validates with its ``parse`` (whose ``ValueError`` is the
    field's error) and writes its ``value`` to JSON; ``str()`` is the ``value`` too.

    >>> from dataclasses import dataclass
    >>> @dataclass(frozen=True)
    ... class Sku(TextValue):
    ...     code: str
    ...     @classmethod
    ...     def parse(cls, text: Any) -> "Sku":
    ...         if isinstance(text, Sku):
    ...             return text
    ...         if not isinstance(text, str) or not text.isalnum():
    ...             raise ValueError(f"{text!r} is not a SKU; use letters and digits.")
    ...         return cls(text.upper())
    ...     @property
    ...     def value(self) -> str:
    ...         return self.code
    >>> class Line(BaseModel):
    ...     sku: Sku
    >>> line = Line(sku="ab12")
    >>> line.sku, str(line.sku), line.model_dump_json()
    (Sku(code='AB12'), 'AB12', '{"sku":"AB12"}')
    >>> Line(sku="a-1")
    Traceback (most recent call last):
    pydantic_core._pydantic_core.ValidationError: 1 validation error for Line
    sku
      Value error, 'a-1' is not a SKU; use letters and digits. ...
    """

    __slots__ = ()

    @classmethod
    def parse(cls, text: Any) -> Self:
        """The value read from ``text``; anything else raises ``ValueError``."""
        raise NotImplementedError

    @property
    def value(self) -> str:
        """The text form: what JSON and ``str()`` show."""
        raise NotImplementedError

    def __str__(self) -> str:
        return self.value

    @classmethod
    def __get_pydantic_core_schema__(cls, source: Any, handler: Any) -> Any:
        # pydantic calls this hook once per model that uses the class as a field type.
        from pydantic_core import core_schema

        def validate(value: Any) -> TextValue:
            try:
                return cls.parse(value)
            except ValueError as err:  # a plain ValueError: the field's error is its message
                raise ValueError(str(err)) from None

        return core_schema.no_info_plain_validator_function(
            validate,
            serialization=core_schema.plain_serializer_function_ser_schema(
                lambda item: item.value, when_used="json"
            ),
        )
