"""Reading a small file whole, with a size limit: the one low-level file read the package
shares (key and certificate files, for instance).

It imports nothing from sblgen but :mod:`sblgen.errors`, so any layer may use it.

>>> import pathlib, tempfile
>>> from sblgen.errors import SecureKeyError
>>> path = pathlib.Path(tempfile.mkdtemp()) / "k.pem"
>>> _ = path.write_bytes(b"-----BEGIN-----")
>>> read_bounded(path, "Key", limit=100, error=SecureKeyError)
b'-----BEGIN-----'
>>> read_bounded(path, "Key", limit=4, error=SecureKeyError)  # doctest: +ELLIPSIS
Traceback (most recent call last):
sblgen.errors.SecureKeyError: Key file '...k.pem' is larger than 4 bytes; ...
"""

from __future__ import annotations

import os

from sblgen.errors import SblgenError

__all__ = ["read_bounded"]


def read_bounded(
    path: str | os.PathLike[str], what: str, *, limit: int, error: type[SblgenError]
) -> bytes:
    """The bytes of the file at ``path``, at most ``limit`` of them.

    A missing, unreadable or larger file raises ``error`` with one line naming ``what``
    (e.g. ``"Private key"``) and the path; the file's content is never in the message.
    """
    name = os.fspath(path)
    try:
        with open(path, "rb") as handle:
            data = handle.read(limit + 1)
    except FileNotFoundError:
        raise error(f"{what} file {name!r} does not exist.") from None
    except OSError as err:
        raise error(f"{what} file {name!r} cannot be read ({err.strerror}).") from None
    if len(data) > limit:
        raise error(
            f"{what} file {name!r} is larger than {limit} bytes; check that it is the right file."
        )
    return data
