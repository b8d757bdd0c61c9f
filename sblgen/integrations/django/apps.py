"""The Django app configuration."""

from __future__ import annotations

from django.apps import AppConfig
from django.core import checks


class SblgenConfig(AppConfig):
    """sblgen's template tags (``{% load sblgen %}``) and the system checks of its
    settings (``manage.py check``)."""

    name = "sblgen.integrations.django"
    label = "sblgen"
    verbose_name = "sblgen (FastSpring Store Builder Library)"

    def ready(self) -> None:
        from sblgen.integrations.django.checks import check_settings

        checks.register(check_settings, checks.Tags.templates)
