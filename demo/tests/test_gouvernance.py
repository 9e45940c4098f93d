"""The demo governance loads on top of the demo fiches, without moving them, and only once."""

import pytest

from demo.gouvernance import load_gouvernance
from gouvernance.enums import EtatDemande
from gouvernance.models import Comite, DecisionReunion, DemandePerimetre, Reunion, VersionCarte

pytestmark = pytest.mark.django_db


def test_la_demonstration_de_gouvernance_ne_deplace_aucune_fiche_et_se_charge_une_fois():
    from demo.loader import load_demo

    load_demo()
    from django.apps import apps

    FicheAction = apps.get_model("fiches", "FicheAction")
    etats = dict(FicheAction.objects.values_list("pk", "etat"))
    out = load_gouvernance()
    assert dict(FicheAction.objects.values_list("pk", "etat")) == etats
    assert Comite.objects.filter(demo=True, territoire__code__in=["8401", "8408"]).count() == 2
    assert Comite.objects.filter(demo=True, type="copil_regional", region_id="84").exists()
    reunions = Reunion.objects.filter(demo=True)
    assert reunions.filter(debut__year=2019).exists() and reunions.filter(debut__year=2020).exists()
    assert reunions.filter(points__fiche__isnull=False).exists()
    assert DecisionReunion.objects.filter(reunion__demo=True).exists()
    assert DemandePerimetre.objects.get(demo=True).etat == EtatDemande.DEPOSEE
    assert VersionCarte.objects.filter(demo=True).count() == 1
    assert load_gouvernance() == ["Gouvernance de démonstration déjà présente."]
    assert out
