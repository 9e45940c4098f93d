"""The protocol, the contract and each avenant as documents, from the canvas (FAQ §4.1, §4.5):
DOCX for the parties to work on (office formats), PDF to circulate, accessible (PDF/UA-1,
referentiel.redaction). Both are written from the same blocks, so they say the same things:
the validation (without a meeting: on whose agreement, FAQ §4.2), the signatories (a minister
signing for the State flagged with its reason, FAQ §4.3), the fiches in annex.

A document goes to every party: every field marked secret (comptes.secrets: `champs_secrets`
of fiches and of financing lines) is left out, for everyone, whoever asks. A protocol carries
no amount at all (FAQ §4.5): no cost, no financing plan.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from decimal import Decimal

from comptes.secrets import est_secret
from fiches.models import FicheAction
from referentiel import formats
from referentiel.redaction import Redaction, en_docx, en_pdf

from . import accords, cycle
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
    signataires: list[str]
    annexes: list[FicheEnAnnexe]
    modifications: list[tuple[str, str]] = field(default_factory=list)
    avec_montants: bool = True
    validation: str | None = None  # contrats.accords.mention


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


def _signataires(document) -> list[str]:
    """One line per signatory; a minister signing for the State says so, with its reason."""
    out = []
    for s in document.signataires.all():
        ligne = f"{s.nom}, {s.qualite} ({s.get_nature_display()})"
        if s.signe_le:
            ligne += f", signé le {s.signe_le:%d/%m/%Y}"
        if s.exception_ministre:
            ligne += f". {s.mention_exception}"
        out.append(ligne)
    return out


def _validation(document) -> str | None:
    return accords.mention(document, sans_reunion=cycle.sans_reunion(document.validation))


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
            validation=_validation(document),
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
        validation=_validation(document),
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


# --- DOCX and PDF, from the same blocks ------------------------------------------------------


def redaction(document) -> Redaction:
    c = canevas(document)
    r = Redaction(titre=c.titre)
    r.intitule(c.titre, 0)
    r.paragraphe(c.sous_titre, italique=True)
    if c.validation:
        r.paragraphe(c.validation, gras=True)
    for titre, texte in c.sections:
        r.intitule(titre, 1)
        r.paragraphe(texte or "À compléter.")
    if c.modifications:
        r.intitule("Fiches-actions modifiées", 1)
        r.liste([f"{titre} : {objet}" for titre, objet in c.modifications])
    r.intitule("Signataires", 1)
    if c.signataires:
        r.liste(c.signataires)
    else:
        r.paragraphe("Aucun signataire pour l'instant.")
    r.intitule("Annexe : fiches-actions", 1)
    if not c.annexes:
        r.paragraphe("Aucune fiche en annexe.")
    for f in c.annexes:
        _fiche_redigee(r, f, c.avec_montants)
    return r


def _fiche_redigee(r: Redaction, f: FicheEnAnnexe, avec_montants: bool) -> None:
    r.intitule(f"Fiche {f.reference} — {f.titre}", 2)
    for libelle, valeur in _lignes_fiche(f, avec_montants):
        r.champ(libelle, valeur)
    if not avec_montants:
        return  # a protocol: no financing plan at all (FAQ §4.5)
    r.intitule("Plan de financement", 3)
    if not f.lignes:
        r.paragraphe("Aucune ligne de financement.")
        return
    r.tableau(
        f"Plan de financement de la fiche {f.reference}",
        ["Financeur", "Section", "Statut", "Montant"],
        [[li.financeur, li.section, li.statut, li.montant] for li in f.lignes],
    )


def docx(document) -> bytes:
    return en_docx(redaction(document))


def pdf(document) -> bytes:
    return en_pdf(redaction(document))


# The formats served, by the page and the API alike.
FORMATS = {
    "docx": "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
    "pdf": "application/pdf",
}


def fichier(document, format: str) -> tuple[bytes, str]:
    """The document in `format` (docx or pdf) and its download name."""
    genre = type(document).__name__.lower()
    numero = f"-{document.numero}" if genre == "avenant" else ""
    contenu = docx(document) if format == "docx" else pdf(document)
    return contenu, f"{genre}-{document.le_territoire.code}{numero}.{format}"
