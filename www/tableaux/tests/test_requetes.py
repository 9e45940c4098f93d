"""The national dashboard and the deployment follow-up at scale, checked without timing
anything: their figures are those of the lines summed one by one, and their queries are as
many whatever the number of fiches, lines and moves."""

from __future__ import annotations

import uuid
from collections import defaultdict
from decimal import Decimal

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from comptes.secrets import Contribution, totaliser
from fiches.enums import Etat, StatutLigne
from fiches.models import FicheAction, LigneFinancement
from financements.models import Engagement, Paiement
from suivi import tableaux
from suivi.tests.programme import construire

pytestmark = pytest.mark.django_db

MAX_REQUETES = 15
# Held at their present count so that none grows (the national dashboard ran 81 before its
# money was read at one grain); still above the target: the signed-in person's scope and work
# queue take nine, the deployment of every territory eleven (contrats.suivi), the money nine,
# the delays four.
AU_DELA = {"/tableaux/": 40, "/tableaux/deploiement/": 25}


@pytest.fixture
def w():
    return construire()


def _une_par_une(lignes, lecteur_lit) -> dict:
    """Per funder, the requested and granted amounts summed line by line through the one rule
    of statistical secrecy: a firm's hidden amounts add up by firm."""
    contributions = defaultdict(lambda: defaultdict(list))
    for li in lignes:
        if li.financeur_id == li.fiche.porteur_id or li.fiche.etat == Etat.BROUILLON:
            continue  # a bearer's own money, a draft: no request to a funder
        secret = "montant" in li.champs_secrets
        c = Contribution(
            li.fiche.porteur_id if secret and not lecteur_lit else ("connu",),
            li.montant,
            secret,
            lisible=secret and lecteur_lit,
        )
        contributions[li.financeur_id]["demande"].append(c)
        if li.statut == StatutLigne.ACCORDE:
            contributions[li.financeur_id]["accorde"].append(c)
    return {
        k: {figure: totaliser(cs).valeur for figure, cs in v.items()}
        for k, v in contributions.items()
    }


def test_les_chiffres_du_tableau_national_sont_ceux_des_lignes_une_par_une(w):
    """Per funder, the national dashboard shows what the lines sum to one by one, each hidden
    firm's amount kept apart for the secrecy rule; the pilot of a région, who reads its
    secrets, sees every euro of it."""
    lignes = list(LigneFinancement.objects.select_related("fiche"))
    attendu = _une_par_une(lignes, lecteur_lit=False)
    t = tableaux.Tableau(w["national"], tableaux.echelle_nationale(w["national"], None))
    vu = {
        li.cle: {"demande": li.montants.demande.valeur, "accorde": li.montants.accorde.valeur}
        for li in t.repartition("financeur")
    }
    for k, figures in attendu.items():
        for figure, valeur in figures.items():
            assert vu[k][figure] == (valeur if valeur is None else valeur.quantize(Decimal("0.01")))
    assert any(v is None for f in attendu.values() for v in f.values())  # a secret withheld

    region = tableaux.echelle_region(w["pilote84"], "84", None)
    t84 = tableaux.Tableau(w["pilote84"], region)
    dans_84 = [li for li in lignes if li.fiche.territoire_id in (w["t8401"].pk, w["t8413"].pk)]
    exact = _une_par_une(dans_84, lecteur_lit=True)
    assert t84.montants.demande.valeur == sum(f["demande"] for f in exact.values())
    assert t84.montants.accorde.valeur == sum(f.get("accorde") or 0 for f in exact.values())


def _plus_de_donnees(w, n: int) -> None:
    """`n` more fiches in instruction in each territory, each with a granted line, committed
    and paid, and a firm's secret line."""
    modele = FicheAction.objects.get(pk=w["a"].pk)
    lignes = list(LigneFinancement.objects.filter(fiche=w["a"]))
    engagement = Engagement.objects.filter(ligne__fiche=w["a"]).first()
    paiement = Paiement.objects.filter(engagement=engagement).first()
    for k in range(n):
        for t in (w["t8401"], w["t8413"], w["t2704"]):
            f = FicheAction.objects.get(pk=modele.pk)
            f.pk, f.uuid, f.numero, f.territoire = None, uuid.uuid4(), 100 + k, t
            f.save()
            for li in lignes:
                copie = LigneFinancement.objects.get(pk=li.pk)
                copie.pk, copie.fiche = None, f
                copie.save()
                if li.pk == engagement.ligne_id:
                    e = Engagement.objects.get(pk=engagement.pk)
                    e.pk, e.ligne = None, copie
                    e.save()
                    p = Paiement.objects.get(pk=paiement.pk)
                    p.pk, p.engagement = None, e
                    p.save()


def _requetes(client, url) -> int:
    client.get(url)  # once before: what a first visit sets up once is not counted
    with CaptureQueriesContext(connection) as ctx:
        r = client.get(url)
    assert r.status_code == 200, url
    return len(ctx)


def test_les_tableaux_de_bord_font_autant_de_requetes_quel_que_soit_le_nombre_de_fiches(w, client):
    client.force_login(w["national"])
    urls = ["/tableaux/", "/tableaux/?phase=2", "/tableaux/deploiement/"]
    avant = {url: _requetes(client, url) for url in urls}
    _plus_de_donnees(w, 6)
    assert FicheAction.objects.count() > 20
    apres = {url: _requetes(client, url) for url in urls}
    assert apres == avant
    for url, n in apres.items():
        assert n <= AU_DELA.get(url.split("?")[0], MAX_REQUETES), (url, n)
