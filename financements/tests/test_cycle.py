"""Every euro of a granted line: commitments, payments, reductions and cancellations, each
rule refused with its French message and nothing written (financements.cycle)."""

from datetime import timedelta

import pytest
from django.core.exceptions import PermissionDenied

from comptes.enums import Role
from fiches import cycle as cycle_fiches
from fiches.enums import Avis
from fiches.tests.fabriques import bdt, fiche
from financements import cycle, selectors
from financements.models import Ajustement, Engagement, Paiement

from .fabriques import MONTANT_PUBLIC, D, J, accordee, jour, personne, refuse

pytestmark = pytest.mark.django_db


def _rien_ecrit():
    return not (
        Engagement.objects.exists() or Paiement.objects.exists() or Ajustement.objects.exists()
    )


def test_engager_payer_reduire_puis_annuler_chaque_euro_se_retrouve():
    p = accordee()
    ligne = p["publique"]  # 43 210 € accordés
    e = cycle.engager(
        user=p["bpi"],
        ligne=ligne,
        montant=D("40000"),
        convention="Convention 2024-17",
        reference="1300012345",
        date=jour(50),
    )
    assert (e.par, e.date) == (p["bpi"], jour(50))
    cycle.payer(user=p["bpi"], engagement=e, montant=D("12000.50"), date=jour(60))
    cycle.payer(user=p["bpi"], engagement=e, montant=D("8000"), date=jour(90), reference="P-2")
    cycle.reduire(user=p["bpi"], engagement=e, montant=D("5000"), date=jour(95), motif="Devis")
    a = selectors.argent(ligne)
    assert (a.accorde, a.engage, a.paye, a.reste) == (
        MONTANT_PUBLIC,
        D("35000"),
        D("20000.50"),
        D("14999.50"),
    )
    assert (a.engage_le, a.premier_paiement, a.dernier_paiement) == (jour(50), jour(60), jour(90))
    assert a.a_engager == MONTANT_PUBLIC - D("35000")
    annulation = cycle.annuler(user=p["bpi"], engagement=e, date=jour(100), motif="Abandon")
    assert annulation.montant == D("14999.50")  # all that was not paid
    a = selectors.argent(ligne)
    assert (a.engage, a.paye, a.reste) == (D("20000.50"), D("20000.50"), D("0"))


def test_seul_le_financeur_de_la_ligne_enregistre_son_argent():
    p = accordee()
    autre_operateur = personne(
        "bdt84@exemple.fr", Role.REFERENT_OPERATEUR, organisation=bdt(), region_id="84"
    )
    for intrus in (p["chef"], p["pilote"], p["national"], autre_operateur):
        with refuse("Seul le financeur de cette ligne", PermissionDenied):
            cycle.engager(
                user=intrus, ligne=p["publique"], montant=D("10"), convention="C", date=jour(50)
            )
    assert _rien_ecrit()
    e = cycle.engager(
        user=p["bpi"], ligne=p["publique"], montant=D("10"), convention="C", date=jour(50)
    )
    with pytest.raises(PermissionDenied):
        cycle.payer(user=p["chef"], engagement=e, montant=D("5"), date=jour(60))
    with pytest.raises(PermissionDenied):
        cycle.annuler(user=autre_operateur, engagement=e, date=jour(60), motif="Non")
    assert not Paiement.objects.exists() and not Ajustement.objects.exists()


def test_une_ligne_non_accordee_ou_une_fiche_non_retenue_ne_s_engage_pas():
    p = accordee()
    f = fiche(p["chef"])  # a draft: its lines are only asked for
    ligne = f.lignes.get(financeur__nom="Bpifrance")
    with refuse("La ligne n'est pas accordée"):
        cycle.engager(user=p["bpi"], ligne=ligne, montant=D("10"), convention="C", date=J)
    # Granted during the instruction, but the fiche is not retained yet.
    cycle_fiches.appliquer(user=p["chef"], fiche=f, mouvement="soumettre", date_effet=jour(0))
    cycle_fiches.appliquer(
        user=p["chef"],
        fiche=f,
        mouvement="avis_local",
        avis=Avis.FAVORABLE,
        date_effet=jour(10),
        decision_texte="Comité local",
    )
    cycle_fiches.appliquer(
        user=p["pilote"],
        fiche=f,
        mouvement="avis_copil",
        avis=Avis.FAVORABLE,
        date_effet=jour(20),
        decision_texte="COPIL",
    )
    cycle_fiches.decider_ligne(user=p["bpi"], ligne=ligne, statut="accorde", date_effet=jour(30))
    with refuse("une fois la fiche retenue"):
        cycle.engager(user=p["bpi"], ligne=ligne, montant=D("10"), convention="C", date=J)
    assert _rien_ecrit()


def test_l_engagement_net_ne_depasse_jamais_le_montant_accorde():
    p = accordee()
    ligne = p["publique"]
    with refuse("dépasserait le montant accordé"):
        cycle.engager(
            user=p["bpi"], ligne=ligne, montant=D("43210.01"), convention="C", date=jour(50)
        )
    e = cycle.engager(user=p["bpi"], ligne=ligne, montant=D("40000"), convention="C", date=J)
    with refuse("3\u202f210 € au plus à engager"):
        cycle.engager(user=p["bpi"], ligne=ligne, montant=D("3210.01"), convention="C2", date=J)
    # A reduction frees what it takes off: it can be committed again.
    cycle.reduire(user=p["bpi"], engagement=e, montant=D("1000"), date=J, motif="Révision")
    cycle.engager(user=p["bpi"], ligne=ligne, montant=D("4210"), convention="C2", date=J)
    assert selectors.argent(ligne).engage == MONTANT_PUBLIC


