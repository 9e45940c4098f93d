"""An XLSX workbook written directly as its XML parts, row by row: the export's cells are text,
whole numbers, amounts and dates, so each row is one string built from precomputed pieces
instead of one object per cell (openpyxl's write-only mode spent most of an export of 20,000
fiches on its per-cell objects). openpyxl still reads these files back (the import).

Each sheet's rows go to a temporary file as they come (the memory of one batch), and the
package is zipped at the end. Text is written inline, never as a formula; amounts and dates
carry the formats of the workbook openpyxl wrote before (« #,##0.00 », « DD/MM/YYYY »)."""

from __future__ import annotations

import re
import tempfile
import zipfile
from datetime import date as Date
from decimal import Decimal
from xml.sax.saxutils import escape

from openpyxl.cell.cell import ILLEGAL_CHARACTERS_RE
from openpyxl.utils import get_column_letter

# Styles (cellXfs order in STYLES): 1 bold header, 2 greyed bold header, 3 date, 4 amount.
GRAS, GRISE, DATE, MONTANT = 1, 2, 3, 4
EPOQUE = Date(1899, 12, 30)
NS = "http://schemas.openxmlformats.org/spreadsheetml/2006/main"
NS_R = "http://schemas.openxmlformats.org/officeDocument/2006/relationships"
XML = '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n'
STYLES = (
    f'{XML}<styleSheet xmlns="{NS}">'
    '<numFmts count="1"><numFmt numFmtId="164" formatCode="DD/MM/YYYY"/></numFmts>'
    '<fonts count="2"><font><sz val="11"/><name val="Calibri"/></font>'
    '<font><b/><sz val="11"/><name val="Calibri"/></font></fonts>'
    '<fills count="3"><fill><patternFill patternType="none"/></fill>'
    '<fill><patternFill patternType="gray125"/></fill>'
    '<fill><patternFill patternType="solid"><fgColor rgb="00DDDDDD"/>'
    '<bgColor rgb="00DDDDDD"/></patternFill></fill></fills>'
    '<borders count="1"><border><left/><right/><top/><bottom/><diagonal/></border></borders>'
    '<cellStyleXfs count="1"><xf numFmtId="0" fontId="0" fillId="0" borderId="0"/></cellStyleXfs>'
    '<cellXfs count="5"><xf numFmtId="0" fontId="0" fillId="0" borderId="0" xfId="0"/>'
    '<xf numFmtId="0" fontId="1" fillId="0" borderId="0" xfId="0" applyFont="1"/>'
    '<xf numFmtId="0" fontId="1" fillId="2" borderId="0" xfId="0" applyFont="1" applyFill="1"/>'
    '<xf numFmtId="164" fontId="0" fillId="0" borderId="0" xfId="0" applyNumberFormat="1"/>'
    '<xf numFmtId="4" fontId="0" fillId="0" borderId="0" xfId="0" applyNumberFormat="1"/>'
    "</cellXfs>"
    '<cellStyles count="1"><cellStyle name="Normal" xfId="0" builtinId="0"/></cellStyles>'
    "</styleSheet>"
)


# What a text cell cannot hold as is: control characters, and XML's own « & < > ».
A_TRAITER = re.compile(r"[\000-\010\013\014\016-\037&<>]")


def texte(v: str) -> str:
    # Most cells hold neither: one search spares them the two passes.
    return escape(ILLEGAL_CHARACTERS_RE.sub("", v)) if A_TRAITER.search(v) else v


