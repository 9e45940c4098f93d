"""The tracking table of the deployment: every territory, filtered, sorted by any column (the
headers say how, with aria-sort), exported as shown."""

from __future__ import annotations

import pytest
from lxml import html as lxml_html

from comptes.enums import Role
from comptes.tests.fabriques import personne
from contrats.tests.fabriques import contrat_pret
from fiches.tests.fabriques import territoires_phase_2
from territoires.models import Territoire

from .outils import lire_csv, lire_xlsx, programme, tableau_html

pytestmark = pytest.mark.django_db
URL = "/tableaux/deploiement/"


@pytest.fixture
def p(client):
    p = programme()
    client.force_login(p["national"])
    return p


def _page(client, **params):
    page = client.get(URL, params).content.decode()
    return page, *tableau_html(page, "deploiement")


def test_toute_personne_connectee_voit_le_suivi_sans_les_projets_des_autres(client, p):
    client.force_login(p["sans_role"])
    page, entetes, lignes = _page(client, phase=1)
    assert len(lignes) == 148
    assert entetes[0] == "Territoire" and entetes[-1] == "Manque"
    # Nobody's draft shows outside its territory's scope: all phase-1 contracts are « — ».
    assert {ligne[entetes.index("Contrat")] for ligne in lignes} == {"—"}


def test_les_filtres_region_pilote_et_retard(client, p):
    _, entetes, lignes = _page(client, phase=1, region="84")
    assert len(lignes) == 20
    assert all("Auvergne-Rhône-Alpes" in ligne[entetes.index("Régions")] for ligne in lignes)
    Territoire.objects.filter(phase_id=1, code="8408").update(pilote=True)
    _, _, pilotes = _page(client, phase=1, region="84", pilote="on")
    assert [ligne[0].split()[0] for ligne in pilotes] == ["8408"]
    _, _, en_retard = _page(client, phase=1, region="84", en_retard="on")
    assert len(en_retard) == 20  # nothing is signed in this programme


def test_le_filtre_des_territoires_sans_chef_de_projet_dedie(client, p):
    un, _ = territoires_phase_2()
    personne("chef.un@exemple.fr", Role.CHEF_PROJET, territoire=un)
    page, entetes, lignes = _page(client, phase=2, sans_chef_projet="on")
    assert len(lignes) == 182
    assert f"{un.code} {un.nom}" not in [ligne[0] for ligne in lignes]
    assert {ligne[entetes.index("Chef de projet")] for ligne in lignes} == {"à désigner"}
    assert "182 territoires sur 183" in page
    # Phase 1 did not require one.
    _, _, lignes = _page(client, phase=1, sans_chef_projet="on")
    assert lignes == []


def test_le_filtre_par_etat_du_contrat(client, p):
    contrat_pret(p, fiches=[p["retenue"]])
    _, entetes, lignes = _page(client, phase=1, region="84", contrat="aucun")
    assert len(lignes) == 19
    assert "8401 Ardèche Drome" not in [ligne[0] for ligne in lignes]
    # A contract in preparation, seen by the national staff...
    _, _, lignes = _page(client, phase=1, region="84", contrat="brouillon")
    assert [(ligne[0], ligne[entetes.index("Contrat")]) for ligne in lignes] == [
        ("8401 Ardèche Drome", "Projet en préparation")
    ]
    # ... is no contract for someone outside the territory.
    client.force_login(p["chef8408"])
    _, _, lignes = _page(client, phase=1, region="84", contrat="brouillon")
    assert lignes == []
    _, _, lignes = _page(client, phase=1, region="84", contrat="signe")
    assert lignes == []


def test_trier_par_une_colonne_puis_dans_l_autre_sens(client, p):
    page, entetes, lignes = _page(client, phase=1, region="84", tri="fiches_retenues", ordre="desc")
    col = entetes.index("Fiches retenues")
    assert lignes[0][0].startswith("8401") and lignes[0][col] == "1"
    assert [int(ligne[col]) for ligne in lignes] == sorted(
        (int(ligne[col]) for ligne in lignes), reverse=True
    )
    # Ties stay in code order.
    autres = [ligne[0].split()[0] for ligne in lignes[1:]]
    assert autres == sorted(autres)
    doc = lxml_html.fromstring(page)
    entetes_html = doc.xpath("//table[@id='table-deploiement']/thead/tr/th")
    assert [th.get("aria-sort") for th in entetes_html if th.get("aria-sort")] == ["descending"]
    lien = entetes_html[col].xpath("./a")[0].get("href")
    assert "tri=fiches_retenues" in lien and "ordre=asc" in lien and "region=84" in lien
    # Another column: ascending first.
    autre = entetes_html[entetes.index("Contrat")].xpath("./a")[0].get("href")
    assert "tri=contrat" in autre and "ordre=asc" in autre
    _, _, croissant = _page(client, phase=1, region="84", tri="fiches_retenues", ordre="asc")
    assert croissant[-1][0].startswith("8401")


def test_l_export_est_le_tableau_filtre_et_trie(client, p):
    params = {"phase": 1, "region": "84", "tri": "fiches_retenues", "ordre": "desc"}
    page, entetes, lignes = _page(client, **params)
    liens = lxml_html.fromstring(page).xpath("//a[@download]")
    csv_ = lire_csv(client.get(URL + liens[0].get("href")).content)
    xlsx = lire_xlsx(client.get(URL + liens[1].get("href")).content)
    assert csv_[0] == entetes == xlsx[0]
    assert [r[0] for r in csv_[1:]] == [ligne[0] for ligne in lignes]
    assert [r[0] for r in xlsx[1:]] == [ligne[0] for ligne in lignes]
    col = entetes.index("Fiches retenues")
    assert [r[col] for r in xlsx[1:3]] == [1, 0]  # numbers stay numbers


def test_un_filtre_invalide_est_ignore_seul(client, p):
    _, _, lignes = _page(client, phase=1, region="zz", tri="inconnu", ordre="n'importe")
    assert len(lignes) == 148
