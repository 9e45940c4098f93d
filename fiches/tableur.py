"""Fiches-actions in a spreadsheet, in the shape of the kit's fiche model (FAQ §4.6, §7.4):
export, and an all-or-nothing import that a second run of the same file leaves unchanged.

Workbook (XLSX): three sheets, a header row each, then one row per item. On import, headers
are matched without regard to case, accents or « (€) », columns may come in any order, extra
columns are ignored, and the columns marked « export » are not read.

« Fiches », one row per fiche:
    Référence               8401-03 (territory code, number of the fiche); empty for a new fiche,
                            or a provisional label « nouvelle-1 » that the two other sheets use
                            to attach lines to a fiche that has no number yet
    Phase                   1 or 2
    Territoire              territory code (8401)
    Titre
    Axe                     phase 1: attirer, recruter, innover, simplifier; phase 2: the
                            priorities competences, transition, innovation, foncier (labels
                            accepted); a value of the other phase is refused with the
                            message of the pages and the API (mesures.enums.erreur_axe)
    Contexte et objectifs
    Description             may be secret
    Porteur                 SIREN or exact name of an organisation
    Type de porteur         export
    Partenaires             SIREN or names, separated by « ; »
    Périmètre               label or value (Tout le territoire, Certaines intercommunalités…)
    Filière                 name of a filière of the list
    Collective              oui / non
    Maturité                label or value (Idée, En émergence, Mature, Prêt à démarrer)
    Début, Fin              dates (date cells, JJ/MM/AAAA or AAAA-MM-JJ)
    Coût total (€)          may be secret
    Mesures                 names of measures of the panier de services, separated by « ; »
    Contrat valorisé        label or value (CTE, Action Cœur de Ville, CRTE…), empty: none
    Demande de simplification  oui / non: a phase-2 fiche carrying a simplification request
                            (optional column: absent, « non »)
    Problème, Proposition, Orientation    the « simplifier » fiches (labels or values)
    État                    export
« Financements », one row per line of the financing plan:
    Référence, Financeur (SIREN or name), Mesure, Section (fonctionnement / investissement),
    Montant (€) (may be secret), De minimis (oui / non), Statut (export)
« Indicateurs », one row per follow-up indicator:
    Référence, Indicateur, Unité, Cible

Export (`exporter`): the fiches of the queryset that the person may see, with their lines and
indicators, in a constant number of queries. A secret value (listed in the object's
`champs_secrets`) is read through comptes.secrets, which logs the read (canal « export »),
and only by those with the need to know; the others get « Confidentiel ». So does an
organisation the person may not see (a firm of another territory, FAQ §7.3).

Import (`importer`): every row of every sheet is checked first; the errors (at most 50) name
sheet, line and column, and any error means nothing is written (`ImportInvalide`). Then, in
one transaction, through fiches.services:
- a row with a Référence designates that fiche: modified if its content differs (drafts only;
  a submitted fiche is refused), left alone if identical;
- a row without one creates a fiche, unless a fiche of the same territory with the same title
  and bearer already exists: identical, it is the same fiche imported again (nothing is
  created twice); different, the row must give its Référence to modify it;
- the lines and indicators of a fiche are exactly the rows of the two other sheets that carry
  its Référence; they are rewritten only when they differ (indicators are matched by name so
  that the values measured on them stay);
- « Confidentiel » in a cell means « unchanged »: a round trip by someone who may not read
  the secrets never erases them, and the secrecy of a kept line stays with it.
Refused permissions (creating for another territory, modifying someone else's fiche) are
error lines like the others.
"""

from __future__ import annotations

import io
import re
import time
import warnings
import zipfile
from collections import Counter, defaultdict
from dataclasses import dataclass, field, replace
from datetime import date as Date
from datetime import datetime
from decimal import Decimal, InvalidOperation

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.db.models import Prefetch
from openpyxl import Workbook, load_workbook
from openpyxl.cell import WriteOnlyCell
from openpyxl.cell.cell import ILLEGAL_CHARACTERS_RE
from openpyxl.styles import Font, PatternFill
from openpyxl.utils import get_column_letter
from openpyxl.utils.exceptions import InvalidFileException
from openpyxl.worksheet.datavalidation import DataValidation

from comptes.permissions import Contexte, autoriser, organisations_visibles
from comptes.secrets import MASQUE, valeurs
from comptes.services import ConflitEdition
from mesures.enums import CHOIX_AXES, NOM_DU_CLASSEMENT, classement
from mesures.models import Mesure
from referentiel import formats, saisie
from territoires.models import Perimetre, Phase, Territoire
from territoires.selectors import variantes_code

from . import services
from .enums import (
    ContratValorise,
    Etat,
    Maturite,
    NatureSimplification,
    Orientation,
    PorteeGeo,
    Section,
    StatutLigne,
)
from .models import FicheAction, Filiere, Indicateur, LigneFinancement
from .permissions import peut_creer
from .selectors import fiches_visibles

