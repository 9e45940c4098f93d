"""Test database: the real shipped referential and the official phase-1 map, loaded once per
session; each test runs in a transaction on top of it and is rolled back."""

from datetime import date

import pytest
from django.conf import settings


@pytest.fixture(scope="session")
def django_db_setup(django_db_setup, django_db_blocker):
    from referentiel.importer import importer as importer_referentiel
    from territoires.importer import importer as importer_territoires
    from territoires.models import Instance, Phase

    with django_db_blocker.unblock():
        importer_referentiel()
        importer_territoires(
            settings.DATA_DIR / "territoires" / "territoires-industrie-2019-communes.csv",
            phase=Phase.objects.get(pk=1),
            date=date(2018, 11, 22),
            instance=Instance.CNI,
        )


@pytest.fixture(autouse=True)
def _clear_cache():
    from django.core.cache import cache

    cache.clear()
