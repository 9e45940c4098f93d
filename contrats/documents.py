"""The protocol, the contract and each avenant as documents, from the canvas (FAQ §4.1, §4.5):
DOCX for the parties to work on (office formats), PDF to circulate.

A document goes to every party: every field marked secret (comptes.secrets: `champs_secrets`
of fiches and of financing lines) is left out, for everyone, whoever asks. A protocol carries
no amount at all (FAQ §4.5): no cost, no financing plan.
"""

from __future__ import annotations

import io
from dataclasses import dataclass, field
from decimal import Decimal

from comptes.secrets import est_secret
from fiches.models import FicheAction
from referentiel import formats

from . import cycle
from .models import AnnexeProtocole, Avenant, Contrat, Protocole

CONFIDENTIEL = "non communiqué (secret industriel)"


@dataclass
class LigneAnnexe:
    financeur: str
    section: str
    statut: str
    montant: str  # the amount, or CONFIDENTIEL


@dataclass
class FicheEnAnnexe:
    reference: str
    titre: str
    axe: str
    porteur: str
    contexte: str
    description: str | None  # None: secret, left out
    resume: str = ""
    cout_total: str | None = None  # None: secret, absent, or a protocol
    lignes: list[LigneAnnexe] = field(default_factory=list)
    libelle_axe: str = "Axe"  # « Priorité » in phase 2


@dataclass
class Canevas:
    titre: str
    sous_titre: str
    sections: list[tuple[str, str]]
    signataires: list[tuple[str, str, str, str]]
    annexes: list[FicheEnAnnexe]
    modifications: list[tuple[str, str]] = field(default_factory=list)
    avec_montants: bool = True


def euros(montant: Decimal) -> str:
    return formats.euros(montant, 2)  # a contract's annex shows its cents


def _fiche(fiche: FicheAction, *, avec_montants: bool, resume: str = "") -> FicheEnAnnexe:
    out = FicheEnAnnexe(
        reference=fiche.reference,
        titre=fiche.titre,
        axe=fiche.get_axe_display(),
        libelle_axe=fiche.nom_classement.capitalize(),
        porteur=fiche.porteur.nom,
        contexte=fiche.contexte,
        description=None if est_secret(fiche, "description") else fiche.description,
        resume=resume,
    )
    if not avec_montants:
        return out  # a protocol: no cost, no financing plan (FAQ §4.5)
    if fiche.cout_total is not None and not est_secret(fiche, "cout_total"):
        out.cout_total = euros(fiche.cout_total)
    for li in fiche.lignes.all():
        out.lignes.append(
            LigneAnnexe(
                financeur=li.financeur.nom,
                section=li.get_section_display(),
                statut=li.get_statut_display(),
                montant=CONFIDENTIEL if est_secret(li, "montant") else euros(li.montant),
            )
        )
    return out


def _signataires(document) -> list[tuple[str, str, str, str]]:
    return [
        (
            s.get_nature_display(),
            s.nom,
            s.qualite,
            f"signé le {s.signe_le:%d/%m/%Y}" if s.signe_le else "",
        )
        for s in document.signataires.all()
    ]


def _fiches_de(annexes) -> list[FicheAction]:
    ids = [a.fiche_id for a in annexes]
    par_id = {
        f.pk: f
        for f in FicheAction.objects.filter(pk__in=ids)
        .select_related("territoire", "porteur")
        .prefetch_related("lignes__financeur")
    }
    return [par_id[i] for i in ids]


def canevas(document) -> Canevas:
    if isinstance(document, Protocole):
        annexes = list(AnnexeProtocole.objects.filter(protocole=document))
        fiches = _fiches_de(annexes)
        return Canevas(
            titre=document.titre,
            sous_titre=Protocole.NATURE,
            sections=document.sections(),
            signataires=_signataires(document),
            annexes=[
                _fiche(f, avec_montants=False, resume=a.resume)
                for a, f in zip(annexes, fiches, strict=True)
            ],
            avec_montants=False,
        )
    if isinstance(document, Contrat):
        epcis = ", ".join(document.epcis.order_by("nom").values_list("nom", flat=True))
        return Canevas(
            titre=document.titre,
            sous_titre=f"Période {document.annee_debut}-{document.annee_fin}. "
            f"Intercommunalités couvertes : {epcis}.",
            sections=[(f"{i}. {t}", texte) for i, (t, texte) in enumerate(document.sections(), 1)],
            signataires=_signataires(document),
            annexes=[_fiche(f, avec_montants=True) for f in _fiches_de(cycle.annexes(document))],
        )
    assert isinstance(document, Avenant)
    epcis = ", ".join(document.epcis.order_by("nom").values_list("nom", flat=True))
    return Canevas(
        titre=document.titre,
        sous_titre=f"Contrat {document.contrat.annee_debut}-{document.contrat.annee_fin}.",
        sections=[
            *document.sections(),
            ("Intercommunalités ajoutées au contrat", epcis or "Aucune."),
        ],
        signataires=_signataires(document),
        annexes=[_fiche(f, avec_montants=True) for f in _fiches_de(cycle.annexes(document))],
        modifications=[
            (f"{m.fiche.reference} {m.fiche.titre}", m.objet)
            for m in document.modifications.select_related("fiche", "fiche__territoire")
        ],
    )


