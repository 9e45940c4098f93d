"""Export: the fiches of a queryset that the person may see, with their lines and indicators,
batch by batch (fiches.tableur.lots): a fixed number of queries per batch, the memory of one
batch. A secret value is read through comptes.secrets, which logs the read (canal « export »),
and only by those with the need to know; the others get « Confidentiel ». So does an
organisation the person may not see.

Two forms: the workbook (XLSX, its rows written as XML into a temporary file, then served from
it: fiches.tableur.classeur), and the « Fiches » sheet alone as CSV, streamed batch by batch."""

from __future__ import annotations

import csv
from collections.abc import Iterator
from datetime import date as Date
from decimal import Decimal

from comptes.secrets import journal_groupe

from . import classeur
from .colonnes import COLONNES, EXPORT_SEUL, FICHES, FINANCEMENTS, INDICATEURS, LARGEURS, LISTES
from .lots import Export

# Secret reads kept waiting for their log while a workbook is written (each holds its object).
PLAFOND_JOURNAL = 5000
# What a spreadsheet would read as the start of a formula.
FORMULE = frozenset("=+-@\t\r")


def exporter(user, queryset) -> bytes:
    """The workbook of the fiches of `queryset` this person may see (see the package's doc)."""
    with ecrire_xlsx(user, queryset) as fichier:
        return fichier.read()


def ecrire_xlsx(user, queryset):
    """The workbook in a temporary file (read from its start), for a response to stream."""
    export = Export(user, queryset)
    feuilles = {nom: _feuille(nom) for nom in COLONNES}
    # The file goes out whole once written: its secret reads are logged before, together
    # (a few writes for the whole workbook, its memory bounded by the ceiling).
    with journal_groupe(plafond=PLAFOND_JOURNAL):
        for lot in export.lots(journal_par_lot=False):
            for nom, lignes in (
                (FICHES, lot.fiches),
                (FINANCEMENTS, lot.financements),
                (INDICATEURS, lot.indicateurs),
            ):
                ajouter = feuilles[nom].ajouter
                for valeurs_ligne in lignes:
                    ajouter(valeurs_ligne)
    return classeur.enregistrer(list(feuilles.values()))


def lignes_csv(user, queryset) -> Iterator[str]:
    """The « Fiches » sheet as CSV (« ; » between cells, as a French spreadsheet opens it),
    line by line: its header, then each batch once its secret reads are logged. Made to be
    streamed: the queries of a batch run when the batch is reached."""
    tampon = _Tampon()
    ecrivain = csv.writer(tampon, delimiter=";", lineterminator="\r\n")
    # The byte order mark: a spreadsheet opening the file reads it as UTF-8.
    yield "\ufeff" + ecrivain.writerow(COLONNES[FICHES])
    for lot in Export(user, queryset, detail=False).lots():
        yield "".join(ecrivain.writerow([_texte_csv(v) for v in ligne]) for ligne in lot.fiches)


class _Tampon:
    """A file for csv.writer that hands each row back instead of keeping it."""

    def write(self, texte: str) -> str:
        return texte


def _texte_csv(v) -> str:
    if isinstance(v, str):
        # Text, never a formula: a title typed « =… » must not run in the reader's sheet.
        return "'" + v if v[:1] in FORMULE else v
    if v is None:
        return ""
    if isinstance(v, Date):
        return v.strftime("%d/%m/%Y")
    if isinstance(v, Decimal):
        return f"{v:.2f}".replace(".", ",")
    return str(v)


def _feuille(nom: str) -> classeur.Feuille:
    """A sheet's columns: header, width, greyed when not read back on import, list of
    choices."""
    return classeur.Feuille(
        nom,
        [(e, LARGEURS.get(e, 16), e in EXPORT_SEUL, LISTES.get(e)) for e in COLONNES[nom]],
    )
