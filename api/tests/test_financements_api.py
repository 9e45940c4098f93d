"""A line's money through the API, as a client sees it: the funder's entries, refusals with
their status (401, 403, 404, 409, 422), the secrecy of a secret line's money."""

import pytest
from auditlog.models import LogEntry

from comptes.models import LectureSecret
from financements.models import Engagement, Paiement
from financements.tests.fabriques import MONTANT_SECRET, accordee, jour

from .test_fiches_api import jeton, post

pytestmark = pytest.mark.django_db


def _engager(client, auth, ligne, montant="40000", **kw):
    corps = {"montant": montant, "convention": "Convention 2024-17", "date": str(jour(50)), **kw}
    return post(client, f"/api/v1/lignes/{ligne.pk}/engagements", corps, auth)


def test_le_financeur_engage_paie_reduit_et_annule_par_l_api(client):
    p = accordee()
    bpi = jeton(client, "bpi84@exemple.fr")
    r = _engager(client, bpi, p["publique"], reference="1300012345")
    assert r.status_code == 201, r.content
    e = r.json()["engagements"][0]
    assert (e["montant"], e["reference"], e["date"]) == ("40000.00", "1300012345", str(jour(50)))
    r = post(
        client,
        f"/api/v1/engagements/{e['id']}/paiements",
        {"montant": "15000.50", "date": str(jour(60)), "reference": "P-1"},
        bpi,
    )
    assert r.status_code == 201, r.content
    r = post(
        client,
        f"/api/v1/engagements/{e['id']}/reduction",
        {"montant": "5000", "date": str(jour(70)), "motif": "Devis révisé"},
        bpi,
    )
    assert r.status_code == 201, r.content
    argent = r.json()
    assert (argent["accorde"], argent["engage"], argent["paye"], argent["reste"]) == (
        "43210.00",
        "35000.00",
        "15000.50",
        "19999.50",
    )
    assert (argent["engage_le"], argent["premier_paiement"]) == (str(jour(50)), str(jour(60)))
    r = post(client, f"/api/v1/engagements/{e['id']}/annulation", {"motif": "Abandon"}, bpi)
    assert r.status_code == 201 and r.json()["reste"] == "0.00"
    natures = [a["nature"] for a in r.json()["engagements"][0]["ajustements"]]
    assert natures == ["reduction", "annulation"]
    # Each entry in the audit log under the funder's account.
    paiement = Paiement.objects.get()
    assert LogEntry.objects.get_for_object(paiement).get().actor == p["bpi"]


def test_refus_401_403_404_409_422_rien_n_est_ecrit(client):
    p = accordee()
    ligne = p["publique"]
    assert _engager(client, {}, ligne).status_code == 401
    r = _engager(client, jeton(client, "chef8401@exemple.fr"), ligne)
    assert r.status_code == 403
    assert r.json()["detail"] == (
        "Seul le financeur de cette ligne enregistre ses engagements et ses paiements."
    )
    autre = jeton(client, "chef8408@exemple.fr")  # does not see the fiche
    assert _engager(client, autre, ligne).status_code == 404
    assert client.get(f"/api/v1/lignes/{ligne.pk}/argent", **autre).status_code == 404
    bpi = jeton(client, "bpi84@exemple.fr")
    r = _engager(client, bpi, ligne, montant="43210.01")
    assert r.status_code == 422 and "dépasserait le montant accordé" in r.json()["detail"]
    r = _engager(client, bpi, ligne, date="2999-01-01")
    assert r.status_code == 422
    assert r.json()["detail"] == "La date de l'engagement ne peut pas être dans le futur."
    r = _engager(client, bpi, ligne, montant="douze")
    assert r.status_code == 422 and r.json()["detail"][0]["msg"] == "Un nombre est attendu."
    assert not Engagement.objects.exists()
    assert _engager(client, bpi, ligne, reference="EJ-1").status_code == 201
    r = _engager(client, bpi, ligne, montant="10", reference="EJ-1")
    assert r.status_code == 409
    assert r.json()["detail"] == "L'engagement « EJ-1 » est déjà enregistré sur cette ligne."
    e = Engagement.objects.get()
    r = post(client, f"/api/v1/engagements/{e.pk}/paiements", {"montant": "1"}, autre)
    assert r.status_code == 404
    assert Engagement.objects.count() == 1 and not Paiement.objects.exists()


def test_l_argent_d_une_ligne_secrete_reste_secret_pour_qui_ne_peut_le_lire(client):
    p = accordee()
    bpi = jeton(client, "bpi84@exemple.fr")
    r = _engager(client, bpi, p["secrete"], montant="876543.21")
    assert r.status_code == 201
    e = r.json()["engagements"][0]["id"]
    r = post(client, f"/api/v1/engagements/{e}/paiements", {"montant": "123456.78"}, bpi)
    assert r.status_code == 201
    url = f"/api/v1/lignes/{p['secrete'].pk}/argent"
    # The national delegation sees the fiche and the line, not a firm's figures (FAQ §7.3).
    r = client.get(url, **jeton(client, "national@exemple.fr"))
    assert r.status_code == 200 and r.json()["masques"] == ["montant"]
    corps = r.content.decode()
    for secret in ("876543", "123456", "753086", str(MONTANT_SECRET)[:6], "110753"):
        assert secret not in corps
    argent = r.json()
    assert argent["engage"] is None and argent["engagements"][0]["paiements"][0]["montant"] is None
    assert argent["premier_paiement"] is not None  # dates are no firm's figure
    assert "private" in r["Cache-Control"]
    # The territory's team has the need to know: it reads, and the read is logged.
    avant = LectureSecret.objects.count()
    r = client.get(url, **jeton(client, "chef8401@exemple.fr"))
    assert r.json()["paye"] == "123456.78" and r.json()["masques"] == []
    assert LectureSecret.objects.count() > avant
    # A public line's money is read by the national delegation too.
    r = client.get(
        f"/api/v1/lignes/{p['publique'].pk}/argent", **jeton(client, "national@exemple.fr")
    )
    assert r.json()["accorde"] == "43210.00" and r.json()["masques"] == []


def test_le_document_openapi_decrit_les_points_d_entree_de_l_argent(client):
    chemins = client.get("/api/v1/openapi.json").json()["paths"]
    assert "/api/v1/lignes/{ligne_id}/argent" in chemins
    reponses = chemins["/api/v1/engagements/{engagement_id}/paiements"]["post"]["responses"]
    assert {"201", "401", "403", "404", "409", "422"} <= set(reponses)
