"""The demo's money: commitments and payments on the granted lines of both phases, entered by
the funders' personas, with work left waiting; loaded once."""

from datetime import date

import pytest
from django.db.models import F

from demo.financements import SOLDE
from demo.loader import load_demo
from fiches.models import LigneFinancement
from financements import selectors
from financements.models import Ajustement, Engagement, Paiement

pytestmark = pytest.mark.django_db


def test_la_demo_porte_engagements_et_paiements_et_laisse_du_travail_en_attente():
    load_demo()
    demo = LigneFinancement.objects.filter(fiche__demo=True)
    for phase in (1, 2):
        lignes = demo.filter(fiche__territoire__phase_id=phase)
        t = selectors.totaux(selectors.accordees(lignes))
        assert 0 < t.paye < t.engage < t.accorde, (phase, t)
    # Lines waiting for their commitment, commitments waiting for (the rest of) a payment.
    assert selectors.a_engager(demo).exists()
    a_payer = list(selectors.a_payer(demo))
    assert any(li.paye == 0 for li in a_payer) and any(li.paye > 0 for li in a_payer)
    # The lines the scenarios pay in full: no status « payé », their payments cover them,
    # the balance on the scenario's day (Vidalon's friche, phase 2: 2 December 2025).
    soldees = selectors.annoter(demo.filter(engagements__reference__startswith=SOLDE))
    assert soldees.count() >= 4 and not demo.filter(statut="paye").exists()
    for li in soldees:
        assert li.statut == "accorde" and li.paye == li.montant == li.engage
    vidalon = soldees.get(fiche__titre__startswith="Requalification de la friche industrielle")
    assert vidalon.dernier_paiement == date(2025, 12, 2)
    # Entered by the persona of each funder, never after the demo's last day.
    bpi = Engagement.objects.filter(ligne__financeur__nom="Bpifrance")
    assert {e.par.email for e in bpi} == {"bpifrance.ara@demo.ti"}
    assert Ajustement.objects.filter(nature="annulation").exists()
    assert max(Paiement.objects.values_list("date", flat=True)).year <= 2026


def test_la_monnaie_de_la_demo_se_charge_une_fois():
    load_demo()
    n = (Engagement.objects.count(), Paiement.objects.count())
    assert "Engagements et paiements de démonstration déjà présents." in load_demo()
    assert (Engagement.objects.count(), Paiement.objects.count()) == n


def test_le_tableau_national_de_la_demo_montre_l_argent_de_la_phase_en_vigueur(client):
    """Three firms of comparable size carry granted and paid lines: under statistical secrecy
    (at least three firms with a value, none above 85 %), the national delegation reads every
    phase-2 total, and the figures of the dashboard are numbers, not motifs."""
    from comptes.models import Utilisateur
    from suivi import chiffres

    load_demo()
    national = Utilisateur.objects.get(email="national@demo.ti")
    m = chiffres.montants(national, phase=2)
    for nom in ("demande", "accorde", "engage", "paye", "reste_a_payer"):
        total = getattr(m, nom)
        assert total.valeur and not total.motif, nom
    assert 0 < m.paye.valeur < m.engage.valeur <= m.accorde.valeur < m.demande.valeur
    firmes = (
        LigneFinancement.objects.filter(
            fiche__demo=True,
            fiche__territoire__phase_id=2,
            fiche__porteur__type="entreprise",
            engagements__paiements__isnull=False,
        )
        .exclude(financeur_id=F("fiche__porteur_id"))  # not their own money
        .values("fiche__porteur")
        .distinct()
    )
    assert firmes.count() >= 3
    client.force_login(national)
    page = client.get("/tableaux/?phase=2&figure=financements-montants&format=csv")
    assert "secret statistique" not in page.content.decode()
