"""What the secure payload tests share: the test key files and the openssl command line."""

from __future__ import annotations

import subprocess
from pathlib import Path

#: ``tests/data/keys``: RSA keys and certificates made with openssl for the tests.
KEYS = Path(__file__).parent / "data" / "keys"


def openssl(*args: str, data: bytes | None = None) -> bytes:
    """Run the openssl command line; its standard output."""
    return subprocess.run(["openssl", *args], input=data, capture_output=True, check=True).stdout
