"""The instruction clock to the day: medians and slowest tenth per level, targets, the lines
past target and the fiches waiting longest, with whom they wait on (suivi.delais)."""

from datetime import date

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from comptes.services import ConflitEdition
from mesures.models import Mesure
from suivi import delais, services
from suivi.delais import percentile_90
from suivi.models import CibleDelai

from .programme import construire

pytestmark = pytest.mark.django_db
JOUR = date(2025, 6, 10)


@pytest.fixture
def w():
    return construire()


def stats(lignes, cle_libelle, etape):
    s = {r.libelle: r.etapes[etape] for r in lignes}[cle_libelle]
    return (s.n, s.mediane, s.p90, s.hors_cible)


def cibles(w):
    services.enregistrer_cible(
        user=w["national"],
        donnees={"jours_decision": 60, "jours_engagement": 30, "jours_paiement": 25},
    )
    services.enregistrer_cible(
        user=w["national"],
        financeur=w["bdt"],
        donnees={"jours_decision": "100", "source": "Engagement de l'opérateur"},
    )


def test_percentile_90_au_rang_le_plus_proche():
    assert percentile_90([]) is None
    assert percentile_90([5]) == 5
    assert percentile_90(list(range(1, 11))) == 9
    assert percentile_90(list(range(1, 12))) == 10


def test_delais_au_jour_par_financeur_region_et_periode(w):
    cibles(w)
    u = w["national"]
    [tout] = delais.delais(u)
    # Request → decision: A 59, B 90, C 30 and 46 (refused), E 106 days.
    assert (tout.etapes["decision"].n, tout.etapes["decision"].mediane) == (5, 59.0)
    assert tout.etapes["decision"].p90 == 106
    financeurs = delais.delais(u, "financeur")
    assert stats(financeurs, "Bpifrance", "decision") == (2, 44.5, 59, 0)
    assert stats(financeurs, "Banque des territoires", "decision") == (3, 90.0, 106, 1)
    # Decision → commitment: A 30, C 40 (target 30: late); E 30.
    assert stats(financeurs, "Bpifrance", "engagement") == (2, 35.0, 40, 1)
    # Commitment → first payment: A 30 (target 25: late), C 20; E 30 (late).
    assert stats(financeurs, "Bpifrance", "paiement") == (2, 25.0, 30, 1)
    assert stats(financeurs, "Banque des territoires", "paiement") == (1, 30.0, 30, 1)
    # First → last payment: A 60 days; C and E paid once.
    assert stats(financeurs, "Bpifrance", "solde") == (2, 30.0, 60, 0)
    regions = delais.delais(u, "region")
    assert stats(regions, "Auvergne-Rhône-Alpes", "decision") == (4, 52.5, 90, 0)
    assert stats(regions, "Bourgogne-Franche-Comté", "decision") == (1, 106.0, 106, 1)
    # A period groups a step by the date it ended.
    trimestres = delais.delais(u, "trimestre")
    assert stats(trimestres, "T4 2024", "decision") == (2, 38.0, 46, 0)
    assert stats(trimestres, "T1 2025", "decision") == (2, 82.5, 106, 1)
    assert stats(trimestres, "T2 2025", "decision") == (1, 90.0, 90, 0)
    premier_trimestre = delais.delais(u, debut=date(2025, 1, 1), fin=date(2025, 3, 31))
    assert premier_trimestre[0].etapes["decision"].n == 2
    assert stats(
        delais.delais(u, "mesure", financeur=w["bdt"]), "Sans mesure du panier", "decision"
    ) == (
        3,
        90.0,
        106,
        1,
    )


def test_la_cible_d_une_mesure_passe_avant_celle_du_financeur(w):
    cibles(w)
    mesure = Mesure.objects.first()
    a = w["a"].lignes.get(financeur=w["bpi"])
    a.mesure = mesure
    a.save()
    services.enregistrer_cible(user=w["national"], mesure=mesure, donnees={"jours_decision": 50})
    # A: 59 days for a target of 50 (the measure's), not 60 (the default).
    assert stats(delais.delais(w["national"], "financeur"), "Bpifrance", "decision")[3] == 1


def test_lignes_en_retard_et_qui_elles_attendent(w):
    cibles(w)
    retards = delais.en_retard(w["national"], aujourdhui=JOUR)
    assert [(a.fiche_id, a.etape, a.jours, a.cible, a.retard, a.attend) for a in retards] == [
        # D: requested 03/03, in instruction: Bpifrance's decision, 99 days for 60.
        (w["d"].pk, "decision", 99, 60, 39, "Bpifrance"),
        # B: granted 02/05, not committed: 39 days for 30.
        (w["b"].pk, "engagement", 39, 30, 9, "Banque des territoires"),
    ]
    # G waits 21 days on its local committee, within Banque des territoires' 100: not late.
    assert delais.en_retard(w["pilote84"], aujourdhui=JOUR)[0].fiche_id == w["b"].pk
    assert len(delais.en_retard(w["pilote84"], aujourdhui=JOUR)) == 1  # D is not its région's
    assert delais.en_retard(w["national"], aujourdhui=date(2025, 5, 1)) == []
    # Phase 2 over (31/12/2027): its fiches wait on nobody any more.
    assert delais.en_retard(w["national"], aujourdhui=date(2028, 1, 2)) == []
    assert delais.plus_longues_attentes(w["national"], aujourdhui=date(2028, 1, 2)) == []


