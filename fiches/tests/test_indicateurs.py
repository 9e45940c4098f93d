"""The fiches' indicators compared across territories (fiches.indicateurs)."""

from datetime import date
from decimal import Decimal

import pytest

from fiches import indicateurs
from fiches.models import FicheAction, Indicateur, ValeurIndicateur

from .fabriques import equipe, fiche

pytestmark = pytest.mark.django_db


def test_le_meme_indicateur_s_ecrit_de_plusieurs_facons():
    assert indicateurs.cle("Emplois créés", "emplois") == indicateurs.cle(
        " EMPLOIS  crees ", "Emplois"
    )
    assert indicateurs.cle("Emplois créés", "emplois") != indicateurs.cle("Emplois créés", "ETP")


def _indicateur(f, libelle, unite, cible, *mesures):
    i = Indicateur.objects.create(fiche=f, libelle=libelle, unite=unite, cible=cible)
    for jour, valeur in mesures:
        ValeurIndicateur.objects.create(indicateur=i, date=jour, valeur=valeur)
    return i


def test_cibles_et_dernieres_mesures_additionnees_par_territoire():
    p = equipe()
    a = fiche(p["chef"], titre="Atelier A")
    b = fiche(p["chef"], titre="Atelier B")
    c = fiche(p["chef8408"], code="8408", titre="Atelier C")
    _indicateur(a, "Emplois créés", "emplois", 10, (date(2022, 1, 1), 4), (date(2021, 1, 1), 9))
    _indicateur(b, "emplois crees", "Emplois", 30)  # no measurement yet
    _indicateur(c, "Emplois créés", "emplois", 20, (date(2023, 3, 1), 10))
    _indicateur(c, "Surface réhabilitée", "ha", None, (date(2023, 3, 1), 2))
    liste = indicateurs.comparer(FicheAction.objects.all())
    emplois = liste[0]  # the most used first
    assert (emplois.libelle, len(emplois.territoires), len(emplois.fiches)) == (
        "Emplois créés",
        2,
        3,
    )
    assert emplois.cible == 60 and emplois.mesure == 14 and emplois.mesure_le == date(2023, 3, 1)
    # Achievement over the indicators that have both: (4 + 10) / (10 + 20).
    assert emplois.atteinte == Decimal("46.7")
    t8401 = emplois.par_territoire[0]
    assert (t8401.code, t8401.cible, t8401.mesure, t8401.atteinte) == ("8401", 40, 4, 40)
    surface = liste[1]
    assert surface.cible is None and surface.atteinte is None and surface.mesure == 2


def test_un_taux_se_moyenne_au_lieu_de_s_additionner():
    p = equipe()
    a = fiche(p["chef"], titre="Atelier A")
    b = fiche(p["chef"], titre="Atelier B")
    _indicateur(a, "Part d'alternants", "%", 20, (date(2022, 1, 1), 10))
    _indicateur(b, "Part d'alternants", "%", 40, (date(2022, 1, 1), 30))
    (taux,) = indicateurs.comparer(FicheAction.objects.all())
    assert taux.cible == 30 and taux.mesure == 20 and taux.atteinte == Decimal("66.7")


def test_seulement_les_fiches_donnees():
    p = equipe()
    a = fiche(p["chef"], titre="Atelier A")
    b = fiche(p["chef8408"], code="8408", titre="Atelier C")
    _indicateur(a, "Emplois", "emplois", 10)
    _indicateur(b, "Emplois", "emplois", 10)
    (seul,) = indicateurs.comparer(FicheAction.objects.filter(territoire__code="8401"))
    assert [t.code for t in seul.par_territoire] == ["8401"]
