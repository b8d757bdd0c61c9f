"""Batch encryption on both of its paths: in this process (one worker, or a small batch)
and on worker processes. Both give the same results: one request per payload in input
order, each under a fresh AES key, every payload validated before any work starts.

Which path ran is seen through the one seam that starts workers,
``sblgen.batch.process_pool``: wrapped to count its calls (the real pool still runs), or
replaced by one that fails to show it is never reached.
"""

from __future__ import annotations

import os
from collections.abc import Callable
from typing import Any

import pytest
from pydantic import ValidationError

from sblgen import SecurePayload, SecureRequest, _parallel
from sblgen.batch import _PARALLEL_THRESHOLD, encrypt_many
from sblgen.crypto import PrivateKey, PublicCertificate
from tests.keys import KEYS

KEY = PrivateKey.from_file(KEYS / "test-privatekey.pem")
CERT = PublicCertificate.from_file(KEYS / "test-publicCert.pem")


def payloads(n: int) -> list[Any]:
    """Mappings and models, mixed."""
    return [
        SecurePayload(tags={"n": str(i)}) if i % 3 == 0 else {"tags": {"n": str(i)}}
        for i in range(n)
    ]


def as_dicts(items: list[Any]) -> list[dict[str, Any]]:
    return [p.to_dict() if isinstance(p, SecurePayload) else p for p in items]


@pytest.fixture
def pools(monkeypatch: pytest.MonkeyPatch) -> list[int]:
    """The worker counts of every pool started."""
    started: list[int] = []
    real = _parallel.process_pool

    def counting(workers: int, initializer: Callable[..., None], initargs: tuple[Any, ...]) -> Any:
        started.append(workers)
        return real(workers, initializer, initargs)

    monkeypatch.setattr("sblgen.batch.process_pool", counting)
    return started


@pytest.fixture
def no_pool(monkeypatch: pytest.MonkeyPatch) -> None:
    def refuse(*args: object) -> Any:
        raise AssertionError("a process pool was started")

    monkeypatch.setattr("sblgen.batch.process_pool", refuse)


def check(requests: list[SecureRequest], items: list[Any]) -> None:
    assert all(type(r) is SecureRequest and not r.is_plaintext for r in requests)
    assert [CERT.decrypt(r) for r in requests] == as_dicts(items)
    assert len({r.key for r in requests}) == len(items)  # a fresh AES key each
    for request in requests:  # what the pool returns is valid, like what encrypt() returns
        assert SecureRequest.model_validate(request.to_dict()) == request


@pytest.mark.usefixtures("no_pool")
@pytest.mark.parametrize(
    ("workers", "count"),
    [(1, 100), (2, _PARALLEL_THRESHOLD - 1), (8, 1), (None, 10), (2, 0)],
)
def test_the_in_process_path(workers: int | None, count: int) -> None:
    items = payloads(count)
    check(encrypt_many(items, KEY, workers=workers), items)


@pytest.mark.usefixtures("no_pool")
def test_one_core_means_in_process(monkeypatch: pytest.MonkeyPatch) -> None:
    items = payloads(_PARALLEL_THRESHOLD + 6)
    for cpus in (1, None):  # os.cpu_count() may not know
        monkeypatch.setattr(os, "cpu_count", lambda cpus=cpus: cpus)
        check(encrypt_many(items, KEY), items)
        check(encrypt_many(items, KEY, workers=0), items)


@pytest.mark.parametrize("count", [_PARALLEL_THRESHOLD, 150])
def test_the_worker_path(pools: list[int], count: int) -> None:
    items = payloads(count)
    check(encrypt_many(iter(items), KEY, workers=2), items)
    assert pools == [2]


def test_the_worker_path_by_default_on_several_cores(
    pools: list[int], monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(os, "cpu_count", lambda: 2)
    items = payloads(_PARALLEL_THRESHOLD)
    check(encrypt_many(items, KEY), items)
    check(encrypt_many(items, KEY, workers=0), items)
    assert pools == [2, 2]


@pytest.mark.usefixtures("no_pool")
@pytest.mark.parametrize("count", [5, _PARALLEL_THRESHOLD + 10])
@pytest.mark.parametrize("workers", [1, 2])
def test_a_bad_payload_fails_before_any_work(count: int, workers: int) -> None:
    """On either path a bad payload anywhere raises, and no pool is started for it."""
    items = [*payloads(count), {"tags": {"n": 1}}]
    with pytest.raises(ValidationError, match="tag values are strings"):
        encrypt_many(items, KEY, workers=workers)
    with pytest.raises(ValidationError):
        encrypt_many([{"bogus": True}, *payloads(count)], KEY, workers=workers)


def test_both_paths_agree(pools: list[int]) -> None:
    items = payloads(_PARALLEL_THRESHOLD)
    here = encrypt_many(items, KEY, workers=1)
    there = encrypt_many(items, KEY, workers=2)
    assert pools == [2]
    assert [CERT.decrypt(r) for r in here] == [CERT.decrypt(r) for r in there]
    assert {r.key for r in here}.isdisjoint(r.key for r in there)
