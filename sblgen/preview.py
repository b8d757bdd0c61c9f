"""A local preview server for a built site, on 127.0.0.1 only.

With ``offline=True`` every page loads sblgen's inspector (shipped in the package) instead
of FastSpring's SBL: a panel on the page shows what the page hands the library, so a seller
can check pages with no FastSpring account and no network.

It answers only requests addressed to it by a loopback name (``Host: 127.0.0.1:PORT``,
``localhost:PORT`` or ``[::1]:PORT``), so a web page that rebinds its own domain name to
127.0.0.1 (DNS rebinding) cannot read the preview; ``allow_hosts`` (``--allow-host``) names
others, e.g. for a tunnel. A path the file system cannot hold (an encoded NUL) gets 400,
a file outside the served folder 404, and HEAD the same headers as GET.

>>> server = PreviewServer(".", port=0, offline=True)
>>> server.url.startswith("http://127.0.0.1:")
True
>>> server.close()
"""

from __future__ import annotations

import os
import re
import sys
import threading
from collections.abc import Callable, Iterable
from functools import partial
from http.server import SimpleHTTPRequestHandler, ThreadingHTTPServer
from importlib.resources import files
from pathlib import Path
from socketserver import BaseRequestHandler
from typing import Any, Self

from sblgen.errors import SblgenError

__all__ = ["INSPECTOR_URL", "LOOPBACK_NAMES", "PreviewServer", "inspector_js"]

#: Where offline pages load the inspector from.
INSPECTOR_URL = "/__sblgen/sbl-inspector.js"
_SBL_SRC = re.compile(
    rb'src="(?:https:)?//(?:sbl\.onfastspring\.com|d1f8f9xcsvx3ha\.cloudfront\.net)/sbl/'
    rb'[0-9.]+/fastspring-builder(?:\.min)?\.js"'
)
#: The host names the preview answers to (with its own port) unless told others.
LOOPBACK_NAMES = ("127.0.0.1", "localhost", "[::1]")
_HOST = re.compile(r"(\[[0-9A-Fa-f:.]+\]|[^:\[\]]+)(?::([0-9]{1,5}))?")


class LoopbackHTTPServer(ThreadingHTTPServer):
    """A threading HTTP server on 127.0.0.1 only (``port=0`` picks a free port). Its
    request threads never block exit, and it stays quiet when a browser or client hangs up
    early (a closed tab, a client timeout).

    >>> from http.server import BaseHTTPRequestHandler
    >>> server = LoopbackHTTPServer(BaseHTTPRequestHandler).start()
    >>> server.url.startswith("http://127.0.0.1:")
    True
    >>> server.close()
    """

    daemon_threads = True

    def __init__(self, handler: Callable[..., BaseRequestHandler], port: int = 0) -> None:
        super().__init__(("127.0.0.1", port), handler)
        self._thread: threading.Thread | None = None

    @property
    def url(self) -> str:
        """``http://127.0.0.1:PORT`` (no trailing slash)."""
        host, port = self.server_address[:2]
        return f"http://{host!s}:{port}"

    def start(self) -> Self:
        """Serve in a background thread."""
        self._thread = threading.Thread(
            target=self.serve_forever, kwargs={"poll_interval": 0.05}, daemon=True
        )
        self._thread.start()
        return self

    def close(self) -> None:
        """Stop serving (when started) and release the port."""
        if self._thread is not None:
            self.shutdown()
        self.server_close()

    def handle_error(self, request: Any, client_address: Any) -> None:
        if not isinstance(sys.exc_info()[1], ConnectionError):
            super().handle_error(request, client_address)


def inspector_js() -> bytes:
    """The offline inspector's source."""
    return files("sblgen").joinpath("static").joinpath("sbl-inspector.js").read_bytes()


