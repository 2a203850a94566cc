"""Playwright fixtures for the browser tests: Debian's chromium against pytest-django's live_server."""

import os
from pathlib import Path

import pytest

CHROMIUM = Path("/usr/bin/chromium")
CHROMIUM_ARGS = ["--no-sandbox", "--disable-gpu", "--disable-background-networking"]
TIMEOUT_MS = 5_000


@pytest.fixture(scope="session")
def browser():
    """One headless chromium for the whole session; skip (or fail on CI) when it is missing."""
    if not CHROMIUM.exists():
        reason = "e2e: /usr/bin/chromium not installed (apt-get install chromium)"
        if os.environ.get("CI") == "true":
            pytest.fail(reason, pytrace=False)  # CI must never skip the browser tests silently
        pytest.skip(reason)
    from playwright.sync_api import expect, sync_playwright

    expect.set_options(timeout=TIMEOUT_MS)
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=str(CHROMIUM), args=CHROMIUM_ARGS, headless=True)
        yield browser
        browser.close()


@pytest.fixture
def new_context(browser, live_server, transactional_db):
    """Return a function that opens a fresh browser context on the live server (closed after the test)."""
    contexts = []

    def open_context(**options):
        context = browser.new_context(base_url=live_server.url, **options)
        context.set_default_timeout(TIMEOUT_MS)
        contexts.append(context)
        return context

    yield open_context
    for context in contexts:
        context.close()


@pytest.fixture
def page(new_context):
    """A page in a fresh context, with JavaScript on."""
    return new_context().new_page()
