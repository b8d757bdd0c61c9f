"""Screenshots of the demo store and of the offline inspector, at desktop (1280x800) and
phone (390x844) widths, in Debian's chromium, for the README and the documentation.

Each run takes them into a temporary folder (a test run never changes the checkout; their
bytes change with chromium's version, which is not a failure). ``SBLGEN_UPDATE_SCREENSHOTS=1``
writes them to ``docs/images/`` instead, to refresh the pictures there. What must hold is
checked every time: each image is a real screenshot under 200 KB, the store has its
navigation, footer, meta tags and icon, and the inspector never covers the page (open, the
page makes room for it; closed, only its toggle shows, below the page's last line).
"""

from __future__ import annotations

import os
import struct
from collections.abc import Iterator
from datetime import date
from pathlib import Path
from typing import Any

import pytest

from sblgen import frozen_today
from sblgen.preview import PreviewServer
from sblgen.site import build_site
from tests.browser.harness import SBL_PATTERN

pytestmark = pytest.mark.browser

ROOT = Path(__file__).resolve().parent.parent.parent
DEMO = ROOT / "demo_site"
IMAGES = ROOT / "docs" / "images"
MAX_BYTES = 200_000
DESKTOP = {"width": 1280, "height": 800}
PHONE = {"width": 390, "height": 844}
#: Each image: file name -> (viewport, device pixel ratio).
SIZES = {"desktop": (DESKTOP, 1), "phone": (PHONE, 2)}


@pytest.fixture(scope="module")
def images(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """Where the screenshots go: docs/images/ when asked to refresh them, else a temp folder."""
    if os.environ.get("SBLGEN_UPDATE_SCREENSHOTS"):
        return IMAGES
    return tmp_path_factory.mktemp("screenshots")


@pytest.fixture(scope="module")
def built(tmp_path_factory: pytest.TempPathFactory) -> Path:
    out = tmp_path_factory.mktemp("demo-shots") / "out"
    with frozen_today(date(2026, 11, 24)):
        build_site(DEMO, out)
    return out


@pytest.fixture(scope="module")
def store(built: Path) -> Iterator[PreviewServer]:
    server = PreviewServer(built, port=0).start()
    yield server
    server.close()


@pytest.fixture(scope="module")
def offline(built: Path) -> Iterator[PreviewServer]:
    server = PreviewServer(built, port=0, offline=True).start()
    yield server
    server.close()


def _context(browser: Any, size: str, base: str) -> Any:
    viewport, scale = SIZES[size]
    context = browser.new_context(
        viewport=viewport, device_scale_factor=scale, is_mobile=size == "phone"
    )
    # Nothing leaves the machine; FastSpring's library is not needed for a picture.
    context.route(
        "**/*",
        lambda route: route.continue_() if route.request.url.startswith(base) else route.abort(),
    )
    context.route(
        SBL_PATTERN,
        lambda route: route.fulfill(status=200, content_type="application/javascript", body=""),
    )
    return context


def _save(page: Any, folder: Path, name: str) -> Path:
    folder.mkdir(parents=True, exist_ok=True)
    target = folder / f"{name}.png"
    png = page.screenshot(type="png", animations="disabled")
    target.write_bytes(png)
    assert png[:8] == b"\x89PNG\r\n\x1a\n"
    width, height = struct.unpack(">II", png[16:24])
    viewport = page.viewport_size
    scale = page.evaluate("window.devicePixelRatio")
    assert (width, height) == (viewport["width"] * scale, viewport["height"] * scale)
    assert len(png) < MAX_BYTES, f"{target} is {len(png)} bytes; keep it under {MAX_BYTES}"
    return target


def _box(page: Any, selector: str) -> dict[str, float]:
    box: dict[str, float] | None = page.locator(selector).first.bounding_box()
    assert box is not None, f"{selector} is not on the page"
    return box


@pytest.mark.parametrize("size", sorted(SIZES))
def test_store_screenshot(browser: Any, store: PreviewServer, images: Path, size: str) -> None:
    context = _context(browser, size, store.url)
    page = context.new_page()
    page.goto(store.url + "pricing.html")
    # What a shippable store has: navigation, the legal footer, meta tags and an icon.
    assert page.locator(".site-nav a").count() == 5
    assert page.get_attribute(".site-nav a[aria-current=page]", "href") == "pricing.html"
    footer = page.locator("footer a").all_inner_texts()
    assert footer[:3] == ["Terms of sale", "Privacy", "Refunds"]
    assert page.get_attribute("meta[name=description]", "content")
    assert page.get_attribute("meta[property='og:url']", "content") == (
        "https://widgets.example.com/pricing.html"
    )
    icon = page.get_attribute("link[rel=icon]", "href")
    assert icon == "static/favicon.svg"
    assert page.request.get(store.url + icon).ok
    # Nothing sticks out sideways on a phone.
    assert page.evaluate("document.documentElement.scrollWidth") <= page.viewport_size["width"]
    _save(page, images, f"demo-store-{size}")
    context.close()


@pytest.mark.parametrize("size", sorted(SIZES))
def test_inspector_screenshot(
    browser: Any, offline: PreviewServer, images: Path, size: str
) -> None:
    context = _context(browser, size, offline.url)
    page = context.new_page()
    page.goto(offline.url + "spring-sale.html")
    toggle = page.locator("#sblgen-inspector-toggle")
    panel = page.locator("#sblgen-inspector")
    if size == "phone":  # closed on a phone: only the toggle, below the page's last line
        assert not panel.is_visible() and toggle.is_visible()
        page.evaluate("window.scrollTo(0, document.body.scrollHeight)")
        assert (
            _box(page, "footer")["y"] + _box(page, "footer")["height"]
            <= _box(page, "#sblgen-inspector-toggle")["y"]
        )
        toggle.click()
        page.evaluate("window.scrollTo(0, 0)")
    assert panel.is_visible() and not toggle.is_visible()
    page.click("main button[data-fsc-action]")
    assert "markup action Add,Checkout" in panel.inner_text()
    assert '"coupon": "SPRING20"' in panel.inner_text()
    # Open, the panel sits beside (desktop) or below (phone) the page, never over it.
    shown = _box(page, "#sblgen-inspector")
    for selector in ("header .bar", "main", "footer .bar"):
        box = _box(page, selector)
        if size == "desktop":
            assert box["x"] + box["width"] <= shown["x"], selector
    if size == "phone":
        page.evaluate("window.scrollTo(0, document.body.scrollHeight)")
        footer, shown = _box(page, "footer"), _box(page, "#sblgen-inspector")
        assert footer["y"] + footer["height"] <= shown["y"] + 1
        page.evaluate("window.scrollTo(0, 0)")
    _save(page, images, f"demo-inspector-{size}")
    # Hidden, it stays hidden on the next page of the tab.
    page.click("#sblgen-inspector .sblgen-close")
    page.goto(offline.url + "index.html")
    assert not page.locator("#sblgen-inspector").is_visible()
    assert page.locator("#sblgen-inspector-toggle").is_visible()
    context.close()
