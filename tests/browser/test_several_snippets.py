"""Several sblgen snippets on one page (issue 14, item 5): the usual CMS case, where each
product block carries its own pasted `sblgen embed` (formerly `sblgen render`) snippet. The
page must load the SBL once and every snippet's session must reach it: merged into
``fscSession`` with the SBL's own merge rule while the (deferred) SBL has not run, pushed
once it has.

The snippets come from the real command line (``python -m sblgen embed``); the assertions look
only at the DOM and at what reaches the storefront, so the file also runs against another SBL
build (SBLGEN_BROWSER_SBL=/path/to/sbl.js)."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

import pytest

from sblgen import (
    LOADER_PATH,
    Product,
    SblOptions,
    SecureRequest,
    Session,
    embed,
    script_tag,
    secure,
    session_init,
)
from tests.browser.harness import PageServer, page_html, settle, wire_requests

pytestmark = pytest.mark.browser

POPUP = "acme.test.onfastspring.com/popup-acme"
OTHER = "other.test.onfastspring.com/popup-other"
EMBEDDED = "acme.test.onfastspring.com/embedded-acme"
NONCE = "dGVzdC1ub25jZQ=="


def cli_snippet(tmp_path: Path, name: str, *args: str, session: Any = None) -> str:
    """What `sblgen embed ...` (formerly `sblgen render`) prints, run as a separate process,
    as a seller would."""
    argv = [sys.executable, "-m", "sblgen", "embed", *args]
    if session is not None:
        path = tmp_path / f"{name}.json"
        path.write_text(json.dumps(session), encoding="utf-8")
        argv += ["--session", str(path)]
    done = subprocess.run(argv, capture_output=True, text=True, check=False, timeout=60)
    assert done.returncode == 0, done.stderr
    return done.stdout


def serve_loader(server: PageServer) -> None:
    server.add(
        "/static/sblgen/sbl-loader.js",
        LOADER_PATH.read_text(encoding="utf-8"),
        content_type="application/javascript",
    )


def load(page: Any, server: PageServer, name: str, *parts: str, count: int = 1, **kw: Any) -> None:
    url = server.add(f"/several-{name}.html", page_html(*parts), **kw)
    page.goto(url)
    settle(page, count)


def sbl_tags(page: Any) -> list[dict[str, str]]:
    """The data-* attributes of every SBL tag left in the document."""
    found: list[dict[str, str]] = page.eval_on_selector_all(
        "script#fsc-api",
        "els => els.map(e => Object.fromEntries([...e.attributes]"
        ".filter(a => a.name.startsWith('data-')).map(a => [a.name, a.value])))",
    )
    return found


def first_items(page: Any) -> list[dict[str, Any]]:
    put = wire_requests(page)[0]["put"]
    items: list[dict[str, Any]] = put.get("items", [])
    return items


def console_errors(page: Any) -> list[str]:
    return [m.text for m in page.console_messages if m.type == "error"]


A = {"products": [{"path": "widget-pro", "quantity": 1}], "tags": {"block": "a"}}
B = {"products": [{"path": "widget-gift-card", "quantity": 2}], "tags": {"campaign": "b"}}


@pytest.mark.parametrize("mode", ["inline", "external"])
def test_two_cli_snippets_load_the_sbl_once_with_both_sessions(
    page: Any, page_server: PageServer, tmp_path: Path, mode: str
) -> None:
    flags = ["--storefront", POPUP, "--mode", mode]
    first = cli_snippet(tmp_path, "a", *flags, session=A)
    second = cli_snippet(tmp_path, "b", *flags, session=B)
    assert first.count('id="fsc-api"') == second.count('id="fsc-api"') == 1
    if mode == "external":
        serve_loader(page_server)
    load(page, page_server, f"cli-{mode}", "<h2>Widget Pro</h2>", first, "<h2>Gift</h2>", second)
    assert sbl_tags(page) == [{"data-storefront": POPUP}]
    requests = wire_requests(page)
    assert requests[0]["put"] == {
        # The SBL's merge: products appended (then last line first), objects merged.
        "items": [
            {"path": "widget-gift-card", "quantity": 2},
            {"path": "widget-pro", "quantity": 1},
        ],
        "tags": {"block": "a", "campaign": "b"},
        "sblVersion": "sbl/1.0.3",
    }
    assert len(requests) == 1
    # Both snippets' buttons are bound by the one SBL (Update,Checkout: one finalize).
    page.eval_on_selector("[data-fsc-item-path-value='widget-gift-card']", "el => el.click()")
    settle(page, 2)
    assert urlsplit(wire_requests(page)[-1]["url"]).path == "/popup-acme/builder/finalize"
    assert wire_requests(page)[-1]["put"]["items"] == [{"path": "widget-gift-card", "quantity": 2}]
    assert page.page_errors == []
    assert console_errors(page) == []


@pytest.mark.parametrize("order", ["tag-only-first", "tag-only-second", "both-tag-only"])
def test_a_snippet_without_session_still_loads_the_sbl_once(
    page: Any, page_server: PageServer, tmp_path: Path, order: str
) -> None:
    bare = cli_snippet(tmp_path, "bare", "--storefront", POPUP)
    with_session = cli_snippet(tmp_path, "b", "--storefront", POPUP, session=B)
    parts = {
        "tag-only-first": (bare, with_session),
        "tag-only-second": (with_session, bare),
        "both-tag-only": (bare, bare),
    }[order]
    load(page, page_server, f"bare-{order}", *parts)
    assert sbl_tags(page) == [{"data-storefront": POPUP}]
    if order == "both-tag-only":  # nothing to send: the SBL opens an empty cart
        assert [e["method"] for e in wire_requests(page)] == ["GET"]
    else:
        assert first_items(page) == [{"path": "widget-gift-card", "quantity": 2}]
    assert page.page_errors == []


@pytest.mark.parametrize("mode", ["inline", "external"])
def test_two_embedded_snippets_keep_one_container(
    page: Any, page_server: PageServer, tmp_path: Path, mode: str
) -> None:
    """Each embed() for an embedded storefront writes the container; on one page the second
    is taken out (one id, one place), and the checkout is drawn in the first."""
    flags = ["--storefront", EMBEDDED, "--mode", mode]
    first = cli_snippet(tmp_path, "a", *flags, session=A)
    second = cli_snippet(tmp_path, "b", *flags, session=B)
    assert first.count('<div id="fsc-embedded-checkout-container">') == 1
    if mode == "external":
        serve_loader(page_server)
    load(page, page_server, f"embedded-{mode}", "<h2>A</h2>", first, "<h2>B</h2>", second)
    page.wait_for_selector(
        "#fsc-embedded-checkout-container #fsc-popup-frame", state="attached", timeout=3000
    )
    containers = page.eval_on_selector_all(
        "[id='fsc-embedded-checkout-container']",
        "els => els.map(e => e.previousElementSibling && e.previousElementSibling.textContent)",
    )
    assert len(containers) == 1
    assert [i["path"] for i in first_items(page)] == ["widget-gift-card", "widget-pro"]
    assert page.page_errors == []


def test_two_snippets_under_a_nonce_csp(page: Any, page_server: PageServer, tmp_path: Path) -> None:
    flags = ["--storefront", POPUP, "--nonce", NONCE]
    first = cli_snippet(tmp_path, "a", *flags, session=A)
    second = cli_snippet(tmp_path, "b", *flags, session=B)
    csp = f"script-src 'nonce-{NONCE}' https://sbl.onfastspring.com; object-src 'none'"
    load(page, page_server, "nonce", first, second, headers={"Content-Security-Policy": csp})
    assert page.evaluate("window.__violations") == []
    assert sbl_tags(page) == [{"data-storefront": POPUP}]
    assert [i["path"] for i in first_items(page)] == ["widget-gift-card", "widget-pro"]


def test_the_second_tag_brings_the_access_key_the_first_lacks(
    page: Any, page_server: PageServer, tmp_path: Path
) -> None:
    """A buy block (no secure payload, no key) and then a block with a test-mode secure
    payload: the key moves to the one SBL tag before it runs, so the payload is read."""
    first = cli_snippet(tmp_path, "a", "--storefront", POPUP, session=A)
    request = tmp_path / "secure.json"
    request.write_text(json.dumps(SecureRequest.plaintext({"coupon": "LOCKED"}).to_dict()))
    second = cli_snippet(
        tmp_path, "b", "--storefront", POPUP, "--access-key", "TESTKEY", "--secure", str(request)
    )
    load(page, page_server, "key", first, second)
    assert sbl_tags(page) == [{"data-storefront": POPUP, "data-access-key": "TESTKEY"}]
    put = wire_requests(page)[0]["put"]
    assert put["accessKey"] == "TESTKEY" and put["coupon"] == "LOCKED"
    assert put["items"] == [{"path": "widget-pro", "quantity": 1}]


def test_a_snippet_for_another_storefront_is_reported(
    page: Any, page_server: PageServer, tmp_path: Path
) -> None:
    first = cli_snippet(tmp_path, "a", "--storefront", POPUP, session=A)
    second = cli_snippet(tmp_path, "b", "--storefront", OTHER, session=B)
    load(page, page_server, "other", first, second)
    assert sbl_tags(page) == [{"data-storefront": POPUP}]
    assert any(
        "loads the Store Builder Library once" in e and OTHER in e for e in console_errors(page)
    ), console_errors(page)


def test_a_session_after_a_plain_sbl_tag_is_pushed(page: Any, page_server: PageServer) -> None:
    """With loading=None (a parser-blocking tag) the SBL has run before the second snippet:
    its session is pushed, not lost."""
    plain = SblOptions(storefront=POPUP, loading=None)
    load(
        page,
        page_server,
        "plain",
        str(session_init(Session.model_validate(A), options=plain)),
        str(script_tag(plain)),
        # The second pasted snippet (embed's session merges, or pushes once the SBL ran).
        str(embed(plain, session=Session.model_validate(B), with_buttons=False)),
        count=2,
    )
    items = [e["put"]["items"] for e in wire_requests(page)]
    assert items == [
        [{"path": "widget-pro", "quantity": 1}],
        [{"path": "widget-gift-card", "quantity": 2}],
    ]


def test_a_second_secure_payload_before_the_sbl_is_refused(
    page: Any, page_server: PageServer
) -> None:
    """Merged, the second payload would sit next to the first one's key; the first is kept
    and the page says so."""
    opts = SblOptions(storefront=POPUP, access_key="TESTKEY")
    load(
        page,
        page_server,
        "second-secure",
        # session_init sets fscSession, so it goes first; each secure() merges into it.
        str(session_init(Session(products=[Product(path="widget-pro")]), options=opts)),
        str(secure(SecureRequest.plaintext({"coupon": "FIRST"}), options=opts)),
        str(secure(SecureRequest.plaintext({"coupon": "SECOND"}), options=opts)),
        str(script_tag(opts)),
    )
    put = wire_requests(page)[0]["put"]
    assert put["coupon"] == "FIRST" and put["items"] == [{"path": "widget-pro", "quantity": 1}]
    assert (
        "sblgen: a second secure payload before the SBL loads; only the first is kept"
        in console_errors(page)
    )