class Feuille:
    """One sheet: its columns (header, width, greyed, list of choices) and its rows, kept in a
    temporary file until the workbook is zipped."""

    def __init__(self, nom: str, entetes: list[tuple[str, float, bool, list[str] | None]]):
        self.nom = nom
        self.entetes = entetes
        self.lettres = [get_column_letter(i) for i in range(1, len(entetes) + 1)]
        self.rangs = tempfile.TemporaryFile(mode="w+", encoding="utf-8")  # noqa: SIM115
        self.n = 1
        self._ecrire(
            "".join(
                f'<c r="{lettre}1" s="{GRISE if grise else GRAS}" t="inlineStr">'
                f"<is><t>{texte(e)}</t></is></c>"
                for lettre, (e, _, grise, _) in zip(self.lettres, self.entetes, strict=True)
            )
        )

    def _ecrire(self, cellules: str) -> None:
        self.rangs.write(f'<row r="{self.n}">{cellules}</row>')

    def ajouter(self, valeurs) -> None:
        """One row: text, whole numbers, booleans, amounts (Decimal) and dates; None left
        empty."""
        self.n += 1
        n = self.n
        morceaux = []
        for lettre, v in zip(self.lettres, valeurs, strict=False):
            if v is None or v == "":
                continue
            if isinstance(v, str):
                morceaux.append(
                    f'<c r="{lettre}{n}" t="inlineStr"><is><t xml:space="preserve">'
                    f"{texte(v)}</t></is></c>"
                )
            elif isinstance(v, bool):
                morceaux.append(f'<c r="{lettre}{n}" t="b"><v>{int(v)}</v></c>')
            elif isinstance(v, Decimal):
                morceaux.append(f'<c r="{lettre}{n}" s="{MONTANT}"><v>{v:f}</v></c>')
            elif isinstance(v, Date):
                jours = (v - EPOQUE).days
                morceaux.append(f'<c r="{lettre}{n}" s="{DATE}"><v>{jours}</v></c>')
            else:
                morceaux.append(f'<c r="{lettre}{n}"><v>{v}</v></c>')
        self._ecrire("".join(morceaux))

    def ecrire_dans(self, paquet: zipfile.ZipFile, chemin: str) -> None:
        colonnes = "".join(
            f'<col min="{i}" max="{i}" width="{largeur}" customWidth="1"/>'
            for i, (_, largeur, _, _) in enumerate(self.entetes, start=1)
        )
        with paquet.open(chemin, "w", force_zip64=True) as sortie:
            sortie.write(
                (
                    f'{XML}<worksheet xmlns="{NS}" xmlns:r="{NS_R}"><sheetViews>'
                    '<sheetView workbookViewId="0"><pane ySplit="1" topLeftCell="A2" '
                    'activePane="bottomLeft" state="frozen"/></sheetView></sheetViews>'
                    f"<cols>{colonnes}</cols><sheetData>"
                ).encode()
            )
            self.rangs.seek(0)
            while morceau := self.rangs.read(1 << 20):
                sortie.write(morceau.encode())
            sortie.write(f"</sheetData>{self._validations()}</worksheet>".encode())
        self.rangs.close()

    def _validations(self) -> str:
        listes = [
            (lettre, choix)
            for lettre, (_, _, _, choix) in zip(self.lettres, self.entetes, strict=True)
            if choix
        ]
        if not listes:
            return ""
        corps = "".join(
            f'<dataValidation type="list" allowBlank="1" showErrorMessage="0" '
            f'sqref="{lettre}2:{lettre}1048576"><formula1>'
            f"{escape(chr(34) + ','.join(choix) + chr(34))}</formula1></dataValidation>"
            for lettre, choix in listes
        )
        return f'<dataValidations count="{len(listes)}">{corps}</dataValidations>'


def enregistrer(feuilles: list[Feuille]):
    """The workbook of these sheets in a temporary file, read from its start."""
    fichier = tempfile.TemporaryFile()  # noqa: SIM115 (closed by the response serving it)
    with zipfile.ZipFile(fichier, "w", zipfile.ZIP_DEFLATED) as paquet:
        paquet.writestr("[Content_Types].xml", _types(len(feuilles)))
        paquet.writestr(
            "_rels/.rels",
            f'{XML}<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/'
            'relationships"><Relationship Id="rId1" Type="http://schemas.openxmlformats.org/'
            'officeDocument/2006/relationships/officeDocument" Target="xl/workbook.xml"/>'
            "</Relationships>",
        )
        paquet.writestr("xl/workbook.xml", _classeur(feuilles))
        paquet.writestr("xl/_rels/workbook.xml.rels", _liens(len(feuilles)))
        paquet.writestr("xl/styles.xml", STYLES)
        for i, f in enumerate(feuilles, start=1):
            f.ecrire_dans(paquet, f"xl/worksheets/sheet{i}.xml")
    fichier.seek(0)
    return fichier


def _types(n: int) -> str:
    feuilles = "".join(
        f'<Override PartName="/xl/worksheets/sheet{i}.xml" ContentType="application/'
        'vnd.openxmlformats-officedocument.spreadsheetml.worksheet+xml"/>'
        for i in range(1, n + 1)
    )
    return (
        f'{XML}<Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types">'
        '<Default Extension="rels" ContentType="application/'
        'vnd.openxmlformats-package.relationships+xml"/>'
        '<Default Extension="xml" ContentType="application/xml"/>'
        '<Override PartName="/xl/workbook.xml" ContentType="application/'
        'vnd.openxmlformats-officedocument.spreadsheetml.sheet.main+xml"/>'
        '<Override PartName="/xl/styles.xml" ContentType="application/'
        'vnd.openxmlformats-officedocument.spreadsheetml.styles+xml"/>'
        f"{feuilles}</Types>"
    )


def _classeur(feuilles: list[Feuille]) -> str:
    noms = "".join(
        f'<sheet name="{escape(f.nom)}" sheetId="{i}" r:id="rId{i}"/>'
        for i, f in enumerate(feuilles, start=1)
    )
    return f'{XML}<workbook xmlns="{NS}" xmlns:r="{NS_R}"><sheets>{noms}</sheets></workbook>'


def _liens(n: int) -> str:
    liens = "".join(
        f'<Relationship Id="rId{i}" Type="{NS_R}/worksheet" Target="worksheets/sheet{i}.xml"/>'
        for i in range(1, n + 1)
    )
    styles = f'<Relationship Id="rId{n + 1}" Type="{NS_R}/styles" Target="styles.xml"/>'
    return (
        f'{XML}<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/'
        f'relationships">{liens}{styles}</Relationships>'
    )
