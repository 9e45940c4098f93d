"""Reading a workbook: its sheets and columns, then every row of every sheet checked cell by
cell; what each row says, linked to its fiche by the Référence, or every error with its
sheet, line and column."""

from __future__ import annotations

import io
import re
import warnings
import zipfile
from dataclasses import dataclass, field
from decimal import Decimal

from django.core.exceptions import ValidationError
from openpyxl import load_workbook
from openpyxl.utils.exceptions import InvalidFileException

from mesures.models import Mesure
from referentiel.imports import Erreurs, ImportInvalide
from territoires.models import Territoire
from territoires.selectors import code_territoire

from ..enums import ContratValorise, Maturite, NatureSimplification, Orientation, PorteeGeo, Section
from ..models import FicheAction, Indicateur
from . import cellules
from .annuaire import Index
from .cellules import Ligne, Refus, cle, cle_entete, masquable
from .colonnes import (
    COLONNE_DU_CHAMP,
    COLONNES,
    EXPORT_SEUL,
    FICHES,
    FINANCEMENTS,
    INDICATEURS,
    OPTIONNELLES,
)

# « 8401-03 » in phase 1, « ti-8401-03 » in phase 2: the territory's id, then the number.
REFERENCE = re.compile(r"^(\S+)-(\d{1,4})$")
PROVISOIRE = re.compile(r"^nouvelle")


# --- The workbook --------------------------------------------------------------------------


def lire_classeur(content: bytes) -> dict[str, list[tuple[int, dict]]]:
    """The rows of the three sheets, {sheet: [(line number, {column: value})]}."""
    try:
        with warnings.catch_warnings():
            # openpyxl warns about what it drops (styles, extensions), never about data.
            warnings.simplefilter("ignore")
            wb = load_workbook(io.BytesIO(content), read_only=True, data_only=True)
    except (zipfile.BadZipFile, InvalidFileException, KeyError, OSError, ValueError) as exc:
        raise ImportInvalide(["Fichier illisible : ce n'est pas un classeur XLSX."]) from exc
    try:
        noms = {cle(ws.title): ws for ws in wb.worksheets}
        manquantes = [nom for nom in COLONNES if cle(nom) not in noms]
        if manquantes:
            raise ImportInvalide(
                [
                    f"Feuille « {nom} » absente : le classeur doit contenir les feuilles "
                    f"{FICHES}, {FINANCEMENTS} et {INDICATEURS}."
                    for nom in manquantes
                ]
            )
        erreurs = Erreurs()
        feuilles = {nom: _lignes_de(noms[cle(nom)], nom, erreurs) for nom in COLONNES}
    finally:
        wb.close()
    if erreurs:
        raise erreurs.refus()
    return feuilles


# The status of a line is read-only here (its funder decides it), and « payé » is no status:
# a line's payments are imported by its funder's payments file (financements).
PAYE = {cle("Payé"), cle("payee")}
REFUS_PAYE = (
    "le statut « payé » n'existe plus : les paiements s'importent par le fichier des "
    "paiements du financeur (page « Importer un fichier de paiements »)."
)


def _lignes_de(ws, feuille: str, erreurs: Erreurs) -> list[tuple[int, dict]]:
    rows = ws.iter_rows(values_only=True)
    entete = next(rows, None) or ()
    positions = {cle_entete(v): i for i, v in enumerate(entete) if not cellules.vide(v)}
    lues = [c for c in COLONNES[feuille] if c not in EXPORT_SEUL]
    manquantes = [c for c in lues if cle_entete(c) not in positions and c not in OPTIONNELLES]
    if manquantes:
        noms = ", ".join(f"« {c} »" for c in manquantes)
        message = f"colonne{'s' * (len(manquantes) > 1)} absente : {noms}."
        erreurs.ajouter(message, ligne=1, feuille=feuille)
        return []
    index = {c: positions.get(cle_entete(c), -1) for c in lues}  # -1: optional, absent
    statut = positions.get(cle_entete("Statut"), -1) if feuille == FINANCEMENTS else -1
    out = []
    for numero, valeurs_ligne in enumerate(rows, start=2):
        if all(cellules.vide(v) for v in valeurs_ligne):
            continue
        n = len(valeurs_ligne)
        v = valeurs_ligne[statut] if 0 <= statut < n else None
        if not cellules.vide(v) and cle(str(v)) in PAYE:
            erreurs.ajouter(REFUS_PAYE, ligne=numero, feuille=feuille)
        out.append(
            (numero, {c: valeurs_ligne[i] if 0 <= i < n else None for c, i in index.items()})
        )
    return out


