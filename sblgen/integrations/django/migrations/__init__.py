"""Migrations of the sblgen Django app."""
