"""System checks of sblgen's Django settings, run by ``manage.py check`` (and before
``runserver``, ``migrate`` and the test runner), so a bad ``SBLGEN`` fails at start-up, not
on the first page that renders a tag.

- ``sblgen.E001``: ``SBLGEN`` is not a dict with string keys;
- ``sblgen.E002``: ``SBLGEN`` has no ``STOREFRONT``;
- ``sblgen.E003``: a key that is no option (the message suggests the key probably meant);
- ``sblgen.E004``: a value the option does not accept (the message says why);
- ``sblgen.W001``: a top-level ``SBLGEN_<OPTION>`` setting, which sblgen does not read.

``SBLGEN`` itself is optional (a project may use only sblgen's webhooks); once it is
there, it must be right.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from django.conf import settings
from django.core import checks

from sblgen.helpers import settings_problems
from sblgen.options import SblOptions

__all__ = ["check_settings", "setting_name"]

_IDS = {"missing": "sblgen.E002", "unknown": "sblgen.E003", "invalid": "sblgen.E004"}
_EXAMPLE = "SBLGEN = {'STOREFRONT': 'acme.test.onfastspring.com/popup-acme', ...}"


def setting_name(option: str) -> str:
    """How a message names an option's key in ``SBLGEN``: ``SBLGEN['ACCESS_KEY']``."""
    return f"SBLGEN[{option.upper()!r}]"


def check_settings(app_configs: Any = None, **kwargs: Any) -> list[checks.CheckMessage]:
    """Every problem with ``settings.SBLGEN``, as Django check messages."""
    found: list[checks.CheckMessage] = [
        checks.Warning(
            f"settings.{name} is not read by sblgen.",
            hint=f"Move it into SBLGEN as {name.removeprefix('SBLGEN_')!r}: {_EXAMPLE}",
            obj="settings",
            id="sblgen.W001",
        )
        for name in dir(settings)
        if name.startswith("SBLGEN_")
        and name.removeprefix("SBLGEN_").lower() in SblOptions.model_fields
    ]
    config = getattr(settings, "SBLGEN", None)
    if config is None:
        return found
    if not isinstance(config, Mapping) or not all(isinstance(key, str) for key in config):
        found.append(
            checks.Error(
                f"settings.SBLGEN must be a dict with string keys, not a {type(config).__name__}.",
                hint=f"Set {_EXAMPLE}",
                obj="settings",
                id="sblgen.E001",
            )
        )
        return found
    values = {key.lower(): value for key, value in config.items()}
    for kind, message in settings_problems(values, setting_name):
        found.append(
            checks.Error(
                f"settings.{message}",
                hint=f"Set {_EXAMPLE}" if kind == "missing" else None,
                obj="settings",
                id=_IDS[kind],
            )
        )
    return found