FICHES, FINANCEMENTS, INDICATEURS = "Fiches", "Financements", "Indicateurs"
COLONNES = {
    FICHES: [
        "Référence",
        "Phase",
        "Territoire",
        "Titre",
        "Axe",
        "Contexte et objectifs",
        "Description",
        "Porteur",
        "Type de porteur",
        "Partenaires",
        "Périmètre",
        "Filière",
        "Collective",
        "Maturité",
        "Début",
        "Fin",
        "Coût total (€)",
        "Mesures",
        "Contrat valorisé",
        "Demande de simplification",
        "Problème",
        "Proposition",
        "Orientation",
        "État",
    ],
    FINANCEMENTS: [
        "Référence",
        "Financeur",
        "Mesure",
        "Section",
        "Montant (€)",
        "De minimis",
        "Statut",
    ],
    INDICATEURS: ["Référence", "Indicateur", "Unité", "Cible"],
}
EXPORT_SEUL = {"Type de porteur", "État", "Statut"}
# Columns a file may lack (files exported before they existed): read as empty.
OPTIONNELLES = {"Demande de simplification"}
LARGEURS = {
    "Titre": 45,
    "Contexte et objectifs": 60,
    "Description": 60,
    "Porteur": 35,
    "Partenaires": 45,
    "Mesures": 45,
    "Problème": 45,
    "Financeur": 35,
    "Mesure": 40,
    "Indicateur": 45,
}
# Drop-down lists offered in the sheet (a hint: other spellings stay accepted).
LISTES = {
    "Axe": [v for v, _ in CHOIX_AXES],
    "Demande de simplification": ["oui", "non"],
    "Collective": ["oui", "non"],
    "Section": Section.values,
    "De minimis": ["oui", "non"],
}
# Where each field of a fiche is, to name the column of an error found by the model.
COLONNE_DU_CHAMP = {
    "titre": "Titre",
    "axe": "Axe",
    "contexte": "Contexte et objectifs",
    "description": "Description",
    "porteur": "Porteur",
    "portee": "Périmètre",
    "filiere": "Filière",
    "collective": "Collective",
    "maturite": "Maturité",
    "date_debut": "Début",
    "date_fin": "Fin",
    "cout_total": "Coût total (€)",
    "contrat_valorise": "Contrat valorisé",
    "demande_simplification": "Demande de simplification",
    "probleme": "Problème",
    "nature_simplification": "Proposition",
    "orientation": "Orientation",
    "libelle": "Indicateur",
    "unite": "Unité",
    "cible": "Cible",
}
SEPARATEUR = ";"
MAX_ERREURS = 50
# « 8401-03 » in phase 1, « ti-8401-03 » in phase 2: the territory's id, then the number.
REFERENCE = re.compile(r"^((?:ti-)?\d{3,8})-(\d{1,4})$", re.IGNORECASE)
PROVISOIRE = re.compile(r"^nouvelle")
SIREN = re.compile(r"^\d{9}$")
CENTIME = Decimal("0.01")
PLAFOND = Decimal(10) ** 12  # 14 digits, 2 of them decimals (the models' DecimalField)
# A cell read as « Confidentiel »: the stored value stays.
CONFIDENTIEL = object()


class ImportInvalide(Exception):
    """The file cannot be imported; `erreurs` lists each problem with its sheet and line."""

    def __init__(self, erreurs: list[str]):
        self.erreurs = erreurs
        super().__init__("\n".join(erreurs))


@dataclass
class Rapport:
    fiches: int = 0  # rows of each sheet
    financements: int = 0
    indicateurs: int = 0
    crees: list[str] = field(default_factory=list)
    modifies: list[str] = field(default_factory=list)
    inchanges: int = 0
    dry_run: bool = False
    secondes: float = 0.0

    @property
    def lignes(self) -> int:
        return self.fiches + self.financements + self.indicateurs

    @property
    def lignes_par_seconde(self) -> float:
        return self.lignes / self.secondes if self.secondes else 0.0

    def lignes_texte(self) -> list[str]:
        out = [
            f"Lignes lues : {self.fiches} fiches, {self.financements} financements, "
            f"{self.indicateurs} indicateurs.",
            f"Fiches créées : {len(self.crees)}{_apercu(self.crees)}.",
            f"Fiches modifiées : {len(self.modifies)}{_apercu(self.modifies)}.",
            f"Fiches inchangées : {self.inchanges}.",
            f"Durée : {_fr(self.secondes, 2)} s ({_fr(self.lignes_par_seconde)} lignes/s).",
        ]
        if self.dry_run:
            out.append("Simulation : rien n'a été enregistré.")
        return out


def _apercu(refs: list[str]) -> str:
    if not refs:
        return ""
    return " (" + ", ".join(refs[:20]) + (" …" if len(refs) > 20 else "") + ")"


def _fr(x: float, decimales: int = 0) -> str:
    return formats.nombre(round(x, decimales), decimales)


# --- Text as people type it --------------------------------------------------------------


def _cle(texte) -> str:
    """Folded form for matching: case, accents and spacing do not count."""
    return saisie.cle(texte)


def _cle_entete(texte) -> str:
    # « Coût total (€) », « cout total » and « COUT TOTAL » are the same column.
    return re.sub(r"[^a-z0-9]", "", _cle(texte))


def _lu(texte: str) -> str:
    """Text read from a cell: \\n line ends, no outer spaces. Control characters stay, for
    the rules of every channel (referentiel.saisie) to refuse them with their message."""
    return texte.replace("\r\n", "\n").replace("\r", "\n").strip()


def _propre(texte: str) -> str:
    """Text as a workbook keeps it: no control characters, \\n line ends, no outer spaces.
    Both sides of a comparison go through it, so a round trip is not seen as a change."""
    return _lu(ILLEGAL_CHARACTERS_RE.sub("", texte))


def _montrer(enum) -> list[str]:
    # The value where it reads well (« innover »), the label otherwise (« Prêt à démarrer »).
    return [v if _cle(label) == v else str(label) for v, label in enum.choices]


def _libelle(enum, valeur: str) -> str:
    return str(enum(valeur).label) if valeur else ""


def _oui(valeur: bool) -> str:
    return "oui" if valeur else "non"


# --- Organisations a person may name ------------------------------------------------------


class _Annuaire:
    """The organisations the person may see, found by SIREN or name; each is written in a
    cell so that it reads back to the same one: its name when no other bears it, else its
    SIREN. Others are not found and are written « Confidentiel » (no leak of existence)."""

    def __init__(self, user):
        # Whole rows: fiches.services reads a bearer's commune, EPCI and type.
        self.par_pk = {o.pk: o for o in organisations_visibles(user)}
        self.par_nom: dict[str, list] = defaultdict(list)
        self.par_siren: dict[str, list] = defaultdict(list)
        for o in self.par_pk.values():
            self.par_nom[_cle(o.nom)].append(o)
            if o.siren:
                self.par_siren[o.siren].append(o)

    def nommer(self, org) -> str:
        if org.pk not in self.par_pk:
            return MASQUE
        nom_sur = (
            len(self.par_nom[_cle(org.nom)]) == 1
            and SEPARATEUR not in org.nom
            and not SIREN.match(org.nom)
        )
        return org.nom if nom_sur or not org.siren else org.siren

    def nommer_liste(self, orgs) -> str:
        noms = [self.nommer(o) for o in orgs]
        visibles = [n for n in noms if n != MASQUE]
        return " ; ".join(visibles + ([MASQUE] if MASQUE in noms else []))

    def trouver(self, valeur, masque: bool = False):
        texte = _texte(valeur)
        if not texte:
            raise _Refus("valeur manquante.")
        if masque and _cle(texte) == _cle(MASQUE):
            return CONFIDENTIEL
        compact = re.sub(r"\s", "", texte)
        trouvees = self.par_siren[compact] if SIREN.match(compact) else self.par_nom[_cle(texte)]
        if len(trouvees) == 1:
            return trouvees[0]
        if not trouvees:
            raise _Refus(f"« {texte} » n'est pas une organisation connue (SIREN ou nom exact).")
        raise _Refus(f"« {texte} » désigne plusieurs organisations : donnez son SIREN.")

    def trouver_liste(self, valeur) -> list:
        return _liste(valeur, lambda nom: self.trouver(nom, masque=True))


