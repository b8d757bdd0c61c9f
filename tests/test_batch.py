"""Batch encryption: order, fresh keys, worker processes, validation before any work."""

from __future__ import annotations

import threading

import pytest

import sblgen
from sblgen.batch import encrypt_many
from sblgen.crypto import PrivateKey, PublicCertificate
from tests.keys import KEYS


@pytest.fixture(scope="module")
def key() -> PrivateKey:
    return PrivateKey.from_file(KEYS / "test-privatekey.pem")


@pytest.fixture(scope="module")
def cert() -> PublicCertificate:
    return PublicCertificate.from_file(KEYS / "test-publicCert.pem")


def test_public_name() -> None:
    assert sblgen.encrypt_many is encrypt_many


def test_encrypt_many_keeps_order_and_uses_fresh_keys(
    key: PrivateKey, cert: PublicCertificate
) -> None:
    payloads = [{"tags": {"n": str(i)}} for i in range(80)]
    requests = encrypt_many(payloads, key, workers=2)
    assert [cert.decrypt(r) for r in requests] == payloads
    assert len({r.key for r in requests}) == 80
    assert encrypt_many(payloads[:3], key) and cert.decrypt(encrypt_many(payloads[:3], key)[2]) == {
        "tags": {"n": "2"}
    }


def test_encrypt_many_from_a_threaded_program(key: PrivateKey, cert: PublicCertificate) -> None:
    """A web server calling encrypt_many has other threads: workers are not forked then."""
    from sblgen._parallel import start_context

    release = threading.Event()
    other = threading.Thread(target=release.wait)
    other.start()
    try:
        assert start_context().get_start_method() != "fork"
        payloads = [{"tags": {"n": str(i)}} for i in range(64)]
        assert [cert.decrypt(r) for r in encrypt_many(payloads, key, workers=2)] == payloads
    finally:
        release.set()
        other.join()


def test_encrypt_many_validates_payloads(key: PrivateKey) -> None:
    from pydantic import ValidationError

    with pytest.raises(ValidationError):
        encrypt_many([{"tags": {"a": "1"}}, {"bogus": 1}], key)
