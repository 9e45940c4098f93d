"""What `make run` loads in demo mode, as a visitor of the demo would see it."""

import pytest

from demo.loader import load_demo
from fiches.controles import controler
from fiches.enums import Etat
from fiches.models import FicheAction, LigneFinancement
from mesures.enums import Axe

pytestmark = pytest.mark.django_db


def test_demo_douze_fiches_par_territoire_sur_les_quatre_axes_et_toutes_les_etapes():
    load_demo()
    for code in ("8401", "8408"):
        fiches = FicheAction.objects.filter(territoire__code=code, demo=True)
        assert fiches.count() == 12
        assert set(fiches.values_list("axe", flat=True)) == set(Axe.values)
        assert set(fiches.values_list("etat", flat=True)) == set(Etat.values)
    assert LigneFinancement.objects.filter(fiche__demo=True).exclude(champs_secrets=[]).exists()
    codes = {c.code for f in FicheAction.objects.filter(demo=True) for c in controler(f)}
    assert {"de_minimis", "taux_mesure"} <= codes


def test_demo_idempotente():
    load_demo()
    n = FicheAction.objects.count()
    assert "Fiches de démonstration déjà présentes." in load_demo()
    assert FicheAction.objects.count() == n
