"""Browser journeys: pytest-django's live_server driven by Debian's headless Chromium.

Three constraints shape these fixtures:

- live_server forces transactional database access, and a transactional test flushes every
  table at teardown: the referential and the official map loaded once per session by the root
  conftest would be gone for the next journey, and for any test run after this package.
  (pytest-django runs transactional tests after the other database tests, which is not
  enough.) The data is therefore copied once, in plain SQL tables that the flush leaves
  alone, and put back before each journey and after each e2e module: the same code on SQLite
  and PostgreSQL, and far quicker than importing the shipped data again (some 15 s).
- Playwright's sync API keeps an asyncio loop running in the main thread from its start to
  its stop, and Django refuses database calls while a loop runs there. The browser is thus
  started after the database setup of each journey and stopped before its teardown (the
  flush), so the async-unsafe check stays on; journeys make no ORM call while it runs.
- Chromium is Debian's package, never a downloaded browser. When it is missing the journeys
  are skipped, unless E2E_REQUIRED=1 (set in CI), where they fail.
"""

from __future__ import annotations

import os
from collections.abc import Iterator
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


def _load_shipped_data() -> None:
    """What the root conftest loads once per session: referential and the official map."""
    from referentiel.importer import importer as importer_referentiel
    from territoires import officiel

    importer_referentiel()
    officiel.charger()


def _has_data() -> bool:
    from referentiel.models import Commune
    from territoires.models import Territoire

    return Commune.objects.exists() and Territoire.objects.exists()


class ShippedData:
    """A copy of the session data, in plain tables that a flush leaves alone."""

    PREFIX = "e2e_copy_"

    def __init__(self) -> None:
        from django.db import connection

        self.connection = connection
        if not _has_data():
            _load_shipped_data()  # an earlier transactional test flushed it
        self.tables = connection.introspection.django_table_names(
            only_existing=True, include_views=False
        )
        with connection.cursor() as cursor:
            for i, table in enumerate(self.tables):
                copy = self._copy(i)
                cursor.execute(f"DROP TABLE IF EXISTS {copy}")  # left by --reuse-db
                cursor.execute(f"CREATE TABLE {copy} AS SELECT * FROM {self._qn(table)}")

    def _qn(self, name: str) -> str:
        return self.connection.ops.quote_name(name)

    def _copy(self, i: int) -> str:
        return self._qn(f"{self.PREFIX}{i}")

    def restore(self) -> None:
        from django.db import transaction

        if _has_data():
            return
        # Foreign keys are deferred to the commit: the tables can be refilled in any order.
        with transaction.atomic(), self.connection.cursor() as cursor:
            for i, table in enumerate(self.tables):
                cursor.execute(f"DELETE FROM {self._qn(table)}")
                cursor.execute(f"INSERT INTO {self._qn(table)} SELECT * FROM {self._copy(i)}")

    def close(self) -> None:
        with self.connection.cursor() as cursor:
            for i in range(len(self.tables)):
                cursor.execute(f"DROP TABLE IF EXISTS {self._copy(i)}")


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
def shipped_data(chromium, django_db_setup, django_db_blocker) -> Iterator[ShippedData]:
    with django_db_blocker.unblock():
        data = ShippedData()
    yield data
    with django_db_blocker.unblock():
        data.close()


@pytest.fixture(scope="module", autouse=True)
def _restore_after_module(shipped_data, django_db_blocker) -> Iterator[None]:
    # The last journey's flush must not leak into the tests that run after this module.
    yield
    with django_db_blocker.unblock():
        shipped_data.restore()


@pytest.fixture
def server_url(live_server, shipped_data) -> str:
    # live_server has already set up transactional access (pytest-django's autouse helper).
    shipped_data.restore()
    host = live_server.thread.host
    if host != "127.0.0.1":
        pytest.fail(f"Le serveur de test écoute sur {host} au lieu de 127.0.0.1.")
    return live_server.url


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
