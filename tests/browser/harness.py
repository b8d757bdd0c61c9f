"""Real-browser harness: a loopback HTTP server and Debian's chromium driven by Playwright.

Pages are registered on :class:`PageServer` (path -> HTML and headers) and loaded from
``http://127.0.0.1:<port>``. Every request a page makes is routed (:func:`route_request`):

- ``https://sbl.onfastspring.com/...``: the SBL script is ``standin_sbl.js`` (which records
  what the page hands the library and what it sends), plus an empty ``fastspring.css``, the
  spinner and the embedded skeleton;
- any other ``https://*.onfastspring.com/...`` (the storefront): :class:`FakeStore`, which
  answers the builder requests like a storefront and serves a page for checkout frames;
- loopback: the page server; anything else is aborted, so nothing leaves the machine.

Each routed FastSpring request is kept on ``page.fastspring_requests``: what FastSpring would
receive. ``SBLGEN_BROWSER_SBL=/path/to/sbl.js`` serves that file instead of the stand-in, to
compare another SBL build (kept outside the repository) with the stand-in on the same pages;
only tests that read the stand-in's own record (``window.__sbl``) need the stand-in.
"""

from __future__ import annotations

import json
import os
import shutil
import time
from collections.abc import Iterator, Mapping
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler
from pathlib import Path
from typing import Any
from urllib.parse import parse_qs, urlsplit

import pytest

from sblgen.preview import LoopbackHTTPServer
from tests.browser.fake_store import FakeStore

STANDIN_PATH = Path(__file__).parent / "standin_sbl.js"
#: The SBL the pages get: the stand-in, or the file named by SBLGEN_BROWSER_SBL.
SBL_SOURCE = Path(os.environ.get("SBLGEN_BROWSER_SBL") or STANDIN_PATH)
STANDIN_SBL = SBL_SOURCE.read_text(encoding="utf-8")
USING_STANDIN = SBL_SOURCE.resolve() == STANDIN_PATH.resolve()
SBL_HOST = "sbl.onfastspring.com"
SBL_PATTERN = f"https://{SBL_HOST}/**"
#: What the SBL host serves besides the script (SBL behaviour §1.4).
SBL_ASSETS = {
    "fastspring.css": ("text/css", "/* fastspring.css (fake) */"),
    "spin.svg": (
        "image/svg+xml",
        '<svg xmlns="http://www.w3.org/2000/svg" width="100" height="100"></svg>',
    ),
    "skeleton.html": ("text/html; charset=utf-8", "<!doctype html><title>skeleton</title>"),
}
#: Storefront endpoints whose requests are the builder API (not checkout pages).
BUILDER_PATHS = ("/builder", "/account/authenticate")
CHROMIUM = "/usr/bin/chromium"
CHROMIUM_ARGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]


@dataclass
class Response:
    body: bytes
    content_type: str = "text/html; charset=utf-8"
    headers: Mapping[str, str] = field(default_factory=dict)


class PageServer:
    """A threaded HTTP server on 127.0.0.1 serving registered pages.

    ``/standin/sbl.js?delay=MS`` serves the SBL after a delay (and ``/standin/`` its assets).
    """

    def __init__(self) -> None:
        self.pages: dict[str, Response] = {}
        server = self

        class Handler(BaseHTTPRequestHandler):
            def do_GET(self) -> None:
                url = urlsplit(self.path)
                asset = SBL_ASSETS.get(url.path.removeprefix("/standin/"))
                if url.path == "/standin/sbl.js":
                    delay = int(parse_qs(url.query).get("delay", ["0"])[0])
                    time.sleep(delay / 1000)
                    response = Response(STANDIN_SBL.encode(), "application/javascript")
                elif url.path.startswith("/standin/") and asset is not None:
                    response = Response(asset[1].encode(), asset[0])
                else:
                    found = server.pages.get(url.path)
                    if found is None:
                        self.send_error(404)
                        return
                    response = found
                self.send_response(200)
                self.send_header("Content-Type", response.content_type)
                self.send_header("Content-Length", str(len(response.body)))
                self.send_header("Cache-Control", "no-store")
                for name, value in response.headers.items():
                    self.send_header(name, value)
                self.end_headers()
                self.wfile.write(response.body)

            def log_message(self, format: str, *args: Any) -> None:
                return

        self._httpd = LoopbackHTTPServer(Handler).start()

    @property
    def base_url(self) -> str:
        return self._httpd.url

    def add(
        self,
        path: str,
        html: str,
        *,
        headers: Mapping[str, str] | None = None,
        content_type: str = "text/html; charset=utf-8",
    ) -> str:
        """Serve ``html`` at ``path``; return its full URL."""
        self.pages[path] = Response(html.encode("utf-8"), content_type, headers or {})
        return self.base_url + path

    def close(self) -> None:
        self._httpd.close()


