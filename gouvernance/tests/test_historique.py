"""The history of a perimeter request: its deposit, its inscription on the agenda of the
regional COPIL and the COPIL's decision, each recorded by gouvernance.demandes with who, when,
in which meeting and on which decision, and shown on the request's page."""

import re
from datetime import date
from html import unescape

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse

from gouvernance import demandes, services
from gouvernance.enums import ActionDemande, EtatDemande, NatureDemande, NaturePoint, ObjetDecision
from referentiel.models import Region

from .fabriques import gens, reunion_passee, territoire

pytestmark = pytest.mark.django_db


def _demande(g):
    from demo.carte import epci_voisine_libre

    t = territoire("8401")
    return demandes.deposer(
        user=g["chef"],
        nature=NatureDemande.AJOUT_EPCI,
        territoire=t,
        epci=epci_voisine_libre(t),
        demandeur_territoire=t,
        date=date(2020, 1, 10),
    )


def test_depot_inscription_et_decision_d_une_demande_sont_dans_son_historique(client):
    g = gens()
    d = _demande(g)
    copil = services.copil_regional(Region.objects.get(code="84"))
    r = reunion_passee(g["pilote"], copil, (2020, 2, 10))
    point = services.ajouter_point(
        user=g["pilote"], reunion=r, nature=NaturePoint.PERIMETRE, demande=d
    )
    lien = services.decider(
        user=g["pilote"], reunion=r, point=point, objet=ObjetDecision.PERIMETRE, accepter=False
    )
    depot, inscription, decision = d.transitions.historique()
    assert (depot.action, depot.etat_avant, depot.etat_apres) == (
        ActionDemande.DEPOSER,
        "",
        EtatDemande.DEPOSEE,
    )
    assert (depot.par, depot.date_effet) == (g["chef"], date(2020, 1, 10))
    assert (inscription.action, inscription.etat_apres) == (
        ActionDemande.INSCRIRE,
        EtatDemande.EXAMINEE,
    )
    assert (inscription.par, inscription.reunion) == (g["pilote"], r)
    assert (decision.action, decision.etat_avant, decision.etat_apres) == (
        ActionDemande.REFUSER,
        EtatDemande.EXAMINEE,
        EtatDemande.REFUSEE,
    )
    assert (decision.par, decision.reunion, decision.decision, decision.date_effet) == (
        g["pilote"],
        r,
        lien.decision,
        date(2020, 2, 10),
    )

    client.force_login(g["chef"])
    r = client.get(reverse("gouvernance:demande", args=[d.pk]))
    assert r.status_code == 200
    page = " ".join(unescape(re.sub(r"<[^>]+>", " ", r.content.decode())).split())
    assert "Historique" in page
    assert "10/01/2020 — Demande déposée" in page and "Enregistré par Prénom chef8401" in page
    assert "Inscrite à l'ordre du jour du comité de pilotage régional" in page
    assert "10/02/2020 — Refusée par le comité de pilotage régional (Examinée en COPIL " in page


def test_une_decision_refusee_ne_laisse_rien_dans_l_historique_de_la_demande():
    g = gens()
    d = _demande(g)
    copil = services.copil_regional(Region.objects.get(code="84"))
    r = reunion_passee(g["pilote"], copil, (2020, 2, 10))
    point = services.ajouter_point(
        user=g["pilote"], reunion=r, nature=NaturePoint.PERIMETRE, demande=d
    )
    with pytest.raises(ValidationError, match="acceptée ou refusée"):
        services.decider(user=g["pilote"], reunion=r, point=point, objet=ObjetDecision.PERIMETRE)
    assert [t.action for t in d.transitions.all()] == [
        ActionDemande.DEPOSER,
        ActionDemande.INSCRIRE,
    ]
