"""The pytest plugin of ``sblgen.testing``: installed as a ``pytest11`` entry point, its
fixtures work in this project's tests and in a user's project, where the testing guide's
Flask app and its tests run as written."""

from __future__ import annotations

import os
import re
import subprocess
import sys
from importlib.metadata import entry_points
from pathlib import Path

import pytest

from sblgen.api import Client
from sblgen.testing import FakeFastSpring, client_for

GUIDE = Path(__file__).resolve().parent.parent / "docs" / "guides" / "testing.md"
TITLED = re.compile(r'^```python title="(?P<path>[^"]+)"\n(?P<body>.*?)^```', re.S | re.M)

# What a user's test file can do with the fixtures (written to a scratch project).
USER_TESTS = """
import os

from sblgen.api import Client
from sblgen.testing import FakeFastSpring, client_for

seen = []


def test_fake_fastspring_is_started(fake_fastspring):
    assert isinstance(fake_fastspring, FakeFastSpring)
    order = fake_fastspring.add_order(items=[("pro-monthly", 2)])
    fake_fastspring.fail_next("503")
    with client_for(fake_fastspring) as client:
        assert client.orders.get(order["id"]).items[0].quantity == 2
    assert len(fake_fastspring.requests) == 2
    seen.append(fake_fastspring)


def test_the_fake_is_closed_after_its_test():
    assert repr(seen[0]) == "<FakeFastSpring closed>"


def test_env_fixture_points_client_at_the_fake(fake_fastspring_env):
    assert "FASTSPRING_OAUTH_CLIENT_ID" not in os.environ
    assert os.environ["FASTSPRING_API_BASE_URL"] == fake_fastspring_env.base_url
    with Client() as client:
        session = client.create_session({"account": "a", "items": [{"product": "p"}]})
    assert session.id in fake_fastspring_env.state["sessions"]
"""


def run_pytest(
    folder: Path, *args: str, env: dict[str, str] | None = None
) -> subprocess.CompletedProcess[str]:
    """pytest in ``folder`` as a user's project would run it (none of this project's
    configuration, a clean environment)."""
    clean = {
        k: v
        for k, v in os.environ.items()
        if not k.startswith(("PYTEST_", "FASTSPRING_")) and k != "PYTHONPATH"
    }
    return subprocess.run(
        [sys.executable, "-m", "pytest", "-q", "-p", "no:cacheprovider", *args, str(folder)],
        cwd=folder,
        env={**clean, **(env or {})},
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )


def test_the_plugin_is_an_entry_point() -> None:
    (plugin,) = [e for e in entry_points(group="pytest11") if e.name == "sblgen"]
    assert plugin.value == "sblgen.testing.pytest_plugin"


def test_fixture_in_this_project(fake_fastspring: FakeFastSpring) -> None:
    with client_for(fake_fastspring) as client:
        client.create_session({"account": "acc-1", "items": [{"product": "falcon"}]})
    assert [r.path for r in fake_fastspring.requests] == ["/sessions"]


def test_env_fixture_in_this_project(fake_fastspring_env: FakeFastSpring) -> None:
    assert os.environ["FASTSPRING_API_BASE_URL"] == fake_fastspring_env.base_url
    with Client() as client:
        session = client.create_session({"account": "acc-1", "items": [{"product": "falcon"}]})
    assert session.id in fake_fastspring_env.state["sessions"]


@pytest.mark.slow
def test_fixtures_in_a_users_project(tmp_path: Path) -> None:
    """Loaded by the entry point alone; the OAuth2 variables of the user's shell do not
    confuse ``Client()`` under ``fake_fastspring_env``."""
    (tmp_path / "test_user.py").write_text(USER_TESTS, encoding="utf-8")
    oauth = {"FASTSPRING_OAUTH_CLIENT_ID": "real-id", "FASTSPRING_OAUTH_CLIENT_SECRET": "real"}
    result = run_pytest(tmp_path, env=oauth)
    assert result.returncode == 0, result.stdout + result.stderr
    assert "3 passed" in result.stdout


@pytest.mark.slow
def test_fixtures_without_plugin_autoload(tmp_path: Path) -> None:
    """``-p sblgen.testing.pytest_plugin``, as the guide says, when autoload is off."""
    (tmp_path / "test_user.py").write_text(USER_TESTS, encoding="utf-8")
    off = {"PYTEST_DISABLE_PLUGIN_AUTOLOAD": "1"}
    missing = run_pytest(tmp_path, env=off)
    assert missing.returncode != 0 and "fixture 'fake_fastspring' not found" in missing.stdout
    result = run_pytest(tmp_path, "-p", "sblgen.testing.pytest_plugin", env=off)
    assert result.returncode == 0, result.stdout + result.stderr
    assert "3 passed" in result.stdout


@pytest.mark.slow
def test_the_guides_app_and_tests_run_as_written(tmp_path: Path) -> None:
    files = {m["path"]: m["body"] for m in TITLED.finditer(GUIDE.read_text(encoding="utf-8"))}
    assert set(files) == {"shop.py", "test_shop.py"}
    for name, body in files.items():
        (tmp_path / name).write_text(body, encoding="utf-8")
    result = run_pytest(tmp_path)
    assert result.returncode == 0, result.stdout + result.stderr
    assert "2 passed" in result.stdout