# --- Rows read -----------------------------------------------------------------------------


@dataclass(eq=False)
class LigneLue:
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
class IndicateurLu:
    ligne: int
    libelle: str
    unite: str
    cible: Decimal | None

    def donnees(self) -> dict:
        return {"libelle": self.libelle, "unite": self.unite, "cible": self.cible}


@dataclass(eq=False)
class FicheLue:
    ligne: int
    cle: str  # links the rows of the three sheets: reference or provisional label
    numero: int | None  # the number the Référence gives, for an existing fiche
    territoire: Territoire
    donnees: dict
    partenaires: list  # Organisation or CONFIDENTIEL, then a set of ids once resolved
    mesures: set[int]
    lignes: list[LigneLue] = field(default_factory=list)
    indicateurs: list[IndicateurLu] = field(default_factory=list)
    fiche: FicheAction | None = None  # the stored fiche it designates
    deja: list[FicheAction] = field(default_factory=list)  # same title and bearer

    @property
    def reference(self) -> str:
        return self.fiche.reference if self.fiche else (self.cle or f"ligne {self.ligne}")


def _reference(v) -> tuple[str, tuple[str, int] | None]:
    """(key linking the three sheets, (territory code, number) when it names a fiche)."""
    texte = cellules.texte(v)
    if not texte:
        return "", None
    m = REFERENCE.match(texte)
    code = code_territoire(m.group(1)) if m else None
    if code:
        numero = int(m.group(2))
        return f"{code}-{numero:02d}", (code, numero)
    if PROVISOIRE.match(cle(texte)):
        return cle(texte), None
    raise Refus(
        f"« {texte} » n'est pas une référence (ti-8401-03, ou 8401-03 en phase 1 ; vide ou "
        "« nouvelle-1 » pour une nouvelle fiche)."
    )


def _cle_de(v) -> str:
    try:
        return _reference(v)[0]
    except Refus:
        return cle(cellules.texte(v))


def _fiche_de(v, fiches: dict[str, FicheLue]) -> FicheLue:
    lien = _cle_de(v)
    if not lien:
        raise Refus("valeur manquante.")
    if lien not in fiches:
        raise Refus(f"« {cellules.texte(v)} » n'est pas une référence de la feuille {FICHES}.")
    return fiches[lien]


# --- « Fiches » ----------------------------------------------------------------------------


def _lire_fiche(ligne: Ligne, idx: Index) -> FicheLue | None:
    lien, numero = ligne.lire("Référence", _reference) or ("", None)
    phase = ligne.lire("Phase", idx.phase)
    territoire = ligne.lire("Territoire", idx.territoire, phase) if phase else None
    if numero and territoire and numero[0] != territoire.code:
        ligne.refuser(
            f"la fiche {lien} est du territoire {numero[0]}, pas {territoire.code} : une fiche "
            "ne change pas de territoire.",
            "Territoire",
        )
    donnees = _lire_contenu(ligne, idx, phase)
    partenaires = ligne.lire("Partenaires", idx.annuaire.trouver_liste)
    mesures = ligne.lire("Mesures", idx.mesures_liste, territoire)
    if not ligne.ok:
        return None
    return FicheLue(
        ligne=ligne.numero,
        cle=lien,
        numero=numero[1] if numero else None,
        territoire=territoire,
        donnees=donnees,
        partenaires=partenaires,
        mesures={m.pk for m in mesures},
    )


