"""The README works as written: its Python examples run in order, and every ``sblgen``
command line in its shell blocks runs (against the fake FastSpring, in a scratch folder)."""

from __future__ import annotations

import json
import os
import re
import shlex
import shutil
import subprocess
import sys
import urllib.request
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from sblgen import CheckoutBuilder
from sblgen.cli import main
from sblgen.testing import PASSWORD, USERNAME, FakeFastSpring
from sblgen.testing.resources import resources
from sblgen.webhooks import sign

ROOT = Path(__file__).resolve().parent.parent
KEYS = Path(__file__).parent / "data" / "keys"
BLOCK = re.compile(r"^```(\w+)\n(.*?)^```", re.S | re.M)
WEBHOOK_BODY = b'{"events": [{"id": "ev1", "type": "order.completed", "data": {}}]}'
WEBHOOK_SECRET = "current-secret"


def readme_blocks(language: str) -> list[str]:
    text = (ROOT / "README.md").read_text(encoding="utf-8")
    return [code for lang, code in BLOCK.findall(text) if lang == language]


def command_lines() -> list[str]:
    """Every shell line that runs ``sblgen`` (``make`` lines are what CI itself runs)."""
    return [
        line.strip()
        for block in readme_blocks("sh")
        for line in block.splitlines()
        if line.strip().startswith("sblgen ")
    ]


@pytest.fixture
def scratch(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> Iterator[tuple[Path, FakeFastSpring]]:
    """A working folder with the files the README's commands name, and FastSpring faked."""
    server = FakeFastSpring()
    monkeypatch.chdir(tmp_path)
    monkeypatch.setenv("FASTSPRING_API_USERNAME", USERNAME)
    monkeypatch.setenv("FASTSPRING_API_PASSWORD", PASSWORD)
    monkeypatch.setenv("FASTSPRING_API_BASE_URL", server.base_url)
    monkeypatch.setenv("NONCE", "r4nd0m")
    monkeypatch.setenv("FS_WEBHOOK_SECRET", WEBHOOK_SECRET)
    monkeypatch.setenv("SIG", sign(WEBHOOK_BODY, WEBHOOK_SECRET))
    session = CheckoutBuilder().product("pro-plan").coupon("SPRING").session().to_json()
    payload = CheckoutBuilder().product("pro-plan", price={"USD": 20}).secure_payload()
    files = {
        "session.json": session,
        "s.json": session,
        "payload.json": payload.to_json(),
        "request.json": json.dumps({"account": "acc-1234", "items": [{"product": "falcon"}]}),
        "body.json": json.dumps({"live": False, "cart": {"lineItems": [{"productPath": "a"}]}}),
        "item.json": json.dumps({"productPath": "addon", "quantity": 2}),
        "webhook.json": WEBHOOK_BODY.decode(),
    }
    for name, text in files.items():
        (tmp_path / name).write_text(text, encoding="utf-8")
    yield tmp_path, server
    server.close()


def test_readme_has_examples() -> None:
    assert len(readme_blocks("python")) >= 8
    assert len(command_lines()) >= 15


def test_python_examples_run_in_order(
    scratch: tuple[Path, FakeFastSpring], capsys: pytest.CaptureFixture[str]
) -> None:
    folder, server = scratch
    (folder / "keys").mkdir()
    shutil.copy(KEYS / "test-privatekey.pem", folder / "keys" / "privatekey.pem")
    shutil.copy(KEYS / "test-publicCert.pem", folder / "keys" / "publicCert.pem")
    namespace: dict[str, Any] = {
        "__name__": "readme",
        # What the webhook example's comments say a view passes in.
        "raw_body": WEBHOOK_BODY,
        "headers": {"X-FS-Signature": sign(WEBHOOK_BODY, WEBHOOK_SECRET)},
        # What "After the purchase" says the page posts: a completed test order's id.
        "order_id": resources(server).add_order(live=False)["order"],
    }
    for number, code in enumerate(readme_blocks("python")):
        exec(compile(code, f"README.md python block {number}", "exec"), namespace)  # noqa: S102
    # "After the purchase": confirmed once, the forged id refused, the webhook and the pulled
    # event that follow grant nothing again.
    assert (namespace["reply"].status_code, namespace["forged"].get_json()["check"]) == (
        200,
        "found",
    )
    assert namespace["result"].summary() == "1 fetched, 1 processed, 0 declined, 0 not marked"
    out = capsys.readouterr().out
    assert [line for line in out.splitlines() if line.startswith("grant")] == [
        f"grant {namespace['order_id']} ['pro-monthly']"
    ]
    # The 30-second example prints what its comment shows.
    first = out.splitlines()[0]
    comment = next(x for x in readme_blocks("python")[0].splitlines() if x.startswith("# {"))
    shown = comment.removeprefix("# ").removesuffix("...}")
    assert first.startswith(shown)


def test_command_lines_run(
    scratch: tuple[Path, FakeFastSpring], capsys: pytest.CaptureFixture[str]
) -> None:
    folder, server = scratch
    order = resources(server).add_order(live=False)
    substitutions: dict[str, str] = {
        "PRODUCT_PATH": "addon",
        "ORDER_ID": order["order"],
        "ACCOUNT_ID": order["account"],
    }
    served = []
    for line in command_lines():
        for placeholder, value in substitutions.items():
            line = line.replace(placeholder, value)
        argv = shlex.split(os.path.expandvars(line), comments=True)[1:]
        if argv[:2] == ["site", "serve"]:
            served.append(argv)
            continue
        if argv[:2] == ["site", "build"]:
            argv[2] = str(ROOT / argv[2])  # the README runs from the repository root
            argv[argv.index("--out") + 1] = str(folder / "x")  # not /tmp/x: tests share /tmp
        code = main(argv)
        out, err = capsys.readouterr()
        assert code == 0, f"{line}\n{err}"
        if argv[:3] == ["secure", "encrypt", "--private-key"]:
            (folder / "secure.json").write_text(out)  # what `> secure.json` would keep
        if argv[:3] == ["api", "v2", "create-session"]:
            substitutions["SESSION_ID"] = json.loads(out)["id"]
    assert "SESSION_ID" in substitutions
    assert served == [["site", "serve", "/tmp/x", "--offline"]]


def test_site_serve_line_serves_the_inspector(tmp_path: Path) -> None:
    """``sblgen site serve OUT --offline`` as a real process (on a free port, not 8000)."""
    out = tmp_path / "x"
    assert main(["site", "build", str(ROOT / "demo_site"), "--out", str(out)]) == 0
    argv = [sys.executable, "-m", "sblgen", "site", "serve", str(out), "--offline", "--port", "0"]
    with subprocess.Popen(argv, stdout=subprocess.PIPE, text=True) as process:
        try:
            assert process.stdout is not None
            banner = process.stdout.readline()
            url = re.search(r"http://127\.0\.0\.1:\d+/", banner)
            assert url, banner
            with urllib.request.urlopen(url.group(0) + "index.html", timeout=10) as response:
                page = response.read().decode()
        finally:
            process.terminate()
    assert "inspector" in page and "sbl.onfastspring.com" not in page
