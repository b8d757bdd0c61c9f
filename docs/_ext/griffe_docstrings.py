"""A griffe extension that lets sblgen's plain-text docstrings read well in MkDocs.

sblgen's docstrings are written for ``help()`` and pytest's doctest runner, not for Markdown:

- a doctest block (``>>> ...`` lines and their output) would render as nested block quotes;
  it becomes a fenced ``pycon`` code block;
- a paragraph ending in ``::`` introduces an indented literal block; the ``::`` becomes ``:``
  (the indented block already renders as code);
- Sphinx roles (``:class:`~sblgen.errors.StorefrontError```) become inline code of the name
  (the leading ``~`` keeps only the last component, as in Sphinx).

On top of griffe-pydantic (listed before this extension), for pydantic models:

- each field's entry starts with its FastSpring (JSON) name, read from the model itself, so
  ``payment_contact`` shows that it is sent as ``paymentContact``;
- a class attribute without an annotation, such as ``__str__ = __repr__``, is not a field;
- private validators (``_check_rules``) are implementation details and are not listed.

Only how the docs site renders docstrings changes; the source is never touched.
"""

from __future__ import annotations

import importlib
import re
from typing import Any

import griffe

_ROLE = re.compile(r":(?:py:)?(?:class|func|meth|attr|mod|data|exc|obj|const):`(~?)([^`]+)`")
_DOCTEST_FLAG = re.compile(r"\s*#\s*doctest:.*$")


def _role(match: re.Match[str]) -> str:
    short, target = match.groups()
    return f"`{target.rsplit('.', 1)[-1] if short else target}`"


def rewrite(text: str) -> str:
    """The Markdown form of one docstring."""
    out: list[str] = []
    in_fence = False
    in_doctest = False
    indent = ""
    for line in text.split("\n"):
        stripped = line.lstrip()
        if in_doctest:
            if stripped:
                out.append(_DOCTEST_FLAG.sub("", line).replace("<BLANKLINE>", ""))
                continue
            out.append(f"{indent}```")
            in_doctest = False
        if stripped.startswith("```"):
            in_fence = not in_fence
        elif not in_fence and stripped.startswith(">>>"):
            indent = line[: len(line) - len(stripped)]
            if out and out[-1].strip():
                out.append("")  # a fence must not continue a paragraph
            out.append(f"{indent}```pycon")
            out.append(_DOCTEST_FLAG.sub("", line))
            in_doctest = True
            continue
        elif not in_fence:
            line = _ROLE.sub(_role, line)
            if line.endswith("::") and not line.endswith(":::"):
                line = line[:-1]
        out.append(line)
    if in_doctest:
        out.append(f"{indent}```")
    return "\n".join(out)


def _wire_names(cls: griffe.Class) -> dict[str, str]:
    """Attribute name -> JSON name of a pydantic model's sent fields ({} if not importable)."""
    module, _, name = cls.path.rpartition(".")
    try:
        model = getattr(importlib.import_module(module), name)
        fields = model.model_fields
    except (ImportError, AttributeError):
        return {}
    return {
        field: info.serialization_alias or info.alias or field
        for field, info in fields.items()
        if not info.exclude
    }


def _pydantic_model(cls: griffe.Class) -> None:
    wire = _wire_names(cls)
    for name, member in cls.members.items():
        if member.is_alias:
            continue
        if "pydantic-validator" in member.labels and name.startswith("_"):
            member.labels.discard("pydantic-validator")
            for target in member.extra["griffe_pydantic"].get("targets", []):
                validators = target.extra["griffe_pydantic"].get("validators", [])
                target.extra["griffe_pydantic"]["validators"] = [
                    v for v in validators if v is not member
                ]
        if "pydantic-field" not in member.labels:
            continue
        if member.annotation is None:  # e.g. ``__str__ = __repr__``
            member.labels.discard("pydantic-field")
            member.labels.add("class-attribute")
        elif name in wire:
            line = f"FastSpring name: `{wire[name]}`"
            if member.docstring is None:
                member.docstring = griffe.Docstring(line, parent=member)
            else:
                member.docstring.value = f"{line}\n\n{member.docstring.value}"


def _walk(obj: griffe.Object, seen: set[str]) -> None:
    if obj.path in seen:
        return
    seen.add(obj.path)
    if obj.docstring is not None:
        obj.docstring.value = rewrite(obj.docstring.value)
    for member in obj.members.values():
        if not member.is_alias:
            _walk(member, seen)  # type: ignore[arg-type]
    if obj.is_class and "pydantic-model" in obj.labels:
        _pydantic_model(obj)  # type: ignore[arg-type]


class DocstringsForMarkdown(griffe.Extension):
    """Rewrites every docstring of a loaded package (see the module docstring)."""

    def on_package(self, *, pkg: griffe.Module, **kwargs: Any) -> None:
        _walk(pkg, set())