def _lire_contenu(ligne: Ligne, idx: Index, phase: int | None) -> dict:
    """The fields of a fiche, as fiches.services takes them."""
    lire, c = ligne.lire, cellules
    return {
        "titre": lire("Titre", c.texte),  # required: the model says so, as elsewhere
        "axe": lire("Axe", c.axe, phase),
        "contexte": lire("Contexte et objectifs", c.texte),
        "description": lire("Description", masquable(c.texte)),
        "porteur": lire("Porteur", idx.annuaire.trouver, True),
        "portee": lire("Périmètre", c.choix, PorteeGeo, "un périmètre", PorteeGeo.TERRITOIRE),
        "filiere": lire("Filière", idx.filiere),
        "collective": lire("Collective", c.oui_non, True),
        "maturite": lire("Maturité", c.choix, Maturite, "une maturité", Maturite.IDEE),
        "date_debut": lire("Début", c.date),
        "date_fin": lire("Fin", c.date),
        "cout_total": lire("Coût total (€)", masquable(c.montant)),
        "contrat_valorise": lire("Contrat valorisé", c.choix, ContratValorise, "un contrat"),
        "demande_simplification": lire("Demande de simplification", c.oui_non, False),
        "probleme": lire("Problème", c.texte),
        "nature_simplification": lire(
            "Proposition", c.choix, NatureSimplification, "une proposition"
        ),
        "orientation": lire("Orientation", c.choix, Orientation, "une orientation"),
    }


def lire_fiches(rows, idx: Index, erreurs: Erreurs) -> tuple[dict[str, FicheLue], list, set]:
    """The rows of « Fiches »: by linking key, the rows without one, and the keys refused
    (whose lines are then not checked, to spare errors that only repeat the first)."""
    par_cle: dict[str, FicheLue] = {}
    sans_cle: list[FicheLue] = []
    refusees: set[str] = set()
    for numero, cellules_ligne in rows:
        if erreurs.pleine:
            break
        ligne = Ligne(FICHES, numero, cellules_ligne, erreurs)
        lue = _lire_fiche(ligne, idx)
        lien = _cle_de(cellules_ligne["Référence"])
        if lue is None:
            if lien:
                refusees.add(lien)
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


# --- « Financements » and « Indicateurs » --------------------------------------------------


def _lignes_a_lire(rows, feuille: str, refusees: set[str], erreurs: Erreurs):
    """The rows of a sheet of lines, but those of a refused fiche, until errors are full."""
    for numero, cellules_ligne in rows:
        if erreurs.pleine:
            break
        if _cle_de(cellules_ligne["Référence"]) in refusees:
            continue
        yield Ligne(feuille, numero, cellules_ligne, erreurs)


def lire_financements(rows, idx: Index, fiches, refusees, erreurs: Erreurs) -> None:
    for ligne in _lignes_a_lire(rows, FINANCEMENTS, refusees, erreurs):
        lue = ligne.lire("Référence", _fiche_de, fiches)
        poste = LigneLue(
            ligne=ligne.numero,
            financeur=ligne.lire("Financeur", idx.annuaire.trouver, True),
            mesure=ligne.lire("Mesure", idx.mesure, lue.territoire if lue else None),
            section=ligne.lire("Section", cellules.choix, Section, "une section", None),
            montant=ligne.lire("Montant (€)", masquable(cellules.montant_requis)),
            de_minimis=ligne.lire("De minimis", cellules.oui_non, False),
        )
        if ligne.ok:
            lue.lignes.append(poste)


def lire_indicateurs(rows, fiches, refusees, erreurs: Erreurs) -> None:
    for ligne in _lignes_a_lire(rows, INDICATEURS, refusees, erreurs):
        lue = ligne.lire("Référence", _fiche_de, fiches)
        ind = IndicateurLu(
            ligne=ligne.numero,
            libelle=ligne.lire("Indicateur", cellules.texte),
            unite=ligne.lire("Unité", cellules.texte),
            cible=ligne.lire("Cible", cellules.nombre),
        )
        if ligne.ok and _indicateur_valide(ligne, ind, lue):
            lue.indicateurs.append(ind)


def _indicateur_valide(ligne: Ligne, ind: IndicateurLu, lue: FicheLue) -> bool:
    try:
        Indicateur(libelle=ind.libelle, unite=ind.unite, cible=ind.cible).clean_fields(
            exclude=["fiche"]
        )
    except ValidationError as exc:
        for champ, messages in exc.message_dict.items():
            ligne.refuser(" ".join(messages), COLONNE_DU_CHAMP.get(champ))
        return False
    autre = next((i for i in lue.indicateurs if cle(i.libelle) == cle(ind.libelle)), None)
    if autre:
        ligne.refuser(f"indicateur déjà donné ligne {autre.ligne} pour cette fiche.", "Indicateur")
        return False
    return True
