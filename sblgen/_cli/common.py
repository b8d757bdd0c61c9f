"""Helpers shared by the CLI subcommands: reading input files, printing errors."""

from __future__ import annotations

import argparse
import json
import os
import sys
import tomllib
from collections.abc import Iterator, Mapping
from pathlib import Path
from typing import Any, TypeVar

from pydantic import BaseModel, ValidationError

from sblgen._model import error_lines, error_location, error_messages
from sblgen.errors import InputFileError

M = TypeVar("M", bound=BaseModel)

EXIT_OK = 0
EXIT_FAILURE = 1
EXIT_USAGE = 2


def env_value(name: str) -> str:
    """The value of environment variable ``name``: secrets stay off the command line,
    where any user of the machine can read them (``ps``)."""
    value = os.environ.get(name)
    if value is None:
        raise InputFileError(f"Environment variable {name} is not set.")
    return value


def read_text(source: str) -> tuple[str, str]:
    """Read ``source`` (a path, or ``-`` for standard input); return (name, text)."""
    if source == "-":
        return "<stdin>", sys.stdin.read()
    path = Path(source)
    try:
        return source, path.read_text(encoding="utf-8")
    except FileNotFoundError:
        raise InputFileError(f"{source}: no such file; check the path.") from None
    except IsADirectoryError:
        raise InputFileError(f"{source}: is a directory; give a JSON or TOML file.") from None
    except (OSError, UnicodeDecodeError) as err:
        raise InputFileError(f"{source}: cannot be read ({err}).") from None


def read_bytes(source: str) -> bytes:
    """Read ``source`` (a path, or ``-`` for standard input) as raw bytes."""
    if source == "-":
        return sys.stdin.buffer.read()
    try:
        return Path(source).read_bytes()
    except FileNotFoundError:
        raise InputFileError(f"{source}: no such file; check the path.") from None
    except OSError as err:
        raise InputFileError(f"{source}: cannot be read ({err.strerror}).") from None


def load_data(source: str) -> Any:
    """Load JSON (or TOML, for a ``.toml`` file) from a path or ``-``."""
    name, text = read_text(source)
    if name.endswith(".toml"):
        try:
            return tomllib.loads(text)
        except tomllib.TOMLDecodeError as err:
            raise InputFileError(f"{name}: not valid TOML ({err}).") from None
    try:
        return json.loads(text)
    except json.JSONDecodeError as err:
        raise InputFileError(
            f"{name}: not valid JSON (line {err.lineno}, column {err.colno}: {err.msg})."
        ) from None


def format_validation_error(err: ValidationError) -> Iterator[str]:
    """Each error as ``path.to.field: message`` (``(top level)`` for whole-object rules)."""
    yield from error_lines(err)


def from_flags(cls: type[M], values: Mapping[str, Any], flags: Mapping[str, str]) -> M:
    """``cls`` validated from command-line values (field name -> value); a bad value is
    named by its flag (``--access-key: ...``, from ``flags``: field name -> flag), not by
    its Python name."""
    try:
        return cls.model_validate(values)
    except ValidationError as err:
        loc, message = error_messages(err)[0]
        flag = flags.get(str(loc[0])) if loc else None
        raise InputFileError(f"{flag or error_location(loc)}: {message}") from None


def seconds(text: str) -> float:
    """An ``argparse`` type: a number of seconds above 0 (``--timeout``)."""
    try:
        value = float(text)
    except ValueError:
        value = float("nan")
    if not 0 < value < float("inf"):
        raise argparse.ArgumentTypeError(f"give a number of seconds above 0, not {text!r}")
    return value
