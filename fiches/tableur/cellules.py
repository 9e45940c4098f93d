"""Cells as people type them: text, numbers and amounts, dates, oui/non, values of a list;
a cell that cannot be read is refused with a French message, and the row being read records
it with its sheet, line and column (referentiel.imports)."""

from __future__ import annotations

import re
from datetime import date as Date
from datetime import datetime
from decimal import Decimal, InvalidOperation

from django.core.exceptions import ValidationError
from openpyxl.cell.cell import ILLEGAL_CHARACTERS_RE

from comptes.secrets import MASQUE
from mesures.enums import CHOIX_AXES, NOM_DU_CLASSEMENT, classement
from referentiel import saisie
from referentiel.imports import Erreurs

from .colonnes import CONFIDENTIEL, SEPARATEUR

CENTIME = Decimal("0.01")
PLAFOND = Decimal(10) ** 12  # 14 digits, 2 of them decimals (the models' DecimalField)
OUI = {"oui", "o", "vrai", "true", "1", "x"}
NON = {"non", "n", "faux", "false", "0"}


class Refus(Exception):
    """A cell that cannot be read; its message goes into the list of errors."""


class Ligne:
    """One row being read: each cell goes through its reader; a refusal is recorded with the
    sheet, line and column, and the other cells are still checked."""

    def __init__(self, feuille: str, numero: int, cellules: dict, erreurs: Erreurs):
        self.feuille, self.numero, self.cellules, self.erreurs = feuille, numero, cellules, erreurs
        self.ok = True

    def lire(self, colonne: str, lecteur, *args):
        try:
            return lecteur(self.cellules[colonne], *args)
        except Refus as exc:
            self.refuser(str(exc), colonne)
            return None

    def refuser(self, message: str, colonne: str | None = None) -> None:
        self.ok = False
        self.erreurs.ajouter(message, ligne=self.numero, feuille=self.feuille, colonne=colonne)


# --- Text as people type it --------------------------------------------------------------


def cle(texte) -> str:
    """Folded form for matching: case, accents and spacing do not count."""
    return saisie.cle(texte)


def cle_entete(texte) -> str:
    # « Coût total (€) », « cout total » and « COUT TOTAL » are the same column.
    return re.sub(r"[^a-z0-9]", "", cle(texte))


def _lu(texte: str) -> str:
    """Text read from a cell: \\n line ends, no outer spaces. Control characters stay, for
    the rules of every channel (referentiel.saisie) to refuse them with their message."""
    return texte.replace("\r\n", "\n").replace("\r", "\n").strip()


def propre(texte: str) -> str:
    """Text as a workbook keeps it: no control characters, \\n line ends, no outer spaces.
    Both sides of a comparison go through it, so a round trip is not seen as a change."""
    return _lu(ILLEGAL_CHARACTERS_RE.sub("", texte))


def _montrer(enum) -> list[str]:
    # The value where it reads well (« innover »), the label otherwise (« Prêt à démarrer »).
    return [v if cle(label) == v else str(label) for v, label in enum.choices]


def libelle(enum, valeur: str) -> str:
    return str(enum(valeur).label) if valeur else ""


def oui(valeur: bool) -> str:
    return "oui" if valeur else "non"


# --- Readers of a cell ---------------------------------------------------------------------


def vide(v) -> bool:
    return v is None or (isinstance(v, str) and not v.strip())


def texte(v) -> str:
    if v is None:
        return ""
    if isinstance(v, float) and v.is_integer():
        v = int(v)  # « 2024 » typed in a text column comes back as a number
    if isinstance(v, datetime):
        v = v.date()
    return _lu(str(v))


def texte_requis(v) -> str:
    lu = texte(v)
    if not lu:
        raise Refus("valeur manquante.")
    return lu


def masquable(lecteur):
    """« Confidentiel » in a cell that may hold a secret means « the stored value »."""

    def lire(v):
        return CONFIDENTIEL if cle(texte(v)) == cle(MASQUE) else lecteur(v)

    return lire


def nombre(v, quoi: str = "un nombre", regle=saisie.valider_positif) -> Decimal | None:
    if vide(v):
        return None
    if isinstance(v, bool):
        raise Refus(f"« {v} » n'est pas {quoi}.")
    if isinstance(v, int | float | Decimal):
        ecrit = str(v)
    else:  # « 12 345,50 € »
        ecrit = re.sub(r"[\s€]", "", str(v)).replace(",", ".")
    try:
        d = Decimal(ecrit)
    except InvalidOperation:
        raise Refus(f"« {texte(v)} » n'est pas {quoi}.") from None
    if not d.is_finite() or abs(d) >= PLAFOND:
        raise Refus(f"« {texte(v)} » n'est pas {quoi}.")
    try:
        regle(d)  # the rule of every channel (referentiel.saisie), with its message
    except ValidationError as exc:
        raise Refus(" ".join(exc.messages)) from None
    return d.quantize(CENTIME)


def montant(v) -> Decimal | None:
    return nombre(v, "un montant en euros", saisie.valider_montant)


def montant_requis(v) -> Decimal:
    d = montant(v)
    if d is None:
        raise Refus("valeur manquante.")
    return d


def date(v) -> Date | None:
    if vide(v):
        return None
    if isinstance(v, datetime):
        return v.date()
    if isinstance(v, Date):
        return v
    ecrit = texte(v)
    for fmt in ("%d/%m/%Y", "%Y-%m-%d", "%d-%m-%Y", "%d/%m/%y"):
        try:
            return datetime.strptime(ecrit, fmt).date()
        except ValueError:
            continue
    raise Refus(f"« {ecrit} » n'est pas une date (JJ/MM/AAAA).")


def oui_non(v, defaut: bool) -> bool:
    if vide(v):
        return defaut
    if isinstance(v, bool):
        return v
    plie = cle(texte(v))
    if plie in OUI | NON:
        return plie in OUI
    raise Refus(f"« {texte(v)} » : répondez oui ou non.")


def choix(v, enum, nom: str, defaut: str | None = "") -> str:
    """A value of `enum`, given as its value or its label; empty gives `defaut` (None:
    the value is required)."""
    ecrit = texte(v)
    if not ecrit:
        if defaut is None:
            raise Refus("valeur manquante.")
        return defaut
    for valeur, etiquette in enum.choices:
        if cle(ecrit) in (cle(valeur), cle(etiquette)):
            return valeur
    raise Refus(f"« {ecrit} » n'est pas {nom} ({', '.join(_montrer(enum))}).")


def axe(v, phase: int | None) -> str:
    """An axis or a priority, as its value or its label. Which of them the fiche's phase
    allows is the model's rule (FicheAction.clean), checked with the other rules of the row:
    one message for pages, API and spreadsheet."""
    ecrit = texte(v)
    if not ecrit:
        raise Refus("valeur manquante.")
    for valeur, etiquette in CHOIX_AXES:
        if cle(ecrit) in (cle(valeur), cle(etiquette)):
            return valeur
    admis = classement(phase or 0)  # phase unreadable: the current list
    un = NOM_DU_CLASSEMENT[admis][1]
    raise Refus(f"« {ecrit} » n'est pas {un} ({', '.join(_montrer(admis))}).")


def liste(valeur, trouver) -> list:
    """Items separated by « ; », each found by `trouver`; all unknown ones in one message."""
    out, refus = [], []
    for morceau in texte(valeur).split(SEPARATEUR):
        if morceau.strip():
            try:
                out.append(trouver(morceau.strip()))
            except Refus as exc:
                refus.append(str(exc))
    if refus:
        raise Refus(" ".join(refus))
    return out
