"""Export: the fiches of a queryset that the person may see, with their lines and indicators,
in a constant number of queries. A secret value is read through comptes.secrets, which logs
the read (canal « export »), and only by those with the need to know; the others get
« Confidentiel ». So does an organisation the person may not see."""

from __future__ import annotations

import io
from dataclasses import replace
from datetime import date as Date
from decimal import Decimal

from django.db import transaction
from django.db.models import Prefetch
from openpyxl import Workbook
from openpyxl.cell import WriteOnlyCell
from openpyxl.cell.cell import ILLEGAL_CHARACTERS_RE
from openpyxl.styles import Font, PatternFill
from openpyxl.utils import get_column_letter
from openpyxl.worksheet.datavalidation import DataValidation

from comptes.permissions import Contexte
from comptes.secrets import MASQUE, valeurs

from ..enums import (
    ContratValorise,
    Etat,
    Maturite,
    NatureSimplification,
    Orientation,
    PorteeGeo,
    StatutLigne,
)
from ..models import FicheAction, Indicateur, LigneFinancement
from ..selectors import fiches_visibles
from .annuaire import Annuaire, regions
from .cellules import libelle, oui
from .colonnes import COLONNES, EXPORT_SEUL, FICHES, FINANCEMENTS, INDICATEURS, LARGEURS, LISTES

PAR_LOT = 500


def exporter(user, queryset) -> bytes:
    """The workbook of the fiches of `queryset` this person may see (see the package's doc)."""
    # Whatever the caller built, only what the person may see.
    visibles = queryset.filter(pk__in=fiches_visibles(user).values("pk"))
    annuaire = Annuaire(user)
    regions_des = regions(
        set(visibles.order_by().values_list("territoire_id", flat=True).distinct())
    )
    # Read by chunks, each with its lines, partners and indicators: the memory of a chunk,
    # not of every fiche at once (the workbook itself is written in write-only mode).
    fiches = pour_export(visibles).iterator(chunk_size=PAR_LOT)
    wb = Workbook(write_only=True)
    feuilles = {nom: _feuille(wb, nom) for nom in COLONNES}
    # The export and the log of the secrets it reads are one unit.
    with transaction.atomic():
        for fiche in fiches:
            _exporter_fiche(feuilles, user, fiche, contexte(fiche, regions_des), annuaire)
    out = io.BytesIO()
    wb.save(out)
    return out.getvalue()


def _exporter_fiche(feuilles, user, fiche: FicheAction, ctx: Contexte, annuaire) -> None:
    _ecrire(feuilles[FICHES], _ligne_fiche(user, fiche, ctx, annuaire))
    ref = fiche.reference
    for ligne in fiche.lignes.all():
        # A funder reads the lines addressed to it (LigneFinancement.contexte_acces).
        ctx_ligne = replace(ctx, financeurs={ligne.financeur_id})
        _ecrire(feuilles[FINANCEMENTS], _ligne_financement(user, ref, ligne, ctx_ligne, annuaire))
    for ind in fiche.indicateurs.all():
        _ecrire(feuilles[INDICATEURS], [ref, ind.libelle, ind.unite, ind.cible])


def pour_export(queryset):
    # Everything a row shows, in a fixed number of queries whatever the number of fiches.
    return (
        queryset.select_related("territoire", "porteur", "filiere")
        .prefetch_related(
            Prefetch(
                "lignes",
                queryset=LigneFinancement.objects.select_related("financeur", "mesure").order_by(
                    "id"
                ),
            ),
            "partenaires",
            "mesures",
            Prefetch("indicateurs", queryset=Indicateur.objects.order_by("id")),
        )
        .order_by("territoire__phase_id", "territoire__code", "numero")
    )


def contexte(fiche, regions_des) -> Contexte:
    # FicheAction.contexte_acces() from what the export has already loaded (a test keeps the
    # two equal): its territory, its bearer, the régions of its territory.
    return Contexte(
        territoires={fiche.territoire_id},
        organisations={fiche.porteur_id},
        regions=set(regions_des[fiche.territoire_id]),
    )