def _lignes_fiche(f: FicheEnAnnexe, avec_montants: bool) -> list[tuple[str, str]]:
    out = [
        (f.libelle_axe, f.axe),
        ("Porteur", f.porteur),
        ("Contexte et objectifs", f.contexte or "—"),
    ]
    if f.description is not None:
        out.append(("Description", f.description or "—"))
    if f.resume:
        out.append(("Résumé", f.resume))
    if avec_montants and f.cout_total:
        out.append(("Coût total", f.cout_total))
    return out


# --- DOCX ------------------------------------------------------------------------------------


def docx(document) -> bytes:
    from docx import Document  # imported when a document is asked for only

    c = canevas(document)
    d = Document()
    d.core_properties.title = c.titre
    d.core_properties.author = "Territoires d'industrie"
    d.add_heading(c.titre, level=0)
    d.add_paragraph(c.sous_titre)
    for titre, texte in c.sections:
        d.add_heading(titre, level=1)
        for para in (texte or "À compléter.").split("\n"):
            d.add_paragraph(para)
    if c.modifications:
        d.add_heading("Fiches-actions modifiées", level=1)
        for titre, objet in c.modifications:
            d.add_paragraph(f"{titre} : {objet}")
    d.add_heading("Signataires", level=1)
    for nature, nom, qualite, signe in c.signataires:
        d.add_paragraph(f"{nom}, {qualite} ({nature}) {signe}".strip())
    d.add_heading("Annexe : fiches-actions", level=1)
    if not c.annexes:
        d.add_paragraph("Aucune fiche en annexe.")
    for f in c.annexes:
        d.add_heading(f"Fiche {f.reference} — {f.titre}", level=2)
        for libelle, valeur in _lignes_fiche(f, c.avec_montants):
            p = d.add_paragraph()
            p.add_run(f"{libelle} : ").bold = True
            p.add_run(valeur)
        if c.avec_montants:
            d.add_heading("Plan de financement", level=3)
            if not f.lignes:
                d.add_paragraph("Aucune ligne de financement.")
                continue
            table = d.add_table(rows=1, cols=4)
            table.style = "Table Grid"
            for cell, titre in zip(
                table.rows[0].cells, ("Financeur", "Section", "Statut", "Montant"), strict=True
            ):
                cell.text = titre
            for li in f.lignes:
                cells = table.add_row().cells
                for cell, v in zip(
                    cells, (li.financeur, li.section, li.statut, li.montant), strict=True
                ):
                    cell.text = v
    out = io.BytesIO()
    d.save(out)
    return out.getvalue()


# --- PDF -------------------------------------------------------------------------------------

# The PDF's core fonts speak Latin-1: the few characters outside it are spelled out.
LATIN1 = str.maketrans(
    {
        "€": "EUR",
        "\u202f": " ",
        "\u00a0": " ",
        "’": "'",
        "œ": "oe",
        "Œ": "OE",
        "—": "-",
        "–": "-",
        "…": "...",
        "“": '"',
        "”": '"',
    }
)


def _latin1(texte: str) -> str:
    return texte.translate(LATIN1).encode("latin-1", "replace").decode("latin-1")


def pdf(document) -> bytes:
    from fpdf import FPDF  # imported when a document is asked for only

    c = canevas(document)
    p = FPDF()
    p.set_title(_latin1(c.titre))
    p.set_author("Territoires d'industrie")
    p.set_creator("Territoires d'industrie")
    p.set_auto_page_break(auto=True, margin=15)
    p.add_page()

    def ecrire(texte: str, taille: float = 10, style: str = "", h: float = 5) -> None:
        p.set_font("Helvetica", style, taille)
        p.multi_cell(0, h, _latin1(texte), new_x="LMARGIN", new_y="NEXT")

    def titre(texte: str, taille: float) -> None:
        p.ln(3)
        ecrire(texte, taille, "B", taille * 0.5)
        p.ln(1)

    titre(c.titre, 16)
    ecrire(c.sous_titre, 10, "I")
    for t, texte in c.sections:
        titre(t, 13)
        ecrire(texte or "À compléter.")
    if c.modifications:
        titre("Fiches-actions modifiées", 13)
        for t, objet in c.modifications:
            ecrire(f"{t} : {objet}")
    titre("Signataires", 13)
    for nature, nom, qualite, signe in c.signataires:
        ecrire(f"{nom}, {qualite} ({nature}) {signe}".strip())
    titre("Annexe : fiches-actions", 13)
    if not c.annexes:
        ecrire("Aucune fiche en annexe.")
    for f in c.annexes:
        titre(f"Fiche {f.reference} — {f.titre}", 11)
        for libelle, valeur in _lignes_fiche(f, c.avec_montants):
            ecrire(f"{libelle} : {valeur}")
        if c.avec_montants:
            ecrire("Plan de financement", 10, "B")
            if not f.lignes:
                ecrire("Aucune ligne de financement.")
            for li in f.lignes:
                ecrire(
                    f"- {li.financeur}, {li.section.lower()}, {li.statut.lower()} : {li.montant}"
                )
    return bytes(p.output())