def _liste(valeur, trouver) -> list:
    """Items separated by « ; », each found by `trouver`; all unknown ones in one message."""
    out, refus = [], []
    for morceau in _texte(valeur).split(SEPARATEUR):
        if morceau.strip():
            try:
                out.append(trouver(morceau.strip()))
            except _Refus as exc:
                refus.append(str(exc))
    if refus:
        raise _Refus(" ".join(refus))
    return out


# --- Export --------------------------------------------------------------------------------


def exporter(user, queryset) -> bytes:
    """The workbook of the fiches of `queryset` this person may see (see the module's doc)."""
    # Whatever the caller built, only what the person may see.
    fiches = list(_pour_export(queryset.filter(pk__in=fiches_visibles(user).values("pk"))))
    annuaire = _Annuaire(user)
    regions = _regions({f.territoire_id for f in fiches})
    wb = Workbook(write_only=True)
    feuilles = {nom: _feuille(wb, nom) for nom in COLONNES}
    # The export and the log of the secrets it reads are one unit.
    with transaction.atomic():
        for fiche in fiches:
            _exporter_fiche(feuilles, user, fiche, _contexte(fiche, regions), annuaire)
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


def _pour_export(queryset):
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


def _regions(territoires) -> dict[int, set[str]]:
    """Régions of each territory's current perimeter, in one query."""
    out: dict[int, set[str]] = defaultdict(set)
    rows = (
        Perimetre.objects.filter(date_fin__isnull=True, territoire_id__in=territoires)
        .values_list("territoire_id", "commune__region_id")
        .distinct()
    )
    for territoire, region in rows:
        out[territoire].add(region)
    return out


def _contexte(fiche, regions) -> Contexte:
    # FicheAction.contexte_acces() from what the export has already loaded (a test keeps the
    # two equal): its territory, its bearer, the régions of its territory.
    return Contexte(
        territoires={fiche.territoire_id},
        organisations={fiche.porteur_id},
        regions=set(regions[fiche.territoire_id]),
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


def _ligne_fiche(user, f: FicheAction, ctx, annuaire: _Annuaire) -> list:
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
        _libelle(PorteeGeo, f.portee),
        f.filiere.nom if f.filiere else "",
        _oui(f.collective),
        _libelle(Maturite, f.maturite),
        f.date_debut,
        f.date_fin,
        secrets.get("cout_total", f.cout_total),
        " ; ".join(m.nom for m in f.mesures.all()),
        _libelle(ContratValorise, f.contrat_valorise),
        _oui(f.demande_simplification),
        f.probleme,
        _libelle(NatureSimplification, f.nature_simplification),
        _libelle(Orientation, f.orientation),
        _libelle(Etat, f.etat),
    ]


