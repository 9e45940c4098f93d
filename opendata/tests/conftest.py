import pytest


@pytest.fixture(autouse=True)
def racine_des_donnees_ouvertes(settings, tmp_path):
    """Each test builds its package in its own folder."""
    settings.OPENDATA_ROOT = tmp_path / "media" / "donnees-ouvertes"
    return settings.OPENDATA_ROOT
