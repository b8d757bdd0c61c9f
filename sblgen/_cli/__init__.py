"""Subcommand modules of the ``sblgen`` CLI; each has ``register(subparsers)``."""

from __future__ import annotations

from sblgen._cli import api, render, secure, session, site, starter, webhook

COMMAND_MODULES = (session, secure, render, api, webhook, site, starter)