def _ligne_financement(user, ref: str, li: LigneFinancement, ctx, annuaire: _Annuaire) -> list:
    secrets = _secrets(user, li, ctx)
    return [
        ref,
        annuaire.nommer(li.financeur),
        li.mesure.nom if li.mesure else "",
        li.section,
        secrets.get("montant", li.montant),
        _oui(li.de_minimis),
        _libelle(StatutLigne, li.statut),
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


# --- Reading cells -------------------------------------------------------------------------


class _Refus(Exception):
    """A cell that cannot be read; its message goes into the list of errors."""


class _Erreurs(list):
    """Errors found so far; checking stops at MAX_ERREURS (enough to fix a file by)."""

    def ajouter(self, feuille: str, ligne: int, message: str, colonne: str | None = None):
        if not self.pleine:
            lieu = f"{feuille}, ligne {ligne}" + (f", colonne {colonne}" if colonne else "")
            self.append(f"{lieu} : {message}")

    @property
    def pleine(self) -> bool:
        return len(self) >= MAX_ERREURS

    def refus(self) -> ImportInvalide:
        arret = [f"… arrêt après {MAX_ERREURS} erreurs."] if self.pleine else []
        return ImportInvalide([*self, *arret])


class _Ligne:
    """One row being read: each cell goes through its reader; a refusal is recorded with the
    sheet, line and column, and the other cells are still checked."""

    def __init__(self, feuille: str, numero: int, cellules: dict, erreurs: _Erreurs):
        self.feuille, self.numero, self.cellules, self.erreurs = feuille, numero, cellules, erreurs
        self.ok = True

    def lire(self, colonne: str, lecteur, *args):
        try:
            return lecteur(self.cellules[colonne], *args)
        except _Refus as exc:
            self.refuser(str(exc), colonne)
            return None

    def refuser(self, message: str, colonne: str | None = None) -> None:
        self.ok = False
        self.erreurs.ajouter(self.feuille, self.numero, message, colonne)


def _vide(v) -> bool:
    return v is None or (isinstance(v, str) and not v.strip())


def _texte(v) -> str:
    if v is None:
        return ""
    if isinstance(v, float) and v.is_integer():
        v = int(v)  # « 2024 » typed in a text column comes back as a number
    if isinstance(v, datetime):
        v = v.date()
    return _lu(str(v))


def _texte_requis(v) -> str:
    texte = _texte(v)
    if not texte:
        raise _Refus("valeur manquante.")
    return texte


def _masquable(lecteur):
    """« Confidentiel » in a cell that may hold a secret means « the stored value »."""

    def lire(v):
        return CONFIDENTIEL if _cle(_texte(v)) == _cle(MASQUE) else lecteur(v)

    return lire


def _nombre(v, quoi: str = "un nombre", regle=saisie.valider_positif) -> Decimal | None:
    if _vide(v):
        return None
    if isinstance(v, bool):
        raise _Refus(f"« {v} » n'est pas {quoi}.")
    if isinstance(v, int | float | Decimal):
        texte = str(v)
    else:  # « 12 345,50 € »
        texte = re.sub(r"[\s€]", "", str(v)).replace(",", ".")
    try:
        d = Decimal(texte)
    except InvalidOperation:
        raise _Refus(f"« {_texte(v)} » n'est pas {quoi}.") from None
    if not d.is_finite() or abs(d) >= PLAFOND:
        raise _Refus(f"« {_texte(v)} » n'est pas {quoi}.")
    try:
        regle(d)  # the rule of every channel (referentiel.saisie), with its message
    except ValidationError as exc:
        raise _Refus(" ".join(exc.messages)) from None
    return d.quantize(CENTIME)


def _montant(v) -> Decimal | None:
    return _nombre(v, "un montant en euros", saisie.valider_montant)


def _montant_requis(v) -> Decimal:
    d = _montant(v)
    if d is None:
        raise _Refus("valeur manquante.")
    return d


def _date(v) -> Date | None:
    if _vide(v):
        return None
    if isinstance(v, datetime):
        return v.date()
    if isinstance(v, Date):
        return v
    texte = _texte(v)
    for fmt in ("%d/%m/%Y", "%Y-%m-%d", "%d-%m-%Y", "%d/%m/%y"):
        try:
            return datetime.strptime(texte, fmt).date()
        except ValueError:
            continue
    raise _Refus(f"« {texte} » n'est pas une date (JJ/MM/AAAA).")


OUI = {"oui", "o", "vrai", "true", "1", "x"}
NON = {"non", "n", "faux", "false", "0"}


def _oui_non(v, defaut: bool) -> bool:
    if _vide(v):
        return defaut
    if isinstance(v, bool):
        return v
    cle = _cle(_texte(v))
    if cle in OUI | NON:
        return cle in OUI
    raise _Refus(f"« {_texte(v)} » : répondez oui ou non.")


def _choix(v, enum, nom: str, defaut: str | None = "") -> str:
    """A value of `enum`, given as its value or its label; empty gives `defaut` (None:
    the value is required)."""
    texte = _texte(v)
    if not texte:
        if defaut is None:
            raise _Refus("valeur manquante.")
        return defaut
    for valeur, libelle in enum.choices:
        if _cle(texte) in (_cle(valeur), _cle(libelle)):
            return valeur
    raise _Refus(f"« {texte} » n'est pas {nom} ({', '.join(_montrer(enum))}).")


def _axe(v, phase: int | None) -> str:
    """An axis or a priority, as its value or its label. Which of them the fiche's phase
    allows is the model's rule (FicheAction.clean), checked with the other rules of the row:
    one message for pages, API and spreadsheet."""
    texte = _texte(v)
    if not texte:
        raise _Refus("valeur manquante.")
    for valeur, libelle in CHOIX_AXES:
        if _cle(texte) in (_cle(valeur), _cle(libelle)):
            return valeur
    liste = classement(phase or 0)  # phase unreadable: the current list
    un = NOM_DU_CLASSEMENT[liste][1]
    raise _Refus(f"« {texte} » n'est pas {un} ({', '.join(_montrer(liste))}).")


# --- What the file refers to ----------------------------------------------------------------


class _Index:
    """Territories, organisations, measures and filières, loaded once for the whole file."""

    def __init__(self, user):
        self.annuaire = _Annuaire(user)
        self.phases = set(Phase.objects.values_list("numero", flat=True))
        self.territoires = {(t.phase_id, t.code): t for t in Territoire.objects.all()}
        self.filieres = {_cle(f.nom): f for f in Filiere.objects.all()}
        self.mesures: dict[str, list[Mesure]] = defaultdict(list)
        for m in Mesure.objects.all():
            self.mesures[_cle(m.nom)].append(m)
        self._regions: dict[int, set[str]] | None = None

    def phase(self, v) -> int:
        texte = _texte_requis(v)
        if not texte.isdigit() or int(texte) not in self.phases:
            phases = ", ".join(str(p) for p in sorted(self.phases))
            raise _Refus(f"« {texte} » n'est pas une phase ({phases}).")
        return int(texte)

    def territoire(self, v, phase: int) -> Territoire:
        code = _texte_requis(v)
        if code.isdigit() and len(code) < 4:
            code = code.zfill(4)  # « 0101 » read back as the number 101
        t = next(
            (
                self.territoires[(phase, c)]
                for c in variantes_code(code)
                if (phase, c) in self.territoires
            ),
            None,
        )
        if t is None:
            raise _Refus(f"« {code} » n'est pas un territoire de la phase {phase}.")
        return t

    def filiere(self, v) -> Filiere | None:
        texte = _texte(v)
        if not texte:
            return None
        if _cle(texte) not in self.filieres:
            raise _Refus(f"« {texte} » n'est pas une filière de la liste.")
        return self.filieres[_cle(texte)]

    def mesure(self, v, territoire: Territoire | None = None) -> Mesure | None:
        texte = _texte(v)
        if not texte:
            return None
        trouvees = self.mesures.get(_cle(texte), [])
        if len(trouvees) > 1 and territoire is not None:
            # A regional measure may share its name with another Région's: keep the fiche's.
            regions = self.regions(territoire.pk)
            trouvees = [m for m in trouvees if m.region_id is None or m.region_id in regions]
        if len(trouvees) == 1:
            return trouvees[0]
        if not trouvees:
            raise _Refus(f"« {texte} » n'est pas une mesure du panier de services.")
        raise _Refus(f"« {texte} » désigne plusieurs mesures.")

    def mesures_liste(self, v, territoire: Territoire | None) -> list[Mesure]:
        return _liste(v, lambda nom: self.mesure(nom, territoire))

    def regions(self, territoire: int) -> set[str]:
        if self._regions is None:
            self._regions = _regions({t.pk for t in self.territoires.values()})
        return self._regions[territoire]


# --- Rows read -----------------------------------------------------------------------------


@dataclass(eq=False)
class _LigneLue:
    ligne: int
    financeur: object  # Organisation or CONFIDENTIEL
    mesure: Mesure | None
    section: str
    montant: object  # Decimal or CONFIDENTIEL
    de_minimis: bool
    # None: the default secrecy of fiches.services (a firm's amounts are secret).
    champs_secrets: list[str] | None = None

    def poste(self) -> tuple:
        mesure = self.mesure.pk if self.mesure else None
        return (self.financeur.pk, mesure, self.section, self.montant, self.de_minimis)

    def donnees(self) -> dict:
        donnees = {
            "financeur": self.financeur,
            "mesure": self.mesure,
            "section": self.section,
            "montant": self.montant,
            "de_minimis": self.de_minimis,
        }
        if self.champs_secrets is not None:
            donnees["champs_secrets"] = self.champs_secrets
        return donnees


@dataclass(eq=False)
class _IndicateurLu:
    ligne: int
    libelle: str
    unite: str
    cible: Decimal | None

    def donnees(self) -> dict:
        return {"libelle": self.libelle, "unite": self.unite, "cible": self.cible}


@dataclass(eq=False)
class _FicheLue:
    ligne: int
    cle: str  # links the rows of the three sheets: reference or provisional label
    numero: int | None  # the number the Référence gives, for an existing fiche
    territoire: Territoire
    donnees: dict
    partenaires: list  # Organisation or CONFIDENTIEL, then a set of ids once resolved
    mesures: set[int]
    lignes: list[_LigneLue] = field(default_factory=list)
    indicateurs: list[_IndicateurLu] = field(default_factory=list)
    fiche: FicheAction | None = None  # the stored fiche it designates
    deja: list[FicheAction] = field(default_factory=list)  # same title and bearer

    @property
    def reference(self) -> str:
        return self.fiche.reference if self.fiche else (self.cle or f"ligne {self.ligne}")


def _reference(v) -> tuple[str, tuple[str, int] | None]:
    """(key linking the three sheets, (territory code, number) when it names a fiche)."""
    texte = _texte(v)
    if not texte:
        return "", None
    m = REFERENCE.match(texte)
    if m:
        code, numero = m.group(1).lower(), int(m.group(2))
        return f"{code}-{numero:02d}", (code, numero)
    if PROVISOIRE.match(_cle(texte)):
        return _cle(texte), None
    raise _Refus(
        f"« {texte} » n'est pas une référence (ti-8401-03, ou 8401-03 en phase 1 ; vide ou "
        "« nouvelle-1 » pour une nouvelle fiche)."
    )


def _lire_fiche(ligne: _Ligne, idx: _Index) -> _FicheLue | None:
    cle, numero = ligne.lire("Référence", _reference) or ("", None)
    phase = ligne.lire("Phase", idx.phase)
    territoire = ligne.lire("Territoire", idx.territoire, phase) if phase else None
    if numero and territoire and numero[0] != territoire.code:
        ligne.refuser(
            f"la fiche {cle} est du territoire {numero[0]}, pas {territoire.code} : une fiche "
            "ne change pas de territoire.",
            "Territoire",
        )
    donnees = _lire_contenu(ligne, idx, phase)
    partenaires = ligne.lire("Partenaires", idx.annuaire.trouver_liste)
    mesures = ligne.lire("Mesures", idx.mesures_liste, territoire)
    if not ligne.ok:
        return None
    return _FicheLue(
        ligne=ligne.numero,
        cle=cle,
        numero=numero[1] if numero else None,
        territoire=territoire,
        donnees=donnees,
        partenaires=partenaires,
        mesures={m.pk for m in mesures},
    )


def _lire_contenu(ligne: _Ligne, idx: _Index, phase: int | None) -> dict:
    """The fields of a fiche, as fiches.services takes them."""
    return {
        "titre": ligne.lire("Titre", _texte),  # required: the model says so, as elsewhere
        "axe": ligne.lire("Axe", _axe, phase),
        "contexte": ligne.lire("Contexte et objectifs", _texte),
        "description": ligne.lire("Description", _masquable(_texte)),
        "porteur": ligne.lire("Porteur", idx.annuaire.trouver, True),
        "portee": ligne.lire("Périmètre", _choix, PorteeGeo, "un périmètre", PorteeGeo.TERRITOIRE),
        "filiere": ligne.lire("Filière", idx.filiere),
        "collective": ligne.lire("Collective", _oui_non, True),
        "maturite": ligne.lire("Maturité", _choix, Maturite, "une maturité", Maturite.IDEE),
        "date_debut": ligne.lire("Début", _date),
        "date_fin": ligne.lire("Fin", _date),
        "cout_total": ligne.lire("Coût total (€)", _masquable(_montant)),
        "contrat_valorise": ligne.lire("Contrat valorisé", _choix, ContratValorise, "un contrat"),
        "demande_simplification": ligne.lire("Demande de simplification", _oui_non, False),
        "probleme": ligne.lire("Problème", _texte),
        "nature_simplification": ligne.lire(
            "Proposition", _choix, NatureSimplification, "une proposition"
        ),
        "orientation": ligne.lire("Orientation", _choix, Orientation, "une orientation"),
    }


def _lire_fiches(rows, idx: _Index, erreurs: _Erreurs) -> tuple[dict[str, _FicheLue], list, set]:
    """The rows of « Fiches »: by linking key, the rows without one, and the keys refused
    (whose lines are then not checked, to spare errors that only repeat the first)."""
    par_cle: dict[str, _FicheLue] = {}
    sans_cle: list[_FicheLue] = []
    refusees: set[str] = set()
    for numero, cellules in rows:
        if erreurs.pleine:
            break
        ligne = _Ligne(FICHES, numero, cellules, erreurs)
        lue = _lire_fiche(ligne, idx)
        cle = _cle_de(cellules["Référence"])
        if lue is None:
            if cle:
                refusees.add(cle)
        elif not lue.cle:
            sans_cle.append(lue)
        elif lue.cle in par_cle:
            ligne.refuser(
                f"la référence {lue.cle} est déjà donnée ligne {par_cle[lue.cle].ligne}.",
                "Référence",
            )
        else:
            par_cle[lue.cle] = lue
    return par_cle, sans_cle, refusees


def _cle_de(v) -> str:
    try:
        return _reference(v)[0]
    except _Refus:
        return _cle(_texte(v))


def _fiche_de(v, fiches: dict[str, _FicheLue]) -> _FicheLue:
    cle = _cle_de(v)
    if not cle:
        raise _Refus("valeur manquante.")
    if cle not in fiches:
        raise _Refus(f"« {_texte(v)} » n'est pas une référence de la feuille {FICHES}.")
    return fiches[cle]


def _lire_financements(rows, idx: _Index, fiches, refusees, erreurs: _Erreurs) -> None:
    for numero, cellules in rows:
        if erreurs.pleine:
            break
        if _cle_de(cellules["Référence"]) in refusees:
            continue
        ligne = _Ligne(FINANCEMENTS, numero, cellules, erreurs)
        lue = ligne.lire("Référence", _fiche_de, fiches)
        poste = _LigneLue(
            ligne=numero,
            financeur=ligne.lire("Financeur", idx.annuaire.trouver, True),
            mesure=ligne.lire("Mesure", idx.mesure, lue.territoire if lue else None),
            section=ligne.lire("Section", _choix, Section, "une section", None),
            montant=ligne.lire("Montant (€)", _masquable(_montant_requis)),
            de_minimis=ligne.lire("De minimis", _oui_non, False),
        )
        if ligne.ok:
            lue.lignes.append(poste)


def _lire_indicateurs(rows, fiches, refusees, erreurs: _Erreurs) -> None:
    for numero, cellules in rows:
        if erreurs.pleine:
            break
        if _cle_de(cellules["Référence"]) in refusees:
            continue
        ligne = _Ligne(INDICATEURS, numero, cellules, erreurs)
        lue = ligne.lire("Référence", _fiche_de, fiches)
        ind = _IndicateurLu(
            ligne=numero,
            libelle=ligne.lire("Indicateur", _texte),
            unite=ligne.lire("Unité", _texte),
            cible=ligne.lire("Cible", _nombre),
        )
        if ligne.ok and _indicateur_valide(ligne, ind, lue):
            lue.indicateurs.append(ind)


def _indicateur_valide(ligne: _Ligne, ind: _IndicateurLu, lue: _FicheLue) -> bool:
    try:
        Indicateur(libelle=ind.libelle, unite=ind.unite, cible=ind.cible).clean_fields(
            exclude=["fiche"]
        )
    except ValidationError as exc:
        for champ, messages in exc.message_dict.items():
            ligne.refuser(" ".join(messages), COLONNE_DU_CHAMP.get(champ))
        return False
    autre = next((i for i in lue.indicateurs if _cle(i.libelle) == _cle(ind.libelle)), None)
    if autre:
        ligne.refuser(f"indicateur déjà donné ligne {autre.ligne} pour cette fiche.", "Indicateur")
        return False
    return True


# --- Rows against what is stored -----------------------------------------------------------


def _fiches_existantes(user, territoires: set[int]) -> list[FicheAction]:
    """The stored fiches a row may designate: only those the person may see."""
    return list(
        fiches_visibles(user)
        .filter(territoire_id__in=territoires)
        .select_related("territoire", "porteur", "filiere")
        .prefetch_related(
            Prefetch("lignes", queryset=LigneFinancement.objects.order_by("id")),
            "partenaires",
            "mesures",
            "indicateurs",
        )
    )


def _rattacher(lues: list[_FicheLue], user, erreurs: _Erreurs) -> list[_FicheLue]:
    """Finds the fiche each row designates: by its Référence, or, for a row without one, the
    fiches of the same territory with the same title and bearer (a file imported again).
    Returns the rows that found theirs (or need none)."""
    existantes = _fiches_existantes(user, {lue.territoire.pk for lue in lues})
    par_numero = {(f.territoire_id, f.numero): f for f in existantes}
    par_titre = defaultdict(list)
    for f in existantes:
        par_titre[(f.territoire_id, _cle(f.titre), f.porteur_id)].append(f)
    vues: dict[tuple, int] = {}
    trouvees = []
    for lue in lues:
        if lue.numero is not None:
            lue.fiche = par_numero.get((lue.territoire.pk, lue.numero))
            if lue.fiche is None:
                erreurs.ajouter(FICHES, lue.ligne, f"fiche {lue.cle} introuvable.", "Référence")
                continue
        elif lue.donnees["porteur"] is not CONFIDENTIEL:  # else refused as a new fiche's
            cle = (lue.territoire.pk, _cle(lue.donnees["titre"]), lue.donnees["porteur"].pk)
            if cle in vues:
                erreurs.ajouter(
                    FICHES,
                    lue.ligne,
                    f"même territoire, titre et porteur que la ligne {vues[cle]}.",
                )
                continue
            vues[cle] = lue.ligne
            lue.deja = par_titre.get(cle, [])
        trouvees.append(lue)
    return trouvees


def _refuser_masque(erreurs: _Erreurs, feuille: str, ligne: int, colonne: str) -> None:
    message = "« Confidentiel » ne vaut que pour une valeur déjà enregistrée : donnez la valeur."
    erreurs.ajouter(feuille, ligne, message, colonne)


def _resoudre(lue: _FicheLue, annuaire: _Annuaire, erreurs: _Erreurs) -> None:
    """« Confidentiel » takes the stored value, which only a designated fiche has."""
    fiche = lue.fiche
    for nom in ("description", "cout_total", "porteur"):
        if lue.donnees[nom] is CONFIDENTIEL:
            if fiche is None:
                _refuser_masque(erreurs, FICHES, lue.ligne, COLONNE_DU_CHAMP[nom])
            else:
                lue.donnees[nom] = getattr(fiche, nom)
    if CONFIDENTIEL in lue.partenaires and fiche is None:
        _refuser_masque(erreurs, FICHES, lue.ligne, "Partenaires")
    # Partners the person may not see stay: they could not have listed them.
    caches = {p.pk for p in fiche.partenaires.all() if p.pk not in annuaire.par_pk} if fiche else ()
    lue.partenaires = {o.pk for o in lue.partenaires if o is not CONFIDENTIEL} | set(caches)
    _resoudre_lignes(lue, annuaire, erreurs)


def _resoudre_lignes(lue: _FicheLue, annuaire: _Annuaire, erreurs: _Erreurs) -> None:
    """Each row of « Financements » is paired with the stored line it stands for: it takes
    that line's secrecy (kept even when the lines are rewritten) and its masked values."""
    restantes = list(lue.fiche.lignes.all()) if lue.fiche else []
    for poste in lue.lignes:
        ancienne = _apparier(poste, restantes, annuaire)
        if ancienne is None:
            if CONFIDENTIEL in (poste.financeur, poste.montant):
                colonne = "Financeur" if poste.financeur is CONFIDENTIEL else "Montant (€)"
                _refuser_masque(erreurs, FINANCEMENTS, poste.ligne, colonne)
            continue
        restantes.remove(ancienne)
        poste.champs_secrets = list(ancienne.champs_secrets or [])
        if poste.financeur is CONFIDENTIEL:
            poste.financeur = ancienne.financeur
        if poste.montant is CONFIDENTIEL:
            poste.montant = ancienne.montant


def _apparier(poste: _LigneLue, anciennes: list, annuaire: _Annuaire):
    """The stored line a row stands for: same funder, measure and section (the same amount
    first), so that « Confidentiel » and secrecy follow the right line."""

    def meme_poste(a):
        if poste.financeur is CONFIDENTIEL:
            financeur = a.financeur_id not in annuaire.par_pk
        else:
            financeur = a.financeur_id == poste.financeur.pk
        mesure = poste.mesure.pk if poste.mesure else None
        return financeur and a.mesure_id == mesure and a.section == poste.section

    candidates = [a for a in anciennes if meme_poste(a)]
    return next((a for a in candidates if a.montant == poste.montant), None) or next(
        iter(candidates), None
    )


def _comparable(v):
    if hasattr(v, "_meta"):
        return v.pk
    return _propre(v) if isinstance(v, str) else v


def _differences(lue: _FicheLue, fiche: FicheAction) -> list[str]:
    """The columns (or sheets) where the row differs from the stored fiche."""
    out = [
        COLONNE_DU_CHAMP[nom]
        for nom in lue.donnees
        if _comparable(lue.donnees[nom]) != _comparable(getattr(fiche, nom))
    ]
    if lue.partenaires != {p.pk for p in fiche.partenaires.all()}:
        out.append("Partenaires")
    if lue.mesures != {m.pk for m in fiche.mesures.all()}:
        out.append("Mesures")
    if _lignes_differentes(lue, fiche):
        out.append(FINANCEMENTS)
    if _indicateurs_differents(lue, fiche):
        out.append(INDICATEURS)
    return out


def _lignes_differentes(lue: _FicheLue, fiche: FicheAction) -> bool:
    stockees = Counter(
        (li.financeur_id, li.mesure_id, li.section, li.montant, li.de_minimis)
        for li in fiche.lignes.all()
    )
    return Counter(p.poste() for p in lue.lignes) != stockees


def _indicateurs_differents(lue: _FicheLue, fiche: FicheAction) -> bool:
    stockes = Counter(
        (_propre(i.libelle), _propre(i.unite), i.cible) for i in fiche.indicateurs.all()
    )
    return Counter((i.libelle, i.unite, i.cible) for i in lue.indicateurs) != stockes


def _valider(lue: _FicheLue, erreurs: _Erreurs) -> None:
    """The model's own checks that need no database, so that they come with the others."""
    donnees = {k: v for k, v in lue.donnees.items() if k not in ("porteur", "filiere")}
    fiche = FicheAction(territoire=lue.territoire, numero=1, **donnees)
    messages: dict[str, list[str]] = {}
    for controle in (lambda: fiche.clean_fields(exclude=["territoire", "porteur"]), fiche.clean):
        try:
            controle()
        except ValidationError as exc:
            for champ, textes in exc.message_dict.items():
                messages.setdefault(champ, []).extend(textes)
    if fiche.date_debut and fiche.date_fin and fiche.date_fin < fiche.date_debut:
        messages.setdefault("date_fin", []).append("la fin précède le début.")
    for champ, textes in messages.items():
        erreurs.ajouter(FICHES, lue.ligne, " ".join(textes), COLONNE_DU_CHAMP.get(champ))


def _planifier(lue: _FicheLue, user, erreurs: _Erreurs) -> str:
    """What the row will do: « creer », « modifier » or « rien »; refusals are errors now,
    before anything is written."""
    if lue.fiche is None:
        return _planifier_creation(lue, user, erreurs)
    differences = _differences(lue, lue.fiche)
    if not differences:
        return "rien"
    ref, porteur = lue.fiche.reference, lue.donnees["porteur"]
    if not autoriser(user, "modifier", lue.fiche):
        erreurs.ajouter(FICHES, lue.ligne, f"vous ne pouvez pas modifier la fiche {ref}.")
    elif porteur.pk != lue.fiche.porteur_id and not peut_creer(user, lue.territoire, porteur):
        erreurs.ajouter(
            FICHES,
            lue.ligne,
            f"« {porteur.nom} » ne peut pas porter une fiche du territoire {lue.territoire.code}.",
            "Porteur",
        )
    elif lue.fiche.etat != Etat.BROUILLON:
        erreurs.ajouter(
            FICHES,
            lue.ligne,
            f"la fiche {ref} est soumise (« {_libelle(Etat, lue.fiche.etat)} ») : elle ne se "
            "modifie plus ; demandez au comité qu'elle soit « à retravailler ». "
            f"Différences : {', '.join(differences)}.",
        )
    return "modifier"


def _planifier_creation(lue: _FicheLue, user, erreurs: _Erreurs) -> str:
    if any(not _differences(lue, f) for f in lue.deja):
        return "rien"  # the same fiche, imported again
    if lue.deja:
        refs = ", ".join(f.reference for f in lue.deja)
        erreurs.ajouter(
            FICHES,
            lue.ligne,
            f"la fiche {refs} a déjà ce titre et ce porteur : pour la modifier, indiquez sa "
            "référence.",
        )
    elif not peut_creer(user, lue.territoire, lue.donnees["porteur"]):
        erreurs.ajouter(
            FICHES,
            lue.ligne,
            f"vous ne pouvez pas créer de fiche pour le territoire {lue.territoire.code} "
            "avec ce porteur.",
        )
    return "creer"


# --- Import --------------------------------------------------------------------------------


def importer(content: bytes, *, user, dry_run: bool = False) -> Rapport:
    """Brings the fiches of the file into the platform, as `user`. All or nothing."""
    debut = time.perf_counter()
    feuilles = _lire_classeur(content)
    rapport = Rapport(
        fiches=len(feuilles[FICHES]),
        financements=len(feuilles[FINANCEMENTS]),
        indicateurs=len(feuilles[INDICATEURS]),
        dry_run=dry_run,
    )
    plan = _preparer(feuilles, user)
    erreurs = _Erreurs()
    with transaction.atomic():
        for lue, action in plan:
            _appliquer(lue, action, user, rapport, erreurs)
        if erreurs or dry_run:
            transaction.set_rollback(True)
    if erreurs:
        raise erreurs.refus()
    rapport.secondes = time.perf_counter() - debut
    return rapport


def _lire_classeur(content: bytes) -> dict[str, list[tuple[int, dict]]]:
    """The rows of the three sheets, {sheet: [(line number, {column: value})]}."""
    try:
        with warnings.catch_warnings():
            # openpyxl warns about what it drops (styles, extensions), never about data.
            warnings.simplefilter("ignore")
            wb = load_workbook(io.BytesIO(content), read_only=True, data_only=True)
    except (zipfile.BadZipFile, InvalidFileException, KeyError, OSError, ValueError) as exc:
        raise ImportInvalide(["Fichier illisible : ce n'est pas un classeur XLSX."]) from exc
    try:
        noms = {_cle(ws.title): ws for ws in wb.worksheets}
        manquantes = [nom for nom in COLONNES if _cle(nom) not in noms]
        if manquantes:
            raise ImportInvalide(
                [
                    f"Feuille « {nom} » absente : le classeur doit contenir les feuilles "
                    f"{FICHES}, {FINANCEMENTS} et {INDICATEURS}."
                    for nom in manquantes
                ]
            )
        erreurs = _Erreurs()
        feuilles = {nom: _lignes_de(noms[_cle(nom)], nom, erreurs) for nom in COLONNES}
    finally:
        wb.close()
    if erreurs:
        raise erreurs.refus()
    return feuilles


def _lignes_de(ws, feuille: str, erreurs: _Erreurs) -> list[tuple[int, dict]]:
    rows = ws.iter_rows(values_only=True)
    entete = next(rows, None) or ()
    positions = {_cle_entete(v): i for i, v in enumerate(entete) if not _vide(v)}
    lues = [c for c in COLONNES[feuille] if c not in EXPORT_SEUL]
    manquantes = [c for c in lues if _cle_entete(c) not in positions and c not in OPTIONNELLES]
    if manquantes:
        noms = ", ".join(f"« {c} »" for c in manquantes)
        erreurs.ajouter(feuille, 1, f"colonne{'s' * (len(manquantes) > 1)} absente : {noms}.")
        return []
    index = {c: positions.get(_cle_entete(c), -1) for c in lues}  # -1: optional, absent
    out = []
    for numero, valeurs_ligne in enumerate(rows, start=2):
        if all(_vide(v) for v in valeurs_ligne):
            continue
        n = len(valeurs_ligne)
        out.append(
            (numero, {c: valeurs_ligne[i] if 0 <= i < n else None for c, i in index.items()})
        )
    return out


def _preparer(feuilles, user) -> list[tuple[_FicheLue, str]]:
    """Checks the whole file against the platform; raises ImportInvalide with every error."""
    erreurs = _Erreurs()
    idx = _Index(user)
    par_cle, sans_cle, refusees = _lire_fiches(feuilles[FICHES], idx, erreurs)
    _lire_financements(feuilles[FINANCEMENTS], idx, par_cle, refusees, erreurs)
    _lire_indicateurs(feuilles[INDICATEURS], par_cle, refusees, erreurs)
    lues = sorted([*par_cle.values(), *sans_cle], key=lambda lue: lue.ligne)
    lues = _rattacher(lues, user, erreurs)
    plan = []
    for lue in lues:
        if erreurs.pleine:
            break
        avant = len(erreurs)
        _resoudre(lue, idx.annuaire, erreurs)
        if len(erreurs) == avant:
            _valider(lue, erreurs)
        if len(erreurs) == avant:
            plan.append((lue, _planifier(lue, user, erreurs)))
    if erreurs:
        raise erreurs.refus()
    return plan


def _appliquer(lue: _FicheLue, action: str, user, rapport: Rapport, erreurs: _Erreurs) -> None:
    """Writes one fiche through fiches.services; a refusal there is an error line too (and
    the whole import is then rolled back)."""
    if action == "rien":
        rapport.inchanges += 1
        return
    try:
        with transaction.atomic():
            if action == "creer":
                rapport.crees.append(_creer(lue, user).reference)
            else:
                rapport.modifies.append(_modifier(lue, user).reference)
    except (PermissionDenied, ValidationError, ConflitEdition, IntegrityError) as exc:
        erreurs.ajouter(FICHES, lue.ligne, _message(exc, lue))


def _message(exc: Exception, lue: _FicheLue) -> str:
    if isinstance(exc, ConflitEdition):
        return f"la fiche {lue.reference} a été modifiée entre-temps : réimportez le fichier."
    if isinstance(exc, ValidationError):
        return " ".join(saisie.messages(exc))
    if isinstance(exc, IntegrityError):
        return f"la fiche {lue.reference} contredit une règle de la base ({exc})."
    return str(exc)


def _creer(lue: _FicheLue, user) -> FicheAction:
    m2m = {"partenaires": lue.partenaires, "mesures": lue.mesures}
    return services.creer_fiche(
        user=user,
        territoire=lue.territoire,
        donnees=lue.donnees,
        lignes=[p.donnees() for p in lue.lignes],
        m2m={nom: ids for nom, ids in m2m.items() if ids},  # empty sets cost queries for nothing
        indicateurs=[i.donnees() for i in lue.indicateurs],
    )


def _modifier(lue: _FicheLue, user) -> FicheAction:
    ancienne = lue.fiche
    m2m = {}
    if lue.partenaires != {p.pk for p in ancienne.partenaires.all()}:
        m2m["partenaires"] = lue.partenaires
    if lue.mesures != {m.pk for m in ancienne.mesures.all()}:
        m2m["mesures"] = lue.mesures
    lignes = [p.donnees() for p in lue.lignes] if _lignes_differentes(lue, ancienne) else None
    return services.modifier_fiche(
        user=user,
        fiche=ancienne,
        version=ancienne.version,
        donnees=lue.donnees,
        lignes=lignes,
        m2m=m2m,
        indicateurs=(
            [i.donnees() for i in lue.indicateurs]
            if _indicateurs_differents(lue, ancienne)
            else None
        ),
    )