def test_deux_paiements_qui_ensemble_depassent_l_engagement_le_second_est_refuse():
    p = accordee()
    e = cycle.engager(
        user=p["bpi"], ligne=p["publique"], montant=D("10000"), convention="C", date=jour(50)
    )
    # Two funders' clerks enter the same 6 000 € invoice: the sums are read under the lock.
    cycle.payer(user=p["bpi"], engagement=e, montant=D("6000"), date=jour(60))
    with refuse("4\u202f000 € au plus à payer"):
        cycle.payer(user=p["bpi"], engagement=e, montant=D("6000"), date=jour(60))
    assert selectors.argent(p["publique"]).paye == D("6000")
    cycle.payer(user=p["bpi"], engagement=e, montant=D("4000"), date=jour(61))
    with refuse("Rien ne reste à payer"):
        cycle.payer(user=p["bpi"], engagement=e, montant=D("0.01"), date=jour(62))


def test_dates_ni_futures_ni_avant_la_decision_ni_avant_l_engagement():
    p = accordee()
    ligne = p["publique"]
    with refuse("ne peut pas être dans le futur"):
        cycle.engager(
            user=p["bpi"], ligne=ligne, montant=D("10"), convention="C", date=J + timedelta(1)
        )
    with refuse("précède la décision du financeur"):
        cycle.engager(user=p["bpi"], ligne=ligne, montant=D("10"), convention="C", date=jour(29))
    assert _rien_ecrit()
    e = cycle.engager(user=p["bpi"], ligne=ligne, montant=D("10"), convention="C", date=jour(30))
    with refuse("précède son engagement"):
        cycle.payer(user=p["bpi"], engagement=e, montant=D("5"), date=jour(29))
    with refuse("ne peut pas être dans le futur"):
        cycle.payer(user=p["bpi"], engagement=e, montant=D("5"), date=J + timedelta(1))
    with refuse("précède son engagement"):
        cycle.reduire(user=p["bpi"], engagement=e, montant=D("5"), date=jour(29), motif="M")
    assert not Paiement.objects.exists() and not Ajustement.objects.exists()


def test_une_reduction_ne_descend_pas_sous_ce_qui_est_paye_et_a_un_motif():
    p = accordee()
    e = cycle.engager(
        user=p["bpi"], ligne=p["publique"], montant=D("10000"), convention="C", date=jour(50)
    )
    cycle.payer(user=p["bpi"], engagement=e, montant=D("7000"), date=jour(60))
    with refuse("sous ce qui est déjà payé"):
        cycle.reduire(user=p["bpi"], engagement=e, montant=D("3000.01"), date=J, motif="Moins")
    with refuse("ne peut pas être vide"):
        cycle.reduire(user=p["bpi"], engagement=e, montant=D("1000"), date=J, motif="  ")
    with refuse("supérieur à zéro"):
        cycle.reduire(user=p["bpi"], engagement=e, montant=D("0"), date=J, motif="Rien")
    assert not Ajustement.objects.exists()
    cycle.annuler(user=p["bpi"], engagement=e, date=J, motif="Fin du projet")
    with refuse("soldé ou annulé"):
        cycle.annuler(user=p["bpi"], engagement=e, date=J, motif="Encore")
    with refuse("soldé ou annulé"):
        cycle.payer(user=p["bpi"], engagement=e, montant=D("1"), date=J)
    assert selectors.argent(p["publique"]).reste == 0


def test_montant_nul_convention_absente_et_reference_en_double_sont_refuses():
    p = accordee()
    ligne = p["publique"]
    with refuse("supérieur à zéro"):
        cycle.engager(user=p["bpi"], ligne=ligne, montant=D("0"), convention="C", date=J)
    with refuse("ne peut pas être vide"):
        cycle.engager(user=p["bpi"], ligne=ligne, montant=D("10"), convention=" ", date=J)
    with refuse("pas plus de 2 chiffres après la virgule"):
        cycle.engager(user=p["bpi"], ligne=ligne, montant=D("10.001"), convention="C", date=J)
    assert _rien_ecrit()
    e = cycle.engager(
        user=p["bpi"], ligne=ligne, montant=D("100"), convention="C", reference="EJ1", date=J
    )
    with refuse("déjà enregistré", cycle.Doublon):
        cycle.engager(
            user=p["bpi"], ligne=ligne, montant=D("10"), convention="C", reference="EJ1", date=J
        )
    cycle.payer(user=p["bpi"], engagement=e, montant=D("10"), reference="P1", date=J)
    with refuse("déjà enregistré", cycle.Doublon):
        cycle.payer(user=p["bpi"], engagement=e, montant=D("10"), reference="P1", date=J)
    assert Engagement.objects.count() == 1 and Paiement.objects.count() == 1


def test_l_argent_n_ecrit_aucune_transition_de_la_fiche():
    """docs/adr/0012: the money rows are the record; the fiche's path keeps its own moves, so
    a later move dated before a payment is not refused because of it."""
    p = accordee()
    avant = p["fiche"].transitions.count()
    e = cycle.engager(user=p["bpi"], ligne=p["publique"], montant=D("100"), convention="C", date=J)
    cycle.payer(user=p["bpi"], engagement=e, montant=D("10"), date=J)
    assert p["fiche"].transitions.count() == avant
