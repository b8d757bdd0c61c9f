"""A griffe extension that lets sblgen's plain-text docstrings read well in MkDocs.

sblgen's docstrings are written for ``help()`` and pytest's doctest runner, not for Markdown:

- a doctest block (``>>> ...`` lines and their output) would render as nested block quotes;
  it becomes a fenced ``pycon`` code block;
- a paragraph ending in ``::`` introduces an indented literal block; the ``::`` becomes ``:``
  (the indented block already renders as code);
- Sphinx roles (``:class:`~sblgen.errors.StorefrontError```) become inline code of the name
  (the leading ``~`` keeps only the last component, as in Sphinx).

On top of griffe-pydantic (listed before this extension), for pydantic models:

- a field whose FastSpring (JSON) name differs from its Python name starts with that name,
  read from the model itself (``payment_contact`` is sent as ``paymentContact``), and a
  field that is never sent says so;
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


def _wire_notes(cls: griffe.Class) -> dict[str, str]:
    """Attribute name -> a note on its JSON name, for the fields of a pydantic model whose
    JSON name differs or that are never sent ({} if the model cannot be imported)."""
    module, _, name = cls.path.rpartition(".")
    try:
        model = getattr(importlib.import_module(module), name)
        fields = model.model_fields
    except (ImportError, AttributeError):
        return {}
    notes = {}
    for field, info in fields.items():
        wire = info.serialization_alias or info.alias or field
        if info.exclude:
            notes[field] = "Checked by sblgen only: never sent to FastSpring."
        elif wire != field:
            notes[field] = f"FastSpring name: `{wire}`"
    return notes


def _pydantic_model(cls: griffe.Class) -> None:
    notes = _wire_notes(cls)
    for name, member in cls.members.items():
        validator = "pydantic-validator" in member.labels
        if isinstance(member, griffe.Function) and validator and name.startswith("_"):
            member.labels.discard("pydantic-validator")
            for target in member.extra["griffe_pydantic"].get("targets", []):
                validators = target.extra["griffe_pydantic"].get("validators", [])
                target.extra["griffe_pydantic"]["validators"] = [
                    v for v in validators if v is not member
                ]
        if not isinstance(member, griffe.Attribute) or "pydantic-field" not in member.labels:
            continue
        if member.annotation is None:  # e.g. ``__str__ = __repr__``
            member.labels.discard("pydantic-field")
            member.labels.add("class-attribute")
        elif name in notes:
            line = notes[name]
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
        if isinstance(member, griffe.Object):  # not an alias: its target is walked where it is
            _walk(member, seen)
    if isinstance(obj, griffe.Class) and "pydantic-model" in obj.labels:
        _pydantic_model(obj)


class DocstringsForMarkdown(griffe.Extension):
    """Rewrites every docstring of a loaded package (see the module docstring)."""

    def on_package(self, *, pkg: griffe.Module, **kwargs: Any) -> None:
        _walk(pkg, set())
