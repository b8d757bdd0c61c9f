"""The base class of every wire model: camelCase aliases, frozen, unknown fields refused."""

from __future__ import annotations

import json
from typing import Any, Self

from pydantic import BaseModel, ConfigDict, ValidationError
from pydantic.alias_generators import to_camel

__all__ = ["ResponseModel", "WireModel", "dumps_compact", "error_messages"]


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
