"""The governance rules as a person meets them on the pages: a split requested and decided,
an interregional request, meetings postponed or cancelled, and forms that say when they
refuse (never a redirect that looks like success), naming fiches, requests and people by
number or name."""

from datetime import date, timedelta
from html import unescape

import pytest
from django.urls import reverse
from django.utils import timezone

from comptes.enums import Role, TypeOrganisation
from comptes.models import Organisation, Personne
from fiches.tests.fabriques import fiche
from gouvernance import demandes, services
from gouvernance.enums import EtatDemande, NatureDemande
from gouvernance.models import Reunion
from referentiel.models import Region
from territoires.models import Territoire
from territoires.selectors import vue_territoire

from .fabriques import gens, reunion_passee, territoire

pytestmark = pytest.mark.django_db


@pytest.fixture
def g():
    return gens()


def _html(resp) -> str:
    return unescape(resp.content.decode())


def _copil(g, jour=(2020, 2, 10)):
    comite = services.copil_regional(Region.objects.get(code="84"))
    return reunion_passee(g["pilote"], comite, jour)


def test_une_scission_se_demande_et_se_decide_par_les_pages_et_l_ancien_territoire_reste_lisible(
    client, g
):
    t = territoire("8401")
    f = fiche(g["chef"], code="8401")
    epcis = vue_territoire(t, date(2020, 1, 10)).epcis
    sirens = [e.siren for e in epcis]
    client.force_login(g["chef"])
    url = reverse("gouvernance:demande-nouvelle")
    donnees = {
        "nature": NatureDemande.SCISSION,
        "territoire": t.pk,
        "date": "2020-01-10",
        "parts": f"8401A ; Nord ; {sirens[0]}\n8401B ; Sud ; {sirens[0]}, {', '.join(sirens[1:])}",
    }
    refus = client.post(url, donnees)
    assert refus.status_code == 400
    assert "est donnée à deux territoires issus" in _html(refus)
    donnees["parts"] = f"8401A ; Nord ; {sirens[0]}\n8401B ; Sud ; {', '.join(sirens[1:])}"
    resp = client.post(url, donnees)
    d = t.demandes_perimetre.get()
    assert resp.status_code == 302 and resp.url == reverse("gouvernance:demande", args=[d.pk])
    assert d.deposee_le == date(2020, 1, 10)
    page = _html(client.get(resp.url))
    assert "8401A Nord" in page and sirens[0] in page
    # The Région's pilot puts it on the COPIL's agenda, then records the decision.
    r = _copil(g)
    client.force_login(g["pilote"])
    resp = client.post(reverse("gouvernance:demande-inscrire", args=[d.pk]), {"reunion": r.pk})
    assert resp.status_code == 302
    point = r.points.get(demande=d)
    resp = client.post(
        reverse("gouvernance:decision", args=[point.pk]), {"texte": "Scission", "accepter": "oui"}
    )
    assert resp.status_code == 302
    d.refresh_from_db()
    t.refresh_from_db()
    assert d.etat == EtatDemande.ACCEPTEE and t.date_fin == date(2020, 2, 10)
    # The old territory's page at an earlier date, its split, and its fiches stay readable.
    page = _html(client.get(reverse("carte:territoire", args=[1, "8401"]), {"date": "2020-02-01"}))
    assert epcis[0].nom in page and "Scindé en" in page and "8401A" in page
    client.force_login(g["chef"])
    fiches = _html(client.get(reverse("fiches:liste"), {"territoire": "1-8401"}))
    assert f.titre in fiches
    assert Territoire.objects.get(code="8401B").origine == t


def test_la_position_d_une_autre_region_s_enregistre_par_la_page_de_la_demande(client, g):
    from .test_regles_demandes import _epci_d_une_autre_region

    t = territoire("8401")
    epci = _epci_d_une_autre_region("27", date(2020, 1, 10))
    d = demandes.deposer(
        user=g["chef"],
        nature=NatureDemande.AJOUT_EPCI,
        territoire=t,
        epci=epci,
        demandeur_territoire=t,
        date=date(2020, 1, 10),
    )
    # The coordinating Région's COPIL alone: refused on the decision's page, said there.
    r = _copil(g)
    services.ajouter_point(user=g["pilote"], reunion=r, nature="perimetre", demande=d)
    client.force_login(g["pilote"])
    point = r.points.get(demande=d)
    resp = client.post(
        reverse("gouvernance:decision", args=[point.pk]), {"texte": "Ajout", "accepter": "oui"}
    )
    assert resp.status_code == 400
    assert f"L'intercommunalité {epci.nom} concerne aussi la région" in _html(resp)
    # The other Région's pilot sees the request and records its agreement there.
    client.force_login(g["pilote_autre"])
    url = reverse("gouvernance:demande", args=[d.pk])
    assert "Position de votre Région" in _html(client.get(url))
    accord = reverse("gouvernance:demande-accord", args=[d.pk])
    refus = client.post(accord, {"region": "27", "favorable": "oui", "date": "2020-02-01"})
    assert refus.status_code == 400 and "Rien n'a été enregistré" in _html(refus)
    resp = client.post(
        accord,
        {"region": "27", "favorable": "oui", "date": "2020-02-01", "motif": "Courrier"},
    )
    assert resp.status_code == 302
    client.force_login(g["pilote"])
    resp = client.post(
        reverse("gouvernance:decision", args=[point.pk]), {"texte": "Ajout", "accepter": "oui"}
    )
    assert resp.status_code == 302
    d.refresh_from_db()
    assert d.etat == EtatDemande.ACCEPTEE


