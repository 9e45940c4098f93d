"""A funder's payments file (XLSX): all or nothing, every error with its line number.

One sheet (the first), a header row, then one payment per row. Headers are matched without
regard to case, accents or spacing; columns may come in any order; others are ignored.

    Fiche               référence de la fiche (8401-03, ti-8401-03)                  requise
    Ligne               numéro (id) de la ligne de financement                      facultative
    Mesure              nom de la mesure, pour choisir parmi vos lignes de la fiche facultative
    Engagement          référence de l'engagement juridique (Chorus) ou sa date     facultative
                        (requise quand la ligne a plusieurs engagements)
    Date du paiement    JJ/MM/AAAA, AAAA-MM-JJ ou cellule date                      requise
    Montant             en euros (« 12 345,50 € » accepté)                          requis
    Référence           référence du paiement                                       facultative

The funder imports only its own lines: a line of another funder is an error line like any
other. Each payment goes through financements.cycle.payer (the rules of the page and the API,
in the file's order, in one transaction): the first error cancels everything. A payment
already recorded (same commitment, date, amount and reference) is left alone: importing the
same file twice pays nothing twice. `dry_run` checks and reports without writing.
"""

from __future__ import annotations

import io
import re
import warnings
import zipfile
from dataclasses import dataclass, field
from datetime import date as Date
from datetime import datetime
from decimal import Decimal, InvalidOperation

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from openpyxl import Workbook, load_workbook
from openpyxl.styles import Font
from openpyxl.utils.exceptions import InvalidFileException

from fiches.models import FicheAction, LigneFinancement
from fiches.selectors import fiches_visibles
from referentiel import formats, saisie

from . import cycle
from .models import Engagement, Paiement

COLONNES = ("Fiche", "Ligne", "Mesure", "Engagement", "Date du paiement", "Montant", "Référence")
REQUISES = ("Fiche", "Date du paiement", "Montant")
MAX_ERREURS = 50
MAX_LIGNES = 10_000
TAILLE_MAX = 2 * 1024 * 1024  # ten thousand payments take some 400 ko
TAILLE_MAX_LIBELLE = "2 Mo"
CENTIME = Decimal("0.01")
PLAFOND = Decimal(10) ** 12
REFERENCE = re.compile(r"^((?:ti-)?\d{3,8})-(\d{1,4})$", re.IGNORECASE)


class ImportInvalide(Exception):
    """The file is refused whole; `erreurs` names each problem with its line."""

    def __init__(self, erreurs: list[str]):
        self.erreurs = erreurs
        super().__init__("\n".join(erreurs))


class _Refus(Exception):
    """One cell or row that cannot be taken; its message goes to the list of errors."""


@dataclass
class PaiementLu:
    ligne: int  # the row of the sheet
    fiche: FicheAction
    financement: LigneFinancement
    engagement: Engagement
    date: Date
    montant: Decimal
    reference: str

    def __str__(self) -> str:
        return (
            f"ligne {self.ligne} : {self.fiche.reference}, {self.financement.financeur.nom}, "
            f"{formats.euros(self.montant)} le {self.date:%d/%m/%Y}"
            + (f" (réf. {self.reference})" if self.reference else "")
        )


@dataclass
class Rapport:
    lues: int = 0
    enregistres: list[PaiementLu] = field(default_factory=list)
    deja: list[PaiementLu] = field(default_factory=list)
    dry_run: bool = False

    def lignes_texte(self) -> list[str]:
        total = sum((p.montant for p in self.enregistres), Decimal("0"))
        verbe = "à enregistrer" if self.dry_run else "enregistrés"
        out = [
            f"Lignes lues : {self.lues}.",
            f"Paiements {verbe} : {len(self.enregistres)} ({formats.euros(total)}).",
            f"Paiements déjà enregistrés, laissés tels quels : {len(self.deja)}.",
        ]
        if self.dry_run:
            out.append("Simulation : rien n'a été enregistré.")
        return out


# --- Cells ---------------------------------------------------------------------------------


def _cle(texte) -> str:
    return re.sub(r"[^a-z0-9]", "", saisie.cle(texte or ""))


def _vide(v) -> bool:
    return v is None or (isinstance(v, str) and not v.strip())


def _texte(v) -> str:
    if v is None:
        return ""
    if isinstance(v, float) and v.is_integer():
        v = int(v)
    if isinstance(v, datetime):
        v = v.date()
    if isinstance(v, Date):
        return f"{v:%d/%m/%Y}"
    texte = str(v).strip()
    try:
        saisie.valider_texte(texte)
    except ValidationError as exc:
        raise _Refus(exc.messages[0]) from None
    return texte