def _secrets(user, obj, ctx) -> dict:
    """The secret fields of `obj` as this person may read them: through comptes.secrets, which
    decides and logs each read; « Confidentiel » where they have no need to know."""
    noms = [n for n in obj.SECRETABLE if n in (obj.champs_secrets or ())]
    if not noms:
        return {}
    # The context computed once for the whole export (same rules): no query per object.
    lues, masques = valeurs(user, obj, noms, canal="export", ctx=ctx)
    return {n: MASQUE if n in masques else lues[n] for n in noms}


def _ligne_fiche(user, f: FicheAction, ctx, annuaire: Annuaire) -> list:
    secrets = _secrets(user, f, ctx)
    return [
        f.reference,
        f.territoire.phase_id,
        f.territoire.code,
        f.titre,
        f.axe,
        f.contexte,
        secrets.get("description", f.description),
        annuaire.nommer(f.porteur),
        f.porteur.get_type_display(),
        annuaire.nommer_liste(f.partenaires.all()),
        libelle(PorteeGeo, f.portee),
        f.filiere.nom if f.filiere else "",
        oui(f.collective),
        libelle(Maturite, f.maturite),
        f.date_debut,
        f.date_fin,
        secrets.get("cout_total", f.cout_total),
        " ; ".join(m.nom for m in f.mesures.all()),
        libelle(ContratValorise, f.contrat_valorise),
        oui(f.demande_simplification),
        f.probleme,
        libelle(NatureSimplification, f.nature_simplification),
        libelle(Orientation, f.orientation),
        libelle(Etat, f.etat),
    ]


def _ligne_financement(user, ref: str, li: LigneFinancement, ctx, annuaire: Annuaire) -> list:
    secrets = _secrets(user, li, ctx)
    return [
        ref,
        annuaire.nommer(li.financeur),
        li.mesure.nom if li.mesure else "",
        li.section,
        secrets.get("montant", li.montant),
        oui(li.de_minimis),
        libelle(StatutLigne, li.statut),
    ]


def _feuille(wb, nom: str):
    ws = wb.create_sheet(nom)
    colonnes = COLONNES[nom]
    for i, entete in enumerate(colonnes, start=1):
        ws.column_dimensions[get_column_letter(i)].width = LARGEURS.get(entete, 16)
        if entete in LISTES:
            _liste_deroulante(ws, get_column_letter(i), LISTES[entete])
    ws.freeze_panes = "A2"
    gras, grise = Font(bold=True), PatternFill("solid", fgColor="DDDDDD")
    entetes = []
    for entete in colonnes:
        cell = WriteOnlyCell(ws, value=entete)
        cell.font = gras
        if entete in EXPORT_SEUL:  # shown greyed: not read back on import
            cell.fill = grise
        entetes.append(cell)
    ws.append(entetes)
    return ws


def _liste_deroulante(ws, lettre: str, choix: list[str]) -> None:
    dv = DataValidation(
        type="list", formula1=f'"{",".join(choix)}"', allow_blank=True, showErrorMessage=False
    )
    dv.add(f"{lettre}2:{lettre}1048576")
    ws.data_validations.append(dv)


def _ecrire(ws, valeurs_ligne: list) -> None:
    ws.append([_cellule(ws, v) for v in valeurs_ligne])


def _cellule(ws, v):
    if isinstance(v, str):
        v = ILLEGAL_CHARACTERS_RE.sub("", v)  # openpyxl refuses control characters
        if not v.startswith("="):
            return v
        # Text, never a formula: a title typed « =… » must not run in the reader's sheet.
        cell = WriteOnlyCell(ws, value=v)
        cell.data_type = "s"
        return cell
    if isinstance(v, Date | Decimal):
        cell = WriteOnlyCell(ws, value=v)
        cell.number_format = "DD/MM/YYYY" if isinstance(v, Date) else "#,##0.00"
        return cell
    return v
