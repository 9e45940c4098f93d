"""A figure of a dashboard: a title, a chart drawn by DSFR Chart, and its data table — the
accessible alternative of the chart and exactly what its CSV and XLSX exports hold.

`figure(slug, titre, colonnes, lignes, ...)` builds one from rows: the first column labels the
chart's bars, the columns `series` give its values. A cell is a number, a text, a date, None,
or a total that may be withheld under statistical secrecy (anything with `valeur` and `motif`,
such as comptes.secrets.Total): a withheld one shows its motif, never a number, in the table,
the exports and the chart (where it is a gap). No rule of the domain here.

Exports: CSV as the State's open data writes it (UTF-8, comma, decimal point, ISO dates);
XLSX with numbers as numbers (amounts in euros, percentages in percent) and French headers."""

from __future__ import annotations

import csv
import io
import json
import re
from dataclasses import dataclass, field, replace
from datetime import date as Date
from decimal import Decimal

from django.http import HttpResponse
from django.utils.formats import localize
from django.utils.html import escape, format_html
from django.utils.safestring import mark_safe
from django.utils.text import slugify
from openpyxl import Workbook
from openpyxl.styles import Font

from referentiel import formats

GRAPHIQUES = {"barres": "bar-chart", "secteurs": "pie-chart", "courbes": "line-chart"}
FORMATS = ("texte", "entier", "nombre", "euros", "pourcent", "date")
FORMATS_XLSX = {
    "entier": "#,##0",
    "nombre": "#,##0.##",
    "euros": '#,##0.00 "€"',
    "pourcent": '0.0 "%"',
    "date": "DD/MM/YYYY",
}
XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
VIDE = "—"


@dataclass(frozen=True)
class Colonne:
    titre: str
    format: str = "texte"
    tri_url: str = ""  # a sortable table's header link
    aria_sort: str = ""  # ascending, descending, or "" where the table is not sorted by it

    @property
    def numerique(self) -> bool:
        return self.format in ("entier", "nombre", "euros", "pourcent")


@dataclass(frozen=True)
class Cellule:
    valeur: object  # the number, text or date; None when empty or withheld
    texte: str  # as a French reader sees it
    secret: bool = False  # withheld: `texte` is the motif
    lien: str = ""


@dataclass
class Figure:
    slug: str
    titre: str
    colonnes: list[Colonne]
    lignes: list[list[Cellule]]
    description: str = ""
    graphique: str = ""  # the custom element (bar-chart…), "" for a table alone
    attributs: dict[str, str] = field(default_factory=dict)
    cles: list[str] = field(default_factory=list)  # a key per row (the map's territory code)
    exports: dict[str, str] = field(default_factory=dict)  # format → URL

    @property
    def vide(self) -> bool:
        return not self.lignes

    @property
    def rangees(self) -> list[tuple[str, list[Cellule]]]:
        """(key or "", cells) of each row."""
        return [(self.cles[i] if i < len(self.cles) else "", r) for i, r in enumerate(self.lignes)]

    @property
    def corps_html(self) -> str:
        """The table's rows in HTML: the first cell heads its row, a withheld one is marked,
        a number carries its raw value for the charts and the map. Written here rather than
        in a template loop: a national table has hundreds of rows."""
        return mark_safe("".join(_rangee_html(cle, cellules) for cle, cellules in self.rangees))


def _rangee_html(cle: str, cellules: list[Cellule]) -> str:
    out = [format_html('<tr data-cle="{}">', cle) if cle else "<tr>"]
    for i, c in enumerate(cellules):
        if i == 0:
            texte = (
                format_html('<a href="{}">{}</a>', c.lien, c.texte) if c.lien else escape(c.texte)
            )
            out.append(f'<th scope="row">{texte}</th>')
        elif c.secret:
            out.append(format_html('<td class="tableau-secret">{}</td>', c.texte))
        elif c.valeur is not None:
            brut = localize(c.valeur, use_l10n=False)
            out.append(format_html('<td data-valeur="{}">{}</td>', brut, c.texte))
        else:
            out.append(format_html("<td>{}</td>", c.texte))
    out.append("</tr>")
    return "".join(out)


