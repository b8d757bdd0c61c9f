"""A local preview server for a built site, on 127.0.0.1 only.

With ``offline=True`` every page loads sblgen's inspector (shipped in the package) instead
of FastSpring's SBL: a panel on the page shows what the page hands the library, so a seller
can check pages with no FastSpring account and no network.

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
from collections.abc import Callable
from functools import partial
from http.server import SimpleHTTPRequestHandler, ThreadingHTTPServer
from importlib.resources import files
from pathlib import Path
from socketserver import BaseRequestHandler
from typing import Any, Self

from sblgen.errors import SblgenError

__all__ = ["INSPECTOR_URL", "PreviewServer", "inspector_js"]

#: Where offline pages load the inspector from.
INSPECTOR_URL = "/__sblgen/sbl-inspector.js"
_SBL_SRC = re.compile(
    rb'src="(?:https:)?//(?:sbl\.onfastspring\.com|d1f8f9xcsvx3ha\.cloudfront\.net)/sbl/'
    rb'[0-9.]+/fastspring-builder(?:\.min)?\.js"'
)


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

    def do_GET(self) -> None:
        if self.offline and self.path.split("?", 1)[0] == INSPECTOR_URL:
            self._send(inspector_js(), "application/javascript; charset=utf-8")
            return
        path = Path(self.translate_path(self.path))
        if path.is_dir():
            path = path / "index.html"
        if self.offline and path.suffix == ".html" and path.is_file():
            html = _SBL_SRC.sub(f'src="{INSPECTOR_URL}"'.encode(), path.read_bytes())
            self._send(html, "text/html; charset=utf-8")
            return
        super().do_GET()

    def _send(self, body: bytes, content_type: str) -> None:
        self.send_response(200)
        self.send_header("Content-Type", content_type)
        self.send_header("Content-Length", str(len(body)))
        self.send_header("Cache-Control", "no-store")
        self.end_headers()
        self.wfile.write(body)

    def log_message(self, format: str, *args: Any) -> None:
        return


class PreviewServer:
    """Serve ``root`` on ``127.0.0.1:port`` (``port=0`` picks a free one)."""

    def __init__(
        self, root: str | os.PathLike[str], *, port: int = 8000, offline: bool = False
    ) -> None:
        folder = Path(root)
        if not folder.is_dir():
            raise SblgenError(f"{folder}: not a folder; build the site first (sblgen site build).")
        handler = type("Handler", (_Handler,), {"offline": offline})
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
