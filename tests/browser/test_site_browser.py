"""The built demo_site in chromium: each page hands the SBL the session its site.toml
describes; the offline preview's inspector shows it; a screenshot is not blank."""

from __future__ import annotations

import struct
import urllib.request
import zlib
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from sblgen.preview import INSPECTOR_URL, PreviewServer
from sblgen.site import build_site, page_sessions
from tests.browser.harness import wait_for_sbl

pytestmark = pytest.mark.browser

DEMO = Path(__file__).resolve().parent.parent.parent / "demo_site"


@pytest.fixture(scope="module")
def built(tmp_path_factory: pytest.TempPathFactory) -> Path:
    from datetime import date

    from sblgen import frozen_today

    out = tmp_path_factory.mktemp("demo") / "out"
    with frozen_today(date(2026, 11, 24)):
        build_site(DEMO, out)
    return out


@pytest.fixture(scope="module")
def preview(built: Path) -> Iterator[PreviewServer]:
    server = PreviewServer(built, port=0).start()
    yield server
    server.close()


@pytest.fixture(scope="module")
def offline(built: Path) -> Iterator[PreviewServer]:
    server = PreviewServer(built, port=0, offline=True).start()
    yield server
    server.close()


def _expected() -> dict[str, Any]:
    from datetime import date

    from sblgen import frozen_today

    with frozen_today(date(2026, 11, 24)):
        return {path: (s.to_dict() if s else None) for path, s in page_sessions(DEMO).items()}


@pytest.mark.parametrize("path", sorted(_expected()))
def test_each_page_hands_over_its_session(page: Any, preview: PreviewServer, path: str) -> None:
    page.goto(preview.url + path)
    record = wait_for_sbl(page)
    assert record["initial"] == _expected()[path]
    assert record["data"]["data-storefront"] == "acme.test.onfastspring.com/popup-acme"
    assert record["data"]["data-access-key"] == "DEMO_ACCESS_KEY"
    assert page.evaluate("window.__violations") == []


def _png_colours(png: bytes) -> int:
    """Distinct RGB(A) pixel values in a PNG screenshot (8-bit, non-interlaced)."""
    assert png[:8] == b"\x89PNG\r\n\x1a\n"
    pos, idat, width, height, channels = 8, b"", 0, 0, 4
    while pos < len(png):
        length, kind = struct.unpack(">I4s", png[pos : pos + 8])
        chunk = png[pos + 8 : pos + 8 + length]
        if kind == b"IHDR":
            width, height, _depth, colour = struct.unpack(">IIBB", chunk[:10])
            channels = {2: 3, 6: 4}[colour]
        elif kind == b"IDAT":
            idat += chunk
        pos += 12 + length
    raw = zlib.decompress(idat)
    stride = width * channels
    rows, prev = [], bytearray(stride)
    for y in range(height):
        filt, line = (
            raw[y * (stride + 1)],
            bytearray(raw[y * (stride + 1) + 1 : (y + 1) * (stride + 1)]),
        )
        for i in range(stride):
            left = line[i - channels] if i >= channels else 0
            up, upleft = prev[i], prev[i - channels] if i >= channels else 0
            if filt == 1:
                line[i] = (line[i] + left) & 0xFF
            elif filt == 2:
                line[i] = (line[i] + up) & 0xFF
            elif filt == 3:
                line[i] = (line[i] + (left + up) // 2) & 0xFF
            elif filt == 4:
                p = left + up - upleft
                pa, pb, pc = abs(p - left), abs(p - up), abs(p - upleft)
                pred = left if pa <= pb and pa <= pc else (up if pb <= pc else upleft)
                line[i] = (line[i] + pred) & 0xFF
        rows.append(bytes(line))
        prev = line
    return len({row[i : i + channels] for row in rows[::4] for i in range(0, stride, channels * 4)})


def test_screenshot_is_not_blank(page: Any, preview: PreviewServer, tmp_path: Path) -> None:
    page.set_viewport_size({"width": 800, "height": 600})
    page.goto(preview.url + "pricing.html")
    wait_for_sbl(page)
    png = page.screenshot()
    (tmp_path / "pricing.png").write_bytes(png)
    assert _png_colours(png) > 20  # text, buttons and cards, not one flat colour
    assert page.inner_text("h1") == "Pricing"
    assert page.locator("button[data-fsc-action]").count() == 3


def test_offline_preview_serves_the_inspector(offline: PreviewServer, browser: Any) -> None:
    html = urllib.request.urlopen(offline.url + "secure.html").read().decode()
    assert f'src="{INSPECTOR_URL}"' in html and "sbl.onfastspring.com" not in html
    context = browser.new_context()
    page = context.new_page()
    page.route(
        "**/*",
        lambda route: (
            route.continue_() if route.request.url.startswith(offline.url) else route.abort()
        ),
    )
    page.goto(offline.url + "secure.html")
    panel = page.wait_for_selector("#sblgen-inspector")
    text = panel.inner_text()
    assert "test-mode payload (decoded)" in text
    assert '"firstName": "Ann"' in text
    page.click("button[data-fsc-action='Checkout']")
    assert "markup action Checkout" in page.inner_text("#sblgen-inspector")
    context.close()


def test_preview_binds_loopback_only(built: Path) -> None:
    server = PreviewServer(built, port=0)
    assert server.url.startswith("http://127.0.0.1:")
    server.close()