def _texte(valeur, fmt: str) -> str:
    if valeur is None or valeur == "":
        return VIDE
    if fmt in ("entier", "nombre", "euros", "pourcent") and isinstance(
        valeur, int | float | Decimal
    ):
        return {
            "entier": lambda v: formats.nombre(v, 0),
            "nombre": formats.nombre,
            "euros": formats.euros,
            "pourcent": lambda v: formats.pourcent(Decimal(v).quantize(Decimal("0.1"))),
        }[fmt](valeur)
    if isinstance(valeur, Date):
        return valeur.strftime("%d/%m/%Y")
    return str(valeur)


def cellule(valeur, fmt: str = "texte", lien: str = "") -> Cellule:
    """A cell from a value; a total withheld under secrecy keeps its motif, not its number."""
    if isinstance(valeur, Cellule):
        return valeur
    if hasattr(valeur, "motif") and hasattr(valeur, "valeur"):
        if valeur.valeur is None:
            return Cellule(None, valeur.motif or VIDE, secret=bool(valeur.motif), lien=lien)
        valeur = valeur.valeur
    if isinstance(valeur, bool):
        valeur = "oui" if valeur else "non"
    if isinstance(valeur, float) and valeur.is_integer():
        valeur = int(valeur)  # a median of whole days reads « 30 », not « 30.0 »
    return Cellule(valeur, _texte(valeur, fmt), lien=lien)


def libelle_graphique(texte: str) -> str:
    """A label for the chart: DSFR Chart writes its tooltip's title as HTML, so no chevron
    reaches it (the table keeps the exact text)."""
    return re.sub(r"[<>]", " ", str(texte))


def _nombre_graphique(c: Cellule):
    if isinstance(c.valeur, bool) or not isinstance(c.valeur, int | float | Decimal):
        return None
    return float(c.valeur) if isinstance(c.valeur, Decimal) else c.valeur


def figure(
    slug: str,
    titre: str,
    colonnes: list[tuple[str, str] | Colonne],
    lignes,
    *,
    graphique: str = "barres",
    series: tuple[int, ...] = (1,),
    description: str = "",
    horizontal: bool = False,
    empile: bool = False,
    liens: list[str] | None = None,
    cles: list[str] | None = None,
) -> Figure:
    """A figure from rows (tuples, one value per column). `graphique`: barres, secteurs,
    courbes, or "" for a table alone. `liens`: a link per row for its first cell."""
    cols = [c if isinstance(c, Colonne) else Colonne(*c) for c in colonnes]
    rangs = []
    for i, ligne in enumerate(lignes):
        lien = liens[i] if liens else ""
        rangs.append(
            [cellule(v, cols[j].format, lien if j == 0 else "") for j, v in enumerate(ligne)]
        )
    f = Figure(slug, titre, cols, rangs, description=description, cles=list(cles or []))
    # A chart with no value to draw would be an empty frame: the table says it better.
    if graphique and any(_nombre_graphique(r[s]) for r in rangs for s in series):
        f.graphique = GRAPHIQUES[graphique]
        f.attributs = _attributs(f, series, horizontal=horizontal, empile=empile)
    return f


