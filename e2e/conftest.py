"""Browser journeys: pytest-django's live_server driven by Debian's headless Chromium.

Three constraints shape these fixtures:

- live_server forces transactional database access, and a transactional test flushes every
  table at teardown: the root conftest puts the shipped data back before each journey
  (`server_url`) and after each e2e module (`restore_shipped_data`).
- Playwright's sync API keeps an asyncio loop running in the main thread from its start to
  its stop, and Django refuses database calls while a loop runs there. The browser is thus
  started after the database setup of each journey and stopped before its teardown (the
  flush), so the async-unsafe check stays on; journeys make no ORM call while it runs.
- Chromium is Debian's package, never a downloaded browser. When it is missing the journeys
  are skipped, unless E2E_REQUIRED=1 (set in CI), where they fail.
"""

from __future__ import annotations

import os
from pathlib import Path

import pytest

CHROMIUM = Path("/usr/bin/chromium")
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]
VIEWPORT = {"width": 1280, "height": 900}
# Generous: a loaded CI machine may take several seconds to draw the 548 contours.
TIMEOUT_MS = 60_000


@pytest.fixture(scope="session")
def chromium() -> str:
    if CHROMIUM.is_file() and os.access(CHROMIUM, os.X_OK):
        return str(CHROMIUM)
    reason = (
        f"Parcours navigateur non joués : Chromium est introuvable ({CHROMIUM}). "
        "Installer le paquet Debian « chromium »."
    )
    if os.environ.get("E2E_REQUIRED") == "1":
        pytest.fail(reason + " E2E_REQUIRED=1 les rend obligatoires.", pytrace=False)
    pytest.skip(reason)


@pytest.fixture(scope="session")
def shipped_data(chromium, shipped_data):
    # Chromium first: without it the journeys are skipped before the data is copied.
    return shipped_data


@pytest.fixture(scope="module", autouse=True)
def _restore_after_module(restore_shipped_data) -> None:
    pass


@pytest.fixture
def js_errors() -> list[str]:
    """Errors the page reported (console errors, uncaught exceptions, failed loads)."""
    return []


@pytest.fixture
def page(server_url, chromium, js_errors):
    from playwright.sync_api import sync_playwright

    with sync_playwright() as pw:
        browser = pw.chromium.launch(executable_path=chromium, args=CHROMIUM_ARGS, headless=True)
        context = browser.new_context(viewport=VIEWPORT, locale="fr-FR", base_url=server_url)
        context.set_default_timeout(TIMEOUT_MS)
        # Nothing but the app under test: an outside resource would show up as an error.
        context.route(lambda url: not url.startswith(server_url), lambda route: route.abort())
        p = context.new_page()

        def on_console(msg) -> None:
            if msg.type == "error":
                js_errors.append(f"console : {msg.text} ({msg.location.get('url')})")

        p.on("console", on_console)
        p.on("pageerror", lambda exc: js_errors.append(f"exception : {exc}"))
        try:
            yield p
        finally:
            context.close()
            browser.close()
