"""Test database: the real shipped referential and the official map of both phases (phase 1,
then phase 2 from 9 November 2023 with ANCT's updates), loaded once per session as `make run`
loads them; each test runs in a transaction on top of it and is rolled back.

On SQLite the test database is a file, not memory: the live server then serves each request
with its own connection, as in production, and concurrent writers meet SQLite's real locks
(api/tests/test_concurrence.py). In memory, pytest-django would hand the server the test's own
connection and every request would share it.

Tests against the live server are transactional: their teardown flushes every table. The
shipped data is therefore copied once, in plain SQL tables that the flush leaves alone, and put
back before such a test (`server_url`) and after its module (`restore_shipped_data`): the same
code on SQLite and PostgreSQL, and far quicker than importing the shipped data again (some
15 s). (pytest-django runs transactional tests after the other database tests, which is not
enough: the next transactional test would find the tables empty.)
"""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from django.conf import settings


@pytest.fixture(scope="session")
def django_db_modify_db_settings(
    django_db_modify_db_settings_parallel_suffix, tmp_path_factory
) -> None:
    db = settings.DATABASES["default"]
    if db["ENGINE"] == "django.db.backends.sqlite3":
        # In this run's temporary folder (pytest keeps the last three runs' folders only): two
        # runs at once never share it, and nothing is left in the checkout.
        db.setdefault("TEST", {})["NAME"] = str(tmp_path_factory.mktemp("base") / "tests.sqlite3")


def _load_shipped_data() -> None:
    from referentiel.importer import importer as importer_referentiel
    from territoires import officiel

    importer_referentiel()
    officiel.charger()


def _has_data() -> bool:
    from referentiel.models import Commune
    from territoires.models import Territoire

    return Commune.objects.exists() and Territoire.objects.exists()


@pytest.fixture(scope="session")
def django_db_setup(django_db_setup, django_db_blocker):
    with django_db_blocker.unblock():
        _load_shipped_data()


@pytest.fixture(autouse=True)
def _clear_cache():
    from django.core.cache import caches

    for alias in ("default", "memoire"):
        caches[alias].clear()


class ShippedData:
    """A copy of the session data, in plain tables that a flush leaves alone."""

    PREFIX = "shipped_copy_"

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
        if self.connection.vendor == "postgresql":
            # The flush truncated these tables, and PostgreSQL then believes them empty until
            # its autovacuum passes: without fresh statistics, a plan may loop over 35,000
            # communes for minutes. Production's tables are analysed; so are the tests'.
            with self.connection.cursor() as cursor:
                cursor.execute("ANALYZE")

    def close(self) -> None:
        with self.connection.cursor() as cursor:
            for i in range(len(self.tables)):
                cursor.execute(f"DROP TABLE IF EXISTS {self._copy(i)}")


@pytest.fixture(scope="session")
def shipped_data(django_db_setup, django_db_blocker) -> Iterator[ShippedData]:
    with django_db_blocker.unblock():
        data = ShippedData()
    yield data
    with django_db_blocker.unblock():
        data.close()


@pytest.fixture(scope="module")
def restore_shipped_data(shipped_data, django_db_blocker) -> Iterator[None]:
    """For a module of transactional tests: the last test's flush must not leak into the
    tests that run after this module."""
    yield
    with django_db_blocker.unblock():
        shipped_data.restore()


@pytest.fixture
def server_url(live_server, shipped_data) -> str:
    """The live server's address, with the shipped data in place."""
    # live_server has already set up transactional access (pytest-django's autouse helper).
    shipped_data.restore()
    host = live_server.thread.host
    if host != "127.0.0.1":
        pytest.fail(f"Le serveur de test écoute sur {host} au lieu de 127.0.0.1.")
    return live_server.url
