"""The benchmark's generator (not timed): at a small scale, the rows it writes hold what the
services would hold, so that the benchmark's pages read a plausible programme."""

from collections import defaultdict
from decimal import Decimal

import pytest
from django.db.models import Sum

from bench.generateur import REFERENCE, generer
from fiches.enums import FINANCEES, INSCRITES

pytestmark = pytest.mark.django_db


def test_le_generateur_produit_un_jeu_coherent():
    """One dataset (generating takes a while), every rule checked on it."""
    jeu = generer(0.01, sortie=lambda *_: None)
    chaque_sorte_de_lignes(jeu)
    chaque_fiche_suit_son_parcours_dans_l_ordre_des_dates()
    les_lignes_sont_decidees_avant_que_la_fiche_soit_retenue()
    l_argent_ne_depasse_jamais_ce_qui_est_accorde_puis_engage()
    une_fiche_inscrite_est_annexee_a_un_document_signe_avant()
    les_fiches_d_une_entreprise_gardent_leurs_montants_secrets()
    chaque_fiche_est_cherchable_et_indexee()


def chaque_sorte_de_lignes(jeu):
    for sorte in (
        "fiches",
        "lignes",
        "mouvements",
        "comptes",
        "reunions",
        "engagements",
        "paiements",
        "journal",
        "contrats",
    ):
        assert jeu[sorte] > 0, sorte
    assert jeu["fiches"] == 200
    assert jeu["journal"] == 5000


def chaque_fiche_suit_son_parcours_dans_l_ordre_des_dates():
    from fiches.models import FicheAction, Transition

    etats = dict(FicheAction.objects.values_list("pk", "etat"))
    par_fiche = defaultdict(list)
    for t in Transition.objects.order_by("le", "id"):
        par_fiche[t.fiche_id].append(t)
    for pk, etat in etats.items():
        courant, jour = "brouillon", None
        for t in par_fiche[pk]:
            assert t.etat_avant == courant, (pk, t.action)
            assert jour is None or t.date_effet >= jour
            assert t.date_effet <= REFERENCE
            if t.action.startswith("avis_"):
                assert t.decision_id is not None and t.decision.date == t.date_effet
            courant, jour = t.etat_apres, t.date_effet
        assert courant == etat, pk
    assert set(etats.values()) >= {"brouillon", "instruction", "inscrite"}


def les_lignes_sont_decidees_avant_que_la_fiche_soit_retenue():
    from fiches.models import LigneFinancement

    for ligne in LigneFinancement.objects.select_related("fiche"):
        if ligne.fiche.etat in FINANCEES:
            assert ligne.statut in ("accorde", "refuse")
        if ligne.statut != "demande":
            assert ligne.demande_le <= ligne.decide_le <= REFERENCE
        if not ligne.fiche.transitions.exists():
            # Never submitted: no request date (a fiche sent back to its bearer keeps it).
            assert ligne.demande_le is None


def l_argent_ne_depasse_jamais_ce_qui_est_accorde_puis_engage():
    from financements.models import Engagement

    for e in Engagement.objects.select_related("ligne__fiche"):
        assert e.ligne.statut == "accorde" and e.ligne.fiche.etat in FINANCEES
        assert Decimal(0) < e.montant <= e.ligne.montant
        assert e.ligne.decide_le <= e.date <= REFERENCE
        paye = e.paiements.aggregate(s=Sum("montant"))["s"] or Decimal(0)
        assert paye <= e.montant
        assert all(e.date <= p.date <= REFERENCE for p in e.paiements.all())


def une_fiche_inscrite_est_annexee_a_un_document_signe_avant():
    from contrats.models import FicheAnnexee
    from fiches.models import FicheAction

    for f in FicheAction.objects.filter(etat__in=INSCRITES):
        annexe = FicheAnnexee.objects.select_related("contrat", "avenant").get(fiche=f)
        signe = (annexe.avenant or annexe.contrat).date_signature
        assert f.transitions.get(action="inscrire").date_effet == signe
    assert not FicheAnnexee.objects.exclude(fiche__etat__in=INSCRITES).exists()


def les_fiches_d_une_entreprise_gardent_leurs_montants_secrets():
    from fiches.models import FicheAction, LigneFinancement

    firmes = FicheAction.objects.filter(porteur__type="entreprise")
    assert firmes.exists()
    assert all(f.champs_secrets == ["cout_total", "description"] for f in firmes)
    assert all(
        x.champs_secrets == ["montant"]
        for x in LigneFinancement.objects.filter(fiche__porteur__type="entreprise")
    )
    assert (
        not FicheAction.objects.exclude(porteur__type="entreprise")
        .exclude(champs_secrets=[])
        .exists()
    )


def chaque_fiche_est_cherchable_et_indexee():
    """Bulk inserts skip the saves: the search text and the similar fiches' index are built."""
    from fiches.models import FicheAction, TermeFiche

    assert not FicheAction.objects.filter(texte_recherche="").exists()
    assert TermeFiche.objects.values("fiche_id").distinct().count() == 200
