"""Encrypt many secure payloads at once, on every core.

>>> import tempfile
>>> from sblgen.crypto import PrivateKey, PublicCertificate
>>> from sblgen.keygen import generate_key_pair
>>> key_path, cert_path = generate_key_pair(tempfile.mkdtemp())
>>> requests = encrypt_many([{"coupon": "A"}, {"coupon": "B"}], PrivateKey.from_file(key_path))
>>> [PublicCertificate.from_file(cert_path).decrypt(r) for r in requests]
[{'coupon': 'A'}, {'coupon': 'B'}]
"""

from __future__ import annotations

import os
from collections.abc import Iterable, Mapping, Sequence
from typing import Any

from sblgen._parallel import chunks, process_pool
from sblgen.crypto import PrivateKey, _payload_bytes
from sblgen.payload import SecurePayload
from sblgen.secure_request import SecureRequest

__all__ = ["encrypt_many"]

#: Fewer payloads than this are encrypted in this process (starting workers costs more).
_PARALLEL_THRESHOLD = 64

_worker_key: PrivateKey | None = None


def _init_worker(pem: bytes) -> None:
    """Load the key once per worker (the parent already validated this very key)."""
    global _worker_key
    _worker_key = PrivateKey._from_trusted_pkcs8(pem)


def _encrypt_chunk(chunk: Sequence[bytes]) -> list[tuple[str, str]]:
    if _worker_key is None:  # pragma: no cover - initializer always runs first
        raise RuntimeError("worker not initialised")
    out = []
    for plain in chunk:
        request = _worker_key._encrypt_plain(plain)
        out.append((str(request.payload), request.key))
    return out


def encrypt_many(
    payloads: Iterable[SecurePayload | Mapping[str, Any]],
    private_key: PrivateKey,
    *,
    workers: int | None = None,
) -> list[SecureRequest]:
    """Encrypt many payloads on every core (a fresh AES key each), in input order.

    Payloads are validated in this process first, so a bad one fails before any work
    starts. Small batches are encrypted in-process.
    """
    items = list(payloads)
    count = workers or os.cpu_count() or 1
    if count <= 1 or len(items) < _PARALLEL_THRESHOLD:
        return [private_key.encrypt(p) for p in items]
    # Validate and serialise everything first: a bad payload fails before any work starts.
    plains = [_payload_bytes(p) for p in items]
    with process_pool(count, _init_worker, (private_key._pkcs8(),)) as pool:
        work = chunks(plains, count, per_worker=4, least=16)
        results = [pair for chunk in pool.map(_encrypt_chunk, work) for pair in chunk]
    return [SecureRequest.model_construct(payload=body, key=key) for body, key in results]
