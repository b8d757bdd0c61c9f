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


def _failing(monkeypatch: pytest.MonkeyPatch, name: str, fails: Any) -> list[tuple[str, str]]:
    """``os.<name>`` failing (EIO) for the calls ``fails(src, dst)`` picks; the calls made."""
    import os

    real = getattr(os, name)
    calls: list[tuple[str, str]] = []

    def call(src: Any, dst: Any, *args: Any, **kwargs: Any) -> None:
        calls.append((Path(src).name, Path(dst).name))
        if fails(Path(src), Path(dst)):
            raise OSError(5, "Input/output error")
        real(src, dst, *args, **kwargs)

    monkeypatch.setattr(os, name, call)
    return calls


def test_force_keeps_the_old_pair_when_the_second_rename_fails(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The new key is in place, then the certificate cannot be: the old key comes back,
    so the files there always form a pair."""
    key, cert = generate_key_pair(tmp_path)
    before = (key.read_bytes(), cert.read_bytes())
    _failing(monkeypatch, "replace", lambda src, dst: dst.name == "publicCert.pem")
    with pytest.raises(OSError, match="Input/output"):
        generate_key_pair(tmp_path, force=True)
    monkeypatch.undo()
    assert (key.read_bytes(), cert.read_bytes()) == before
    assert check_pair(PrivateKey.from_file(key), PublicCertificate.from_file(cert))
    assert stat.S_IMODE(key.stat().st_mode) == 0o600
    assert sorted(p.name for p in tmp_path.iterdir()) == ["privatekey.pem", "publicCert.pem"]


def test_force_keeps_the_old_pair_when_a_backup_fails(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    key, cert = generate_key_pair(tmp_path)
    before = (key.read_bytes(), cert.read_bytes())
    _failing(monkeypatch, "link", lambda src, dst: src.name == "publicCert.pem")
    with pytest.raises(OSError, match="Input/output"):
        generate_key_pair(tmp_path, force=True)
    assert (key.read_bytes(), cert.read_bytes()) == before
    assert sorted(p.name for p in tmp_path.iterdir()) == ["privatekey.pem", "publicCert.pem"]


def test_force_with_only_one_old_file_removes_the_new_one_on_failure(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    (tmp_path / "publicCert.pem").write_text("old cert")
    _failing(monkeypatch, "replace", lambda src, dst: dst.name == "publicCert.pem")
    with pytest.raises(OSError, match="Input/output"):
        generate_key_pair(tmp_path, force=True)
    assert sorted(p.name for p in tmp_path.iterdir()) == ["publicCert.pem"]  # no lone key
    assert (tmp_path / "publicCert.pem").read_text() == "old cert"


def test_without_force_a_failing_second_link_leaves_nothing(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    calls = _failing(monkeypatch, "link", lambda src, dst: dst.name == "publicCert.pem")
    with pytest.raises(OSError, match="Input/output"):
        generate_key_pair(tmp_path)
    assert [dst for _src, dst in calls] == ["privatekey.pem", "publicCert.pem"]
    assert list(tmp_path.iterdir()) == []


def test_force_replaces_both_and_leaves_no_backup(tmp_path: Path) -> None:
    key, cert = generate_key_pair(tmp_path)
    before = (key.read_bytes(), cert.read_bytes())
    generate_key_pair(tmp_path, force=True)
    assert key.read_bytes() != before[0] and cert.read_bytes() != before[1]
    assert check_pair(PrivateKey.from_file(key), PublicCertificate.from_file(cert))
    assert sorted(p.name for p in tmp_path.iterdir()) == ["privatekey.pem", "publicCert.pem"]


def test_cli_keygen_force_failure_is_one_line(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    from sblgen.cli import main

    key, cert = generate_key_pair(tmp_path)
    before = (key.read_bytes(), cert.read_bytes())
    _failing(monkeypatch, "replace", lambda src, dst: dst.name == "publicCert.pem")
    assert main(["keygen", "--out-dir", str(tmp_path), "--force"]) == 2
    assert capsys.readouterr().err == "sblgen: Input/output error\n"
    assert (key.read_bytes(), cert.read_bytes()) == before
