"""The figure helper alone: a withheld total shows its motif everywhere, never a number."""

from __future__ import annotations

import json
from datetime import date
from decimal import Decimal

from comptes.secrets import MOTIF_SEUIL, Total
from www.tableaux.figures import csv_texte, figure, libelle_graphique, xlsx_octets

from .outils import lire_csv, lire_xlsx

COLONNES = [("Financeur", "texte"), ("Accordé", "euros"), ("Décidé le", "date")]


def _figure():
    return figure(
        "montants",
        "Montants par financeur",
        COLONNES,
        [
            ("Bpifrance", Total(Decimal("1234.50"), "", 4), date(2024, 3, 1)),
            ("Entreprise <b>X</b>", Total(None, MOTIF_SEUIL, 1), None),
        ],
    )


def test_un_total_retenu_montre_son_motif_jamais_un_nombre():
    f = _figure()
    ligne = f.lignes[1]
    assert ligne[1].secret and ligne[1].texte == MOTIF_SEUIL and ligne[1].valeur is None
    assert f.lignes[0][1].texte == "1\u202f234,50 €"
    assert json.loads(f.attributs["y"]) == [[1234.5, None]]  # a gap in the chart
    rangs = lire_csv(csv_texte(f).encode())
    assert rangs[1] == ["Bpifrance", "1234.50", "2024-03-01"]
    assert rangs[2] == ["Entreprise <b>X</b>", MOTIF_SEUIL, ""]
    xlsx = lire_xlsx(xlsx_octets(f))
    assert xlsx[0] == ["Financeur", "Accordé", "Décidé le"]
    assert xlsx[1][1] == 1234.5 and xlsx[2][1] == MOTIF_SEUIL


def test_les_libelles_du_graphique_ne_portent_pas_de_balise():
    f = _figure()
    assert json.loads(f.attributs["x"]) == [["Bpifrance", "Entreprise  b X /b "]]
    assert libelle_graphique("a < b") == "a   b"
    assert f.lignes[1][0].texte == "Entreprise <b>X</b>"  # the table keeps the exact text
    assert f.attributs["unit-tooltip"] == "€"


def test_une_figure_sans_valeur_n_a_pas_de_graphique():
    f = figure("vide", "Rien", COLONNES, [("A", None, None)])
    assert f.graphique == "" and f.lignes
    assert figure("vide", "Rien", COLONNES, []).vide
