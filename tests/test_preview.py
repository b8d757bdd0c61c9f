"""The preview server over real HTTP on 127.0.0.1: hostile paths, the Host header (DNS
rebinding), HEAD against GET, links out of the folder, the port range."""

from __future__ import annotations

import http.client
import socket
from collections.abc import Iterator
from pathlib import Path

import pytest

from sblgen import SblgenError
from sblgen.cli import main
from sblgen.preview import INSPECTOR_URL, PreviewServer
from sblgen.site import build_site
from tests.sites import make_site

_PAGE = (
    '[[pages]]\npath = "index.html"\ntitle = "Home"\n'
    '[[pages]]\npath = "docs/index.html"\ntitle = "Docs"\n'
)


@pytest.fixture(scope="module")
def built(tmp_path_factory: pytest.TempPathFactory) -> Path:
    root = tmp_path_factory.mktemp("preview")
    site = make_site(root, _PAGE)
    (site / "static").mkdir()
    (site / "static" / "app.js").write_text("console.log(1)")
    out = root / "out"
    build_site(site, out)
    (root / "secret.txt").write_text("SECRET")
    (out / "leak.txt").symlink_to(root / "secret.txt")  # put there by hand, not by a build
    return out


@pytest.fixture(scope="module", params=[False, True], ids=["online", "offline"])
def server(request: pytest.FixtureRequest, built: Path) -> Iterator[PreviewServer]:
    preview = PreviewServer(built, port=0, offline=request.param).start()
    yield preview
    preview.close()


def _port(server: PreviewServer) -> int:
    return int(server.url.rstrip("/").rsplit(":", 1)[1])


def _request(
    server: PreviewServer, path: str, *, method: str = "GET", host: str | list[str] | None = ""
) -> tuple[int, dict[str, str], bytes]:
    """One request; ``host=""`` sends the right Host, ``None`` none, a list several."""
    conn = http.client.HTTPConnection("127.0.0.1", _port(server), timeout=5)
    try:
        conn.putrequest(method, path, skip_host=True, skip_accept_encoding=True)
        hosts = [f"127.0.0.1:{_port(server)}"] if host == "" else host
        for value in [hosts] if isinstance(hosts, str) else hosts or []:
            conn.putheader("Host", value)
        conn.endheaders()
        response = conn.getresponse()
        headers = {k: v for k, v in response.getheaders() if k != "Date"}
        return response.status, headers, response.read()
    finally:
        conn.close()


@pytest.mark.parametrize(
    "path", ["/%00", "/index.html%00.txt", "/docs/%00/", "/%ed%a0%80.html", "/%00?x=1"]
)
def test_paths_no_file_name_can_hold_get_400(
    server: PreviewServer, path: str, capfd: pytest.CaptureFixture[str]
) -> None:
    for method in ("GET", "HEAD"):
        status, _headers, _body = _request(server, path, method=method)
        assert status == 400
    assert "Traceback" not in capfd.readouterr().err
    assert _request(server, "/")[0] == 200  # and the server still serves


@pytest.mark.parametrize(
    "host",
    ["127.0.0.1:{port}", "localhost:{port}", "LOCALHOST:{port}", "[::1]:{port}"],
)
def test_loopback_names_with_the_servers_port_are_answered(
    server: PreviewServer, host: str
) -> None:
    assert _request(server, "/", host=host.format(port=_port(server)))[0] == 200


@pytest.mark.parametrize(
    "host",
    [
        "evil.example",
        "evil.example:{port}",
        "127.0.0.1.evil.example:{port}",
        "localhost.:{port}",
        "127.0.0.1:{other}",
        "localhost",  # no port: port 80, not ours
        "[::1]:{other}",
        "127.0.0.1:{port}:1",
        "",
        "user@127.0.0.1:{port}",
        None,  # no Host header at all
        ["127.0.0.1:{port}", "evil.example"],  # two Host headers
    ],
)
def test_other_hosts_are_refused(server: PreviewServer, host: str | list[str] | None) -> None:
    """A page on another domain that rebinds its name to 127.0.0.1 sends its own name."""
    port, other = _port(server), _port(server) + 1

    def fill(value: str) -> str:
        return value.format(port=port, other=other)

    sent = None if host is None else fill(host) if isinstance(host, str) else list(map(fill, host))
    if sent == "":
        sent = [""]
    status, _headers, body = _request(server, "/", host=sent)
    assert status == 403
    assert b"--allow-host" in body


@pytest.mark.parametrize(
    ("allowed", "host", "status"),
    [
        (["tunnel.example"], "tunnel.example", 200),
        (["Tunnel.Example"], "tunnel.example:443", 200),
        (["tunnel.example"], "other.example", 403),
        (["*"], "anything.example:1", 200),
    ],
)
def test_allow_hosts_opts_in_to_other_names(
    built: Path, allowed: list[str], host: str, status: int
) -> None:
    server = PreviewServer(built, port=0, allow_hosts=allowed).start()
    try:
        assert _request(server, "/", host=host)[0] == status
        assert _request(server, "/")[0] == 200  # loopback names still work
    finally:
        server.close()


@pytest.mark.parametrize(
    "path",
    ["/", "/index.html", "/docs", "/docs/", "/static/app.js", "/missing.html", INSPECTOR_URL],
)
def test_head_answers_like_get_without_a_body(server: PreviewServer, path: str) -> None:
    get_status, get_headers, body = _request(server, path)
    head_status, head_headers, head_body = _request(server, path, method="HEAD")
    assert (head_status, head_headers) == (get_status, get_headers)
    assert head_body == b""
    if get_status == 200:
        assert int(get_headers["Content-Length"]) == len(body)


def test_offline_pages_load_the_inspector_for_get_and_head(built: Path) -> None:
    server = PreviewServer(built, port=0, offline=True).start()
    try:
        status, headers, body = _request(server, "/")
        assert status == 200 and INSPECTOR_URL.encode() in body
        assert _request(server, "/", method="HEAD")[1] == headers
        assert _request(server, INSPECTOR_URL)[0] == 200
    finally:
        server.close()


def test_a_link_out_of_the_served_folder_is_not_served(server: PreviewServer) -> None:
    status, _headers, body = _request(server, "/leak.txt")
    assert status == 404 and b"SECRET" not in body


def test_the_port_range_is_checked(built: Path, capsys: pytest.CaptureFixture[str]) -> None:
    for port in (-1, 65536, 70000):
        with pytest.raises(SblgenError, match=rf"--port {port}: give a port from 0 to 65535"):
            PreviewServer(built, port=port)
        assert main(["site", "serve", str(built), "--port", str(port)]) == 2
        err = capsys.readouterr().err
        assert err == f"sblgen: --port {port}: give a port from 0 to 65535 (0 picks a free one).\n"


def test_a_port_in_use_is_one_line(built: Path, capsys: pytest.CaptureFixture[str]) -> None:
    with socket.socket() as taken:
        taken.bind(("127.0.0.1", 0))
        taken.listen()
        port = taken.getsockname()[1]
        assert main(["site", "serve", str(built), "--port", str(port)]) == 2
    err = capsys.readouterr().err
    assert err.startswith(f"sblgen: Cannot listen on 127.0.0.1:{port}") and err.count("\n") == 1