class _Handler(SimpleHTTPRequestHandler):
    offline = False
    allow_hosts: frozenset[str] = frozenset()  # more host names (any port); "*": any host
    real_root = ""

    def do_GET(self) -> None:
        self._answer(send_body=True)

    def do_HEAD(self) -> None:
        self._answer(send_body=False)

    def _answer(self, *, send_body: bool) -> None:
        """GET and HEAD alike: the same status and headers; the body for GET only."""
        if not self._host_allowed():
            self.send_error(
                403,
                "Host not allowed",
                f"The preview answers Host {', '.join(LOOPBACK_NAMES)} with its own port "
                "only (against DNS rebinding); start it with --allow-host NAME for others.",
            )
            return
        if self.offline and self.path.split("?", 1)[0] == INSPECTOR_URL:
            self._send(inspector_js(), "application/javascript; charset=utf-8", send_body)
            return
        translated = self.translate_path(self.path)
        if "\0" in translated or not _encodable(translated):
            self.send_error(400, "Bad path", "The path holds characters no file name can hold.")
            return
        real = os.path.realpath(translated)
        if real != self.real_root and not real.startswith(self.real_root + os.sep):
            self.send_error(404, "File not found")  # a link out of the served folder
            return
        path = Path(translated)
        if path.is_dir():
            path = path / "index.html"
        if self.offline and path.suffix == ".html" and path.is_file():
            html = _SBL_SRC.sub(f'src="{INSPECTOR_URL}"'.encode(), path.read_bytes())
            self._send(html, "text/html; charset=utf-8", send_body)
            return
        if send_body:
            super().do_GET()
        else:
            super().do_HEAD()

    def _host_allowed(self) -> bool:
        hosts = self.headers.get_all("Host") or []
        if len(hosts) != 1:
            return False
        match = _HOST.fullmatch(hosts[0].strip())
        if match is None:
            return False
        name, port = match[1].lower(), match[2]
        if "*" in self.allow_hosts or name in self.allow_hosts:
            return True
        address = self.server.server_address
        own = address[1] if isinstance(address, tuple) else None
        return name in LOOPBACK_NAMES and (int(port) if port else 80) == own

    def _send(self, body: bytes, content_type: str, send_body: bool) -> None:
        self.send_response(200)
        self.send_header("Content-Type", content_type)
        self.send_header("Content-Length", str(len(body)))
        self.send_header("Cache-Control", "no-store")
        self.end_headers()
        if send_body:
            self.wfile.write(body)

    def log_message(self, format: str, *args: Any) -> None:
        return


def _encodable(path: str) -> bool:
    """Whether ``path`` can be a file name here (a lone surrogate cannot)."""
    try:
        os.fsencode(path)
    except UnicodeError:
        return False
    return True


class PreviewServer:
    """Serve ``root`` on ``127.0.0.1:port`` (``port=0`` picks a free one) to requests for
    a loopback name, and for the host names in ``allow_hosts`` (``"*"``: any).

    >>> PreviewServer(".", port=70000)
    Traceback (most recent call last):
    sblgen.errors.SblgenError: --port 70000: give a port from 0 to 65535 (0 picks a free one).
    """

    def __init__(
        self,
        root: str | os.PathLike[str],
        *,
        port: int = 8000,
        offline: bool = False,
        allow_hosts: Iterable[str] = (),
    ) -> None:
        if isinstance(port, bool) or not isinstance(port, int) or not 0 <= port <= 65535:
            raise SblgenError(f"--port {port}: give a port from 0 to 65535 (0 picks a free one).")
        folder = Path(root)
        if not folder.is_dir():
            raise SblgenError(f"{folder}: not a folder; build the site first (sblgen site build).")
        settings = {
            "offline": offline,
            "allow_hosts": frozenset(name.strip().lower() for name in allow_hosts),
            "real_root": os.path.realpath(folder),
        }
        handler = type("Handler", (_Handler,), settings)
        try:
            self._httpd = LoopbackHTTPServer(partial(handler, directory=str(folder)), port)
        except OSError as err:
            raise SblgenError(
                f"Cannot listen on 127.0.0.1:{port} ({err.strerror}); try --port."
            ) from None

    @property
    def url(self) -> str:
        return self._httpd.url + "/"

    def start(self) -> PreviewServer:
        """Serve in a background thread."""
        self._httpd.start()
        return self

    def serve_forever(self) -> None:
        """Serve until interrupted."""
        self._httpd.serve_forever()

    def close(self) -> None:
        self._httpd.close()
