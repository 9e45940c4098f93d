"""Export: the fiches of a queryset that the person may see, with their lines and indicators,
batch by batch (fiches.tableur.lots): a fixed number of queries per batch, the memory of one
batch. A secret value is read through comptes.secrets, which logs the read (canal « export »),
and only by those with the need to know; the others get « Confidentiel ». So does an
organisation the person may not see.

Two forms: the workbook (XLSX, written in openpyxl's write-only mode into a temporary file,
then served from it), and the « Fiches » sheet alone as CSV, streamed batch by batch."""

from __future__ import annotations

import csv
import tempfile
from collections.abc import Iterator
from datetime import date as Date
from decimal import Decimal

from openpyxl import Workbook
from openpyxl.cell import WriteOnlyCell
from openpyxl.cell.cell import ILLEGAL_CHARACTERS_RE
from openpyxl.styles import Font, PatternFill
from openpyxl.utils import get_column_letter
from openpyxl.worksheet.datavalidation import DataValidation

from .colonnes import COLONNES, EXPORT_SEUL, FICHES, FINANCEMENTS, INDICATEURS, LARGEURS, LISTES
from .lots import Export

# What a spreadsheet would read as the start of a formula.
FORMULE = frozenset("=+-@\t\r")


def exporter(user, queryset) -> bytes:
    """The workbook of the fiches of `queryset` this person may see (see the package's doc)."""
    with ecrire_xlsx(user, queryset) as fichier:
        return fichier.read()


def ecrire_xlsx(user, queryset):
    """The workbook in a temporary file (read from its start), for a response to stream."""
    export = Export(user, queryset)
    wb = Workbook(write_only=True)
    feuilles = {nom: _feuille(wb, nom) for nom in COLONNES}
    for lot in export.lots():
        for nom, lignes in (
            (FICHES, lot.fiches),
            (FINANCEMENTS, lot.financements),
            (INDICATEURS, lot.indicateurs),
        ):
            ws = feuilles[nom]
            for valeurs_ligne in lignes:
                ws.append([_cellule(ws, v) for v in valeurs_ligne])
    fichier = tempfile.TemporaryFile()  # noqa: SIM115 (closed by the response serving it)
    wb.save(fichier)
    fichier.seek(0)
    return fichier


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
