"""Statistical secrecy of totals (comptes.secrets.totaliser): the one rule every total of a
secret figure goes through, and the Cache-Control of responses that carry secrets."""

from decimal import Decimal

import pytest

from comptes.enums import Role
from comptes.secrets import (
    MOTIF_DOMINANCE,
    MOTIF_SEUIL,
    Contribution,
    totaliser,
)
from comptes.selectors import agregats_entreprises

from .fabriques import entreprise, personne, territoire


def secret(unite, valeur):
    return Contribution(unite, valeur, secret=True, lisible=False)


def public(unite, valeur):
    return Contribution(unite, valeur, secret=False, lisible=True)


def test_moins_de_trois_entreprises_renseignees_les_vides_ne_comptent_pas():
    t = totaliser([secret("a", 7_391_573), secret("b", None), secret("c", None)])
    assert t.valeur is None and t.retenu
    assert t.motif == "secret statistique : moins de trois entreprises renseignées"
    assert t.renseignees == 1


def test_une_entreprise_au_dela_de_85_pour_cent_du_total():
    t = totaliser([secret("a", 3), secret("b", 4), secret("c", 48_613)])
    assert t.valeur is None
    assert t.motif == "secret statistique : une entreprise représente plus de 85 % du total"
    # 85 % exactly is not « more than 85 % ».
    assert totaliser([secret("a", 85), secret("b", 10), secret("c", 5)]).valeur == 100


def test_trois_entreprises_equilibrees_le_total_parait():
    t = totaliser([secret("a", 40), secret("b", 35), secret("c", 50), secret("d", None)])
    assert (t.valeur, t.motif, t.renseignees) == (125, "", 3)


def test_les_valeurs_d_une_meme_entreprise_s_additionnent_avant_la_regle():
    # Three lines, one firm: still one firm.
    lignes = [secret("a", Decimal("100")), secret("a", Decimal("200")), secret("a", 300)]
    assert totaliser(lignes).motif == MOTIF_SEUIL
    # Two firms but one of them twice: the dominance looks at each firm's sum.
    t = totaliser([secret("a", 50), secret("a", 50), secret("b", 5), secret("c", 5)])
    assert t.motif == MOTIF_DOMINANCE


def test_total_mixte_la_regle_porte_sur_la_part_secrete():
    # The public part is known: total minus it would give the one secret value.
    t = totaliser([public("x", 1_000_000), public("y", 2_000_000), secret("a", 7_391_573)])
    assert t.motif == MOTIF_SEUIL and t.valeur is None
    # Dominance inside the secret part, even if the whole total looks balanced.
    t = totaliser(
        [public("x", 9_000_000), secret("a", 10), secret("b", 10), secret("c", 1_000_000)]
    )
    assert t.motif == MOTIF_DOMINANCE
    # A secret part that passes the rule: the whole total is published.
    t = totaliser([public("x", 1000), secret("a", 40), secret("b", 35), secret("c", 50)])
    assert t.valeur == 1125 and not t.retenu


def test_qui_connait_chaque_valeur_voit_le_total_exact():
    lisibles = [Contribution("a", 7_391_573, secret=True, lisible=True)]
    assert totaliser(lisibles).valeur == 7_391_573
    # What one may read counts as known: it does not make the rest publishable.
    t = totaliser(
        [
            Contribution("a", 100, secret=True, lisible=True),
            Contribution("b", 100, secret=True, lisible=True),
            secret("c", 100),
        ]
    )
    assert t.motif == MOTIF_SEUIL


def test_rien_de_renseigne_rien_a_cacher():
    assert totaliser([public("x", None)]) == totaliser([])
    assert totaliser([]).valeur is None and not totaliser([]).retenu


@pytest.mark.django_db
def test_agregats_par_chiffre_et_selon_le_lecteur():
    # Three profiles, but only one turnover filled in: the « total » would be that firm's.
    entreprise("8401", 1, effectif=40, chiffre_affaires=7_391_573)
    entreprise("8401", 2, effectif=35, chiffre_affaires=None)
    entreprise("8401", 3, effectif=50, chiffre_affaires=None)
    t = territoire("8401")
    national = personne("national@exemple.fr", Role.NATIONAL)
    agg = agregats_entreprises(t, national)
    assert agg["entreprises"] == 3
    assert agg["effectif"].valeur == 125 and agg["effectif"].renseignees == 3
    assert agg["chiffre_affaires"].valeur is None
    assert agg["chiffre_affaires"].motif == MOTIF_SEUIL
    # The territory's team may read each firm's figures: the exact total.
    chef = personne("chef@exemple.fr", Role.CHEF_PROJET, territoire=t)
    assert agregats_entreprises(t, chef)["chiffre_affaires"].valeur == 7_391_573


@pytest.mark.django_db
def test_une_entreprise_qui_connait_son_chiffre_ne_deduit_pas_ceux_des_autres():
    firmes = [entreprise("8401", n, effectif=e) for n, e in ((1, 40), (2, 35), (3, 50))]
    dirigeant = personne("dirigeant@exemple.fr", organisation=firmes[0])
    # Its own 40 is known to it: the other two firms' sum would be left.
    assert agregats_entreprises(territoire("8401"), dirigeant)["effectif"].motif == MOTIF_SEUIL
