"""An evaluation as DOCX and PDF: questions and answers, figures, indicators, reviews, path;
no firm's secret. Read back with python-docx and pypdf."""

import io

import pytest
from docx import Document
from pypdf import PdfReader

from contrats.tests.fabriques import MONTANT_SECRET
from evaluations import documents

from .fabriques import J, fiche_du_plan, gens, revue

pytestmark = pytest.mark.django_db


def texte_docx(contenu: bytes) -> str:
    d = Document(io.BytesIO(contenu))
    morceaux = [p.text for p in d.paragraphs]
    morceaux += [" | ".join(c.text for c in r.cells) for t in d.tables for r in t.rows]
    return "\n".join(morceaux)


def texte_pdf(contenu: bytes) -> str:
    lecteur = PdfReader(io.BytesIO(contenu))
    return " ".join(" ".join(p.extract_text().split()) for p in lecteur.pages)


def ecritures(montant) -> list[str]:
    n = f"{int(montant):,}"
    return [str(int(montant)), n.replace(",", " "), n.replace(",", "\u202f")]


@pytest.fixture
def evaluation():
    p = gens()
    fiche_du_plan(p)
    return revue(p)


def test_le_docx_porte_questions_reponses_chiffres_indicateurs_et_revues(evaluation):
    d = Document(io.BytesIO(documents.docx(evaluation)))
    assert d.paragraphs[0].text == (
        "Évaluation à mi-parcours du Territoire d'industrie Ardèche Drôme Nord"
    )
    titres = [p.text for p in d.paragraphs if p.style.name.startswith("Heading")]
    assert titres[:2] == ["Gouvernance", "Résultats"]
    assert f"Les chiffres du territoire au {J:%d/%m/%Y}" in titres
    texte = texte_docx(documents.docx(evaluation))
    assert "Comment le comité de projet s'est-il réuni ?\nQuatre réunions par an" in texte
    assert "La gouvernance associe-t-elle les industriels ?\nEn partie" in texte
    assert "Emplois industriels créés depuis le début de la phase\n42 emplois" in texte
    # The figures kept at the submission: the fiche retained then inscribed, its indicator.
    assert "Inscrite au contrat | 1" in texte
    assert "Emplois créés ou maintenus (emplois) | 1 | 20 | 7 | " in texte
    assert "| 35 %" in texte
    assert "Plateforme d'essais 1 | Emplois  créés ou maintenus (Emplois) | 20 | 7 |" in texte
    assert "Revue de la Région — soumission 1" in texte
    assert "Avis : Favorable avec réserves.\nLes délais restent à suivre." in texte
    assert "Soumission" in texte and "Revue de l'État" in texte


def test_le_pdf_porte_le_meme_contenu(evaluation):
    texte = texte_pdf(documents.pdf(evaluation))
    for attendu in (
        "mi-parcours du Territoire d'industrie",
        "Comment le comité de projet s'est-il réuni ?",
        "Quatre réunions par an",
        "42 emplois",
        "Emplois créés ou maintenus (emplois)",
        "Revue de l'État",
        "Les délais restent à suivre.",
    ):
        assert attendu in texte


def test_aucun_secret_d_entreprise_dans_les_documents(evaluation):
    for contenu in (texte_docx(documents.docx(evaluation)), texte_pdf(documents.pdf(evaluation))):
        assert "Procédé breveté confidentiel" not in contenu
        for ecrit in ecritures(MONTANT_SECRET):
            assert ecrit not in contenu


def test_le_pdf_de_l_evaluation_est_accessible(evaluation):
    from contrats.tests.test_regles import verifier_pdf_accessible

    texte = verifier_pdf_accessible(documents.pdf(evaluation))
    assert "Comment le comité de projet s'est-il réuni ?" in texte
