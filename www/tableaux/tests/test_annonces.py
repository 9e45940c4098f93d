"""The operators' announced commitments: entered, changed and deleted by the national
delegation on its pages (404 for anyone else), never silently overwritten, and shown on the
national dashboard against the operator's actual figures."""

from __future__ import annotations

from datetime import date
from decimal import Decimal as D

import pytest

from comptes.secrets import MOTIF_SEUIL
from suivi import services
from suivi.models import EngagementAnnonce
from suivi.tests.programme import construire

from .outils import nombre_francais, tableau_html

pytestmark = pytest.mark.django_db
LISTE = "/tableaux/engagements-annonces/"
NOUVEAU = "/tableaux/engagements-annonces/nouveau/"


@pytest.fixture
def w():
    return construire()


def _annoncer(w, montant="500000"):
    return services.annoncer_engagement(
        user=w["national"],
        operateur=w["bpi"],
        phase=2,
        montant=D(montant),
        date=date(2024, 1, 15),
        source="Communiqué de l'opérateur",
    )


def _formulaire(w, **autres) -> dict:
    return {
        "operateur": w["bpi"].pk,
        "phase": 2,
        "montant": "500000",
        "date": "2024-01-15",
        "source": "Communiqué",
        **autres,
    }


def test_la_delegation_nationale_saisit_un_engagement_annonce(client, w):
    client.force_login(w["national"])
    assert client.get(NOUVEAU).status_code == 200
    r = client.post(NOUVEAU, _formulaire(w))
    assert r.status_code == 302
    a = EngagementAnnonce.objects.get()
    assert (a.operateur, a.phase_id, a.montant, a.par) == (w["bpi"], 2, D("500000"), w["national"])
    page = client.get(LISTE).content.decode()
    assert "Bpifrance" in page and "500\u202f000 €" in page


def test_seule_la_delegation_nationale_voit_les_pages_des_engagements_annonces(client, w):
    a = _annoncer(w)
    for qui in ("pilote84", "referent_bpi", "chef8401"):
        client.force_login(w[qui])
        assert client.get(LISTE).status_code == 404, qui
        assert client.get(NOUVEAU).status_code == 404
        assert client.post(NOUVEAU, _formulaire(w)).status_code == 404
        assert client.post(f"{LISTE}{a.pk}/", {"supprimer": "1", "version": 1}).status_code == 404
    assert EngagementAnnonce.objects.count() == 1


def test_une_date_future_est_refusee_en_francais_rien_n_est_ecrit(client, w):
    client.force_login(w["national"])
    r = client.post(NOUVEAU, _formulaire(w, date="2099-01-01"))
    assert r.status_code == 200
    assert "futur" in r.content.decode()
    assert not EngagementAnnonce.objects.exists()


def test_modifier_un_engagement_annonce_deja_modifie_ne_l_ecrase_pas(client, w):
    a = _annoncer(w)
    client.force_login(w["national"])
    # Two people open the page at version 1; the first saves.
    r = client.post(f"{LISTE}{a.pk}/", _formulaire(w, montant="600000", version=1))
    assert r.status_code == 302
    a.refresh_from_db()
    assert (a.montant, a.version) == (D("600000"), 2)
    # The second saves on what they read: refused, the first one's amount kept.
    r = client.post(f"{LISTE}{a.pk}/", _formulaire(w, montant="700000", version=1))
    assert r.status_code == 200
    assert "modifié cet engagement annoncé entre-temps" in r.content.decode()
    a.refresh_from_db()
    assert a.montant == D("600000")
    # Nor deleted on an outdated version.
    client.post(f"{LISTE}{a.pk}/", {"supprimer": "1", "version": 1})
    assert EngagementAnnonce.objects.filter(pk=a.pk).exists()
    client.post(f"{LISTE}{a.pk}/", {"supprimer": "1", "version": 2})
    assert not EngagementAnnonce.objects.exists()


def test_le_tableau_national_montre_l_annonce_face_aux_chiffres_de_l_operateur(client, w):
    _annoncer(w)
    client.force_login(w["national"])
    page = client.get("/tableaux/?phase=2").content.decode()
    entetes, [ligne] = tableau_html(page, "financements-annonces")
    assert entetes[:3] == ["Opérateur", "Phase", "Annoncé"]
    assert ligne[:2] == ["Bpifrance", "2"]
    assert nombre_francais(ligne[2]) == D("500000")
    # Bpifrance's commitments carry firms' secret amounts: fewer than three firms, withheld.
    assert ligne[entetes.index("Engagé")] == MOTIF_SEUIL
    assert "/tableaux/engagements-annonces/" in page