def _attributs(f: Figure, series, *, horizontal: bool, empile: bool) -> dict[str, str]:
    unites = {f.colonnes[s].format for s in series}
    attributs = {
        "x": json.dumps([[libelle_graphique(r[0].texte) for r in f.lignes]], ensure_ascii=False),
        "y": json.dumps([[_nombre_graphique(r[s]) for r in f.lignes] for s in series]),
        "name": json.dumps(
            [libelle_graphique(f.colonnes[s].titre) for s in series], ensure_ascii=False
        ),
        "selected-palette": "categorical" if len(series) > 1 or f.graphique == "pie-chart" else "",
    }
    if len(unites) == 1:
        attributs["unit-tooltip"] = {"euros": "€", "pourcent": "%"}.get(unites.pop(), "")
    if horizontal:
        attributs["horizontal"] = "true"
    if empile:
        attributs["stacked"] = "true"
    if f.graphique == "pie-chart":
        attributs["fill"] = "true"
    return {k: v for k, v in attributs.items() if v}


def avec_exports(f: Figure, query: dict) -> Figure:
    """The figure with its export links: the page's own filters, plus which figure and how."""
    exports = {}
    for fmt in ("csv", "xlsx"):
        q = query.copy()
        q["figure"], q["format"] = f.slug, fmt
        exports[fmt] = "?" + q.urlencode()
    return replace(f, exports=exports)


# --- Exports: exactly the table -----------------------------------------------------------------


def _brut(c: Cellule):
    """A cell for a file: numbers as numbers, a withheld one as its motif, empty as empty."""
    if c.secret:
        return c.texte
    if c.valeur is None:
        return ""
    return c.valeur


def _csv_valeur(v) -> str:
    if isinstance(v, Date):
        return v.isoformat()
    if isinstance(v, Decimal):
        return format(v, "f")
    return str(v)


def csv_texte(f: Figure) -> str:
    out = io.StringIO()
    w = csv.writer(out, lineterminator="\r\n")
    w.writerow([c.titre for c in f.colonnes])
    for r in f.lignes:
        w.writerow([_csv_valeur(_brut(c)) for c in r])
    return out.getvalue()


def xlsx_octets(f: Figure) -> bytes:
    wb = Workbook()
    ws = wb.active
    ws.title = (re.sub(r"[\[\]:*?/\\]", " ", f.titre).strip() or "Tableau")[:31]
    ws.append([c.titre for c in f.colonnes])
    for cell in ws[1]:
        cell.font = Font(bold=True)
    for r in f.lignes:
        ws.append([_brut(c) for c in r])
    for j, col in enumerate(f.colonnes, start=1):
        fmt = FORMATS_XLSX.get(col.format)
        largeur = max([len(col.titre)] + [len(r[j - 1].texte) for r in f.lignes]) + 2
        ws.column_dimensions[ws.cell(1, j).column_letter].width = min(largeur, 60)
        if fmt:
            for (cell,) in ws.iter_rows(min_row=2, min_col=j, max_col=j):
                if isinstance(cell.value, int | float | Decimal | Date):
                    cell.number_format = fmt
    out = io.BytesIO()
    wb.save(out)
    return out.getvalue()


def reponse(f: Figure, fmt: str) -> HttpResponse:
    """The figure's table as a download: `fmt` csv or xlsx."""
    nom = slugify(f.titre) or f.slug
    if fmt == "xlsx":
        r = HttpResponse(xlsx_octets(f), content_type=XLSX)
    else:
        r = HttpResponse(csv_texte(f), content_type="text/csv; charset=utf-8")
        fmt = "csv"
    r["Content-Disposition"] = f'attachment; filename="{nom}.{fmt}"'
    return r


def triable(f: Figure, query, cles: list[str], tri: str, decroissant: bool) -> Figure:
    """Header links that sort the table by each column (`cles`), the other way round for the
    column it is sorted by; `aria-sort` says which one and how."""
    colonnes = []
    for col, cle in zip(f.colonnes, cles, strict=True):
        q = query.copy()
        actif = cle == tri
        q["tri"], q["ordre"] = cle, "asc" if actif and decroissant else "desc" if actif else "asc"
        sens = ("descending" if decroissant else "ascending") if actif else ""
        colonnes.append(replace(col, tri_url="?" + q.urlencode(), aria_sort=sens))
    return replace(f, colonnes=colonnes)
