"""Subcommand modules of the ``sblgen`` CLI; each has ``register(subparsers)``."""

from __future__ import annotations

from sblgen._cli import secure, session

COMMAND_MODULES = (session, secure)
