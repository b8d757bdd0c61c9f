"""Symbolic links in a site folder: a build reads templates and static files only from
inside the site folder, unless the person running the build opts in to follow links.

A link that stays inside the site folder is fine; one that leads outside it (to
``/etc/passwd``, to ``~/.ssh``) would publish that file, so the build refuses it and names
the link. The opt-in is a build option (``--follow-symlinks``), not a ``site.toml`` key: the
folder being built must not be able to vouch for itself.

>>> import pathlib, tempfile
>>> root = pathlib.Path(tempfile.mkdtemp())
>>> (root / "static").mkdir()
>>> (root / "static" / "secret").symlink_to("/etc/hostname")
>>> check_inside(root, root / "static" / "secret", follow_symlinks=False)
Traceback (most recent call last):
sblgen.errors.SiteError: .../static/secret: a symbolic link to /etc/hostname, outside ...
>>> check_inside(root, root / "static" / "secret", follow_symlinks=True)  # opted in
"""

from __future__ import annotations

import os
from collections.abc import Iterator
from pathlib import Path

from sblgen.errors import SiteError

__all__ = ["check_inside", "walk_files"]

FOLLOW_HINT = "pass --follow-symlinks (follow_symlinks=True) to publish it anyway"


def _first_link(root: Path, path: Path) -> Path:
    """The first component of ``path`` below ``root`` that is a symbolic link."""
    current = root
    for part in path.relative_to(root).parts:
        current = current / part
        if current.is_symlink():
            return current
    return path  # pragma: no cover - only a link can lead outside


def check_inside(root: Path, path: Path, *, follow_symlinks: bool) -> None:
    """Refuse ``path`` (a path under ``root``) when a symbolic link leads it outside
    ``root``, or to nothing, unless ``follow_symlinks`` (then only a link to nothing)."""
    real = Path(os.path.realpath(path))
    real_root = Path(os.path.realpath(root))
    if not real.exists():
        link = _first_link(root, path)
        target = os.readlink(link) if link.is_symlink() else real
        raise SiteError(
            f"{link}: a symbolic link to {target}, which does not exist; remove the link or "
            "point it at a file."
        )
    if follow_symlinks or real == real_root or real_root in real.parents:
        return
    link = _first_link(root, path)
    raise SiteError(
        f"{link}: a symbolic link to {os.path.realpath(link)}, outside the site folder "
        f"{real_root}; a build only publishes files from inside it: copy the file in, or "
        f"{FOLLOW_HINT}."
    )


def walk_files(root: Path, folder: Path, *, follow_symlinks: bool) -> Iterator[Path]:
    """Every file under ``folder`` (a folder under ``root``), in a stable order, following the
    symbolic links that stay inside ``root`` (and, with ``follow_symlinks``, all of them);
    each folder is visited once, so a link loop ends."""
    seen: set[str] = set()

    def visit(current: Path) -> Iterator[Path]:
        real = os.path.realpath(current)
        if real in seen:
            return
        seen.add(real)
        for entry in sorted(os.scandir(current), key=lambda e: e.name):
            path = Path(entry.path)
            if entry.is_symlink():
                check_inside(root, path, follow_symlinks=follow_symlinks)
            if entry.is_dir():
                yield from visit(path)
            elif entry.is_file():
                yield path
            else:
                raise SiteError(
                    f"{path}: not a regular file (a pipe, socket or device); a site's "
                    "static files must be plain files."
                )

    check_inside(root, folder, follow_symlinks=follow_symlinks)
    yield from visit(folder)
