"""Browser fixtures: one chromium per test session, a fresh page (and fake store) per test."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import pytest

from tests.browser.fake_store import FakeStore
from tests.browser.harness import (
    CHROMIUM_ARGS,
    PageServer,
    needs_route,
    require_chromium,
    route_request,
)

VIOLATIONS_PROBE = """
window.__violations = [];
document.addEventListener('securitypolicyviolation', function (e) {
  window.__violations.push(e.violatedDirective + ' ' + e.blockedURI);
});
"""


@pytest.fixture(scope="session")
def page_server() -> Iterator[PageServer]:
    server = PageServer()
    yield server
    server.close()


@pytest.fixture(scope="session")
def browser() -> Iterator[Any]:
    executable = require_chromium()
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=executable, args=CHROMIUM_ARGS)
        yield browser
        browser.close()


@pytest.fixture
def store() -> FakeStore:
    """The storefront the page's SBL talks to; configure it before loading the page."""
    return FakeStore()


@pytest.fixture
def page(browser: Any, store: FakeStore) -> Iterator[Any]:
    """A page whose FastSpring requests get the stand-in SBL and the fake store (nothing
    leaves the machine), with console, page-error and CSP-violation logs and the record of
    FastSpring requests (``page.fastspring_requests``)."""
    context = browser.new_context()
    page = context.new_page()
    messages: list[Any] = []
    errors: list[Any] = []
    page.console_messages = messages
    page.page_errors = errors
    page.fastspring_requests = []
    page.store = store
    page.on("console", lambda message: messages.append(message))
    page.on("pageerror", lambda error: errors.append(error))
    page.add_init_script(VIOLATIONS_PROBE)
    page.route(needs_route, lambda route: route_request(page, store, route))
    yield page
    context.close()
