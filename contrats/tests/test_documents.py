"""Documents from the canvas (FAQ §4.1, §4.5): DOCX and PDF, fiches in annex, no secret, no
amount in a protocol. Read back with python-docx and pypdf."""

import io
from datetime import timedelta

import pytest
from docx import Document
from pypdf import PdfReader

from contrats import cycle, documents, services

from .fabriques import (
    MONTANT_PUBLIC,
    MONTANT_SECRET,
    J,
    contrat_pret,
    equipe,
    presentee_sans_montant,
    retenue,
    signataires_requis,
    signer_tout,
    territoire,
)

pytestmark = pytest.mark.django_db

SECTIONS = (
    "1. Principaux enjeux",
    "2. Ambitions et priorités",
    "3. Actions déjà engagées",
    "4. Engagement général des parties",
    "5. Plan d'actions",
    "6. Pilotage, suivi et évaluation",
)


def texte_docx(contenu: bytes) -> str:
    d = Document(io.BytesIO(contenu))
    morceaux = [p.text for p in d.paragraphs]
    morceaux += [c.text for t in d.tables for r in t.rows for c in r.cells]
    return "\n".join(morceaux)


def titres_docx(contenu: bytes) -> list[str]:
    d = Document(io.BytesIO(contenu))
    return [p.text for p in d.paragraphs if p.style.name.startswith("Heading")]


def texte_pdf(contenu: bytes) -> str:
    lecteur = PdfReader(io.BytesIO(contenu))
    return " ".join(" ".join(p.extract_text().split()) for p in lecteur.pages)


def chiffres(montant) -> list[str]:
    """The ways an amount may be written: 987654, 987 654, 987 654,00."""
    n = f"{int(montant):,}"
    return [str(int(montant)), n.replace(",", " "), n.replace(",", "\u202f")]


def test_le_contrat_en_docx_suit_le_canevas_avec_les_fiches_en_annexe_sans_secret():
    p = equipe()
    f = retenue(p, titre="Ligne pilote de fabrication additive")
    c = contrat_pret(p, fiches=[f])
    contenu = documents.docx(c)
    titres = titres_docx(contenu)
    for s in SECTIONS:
        assert s in titres
    assert "Annexe : fiches-actions" in titres
    assert f"Fiche {f.reference} — Ligne pilote de fabrication additive" in titres
    texte = texte_docx(contenu)
    assert "Innover" in texte and f.porteur.nom in texte
    assert "Plan de financement" in titres
    assert "43\u202f210,00 €" in texte  # a public amount is there
    for forme in chiffres(MONTANT_SECRET):
        assert forme not in texte  # the secret amount is not
    assert documents.CONFIDENTIEL in texte
    assert "Procédé breveté confidentiel" not in texte  # a secret description neither


def test_le_contrat_en_pdf_suit_le_canevas_avec_les_fiches_en_annexe_sans_secret():
    p = equipe()
    f = retenue(p)
    c = contrat_pret(p, fiches=[f])
    contenu = documents.pdf(c)
    assert contenu.startswith(b"%PDF")
    texte = texte_pdf(contenu)
    for s in SECTIONS:
        assert s in texte
    assert "Annexe : fiches-actions" in texte
    assert f"Fiche {f.reference} — {f.titre}" in texte
    assert "43 210,00 €" in texte
    for forme in chiffres(MONTANT_SECRET):
        assert forme not in texte
    assert "Procédé breveté" not in texte


def test_le_protocole_ne_montre_aucun_montant():
    p = equipe()
    proto = services.creer_protocole(
        user=p["chef"],
        territoire=territoire("8401"),
        donnees={"ambitions": "Une ambition commune.", "plan_actions": "Trois axes."},
    )
    f = presentee_sans_montant(p)
    services.annexer_au_protocole(user=p["chef"], protocole=proto, fiche=f, resume="Première.")
    for texte in (texte_docx(documents.docx(proto)), texte_pdf(documents.pdf(proto))):
        assert "Protocole d'accord" in texte
        assert "Ambitions et priorités" in texte and "Projet de plan d'actions" in texte
        assert f.titre in texte and "Première." in texte
        assert "Plan de financement" not in texte and "Coût total" not in texte
        for montant in (MONTANT_SECRET, MONTANT_PUBLIC):
            for forme in chiffres(montant):
                assert forme not in texte
        assert "€" not in texte and "EUR" not in texte


def test_chaque_avenant_a_son_document_avec_ses_fiches_en_annexe():
    p = equipe()
    t = territoire("8401")
    c = contrat_pret(p, nb_epcis=1)
    cycle.valider(user=p["pilote"], document=c, date=J - timedelta(days=30))
    signer_tout(p, c, date=J - timedelta(days=20))
    a = services.creer_avenant(user=p["chef"], contrat=c, objet="Nouvelles fiches")
    f = retenue(p, n=7, titre="Fiche ajoutée par avenant")
    cycle.annexer(user=p["chef"], document=a, fiche=f)
    signataires_requis(p["chef"], a, t)
    for texte in (texte_docx(documents.docx(a)), texte_pdf(documents.pdf(a))):
        assert "Avenant n° 1" in texte and "Objet de l'avenant" in texte
        assert "Fiche ajoutée par avenant" in texte
        assert "Ligne pilote de fabrication additive" not in texte  # the contract's, not its
        for forme in chiffres(MONTANT_SECRET):
            assert forme not in texte
