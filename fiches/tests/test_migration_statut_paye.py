"""The migration that retires the status « payé »: each paid line becomes « accordé » with one
commitment and one payment of its amount, signed by whoever recorded its payment."""

from datetime import date
from decimal import Decimal

import pytest
from django.core.management import call_command
from django.db import connection
from django.db.migrations.executor import MigrationExecutor

from comptes.models import Utilisateur
from fiches.enums import StatutLigne
from fiches.models import LigneFinancement
from financements.models import Engagement, Paiement

from .fabriques import equipe, fiche

AVANT = [("fiches", "0003_priorites_phase_2_et_demande_simplification")]
APRES = [("fiches", "0004_ligne_payee_devient_paiements")]


def _migrer(cible):
    executor = MigrationExecutor(connection)
    executor.migrate(cible)
    return executor.loader.project_state(cible).apps


@pytest.fixture
def donnees(shipped_data, restore_shipped_data):
    # A transactional test: its flush must not take the shipped map from later tests.
    shipped_data.restore()


@pytest.mark.django_db(transaction=True)
def test_chaque_ligne_payee_devient_accordee_avec_son_engagement_et_son_paiement(donnees):
    p = equipe()
    f = fiche(p["chef"])
    bpi = f.lignes.get(financeur__nom="Bpifrance")
    autre = f.lignes.exclude(pk=bpi.pk).get()
    LigneFinancement.objects.filter(pk__in=[bpi.pk, autre.pk]).update(
        statut=StatutLigne.ACCORDE, decide_le=date(2025, 3, 1)
    )
    admin = Utilisateur.objects.create_superuser("admin@exemple.fr", "mdp-de-test-long-1")
    try:
        anciennes = _migrer(AVANT)
        Ligne = anciennes.get_model("fiches", "LigneFinancement")
        Ligne.objects.filter(pk__in=[bpi.pk, autre.pk]).update(
            statut="paye", paye_le=date(2025, 6, 30)
        )
        # The payment of the Bpifrance line was recorded by its funder.
        anciennes.get_model("fiches", "Transition").objects.create(
            fiche_id=f.pk,
            action="ligne_paye",
            etat_avant=f.etat,
            etat_apres=f.etat,
            par_id=p["bpi"].pk,
            date_effet=date(2025, 6, 30),
            motif=f"{bpi.financeur.nom} : ligne payée",
        )
        _migrer(APRES)
    finally:
        call_command("migrate", verbosity=0)  # whatever happens, the schema of the code
    for ligne, signataire in ((bpi, p["bpi"]), (autre, admin)):
        ligne.refresh_from_db()
        assert ligne.statut == StatutLigne.ACCORDE
        e = Engagement.objects.get(ligne=ligne)
        assert (e.date, e.montant, e.convention, e.par) == (
            date(2025, 3, 1),
            ligne.montant,
            "Reprise du statut « payé »",
            signataire,
        )
        [pa] = Paiement.objects.filter(engagement=e)
        assert (pa.date, pa.montant, pa.par) == (date(2025, 6, 30), ligne.montant, signataire)
    assert (
        Paiement.objects.count() == 2
        and sum(Paiement.objects.values_list("montant", flat=True), Decimal("0"))
        == bpi.montant + autre.montant
    )
