"""Value classes that are text on the wire, usable as pydantic field types."""

from __future__ import annotations

from typing import Any, Self

from pydantic import GetCoreSchemaHandler
from pydantic_core import core_schema

__all__ = ["TextValue"]


class TextValue:
    """Base of a value class that is text on the wire (a storefront, a checkout path): a
    pydantic field of the class validates with its ``parse`` (whose ``ValueError`` is the
    field's error) and writes its ``value`` to JSON; ``str()`` is the ``value`` too.

    >>> from dataclasses import dataclass
    >>> from pydantic import BaseModel
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
    def __get_pydantic_core_schema__(
        cls, source: Any, handler: GetCoreSchemaHandler
    ) -> core_schema.CoreSchema:
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
