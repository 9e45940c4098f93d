"""Pages of the open-data package; the files themselves are built by the
`construire_donnees_ouvertes` command (opendata.paquet), never here."""

from __future__ import annotations

from django.http import Http404, HttpResponse
from django.shortcuts import render

from opendata import paquet
from opendata import registre as aides
from opendata.sources import LICENCE

TYPES = {".csv": "text/csv; charset=utf-8", ".json": "application/json"}
EXPORTS = {
    "csv": ("text/csv; charset=utf-8", aides.en_csv),
    "xlsx": (
        "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
        aides.en_xlsx,
    ),
}


def index(request):
    descripteur = paquet.lire_descripteur()
    ressources = [
        {**r, "date": paquet.date_de(r)} for r in (descripteur or {}).get("resources", [])
    ]
    return render(
        request,
        "opendata/index.html",
        {
            "descripteur": descripteur,
            "ressources": ressources,
            "licence": LICENCE,
            "national": aides.peut_lire(request.user),
        },
    )


def fichier(request, nom: str):
    chemin = paquet.chemin_publie(nom)
    if chemin is None:
        raise Http404("Ce fichier ne fait pas partie du paquet de données ouvertes.")
    # Read whole (a few megabytes at most): the gzip middleware then compresses it.
    reponse = HttpResponse(chemin.read_bytes(), content_type=TYPES[chemin.suffix])
    reponse["Access-Control-Allow-Origin"] = "*"  # open data: readable from any site
    reponse["Cache-Control"] = "public, max-age=3600"
    return reponse


def registre(request):
    lignes = aides.aides(request.user)  # 404 for anyone but the national delegation
    return render(
        request,
        "opendata/registre.html",
        {"lignes": lignes, "colonnes": aides.COLONNES},
    )


def registre_export(request, format: str):
    if format not in EXPORTS:
        raise Http404("Format inconnu.")
    lignes = aides.aides(request.user)
    type_, ecrire = EXPORTS[format]
    reponse = HttpResponse(ecrire(lignes), content_type=type_)
    reponse["Content-Disposition"] = f'attachment; filename="aides-aux-entreprises.{format}"'
    return reponse
