"""The demo's money: commitments and payments on the granted lines of both phases, entered by
the funders' personas, with work left waiting; loaded once."""

import pytest

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
    # Each line « payée » is paid in full, its last payment on its payment date.
    for li in selectors.annoter(demo.filter(statut="paye")):
        assert li.paye == li.montant == li.engage and li.dernier_paiement == li.paye_le
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
