"""Two people editing the same measure: the later save never overwrites the earlier, on the
page as in the API (mesures.services.version, the fingerprint of the measure's fields)."""

import re
from html import unescape

import pytest
from django.urls import reverse

from comptes.enums import Role
from comptes.tests.fabriques import personne
from mesures import services
from mesures.models import Mesure

pytestmark = pytest.mark.django_db


def _version(html: str) -> str:
    return re.search(r'name="version" value="([0-9a-f]+)"', html).group(1)


def test_une_modification_concurrente_d_une_mesure_n_ecrase_rien(client):
    national = personne("national@exemple.fr", Role.NATIONAL)
    m = Mesure.objects.create(nom="Aide d'essai", nature="financement", description="Avant.")
    client.force_login(national)
    url = reverse("mesures:modifier", args=[m.pk])
    version = _version(client.get(url).content.decode())
    assert version == services.version(m)
    # Someone else saves in between.
    services.modifier_mesure(user=national, mesure=m, donnees={"description": "L'autre."})
    form = {"nom": m.nom, "nature": m.nature, "source": m.source, "version": version}
    r = client.post(url, {**form, "description": "La mienne."})
    html = unescape(r.content.decode())
    assert r.status_code == 200
    assert "rien n'a été écrasé" in html
    m.refresh_from_db()
    assert m.description == "L'autre."
    # The form now carries the current version: saving again goes through, knowingly.
    r = client.post(url, {**form, "version": _version(html), "description": "La mienne."})
    assert r.status_code == 302
    m.refresh_from_db()
    assert m.description == "La mienne."
