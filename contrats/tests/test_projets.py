"""Edits of a draft beyond its creation (contrats.projets), from the document's page as from
the API: a fiche withdrawn from the annex, a signatory withdrawn, the canvas never overwritten
by a stale version; a validated document changes no more."""

from datetime import timedelta

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse

from comptes.services import ConflitEdition
from contrats import cycle, projets
from fiches.enums import Etat

from .fabriques import J, contrat_pret, equipe, signataires_requis, territoire

pytestmark = pytest.mark.django_db


@pytest.fixture
def p():
    return equipe()


def test_une_fiche_se_retire_de_l_annexe_d_un_projet_et_reste_retenue(client, p):
    c = contrat_pret(p)
    [annexe] = cycle.annexes(c)
    url = reverse("contrats:fiche-retirer", args=["contrat", c.pk, annexe.fiche.pk])
    client.force_login(p["pilote"])  # validates, does not write the draft
    assert client.post(url).status_code == 404
    client.force_login(p["chef"])
    page = client.get(reverse("contrats:document", args=["contrat", c.pk])).content.decode()
    assert f"Retirer la fiche {annexe.fiche.reference}" in page
    assert client.post(url).status_code == 302
    assert not c.annexes.exists()
    annexe.fiche.refresh_from_db()
    assert annexe.fiche.etat == Etat.RETENUE


def test_un_signataire_se_retire_d_un_projet_pas_d_un_document_valide(client, p):
    c = contrat_pret(p)
    s = c.signataires.first()
    client.force_login(p["chef"])
    url = reverse("contrats:signataire-retirer", args=["contrat", c.pk, s.pk])
    assert client.post(url).status_code == 302
    assert not c.signataires.filter(pk=s.pk).exists()
    # Completed again, then validated.
    signataires_requis(p["chef"], c, territoire("8401"), epcis=[])
    cycle.valider(user=p["pilote"], document=c, date=J - timedelta(days=1))
    autre = c.signataires.first()
    url = reverse("contrats:signataire-retirer", args=["contrat", c.pk, autre.pk])
    assert client.post(url).status_code == 404  # validated: no longer the team's to edit
    with pytest.raises(ValidationError, match="ne se modifie plus"):
        projets.retirer_signataire(user=p["chef"], signataire=autre)
    assert c.signataires.filter(pk=autre.pk).exists()


def test_le_canevas_d_une_version_perimee_n_ecrase_rien(p):
    c = contrat_pret(p)
    lue = projets.version(c)
    projets.modifier(user=p["chef"], document=c, version=lue, donnees={"enjeux": "Revus."})
    with pytest.raises(ConflitEdition) as exc:
        projets.modifier(user=p["chef"], document=c, version=lue, donnees={"enjeux": "Autres."})
    assert exc.value.differences == [("enjeux", "Autres.", "Revus.")]
    c.refresh_from_db()
    assert c.enjeux == "Revus."


def test_la_page_de_modification_garde_la_version_lue(client, p):
    import re
    from html import unescape

    c = contrat_pret(p)
    client.force_login(p["chef"])
    url = reverse("contrats:modifier", args=["contrat", c.pk])
    page = client.get(url).content.decode()
    version = re.search(r'name="version" value="([0-9a-f]+)"', page).group(1)
    assert version == projets.version(c)
    projets.modifier(user=p["chef"], document=c, version=version, donnees={"enjeux": "Revus."})
    form = {
        "annee_debut": c.annee_debut,
        "annee_fin": c.annee_fin,
        "epcis": list(c.epcis.values_list("siren", flat=True)),
        "enjeux": "Les miens.",
        "version": version,
    }
    r = client.post(url, form)
    assert r.status_code == 200
    assert "rien n'a été écrasé" in unescape(r.content.decode())
    c.refresh_from_db()
    assert c.enjeux == "Revus."
    nouvelle = re.search(r'name="version" value="([0-9a-f]+)"', r.content.decode()).group(1)
    assert client.post(url, {**form, "version": nouvelle}).status_code == 302
    c.refresh_from_db()
    assert c.enjeux == "Les miens."
