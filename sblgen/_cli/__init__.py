"""Subcommand modules of the ``sblgen`` CLI; each has ``register(subparsers)``."""

from __future__ import annotations

from sblgen._cli import render, secure, session

COMMAND_MODULES = (session, secure, render)