def _date(v) -> Date:
    if _vide(v):
        raise _Refus("date manquante.")
    if isinstance(v, datetime):
        v = v.date()
    if not isinstance(v, Date):
        texte = _texte(v)
        for fmt in ("%d/%m/%Y", "%Y-%m-%d", "%d-%m-%Y", "%d/%m/%y"):
            try:
                v = datetime.strptime(texte, fmt).date()
                break
            except ValueError:
                continue
        else:
            raise _Refus(f"« {texte} » n'est pas une date (JJ/MM/AAAA).")
    try:
        saisie.valider_date(v)
    except ValidationError as exc:
        raise _Refus(exc.messages[0]) from None
    return v


def _montant(v) -> Decimal:
    if _vide(v):
        raise _Refus("montant manquant.")
    if isinstance(v, bool):
        raise _Refus(f"« {v} » n'est pas un montant en euros.")
    texte = str(v) if isinstance(v, int | float | Decimal) else re.sub(r"[\s€]", "", str(v))
    try:
        d = Decimal(texte.replace(",", "."))
    except InvalidOperation:
        raise _Refus(f"« {_texte(v)} » n'est pas un montant en euros.") from None
    if not d.is_finite() or abs(d) >= PLAFOND:
        raise _Refus(f"« {_texte(v)} » n'est pas un montant en euros.")
    if d <= 0:
        raise _Refus("le montant doit être supérieur à zéro.")
    if d != d.quantize(CENTIME):
        raise _Refus(f"« {_texte(v)} » : au plus deux décimales (les centimes).")
    return d.quantize(CENTIME)


# --- Reading the workbook -------------------------------------------------------------------


def _rangs(content: bytes) -> list[tuple[int, dict]]:
    """{column: value} for each non-empty row, with its line number in the sheet."""
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")  # openpyxl warns of styles it drops, not data
            wb = load_workbook(io.BytesIO(content), read_only=True, data_only=True)
    except (zipfile.BadZipFile, InvalidFileException, KeyError, OSError, ValueError) as exc:
        raise ImportInvalide(["Fichier illisible : ce n'est pas un classeur XLSX."]) from exc
    try:
        rows = wb.worksheets[0].iter_rows(values_only=True)
        entete = next(rows, None) or ()
        positions = {_cle(v): i for i, v in enumerate(entete) if not _vide(v)}
        manquantes = [c for c in REQUISES if _cle(c) not in positions]
        if manquantes:
            noms = ", ".join(f"« {c} »" for c in manquantes)
            raise ImportInvalide(
                [f"Ligne 1 : colonne{'s' * (len(manquantes) > 1)} absente : {noms}."]
            )
        index = {c: positions.get(_cle(c), -1) for c in COLONNES}
        out = []
        for numero, valeurs in enumerate(rows, start=2):
            if all(_vide(v) for v in valeurs):
                continue
            if len(out) >= MAX_LIGNES:
                raise ImportInvalide([f"Plus de {MAX_LIGNES} paiements : scindez le fichier."])
            n = len(valeurs)
            out.append((numero, {c: valeurs[i] if 0 <= i < n else None for c, i in index.items()}))
    finally:
        wb.close()
    return out


# --- Resolving each row ---------------------------------------------------------------------


class _Resolveur:
    """Finds fiches, lines and commitments as the importing person sees them."""

    def __init__(self, user):
        self.user = user
        self.fiches: dict[str, FicheAction | None] = {}

    def fiche(self, v) -> FicheAction:
        texte = _texte(v)
        m = REFERENCE.match(texte)
        if not m:
            raise _Refus(f"« {texte} » n'est pas une référence de fiche (8401-03, ti-8401-03).")
        cle = f"{m.group(1).lower()}-{int(m.group(2))}"
        if cle not in self.fiches:
            self.fiches[cle] = (
                fiches_visibles(self.user)
                .select_related("territoire")
                .filter(territoire__code__iexact=m.group(1), numero=int(m.group(2)))
                .first()
            )
        if self.fiches[cle] is None:
            raise _Refus(f"fiche {texte} introuvable.")
        return self.fiches[cle]

    def ligne(self, fiche: FicheAction, v_ligne, v_mesure) -> LigneFinancement:
        lignes = list(fiche.lignes.select_related("financeur", "mesure").order_by("pk"))
        for li in lignes:
            li.fiche = fiche
        if not _vide(v_ligne):
            n = saisie.entier(_texte(v_ligne))
            trouvee = next((li for li in lignes if li.pk == n), None)
            if trouvee is None:
                raise _Refus(f"la fiche {fiche.reference} n'a pas de ligne {_texte(v_ligne)}.")
            if not cycle.peut_financer(self.user, trouvee):
                raise _Refus(
                    f"la ligne {trouvee.pk} ({trouvee.financeur.nom}) n'est pas la vôtre : "
                    "seul son financeur enregistre ses paiements."
                )
            return trouvee
        miennes = [li for li in lignes if cycle.peut_financer(self.user, li)]
        if not _vide(v_mesure):
            mesure = saisie.cle(_texte(v_mesure))
            miennes = [li for li in miennes if li.mesure and saisie.cle(li.mesure.nom) == mesure]
        if len(miennes) == 1:
            return miennes[0]
        if not miennes:
            raise _Refus(f"aucune ligne de la fiche {fiche.reference} n'est la vôtre.")
        ids = ", ".join(str(li.pk) for li in miennes)
        raise _Refus(
            f"plusieurs de vos lignes sur cette fiche : précisez la colonne Ligne ({ids})."
        )

    def engagement(self, ligne: LigneFinancement, v) -> Engagement:
        engagements = list(ligne.engagements.order_by("date", "pk"))
        if not engagements:
            raise _Refus(f"la ligne {ligne.pk} n'a pas d'engagement : enregistrez-le d'abord.")
        if _vide(v):
            if len(engagements) == 1:
                return engagements[0]
            raise _Refus(
                f"la ligne {ligne.pk} a plusieurs engagements : précisez la colonne "
                "Engagement (sa référence ou sa date)."
            )
        texte = _texte(v)
        par_ref = [e for e in engagements if e.reference and e.reference == texte]
        if not par_ref:
            try:
                jour = _date(v)
            except _Refus:
                jour = None
            par_ref = [e for e in engagements if e.date == jour]
        if len(par_ref) == 1:
            return par_ref[0]
        if not par_ref:
            raise _Refus(f"aucun engagement « {texte} » sur la ligne {ligne.pk}.")
        raise _Refus(f"plusieurs engagements du {texte} : donnez sa référence.")