def test_les_fiches_qui_attendent_le_plus_longtemps(w):
    attentes = delais.plus_longues_attentes(w["national"], aujourdhui=JOUR)
    assert [(x.fiche.pk, x.jours, [(qui, j) for _, qui, _, j in x.attentes]) for x in attentes] == [
        (w["d"].pk, 99, [("Bpifrance", 99)]),
        (w["b"].pk, 39, [("Banque des territoires", 39)]),
        (w["g"].pk, 21, [("le comité de projet local du territoire", 21)]),
    ]
    # The team of ti-2704 sees its own fiche D only.
    assert [x.fiche.pk for x in delais.plus_longues_attentes(w["chef2704"], aujourdhui=JOUR)] == [
        w["d"].pk
    ]


def test_qui_fixe_les_cibles(w):
    with pytest.raises(PermissionDenied):
        services.enregistrer_cible(user=w["chef8401"], donnees={"jours_decision": 10})
    with pytest.raises(PermissionDenied):  # a pilot: not an operator's target
        services.enregistrer_cible(
            user=w["pilote84"], financeur=w["bpi"], donnees={"jours_decision": 10}
        )
    with pytest.raises(ValidationError, match="au moins un délai"):
        services.enregistrer_cible(user=w["national"], donnees={})
    with pytest.raises(ValidationError, match="entre 0 et 3650"):
        services.enregistrer_cible(user=w["national"], donnees={"jours_decision": "-3"})
    assert not CibleDelai.objects.exists()
    cibles(w)
    with pytest.raises(ValidationError, match="existe déjà"):
        services.enregistrer_cible(user=w["national"], donnees={"jours_decision": 10})


def test_deux_modifications_d_une_meme_version_la_seconde_est_refusee(w):
    cibles(w)
    cible = CibleDelai.objects.get(financeur=w["bdt"])
    services.enregistrer_cible(
        user=w["national"], cible=cible, version=1, donnees={"jours_decision": 90}
    )
    with pytest.raises(ConflitEdition):
        services.enregistrer_cible(
            user=w["national"], cible=cible, version=1, donnees={"jours_decision": 120}
        )
    cible.refresh_from_db()
    assert (cible.jours_decision, cible.version) == (90, 2)


def test_les_retards_du_programme_se_lisent_sans_personne_et_sur_toutes_les_lignes(w):
    cibles(w)
    # The daily command reads every line, whoever sees it: the same lines as the national
    # delegation, more than a Région's pilot, with the day each target fell.
    partout = delais.en_retard_dans_le_programme(aujourdhui=JOUR)
    assert partout == delais.en_retard(w["national"], aujourdhui=JOUR)
    assert len(partout) > len(delais.en_retard(w["pilote84"], aujourdhui=JOUR))
    assert [(a.etape, a.echeance) for a in partout] == [
        ("decision", date(2025, 5, 2)),  # requested 03/03, 60 days
        ("engagement", date(2025, 6, 1)),  # granted 02/05, 30 days
    ]


def test_delais_au_jour_par_territoire_priorite_phase_et_mesure(w):
    """Each step to the day at the levels the other test leaves: territory, priority, phase,
    and a measure of the basket shared by two funders' lines (A: Bpifrance, B: Banque des
    territoires)."""
    u = w["national"]
    mesure = Mesure.objects.first()
    for fiche, financeur in ((w["a"], w["bpi"]), (w["b"], w["bdt"])):
        fiche.lignes.filter(financeur=financeur).update(mesure=mesure)

    def par(niveau, etape):
        return {r.cle: stats([r], r.libelle, etape) for r in delais.delais(u, niveau)}

    # Request → decision: A 59, B 90 (ti-8401); C 30 and 46 (ti-8413); E 106 (ti-2704).
    assert par("territoire", "decision") == {
        w["t8401"].pk: (2, 74.5, 90, 0),
        w["t8413"].pk: (2, 38.0, 46, 0),
        w["t2704"].pk: (1, 106.0, 106, 0),
    }
    # Decision → commitment: A 30, C 40, E 30; commitment → first payment: A 30, C 20, E 30.
    assert par("territoire", "engagement") == {
        w["t8401"].pk: (1, 30.0, 30, 0),
        w["t8413"].pk: (1, 40.0, 40, 0),
        w["t2704"].pk: (1, 30.0, 30, 0),
    }
    assert par("territoire", "paiement")[w["t8413"].pk] == (1, 20.0, 20, 0)
    assert par("territoire", "solde")[w["t8401"].pk] == (1, 60.0, 60, 0)  # 09/05 → 08/07
    assert par("axe", "decision") == {
        "innovation": (1, 59.0, 59, 0),
        "transition": (1, 90.0, 90, 0),
        "competences": (2, 38.0, 46, 0),
        "foncier": (1, 106.0, 106, 0),
    }
    assert par("phase", "decision") == {2: (5, 59.0, 106, 0)}
    assert par("mesure", "decision") == {mesure.pk: (2, 74.5, 90, 0), None: (3, 46.0, 106, 0)}
    assert par("mesure", "engagement") == {mesure.pk: (1, 30.0, 30, 0), None: (2, 35.0, 40, 0)}
