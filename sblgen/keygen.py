"""Create the seller's key pair for secure payloads, and write both files or neither.

:func:`generate_key_pair` does what FastSpring's documented openssl steps do: an RSA-2048
private key (``privatekey.pem``, PKCS#8, mode 0600) and a self-signed X.509 certificate
(``publicCert.pem``) to upload in the FastSpring app.

>>> import tempfile
>>> from sblgen.crypto import PrivateKey, PublicCertificate, check_pair
>>> key_path, cert_path = generate_key_pair(tempfile.mkdtemp())
>>> key_path.name, cert_path.name
('privatekey.pem', 'publicCert.pem')
>>> check_pair(PrivateKey.from_file(key_path), PublicCertificate.from_file(cert_path))
True
"""

from __future__ import annotations

import datetime as _dt
import os
import secrets
from collections.abc import Sequence
from pathlib import Path

from cryptography import x509
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import rsa
from cryptography.x509.oid import NameOID

from sblgen.crypto import MIN_KEY_BITS
from sblgen.errors import SecureKeyError

__all__ = ["PRIVATE_KEY_FILE", "PUBLIC_CERT_FILE", "generate_key_pair"]

#: File names written by :func:`generate_key_pair` (FastSpring's documented names).
PRIVATE_KEY_FILE = "privatekey.pem"
PUBLIC_CERT_FILE = "publicCert.pem"


def _new_pair(common_name: str, days: int) -> tuple[bytes, bytes]:
    """A new RSA key (PEM, PKCS#8) and its self-signed certificate (PEM)."""
    key = rsa.generate_private_key(public_exponent=65537, key_size=MIN_KEY_BITS)
    name = x509.Name([x509.NameAttribute(NameOID.COMMON_NAME, common_name)])
    now = _dt.datetime.now(_dt.UTC)
    cert = (
        x509.CertificateBuilder()
        .subject_name(name)
        .issuer_name(name)
        .public_key(key.public_key())
        .serial_number(x509.random_serial_number())
        .not_valid_before(now - _dt.timedelta(days=1))
        .not_valid_after(now + _dt.timedelta(days=days))
        .add_extension(x509.BasicConstraints(ca=True, path_length=None), critical=True)
        .sign(key, hashes.SHA256())
    )
    key_pem = key.private_bytes(
        serialization.Encoding.PEM, serialization.PrivateFormat.PKCS8, serialization.NoEncryption()
    )
    return key_pem, cert.public_bytes(serialization.Encoding.PEM)


def _stage(path: Path, data: bytes, mode: int) -> Path:
    """Write ``data`` whole to a temporary file next to ``path`` (created with ``mode``)."""
    tmp = path.with_name(f".{path.name}.tmp-{secrets.token_hex(4)}")
    fd = os.open(tmp, os.O_WRONLY | os.O_CREAT | os.O_EXCL, mode)
    try:
        with os.fdopen(fd, "wb") as handle:
            handle.write(data)
            handle.flush()
            os.fsync(handle.fileno())
        os.chmod(tmp, mode)
    except BaseException:
        tmp.unlink(missing_ok=True)
        raise
    return tmp


def _backup(path: Path) -> Path | None:
    """A second name (a hard link) for the file at ``path``, to put it back from; ``None``
    when there is no such file."""
    backup = path.with_name(f".{path.name}.old-{secrets.token_hex(4)}")
    try:
        os.link(path, backup)
    except FileNotFoundError:
        return None
    return backup


def _write_all(files: Sequence[tuple[Path, bytes, int]], force: bool) -> None:
    """Write every file or none, so that a key and its certificate always pair up.

    All are staged first (where a full disk or a permission error shows), then moved into
    place. Without ``force`` an existing file is never replaced (``os.link`` refuses
    atomically). With ``force`` the files there are kept under a second name first; if
    any step fails, the files already moved are put back (or removed, where there was
    none), so the previous pair stays whole."""
    staged: list[tuple[Path, Path]] = []
    backups: dict[Path, Path | None] = {}
    placed: list[Path] = []
    kept: list[Path] = []  # backups that could not be put back: never delete those
    try:
        for path, data, mode in files:
            staged.append((_stage(path, data, mode), path))
        if force:
            for _tmp, path in staged:
                backups[path] = _backup(path)
        for tmp, path in staged:
            if force:
                os.replace(tmp, path)
            else:
                os.link(tmp, path)
            placed.append(path)
    except BaseException:
        for path in reversed(placed):
            backup = backups.get(path)
            try:
                if backup is None:
                    path.unlink(missing_ok=True)
                else:
                    os.replace(backup, path)
            except OSError:  # pragma: no cover - the disk failed under us
                if backup is not None:
                    kept.append(backup)
        if kept:  # pragma: no cover
            raise SecureKeyError(
                "Writing the key pair failed and the previous files could not all be put "
                f"back; they are kept as {', '.join(map(os.fspath, kept))}: rename them back."
            ) from None
        raise
    finally:
        for tmp, _path in staged:
            tmp.unlink(missing_ok=True)
        for backup in backups.values():
            if backup is not None and backup not in kept:
                backup.unlink(missing_ok=True)


def generate_key_pair(
    out_dir: str | os.PathLike[str],
    *,
    force: bool = False,
    common_name: str = "sblgen secure payloads",
    days: int = 3650,
) -> tuple[Path, Path]:
    """Create ``privatekey.pem`` (RSA-2048, PKCS#8, mode 0600) and ``publicCert.pem``
    (self-signed X.509) in ``out_dir``, like FastSpring's documented openssl steps.

    Existing files are never overwritten unless ``force=True``. Upload the certificate in
    the FastSpring app (Developer Tools > Store Builder Library); keep the key on the server.
    """
    if not isinstance(days, int) or days < 1:
        raise ValueError(f"days={days!r}: the certificate must be valid for at least 1 day.")
    if not 1 <= len(common_name) <= 64:
        raise ValueError(f"common_name={common_name!r}: give 1 to 64 characters (an X.509 limit).")
    directory = Path(out_dir)
    directory.mkdir(parents=True, exist_ok=True)
    key_path, cert_path = directory / PRIVATE_KEY_FILE, directory / PUBLIC_CERT_FILE
    if not force:
        existing = [p.name for p in (key_path, cert_path) if p.exists()]
        if existing:
            raise SecureKeyError(
                f"{', '.join(existing)} already exist in {os.fspath(directory)!r}; nothing was "
                "written. Pass force=True (--force) to replace them."
            )
    key_pem, cert_pem = _new_pair(common_name, days)
    _write_all([(key_path, key_pem, 0o600), (cert_path, cert_pem, 0o644)], force)
    return key_path, cert_path
