"""The money and the delays of a territory in its evaluation, from the follow-up, as every
party may read them: a firm's secret amount is never in an evaluation, its documents or the
national consolidation; three balanced firms make a total anyone reads."""

import io
from decimal import Decimal

import pytest
from docx import Document
from openpyxl import load_workbook

from comptes.secrets import MOTIF_SEUIL
from contrats.tests.fabriques import MONTANT_PUBLIC, MONTANT_SECRET
from evaluations import argent, consolidation, documents
from evaluations.chiffres import chiffres_de

from .fabriques import cadre, fiche_du_plan, gens, soumise

pytestmark = pytest.mark.django_db
LIGNES = MONTANT_SECRET + MONTANT_PUBLIC  # a fiche's two lines, both granted by Bpifrance


def ecritures(montant: Decimal) -> list[str]:
    n = f"{int(montant):,}"
    return [str(int(montant)), n.replace(",", " "), n.replace(",", "\u202f")]


def texte_docx(contenu: bytes) -> str:
    d = Document(io.BytesIO(contenu))
    return "\n".join(
        [p.text for p in d.paragraphs]
        + [" | ".join(c.text for c in r.cells) for t in d.tables for r in t.rows]
    )


@pytest.fixture
def p():
    p = gens()
    p["cadre"] = cadre(p["national"])
    return p


def test_le_montant_secret_d_une_seule_entreprise_est_retenu_pour_tous(p):
    fiche_du_plan(p)
    e = soumise(p, p["cadre"])
    m = chiffres_de(e).montants
    assert m["accorde"] == {"valeur": None, "motif": MOTIF_SEUIL}
    assert m["demande"]["valeur"] is None
    texte = texte_docx(documents.docx(e))
    assert f"Accordé | {MOTIF_SEUIL}" in texte
    for montant in (MONTANT_SECRET, LIGNES):
        for ecrit in ecritures(montant):
            assert ecrit not in texte


def test_trois_entreprises_equilibrees_font_un_total_que_chacun_lit(p):
    for n in (1, 2, 3):
        fiche_du_plan(p, n=n)
    e = soumise(p, p["cadre"])
    m = chiffres_de(e).montants
    assert Decimal(m["accorde"]["valeur"]) == 3 * LIGNES
    assert Decimal(m["taux_accord"]["valeur"]) == 1
    texte = texte_docx(documents.docx(e))
    assert f"Accordé | {argent.texte_montant(m['accorde'])}" in texte
    assert "3\u202f092\u202f592 €" in texte


def test_les_delais_d_instruction_du_territoire(p):
    fiche_du_plan(p)
    e = soumise(p, p["cadre"])
    # Submitted on day 0, each line decided on day 30 (contrats.tests.fabriques.retenue).
    assert chiffres_de(e).delais["decision"] == {
        "n": 2,
        "mediane": 30.0,
        "p90": 30,
        "hors_cible": 0,
    }
    assert "De la demande à la décision | 2 | 30 j | 30 j | 0" in texte_docx(documents.docx(e))


def test_la_consolidation_somme_l_argent_sauf_si_un_territoire_le_retient(p):
    for n in (1, 2, 3):
        fiche_du_plan(p, n=n)
    fiche_du_plan(p, t=p["autre_t"], chef=p["chef_autre"], n=4)  # one firm only there
    soumise(p, p["cadre"])
    soumise(p, p["cadre"], t=p["autre_t"], chef=p["chef_autre"])
    c = consolidation.consolider(p["national"], 2, "mi_parcours")
    lignes = {ligne[0]: ligne[1:] for ligne in c.chiffres.lignes}
    assert lignes["Accordé (€)"] == [3 * LIGNES, MOTIF_SEUIL, argent.MOTIF_SOMME]
    classeur = load_workbook(io.BytesIO(consolidation.xlsx(c)))
    cellules = [v for f in classeur for r in f.iter_rows(values_only=True) for v in r]
    contenu = consolidation.en_csv(c) + " ".join(str(v) for v in cellules)
    for montant in (MONTANT_SECRET, LIGNES, 4 * LIGNES):
        for ecrit in ecritures(montant):
            assert ecrit not in contenu
    # Where every territory's figure is shown, the sum is.
    seul = consolidation.consolider(p["etat"], 2, "mi_parcours")
    assert {ligne[0]: ligne[-1] for ligne in seul.chiffres.lignes}["Accordé (€)"] == 3 * LIGNES