@pytest.fixture
def a_venir(g):
    debut = timezone.now() + timedelta(days=10)
    return services.planifier_reunion(
        user=g["chef"], comite=services.comite_local(territoire("8401")), debut=debut
    )


def test_une_reunion_se_reporte_ou_s_annule_par_sa_page(client, g, a_venir):
    client.force_login(g["chef"])
    page = _html(client.get(reverse("gouvernance:reunion", args=[a_venir.pk])))
    assert "Reporter la réunion" in page and "Annuler la réunion" in page
    jour = timezone.localdate() + timedelta(days=20)
    resp = client.post(
        reverse("gouvernance:reunion-report", args=[a_venir.pk]),
        {"jour": jour.isoformat(), "heure": "14:00", "lieu": "Mairie", "sequence": 0},
    )
    assert resp.status_code == 302
    a_venir.refresh_from_db()
    assert timezone.localtime(a_venir.debut).date() == jour and a_venir.sequence == 1
    # A page still showing the former version: 409, nothing overwritten.
    perime = client.post(
        reverse("gouvernance:reunion-report", args=[a_venir.pk]),
        {"jour": (jour + timedelta(days=1)).isoformat(), "heure": "14:00", "sequence": 0},
    )
    assert perime.status_code == 409 and "rien n'a été écrasé" in _html(perime)
    url = reverse("gouvernance:reunion-annulation", args=[a_venir.pk])
    sans_motif = client.post(url, {"motif": "", "sequence": 1})
    assert sans_motif.status_code == 400
    assert client.post(url, {"motif": "Quorum non atteint", "sequence": 1}).status_code == 302
    page = _html(client.get(reverse("gouvernance:reunion", args=[a_venir.pk])))
    assert "Réunion annulée" in page and "Quorum non atteint" in page
    ics = client.get(reverse("gouvernance:reunion-ics", args=[a_venir.pk])).content.decode()
    assert "STATUS:CANCELLED" in ics and "SEQUENCE:2" in ics and "TZID=Europe/Paris" in ics


def test_un_formulaire_refuse_le_dit_sur_sa_page_jamais_par_une_redirection(client, g):
    r = reunion_passee(g["chef"], services.comite_local(territoire("8401")))
    futur = services.planifier_reunion(
        user=g["chef"],
        comite=r.comite,
        debut=timezone.now() + timedelta(days=5),
    )
    client.force_login(g["chef"])
    refus = [
        (reverse("gouvernance:reunion-point", args=[r.pk]), {"nature": "fiche", "fiche": "X"}),
        (
            reverse("gouvernance:reunion-participant", args=[r.pk]),
            {"personne": "Personne Inconnue", "presence": "present"},
        ),
        (reverse("gouvernance:reunion-compte-rendu", args=[futur.pk]), {"texte": "Trop tôt"}),
        (reverse("gouvernance:reunion-report", args=[futur.pk]), {"jour": "x", "sequence": 0}),
        (reverse("gouvernance:reunion-annulation", args=[futur.pk]), {"sequence": 0}),
        (reverse("gouvernance:comite", args=[r.comite.pk]), {"jour": "2010-01-01"}),
        (reverse("gouvernance:demande-nouvelle"), {"nature": "ajout_epci"}),
    ]
    for url, donnees in refus:
        resp = client.post(url, donnees)
        assert resp.status_code == 400, url
        assert "Rien n'a été enregistré" in _html(resp), url
    assert not r.points.exists() and Reunion.objects.filter(comite=r.comite).count() == 2


def test_l_ordre_du_jour_nomme_fiches_demandes_et_personnes_par_numero_ou_nom(client, g):
    r = reunion_passee(g["chef"], services.comite_local(territoire("8401")))
    f = fiche(g["chef"], code="8401")
    client.force_login(g["chef"])
    page = _html(client.get(reverse("gouvernance:reunion", args=[r.pk])))
    assert f'<datalist id="choix-fiches"><option value="{f.reference} — {f.titre}">' in page
    assert 'name="fiche"' in page and f'value="{f.uuid}"' not in page
    url = reverse("gouvernance:reunion-point", args=[r.pk])
    assert client.post(url, {"nature": "fiche", "fiche": f.reference}).status_code == 302
    assert client.post(url, {"nature": "fiche", "fiche": f.titre[:12]}).status_code == 302
    assert [p.fiche for p in r.points.all()] == [f, f]
    etat = g["etat"].personne
    resp = client.post(
        url,
        {
            "nature": "designation",
            "personne": f"{etat.prenom} {etat.nom}",
            "role": Role.REFERENT_ETAT,
        },
    )
    assert resp.status_code == 302
    assert r.points.last().designation_personne == etat


def test_la_personne_proposee_est_cherchee_dans_le_perimetre_de_qui_saisit(client, g):
    r = reunion_passee(g["chef"], services.comite_local(territoire("8401")))
    # Someone of a firm outside the chef's territories: the chef of 8401 may not see them.
    firme = Organisation.objects.create(nom="Secrète SA", type=TypeOrganisation.ENTREPRISE)
    Personne.objects.create(prenom="Hors", nom="Perimetre", organisation=firme)
    client.force_login(g["chef"])
    page = _html(client.get(reverse("gouvernance:reunion", args=[r.pk])))
    assert "Hors Perimetre" not in page
    resp = client.post(
        reverse("gouvernance:reunion-point", args=[r.pk]),
        {"nature": "designation", "personne": "Hors Perimetre", "role": Role.REFERENT_ETAT},
    )
    assert resp.status_code == 400
    assert "Aucune personne ne correspond à « Hors Perimetre »" in _html(resp)
    assert not r.points.exists()
