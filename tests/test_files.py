"""The bounded file read the package shares."""

from __future__ import annotations

from pathlib import Path

import pytest

from sblgen._files import read_bounded
from sblgen.errors import SecureKeyError, SiteError


def test_reads_up_to_the_limit(tmp_path: Path) -> None:
    path = tmp_path / "f"
    path.write_bytes(b"x" * 10)
    assert read_bounded(path, "Key", limit=10, error=SecureKeyError) == b"x" * 10
    assert read_bounded(str(path), "Key", limit=11, error=SecureKeyError) == b"x" * 10
    with pytest.raises(SiteError, match=r"^Thing file '.*f' is larger than 9 bytes; check"):
        read_bounded(path, "Thing", limit=9, error=SiteError)


def test_missing_and_unreadable_files(tmp_path: Path) -> None:
    with pytest.raises(SecureKeyError, match=r"^Key file '.*nope' does not exist\.$"):
        read_bounded(tmp_path / "nope", "Key", limit=10, error=SecureKeyError)
    with pytest.raises(SecureKeyError, match=r"cannot be read \(Is a directory\)\.$"):
        read_bounded(tmp_path, "Key", limit=10, error=SecureKeyError)


def test_the_content_is_never_in_the_message(tmp_path: Path) -> None:
    path = tmp_path / "secret.pem"
    path.write_text("-----BEGIN PRIVATE KEY----- s3cret " * 10)
    with pytest.raises(SecureKeyError) as exc:
        read_bounded(path, "Private key", limit=20, error=SecureKeyError)
    assert "s3cret" not in str(exc.value)
