"""What the dashboard tests share: a small programme in the région 84 (phase 1), and readers of
a page's tables and of their exports."""

from __future__ import annotations

import csv
import io
from datetime import date
from decimal import Decimal

from lxml import html as lxml_html
from openpyxl import load_workbook

from comptes.tests.fabriques import personne
from contrats.tests.fabriques import equipe, retenue
from fiches.models import Indicateur, ValeurIndicateur
from fiches.tests.fabriques import fiche


def programme() -> dict:
    """The people of fiches.tests.fabriques.equipe() (8401, région 84), a fiche retained in
    8401, a draft in 8408, the same indicator written two ways on each, and someone signed in
    without any role."""
    p = equipe()
    p["retenue"] = retenue(p)
    p["brouillon"] = fiche(p["chef8408"], code="8408", titre="Atelier partagé de soudure")
    emplois = Indicateur.objects.create(
        fiche=p["retenue"], libelle="Emplois créés", unite="emplois", cible=10
    )
    # The latest measurement is the latest by date, whatever the order of entry.
    ValeurIndicateur.objects.create(indicateur=emplois, date=date(2022, 1, 1), valeur=6)
    ValeurIndicateur.objects.create(indicateur=emplois, date=date(2021, 1, 1), valeur=2)
    autre = Indicateur.objects.create(
        fiche=p["brouillon"], libelle="emplois crees", unite="Emplois", cible=20
    )
    ValeurIndicateur.objects.create(indicateur=autre, date=date(2021, 6, 1), valeur=5)
    p["sans_role"] = personne("sans.role@exemple.fr")
    return p


def tableau_html(page: str, slug: str) -> tuple[list[str], list[list[str]]]:
    """(headers, rows of cell texts) of the table of figure `slug` in a page."""
    doc = lxml_html.fromstring(page)
    table = doc.get_element_by_id(f"table-{slug}", None)
    if table is None:  # an empty figure says so instead of showing a table
        assert "Aucune donnée" in doc.get_element_by_id(f"figure-{slug}").text_content()
        return [], []
    entetes = [
        " ".join(th.text_content().replace("▲", "").replace("▼", "").split())
        for th in table.xpath("./thead/tr/th")
    ]
    lignes = [
        [" ".join(c.text_content().split()) for c in tr.xpath("./th|./td")]
        for tr in table.xpath("./tbody/tr")
    ]
    return entetes, lignes


def lire_csv(contenu: bytes) -> list[list[str]]:
    return list(csv.reader(io.StringIO(contenu.decode("utf-8"))))


def lire_xlsx(contenu: bytes) -> list[list]:
    ws = load_workbook(io.BytesIO(contenu)).active
    return [list(r) for r in ws.iter_rows(values_only=True)]


def nombre_francais(texte: str) -> Decimal | None:
    """« 1 234,5 € » → 1234.5; None for a text that is not a number."""
    brut = texte.replace("\u202f", "").replace("\xa0", "").replace(" ", "")
    brut = brut.removesuffix("€").removesuffix("%").replace(",", ".")
    try:
        return Decimal(brut)
    except ArithmeticError:
        return None
