"""The national consolidation: answers side by side, figures summed, exports; the indicators
compared across territories; each reader sees only what they may."""

import csv
import io
from decimal import Decimal

import pytest
from openpyxl import load_workbook

from evaluations import consolidation, indicateurs

from .fabriques import cadre, fiche_du_plan, gens, soumise

pytestmark = pytest.mark.django_db


@pytest.fixture
def p():
    p = gens()
    c = cadre(p["national"])
    fiche_du_plan(p, cible="20", mesure="7")
    fiche_du_plan(p, n=3, cible="5", inscrire=False)  # retained, not yet public
    fiche_du_plan(p, t=p["autre_t"], chef=p["chef_autre"], n=2, cible="10", mesure="3")
    p["ici"] = soumise(p, c, emplois="42")
    p["ailleurs"] = soumise(p, c, t=p["autre_t"], chef=p["chef_autre"], emplois="8")
    return p


def test_les_reponses_cote_a_cote_et_leur_ensemble(p):
    c = consolidation.consolider(p["national"], 2, "mi_parcours")
    t = c.reponses
    assert t.entetes == [
        "Section",
        "Question",
        "ti-8401 Ardèche Drôme Nord",
        "ti-8408 Lezoux – Thiers – Ambert – Montbrison",
        "Ensemble",
    ]
    lignes = {ligne[1]: ligne for ligne in t.lignes}
    assert lignes["La gouvernance associe-t-elle les industriels ?"][2:] == [
        "En partie",
        "En partie",
        "En partie : 2",
    ]
    assert lignes["Emplois industriels créés depuis le début de la phase"][2:] == [
        "42 emplois",
        "8 emplois",
        "50 emplois (2 réponses)",
    ]
    assert c.sommes["Emplois industriels créés depuis le début de la phase"] == Decimal("50")


def test_les_chiffres_sommes_sur_les_territoires(p):
    c = consolidation.consolider(p["national"], 2, "mi_parcours")
    lignes = {ligne[0]: ligne[1:] for ligne in c.chiffres.lignes}
    assert lignes["Fiches — Inscrite au contrat"] == [1, 1, Decimal("2")]
    assert lignes["Fiches — Retenue"] == [1, 0, Decimal("1")]
    assert lignes["Emplois créés ou maintenus (emplois) — cible"] == [
        Decimal("25"),
        Decimal("10"),
        Decimal("35"),
    ]
    assert lignes["Emplois créés ou maintenus (emplois) — dernière mesure"][-1] == Decimal("10")
    assert lignes["Fiches — Innovation"] == [2, 1, Decimal("3")]


def test_chacun_ne_consolide_que_ce_qu_il_voit(p):
    assert [
        e.territoire.code
        for e in consolidation.consolider(p["pilote"], 2, "mi_parcours").evaluations
    ] == ["ti-8401", "ti-8408"]
    assert consolidation.consolider(p["pilote_idf"], 2, "mi_parcours").evaluations == []
    seul = consolidation.consolider(p["chef"], 2, "mi_parcours")
    assert [e.territoire.code for e in seul.evaluations] == ["ti-8401"]
    assert "8 emplois" not in str(seul.reponses.lignes)
    # Only validated ones, when asked: none yet.
    assert (
        consolidation.consolider(p["national"], 2, "mi_parcours", validees=True).evaluations == []
    )
    assert consolidation.consolider(p["national"], 2, "finale").evaluations == []


def test_les_exports_xlsx_et_csv(p):
    c = consolidation.consolider(p["national"], 2, "mi_parcours")
    classeur = load_workbook(io.BytesIO(consolidation.xlsx(c)))
    assert classeur.sheetnames == ["Réponses côte à côte", "Chiffres côte à côte et sommés"]
    chiffres = {
        r[0]: r[1:] for r in classeur["Chiffres côte à côte et sommés"].iter_rows(values_only=True)
    }
    assert chiffres["Emplois créés ou maintenus (emplois) — cible"] == (25, 10, 35)
    lignes = list(csv.reader(io.StringIO(consolidation.en_csv(c)), delimiter=";"))
    assert lignes[0][-1] == "Ensemble"
    assert ["Emplois créés ou maintenus (emplois) — cible", "25,00", "10,00", "35,00"] in lignes


def test_les_indicateurs_compares_entre_territoires(p):
    communs = indicateurs.communs(p["national"], 2)
    assert [(i.libelle, i.unite, i.territoires, i.fiches) for i in communs] == [
        ("Emplois  créés ou maintenus", "Emplois", 2, 3)
    ]
    lignes = indicateurs.comparer(p["national"], 2, "emplois créés ou maintenus", "EMPLOIS")
    assert [(t.code, r.cible, r.valeur) for t, r in lignes] == [
        ("ti-8401", Decimal("25"), Decimal("7")),
        ("ti-8408", Decimal("10"), Decimal("3")),
    ]
    assert lignes[0][1].taux == Decimal("28")
    # Another Région's pilot sees the fiches contracted (public), not the retained one.
    ailleurs = indicateurs.comparer(p["pilote_idf"], 2, "Emplois créés ou maintenus", "emplois")
    assert [(t.code, r.fiches, r.cible) for t, r in ailleurs] == [
        ("ti-8401", 1, Decimal("20")),
        ("ti-8408", 1, Decimal("10")),
    ]


def test_la_consolidation_en_un_nombre_de_requetes_constant(p):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    def requetes():
        with CaptureQueriesContext(connection) as ctx:
            consolidation.consolider(p["national"], 2, "mi_parcours")
        return len(ctx.captured_queries)

    deux = requetes()
    p["ailleurs"].delete()
    assert requetes() == deux  # one territory fewer, the same queries
