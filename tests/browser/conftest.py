"""Browser fixtures: one chromium per test session, a fresh page per test."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import pytest

from tests.browser.harness import (
    CHROMIUM_ARGS,
    SBL_PATTERN,
    STANDIN_SBL,
    PageServer,
    require_chromium,
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
def page(browser: Any) -> Iterator[Any]:
    """A page whose SBL requests get the stand-in, with console and CSP-violation logs."""
    context = browser.new_context()
    page = context.new_page()
    messages: list[Any] = []
    page.console_messages = messages
    page.on("console", lambda message: messages.append(message))
    page.add_init_script(VIOLATIONS_PROBE)
    page.route(
        SBL_PATTERN,
        lambda route: route.fulfill(
            status=200, content_type="application/javascript", body=STANDIN_SBL
        ),
    )
    yield page
    context.close()