def _lire(numero: int, cellules: dict, r: _Resolveur) -> PaiementLu:
    erreurs = []

    def lire(colonne, lecteur):
        try:
            return lecteur(cellules[colonne])
        except _Refus as exc:
            erreurs.append(f"colonne {colonne}, {exc}")
            return None

    date = lire("Date du paiement", _date)
    montant = lire("Montant", _montant)
    reference = lire("Référence", _texte)
    fiche = lire("Fiche", r.fiche)
    ligne = engagement = None
    if fiche is not None:
        try:
            ligne = r.ligne(fiche, cellules["Ligne"], cellules["Mesure"])
            engagement = r.engagement(ligne, cellules["Engagement"])
        except _Refus as exc:
            erreurs.append(str(exc))
    if erreurs:
        raise _Refus(" ; ".join(erreurs))
    return PaiementLu(numero, fiche, ligne, engagement, date, montant, reference or "")


# --- Import -----------------------------------------------------------------------------------


def _erreur(numero: int, message: str) -> str:
    return f"Ligne {numero} : {message}"


def _preparer(content: bytes, user) -> list[PaiementLu]:
    r = _Resolveur(user)
    erreurs, lus, vus = [], [], {}
    for numero, cellules in _rangs(content):
        if len(erreurs) >= MAX_ERREURS:
            erreurs.append(f"… arrêt après {MAX_ERREURS} erreurs.")
            break
        try:
            p = _lire(numero, cellules, r)
        except _Refus as exc:
            erreurs.append(_erreur(numero, str(exc)))
            continue
        cle = (p.engagement.pk, p.date, p.montant, p.reference)
        if cle in vus:
            erreurs.append(
                _erreur(
                    numero, f"même paiement que la ligne {vus[cle]} : donnez-leur une référence."
                )
            )
        vus.setdefault(cle, numero)
        lus.append(p)
    if erreurs:
        raise ImportInvalide(erreurs)
    return lus


def _message(exc: Exception) -> str:
    if isinstance(exc, ValidationError):
        return " ".join(saisie.messages(exc))
    return str(exc)


def importer(content: bytes, *, user, dry_run: bool = False) -> Rapport:
    """Records the payments of the file as `user`, all or nothing; raises ImportInvalide."""
    lus = _preparer(content, user)
    rapport = Rapport(lues=len(lus), dry_run=dry_run)
    erreurs = []
    with transaction.atomic():
        for p in lus:
            if Paiement.objects.filter(
                engagement=p.engagement, date=p.date, montant=p.montant, reference=p.reference
            ).exists():
                rapport.deja.append(p)
                continue
            try:
                with transaction.atomic():
                    cycle.payer(
                        user=user,
                        engagement=p.engagement,
                        montant=p.montant,
                        date=p.date,
                        reference=p.reference,
                    )
            except (ValidationError, PermissionDenied) as exc:
                erreurs.append(_erreur(p.ligne, _message(exc)))
                if len(erreurs) >= MAX_ERREURS:
                    break
            else:
                rapport.enregistres.append(p)
        if erreurs or dry_run:
            transaction.set_rollback(True)
    if erreurs:
        raise ImportInvalide(erreurs)
    return rapport


def modele() -> bytes:
    """An empty workbook with the columns, for the funder to fill in."""
    wb = Workbook()
    ws = wb.active
    ws.title = "Paiements"
    ws.append(list(COLONNES))
    for cellule in ws[1]:
        cellule.font = Font(bold=True)
    sortie = io.BytesIO()
    wb.save(sortie)
    return sortie.getvalue()
