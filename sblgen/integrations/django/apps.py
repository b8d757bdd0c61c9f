"""The Django app configuration."""

from __future__ import annotations

from django.apps import AppConfig


class SblgenConfig(AppConfig):
    """sblgen's template tags (``{% load sblgen %}``)."""

    name = "sblgen.integrations.django"
    label = "sblgen"
    verbose_name = "sblgen (FastSpring Store Builder Library)"