def require_chromium() -> str:
    """The chromium executable, or a failure that says how to install it (never a skip)."""
    if Path(CHROMIUM).exists():
        return CHROMIUM
    found = shutil.which("chromium")
    if found:
        return found
    raise RuntimeError(
        "Debian's chromium is missing: run `make browser` (or apt-get install chromium); "
        "the browser tests must run, they are not optional."
    )


def page_html(*parts: str, title: str = "sblgen test") -> str:
    """A minimal HTML document around the given body parts."""
    body = "\n".join(parts)
    return (
        f'<!doctype html>\n<html lang="en"><head><meta charset="utf-8"><title>{title}</title>'
        f"</head>\n<body>\n{body}\n</body></html>\n"
    )


def wait_for_sbl(page: Any, timeout_ms: int = 5000) -> dict[str, Any]:
    """Wait until the stand-in loaded and return its record. Another SBL build keeps no
    such record, so a test that reads it is skipped then (SBLGEN_BROWSER_SBL)."""
    if not USING_STANDIN:
        pytest.skip("reads the stand-in's own record (window.__sbl)")
    page.wait_for_function("window.__sbl && window.__sbl.loaded", timeout=timeout_ms)
    record: dict[str, Any] = page.evaluate("window.__sbl")
    return record


# ----------------------------------------------------------------------------- routing


def needs_route(url: str) -> bool:
    """Every URL but the loopback page server's goes through :func:`route_request`."""
    host = urlsplit(url).hostname or ""
    return host not in ("127.0.0.1", "localhost")


def route_request(page: Any, store: FakeStore, route: Any) -> None:
    """Serve one request of ``page``: the SBL host, the fake storefront, loopback, or abort."""
    request = route.request
    url = urlsplit(request.url)
    host = url.hostname or ""
    if host in ("127.0.0.1", "localhost"):
        route.continue_()
        return
    if host != SBL_HOST and not host.endswith(".onfastspring.com"):
        route.abort()  # no internet traffic: cdnjs, fonts, anything else
        return
    page.fastspring_requests.append(_wire_entry(request.method, request.url, request.post_data))
    if host == SBL_HOST:
        name = url.path.rsplit("/", 1)[-1]
        content_type, body = SBL_ASSETS.get(name, ("application/javascript", STANDIN_SBL))
        route.fulfill(status=200, content_type=content_type, body=body)
        return
    answer = store.handle(request.method, request.url, request.post_data)
    route.fulfill(
        status=answer.status,
        content_type=answer.content_type,
        body=answer.body,
        headers={"Access-Control-Allow-Origin": "*"},
    )


def _parsed(form: dict[str, str], name: str) -> Any:
    if name not in form:
        return None
    try:
        return json.loads(form[name])
    except ValueError:
        return form[name]


def _wire_entry(method: str, url: str, body: str | None) -> dict[str, Any]:
    form = {k: v[0] for k, v in parse_qs(body or "", keep_blank_values=True).items()}
    return {
        "method": method,
        "url": url,
        "body": body,
        "form": form,
        "put": _parsed(form, "put"),
        "data": _parsed(form, "data"),
    }


# ----------------------------------------------------------------------------- records


def is_builder(entry: dict[str, Any]) -> bool:
    path = urlsplit(entry["url"]).path
    host = urlsplit(entry["url"]).hostname or ""
    return host != SBL_HOST and any(part in path for part in BUILDER_PATHS)


def wire_requests(page: Any) -> list[dict[str, Any]]:
    """The builder API requests that reached the (fake) storefront, in order: what FastSpring
    would receive. Works with any SBL build."""
    return [entry for entry in page.fastspring_requests if is_builder(entry)]


def builder_requests(page: Any) -> list[dict[str, Any]]:
    """The stand-in's own record of the builder requests it sent (``window.__sbl.requests``):
    ``{method, url, body, form, put, data, status}``; it includes requests a CSP blocked."""
    requests: list[dict[str, Any]] = page.evaluate("window.__sbl ? window.__sbl.requests : []")
    return requests


def settle(page: Any, count: int = 1, timeout_ms: int = 5000, quiet_ms: int = 150) -> None:
    """Wait until at least ``count`` builder requests reached the storefront and the SBL is
    idle: the stand-in says so, or (another build) nothing new arrived for ``quiet_ms``."""
    deadline = time.monotonic() + timeout_ms / 1000
    seen, quiet_since = -1, time.monotonic()
    while True:
        now = len(wire_requests(page))
        if now != seen:
            seen, quiet_since = now, time.monotonic()
        idle = page.evaluate("!window.__sbl || window.__sbl.idle !== false")
        if now >= count and idle and time.monotonic() - quiet_since >= quiet_ms / 1000:
            return
        if time.monotonic() > deadline:
            raise AssertionError(
                f"expected {count} builder request(s), saw {now}: "
                f"{[(e['method'], e['url']) for e in wire_requests(page)]}"
            )
        page.wait_for_timeout(25)


def iter_console_errors(messages: list[Any]) -> Iterator[str]:
    for message in messages:
        if message.type in ("error", "warning"):
            yield message.text
