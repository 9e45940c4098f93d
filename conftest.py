"""Test database: the real shipped referential and the official map of both phases (phase 1,
then phase 2 from 9 November 2023 with ANCT's updates), loaded once per session as
`make run` loads them; each test runs in a transaction on top of it and is rolled back."""

import pytest


@pytest.fixture(scope="session")
def django_db_setup(django_db_setup, django_db_blocker):
    from referentiel.importer import importer as importer_referentiel
    from territoires import officiel

    with django_db_blocker.unblock():
        importer_referentiel()
        officiel.charger()


@pytest.fixture(autouse=True)
def _clear_cache():
    from django.core.cache import cache

    cache.clear()
