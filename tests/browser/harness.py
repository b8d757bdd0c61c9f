"""Real-browser harness: a loopback HTTP server and Debian's chromium driven by Playwright.

Pages are registered on :class:`PageServer` (path -> HTML and headers) and loaded from
``http://127.0.0.1:<port>``. FastSpring's SBL URL is routed to ``standin_sbl.js``, which
records what the page hands the library; nothing leaves the machine.
"""

from __future__ import annotations

import shutil
import time
from collections.abc import Iterator, Mapping
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler
from pathlib import Path
from typing import Any
from urllib.parse import parse_qs, urlsplit

from sblgen.preview import LoopbackHTTPServer

STANDIN_SBL = (Path(__file__).parent / "standin_sbl.js").read_text(encoding="utf-8")
SBL_PATTERN = "https://sbl.onfastspring.com/**"
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

    ``/standin/sbl.js?delay=MS`` serves the stand-in SBL after a delay.
    """

    def __init__(self) -> None:
        self.pages: dict[str, Response] = {}
        server = self

        class Handler(BaseHTTPRequestHandler):
            def do_GET(self) -> None:
                url = urlsplit(self.path)
                if url.path == "/standin/sbl.js":
                    delay = int(parse_qs(url.query).get("delay", ["0"])[0])
                    time.sleep(delay / 1000)
                    response = Response(STANDIN_SBL.encode(), "application/javascript")
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
    """Wait until the stand-in loaded and return its record."""
    page.wait_for_function("window.__sbl && window.__sbl.loaded", timeout=timeout_ms)
    record: dict[str, Any] = page.evaluate("window.__sbl")
    return record


def iter_console_errors(messages: list[Any]) -> Iterator[str]:
    for message in messages:
        if message.type in ("error", "warning"):
            yield message.text
