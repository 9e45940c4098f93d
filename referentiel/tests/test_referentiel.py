import pytest
from django.core.management import call_command
from django.db.models import F

from referentiel.importer import importer
from referentiel.models import EPCI, AncienCode, Commune, Contour, Region
from referentiel.validators import is_valid_insee_commune, is_valid_siren

pytestmark = pytest.mark.django_db


def test_siren_valide_selon_la_cle_de_luhn():
    assert is_valid_siren("200054781")  # Métropole du Grand Paris
    assert not is_valid_siren("200054782")
    assert not is_valid_siren("20005478")
    assert not is_valid_siren("2000547A1")


def test_code_insee_de_commune_corse_et_continent():
    assert is_valid_insee_commune("2A004")
    assert is_valid_insee_commune("07010")
    assert not is_valid_insee_commune("7010")
    assert not is_valid_insee_commune("2C004")


def test_referentiel_charge_regions_epci_ept_communes():
    assert Region.objects.filter(code="84", nom="Auvergne-Rhône-Alpes").exists()
    assert EPCI.objects.filter(nature="EPT").count() == 11
    ept = EPCI.objects.filter(nature="EPT").first()
    assert ept.parent_id == "200054781"
    assert Commune.objects.count() > 34000
    assert all(is_valid_siren(s) for s in EPCI.objects.values_list("siren", flat=True))
    # Saint-Denis belongs to the Métropole du Grand Paris and to its EPT Plaine Commune.
    st_denis = Commune.objects.get(code="93066")
    assert st_denis.epci_id == "200054781"
    assert st_denis.ept.nature == "EPT" and "Plaine Commune" in st_denis.ept.nom


def test_anciens_codes_des_communes_fusionnees():
    assert AncienCode.objects.count() > 1000
    # Every former code points to a current commune that is not itself that code.
    assert not AncienCode.objects.filter(commune__code=F("code")).exists()


def test_contours_des_epci_departements_regions():
    assert Contour.objects.filter(niveau="region").count() >= 13
    assert Contour.objects.filter(niveau="departement").count() >= 96
    assert Contour.objects.filter(niveau="epci").count() > 1200


def test_import_du_referentiel_idempotent():
    rapport = importer()
    assert rapport.inchange, rapport.lignes_texte()


def test_import_du_referentiel_en_simulation_ne_change_rien():
    Region.objects.filter(code="84").update(nom="Nom modifié")
    rapport = importer(dry_run=True)
    assert rapport.modifies["Régions"] == 1
    assert Region.objects.get(code="84").nom == "Nom modifié"
    importer()
    assert Region.objects.get(code="84").nom == "Auvergne-Rhône-Alpes"


def test_commande_import_referentiel_affiche_un_rapport(capsys):
    call_command("import_referentiel", "--dry-run")
    out = capsys.readouterr().out
    assert "Aucun changement" in out and "Simulation" in out


def test_chaque_commune_garde_son_siren_qui_la_nomme_dans_les_groupements_de_l_anct():
    # ANCT names Cercy-la-Tour by its SIREN in the September 2024 list of ti-2707.
    assert Commune.objects.get(code="58046").siren == "215800467"
    assert not Commune.objects.filter(siren__isnull=True).exists()
    assert all(is_valid_siren(s) for s in Commune.objects.values_list("siren", flat=True))
