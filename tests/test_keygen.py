"""Key pair generation: FastSpring's file names and modes, both files or neither."""

from __future__ import annotations

import stat
from pathlib import Path
from typing import Any

import pytest

import sblgen
from sblgen import SecureKeyError, keygen
from sblgen.crypto import PrivateKey, PublicCertificate, check_pair
from sblgen.keygen import generate_key_pair
from tests.keys import openssl


def test_public_name() -> None:
    assert sblgen.generate_key_pair is generate_key_pair


def test_generate_key_pair(tmp_path: Path) -> None:
    key_path, cert_path = generate_key_pair(tmp_path)
    assert (key_path.name, cert_path.name) == ("privatekey.pem", "publicCert.pem")
    assert stat.S_IMODE(key_path.stat().st_mode) == 0o600
    assert check_pair(PrivateKey.from_file(key_path), PublicCertificate.from_file(cert_path))
    text = openssl("x509", "-in", str(cert_path), "-noout", "-text").decode()
    assert "Public-Key: (2048 bit)" in text
    before = key_path.read_bytes()
    with pytest.raises(SecureKeyError, match="already exist"):
        generate_key_pair(tmp_path)
    assert key_path.read_bytes() == before
    assert sorted(p.name for p in tmp_path.iterdir()) == ["privatekey.pem", "publicCert.pem"]
    generate_key_pair(tmp_path, force=True)
    assert key_path.read_bytes() != before
    assert stat.S_IMODE(key_path.stat().st_mode) == 0o600


@pytest.mark.parametrize(
    ("settings", "message"),
    [({"days": 0}, "days=0"), ({"days": -5}, "days=-5"), ({"common_name": ""}, "common_name")],
)
def test_generate_checks_its_settings_first(
    tmp_path: Path, settings: dict[str, Any], message: str
) -> None:
    with pytest.raises(ValueError, match=message):
        generate_key_pair(tmp_path / "keys", **settings)
    assert not (tmp_path / "keys").exists()  # refused before anything was made


def test_generate_refuses_when_only_cert_exists(tmp_path: Path) -> None:
    (tmp_path / "publicCert.pem").write_text("keep me")
    with pytest.raises(SecureKeyError, match=r"publicCert\.pem already exist"):
        generate_key_pair(tmp_path)
    assert not (tmp_path / "privatekey.pem").exists()
    assert (tmp_path / "publicCert.pem").read_text() == "keep me"


@pytest.mark.parametrize("force", [False, True])
def test_generate_writes_both_files_or_neither(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, force: bool
) -> None:
    """A failure while writing the certificate (a full disk, say) leaves no new key behind,
    with or without force: both files are written in full before either is put in place."""
    old_key, old_cert = generate_key_pair(tmp_path)
    before = (old_key.read_bytes(), old_cert.read_bytes())
    if not force:
        old_key.unlink()
        old_cert.unlink()
    real_stage = keygen._stage

    def failing_stage(path: Path, data: bytes, mode: int) -> Path:
        if path.name == "publicCert.pem":
            raise OSError(28, "No space left on device")
        return real_stage(path, data, mode)

    monkeypatch.setattr(keygen, "_stage", failing_stage)
    with pytest.raises(OSError, match="No space"):
        generate_key_pair(tmp_path, force=force)
    left = sorted(p.name for p in tmp_path.iterdir())
    if force:
        assert left == ["privatekey.pem", "publicCert.pem"]
        assert (old_key.read_bytes(), old_cert.read_bytes()) == before  # the old pair, intact
    else:
        assert left == []  # no lone key, no temporary file
