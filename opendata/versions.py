"""The national map as published at each CNI (gouvernance.VersionCarte): frozen versions."""

from __future__ import annotations

from gouvernance.models import VersionCarte
from referentiel.models import Commune

from .carte import CODE, COMMUNE, PHASE, REGIONS, SIREN, SOURCES
from .fichiers import Fichier, champ

VERSION = champ("version", "string", "Version de la carte", "Son nom au CNI.", requis=True)
DATE = champ("date_version", "date", "Date de la version", requis=True)


def _versions():
    return VersionCarte.objects.select_related("phase", "reunion").order_by("date", "id")


def _territoires():
    for v in _versions():
        for t in v.territoires():
            yield {
                "version": v.nom,
                "date_version": v.date,
                "phase": v.phase_id,
                "territoire_code": t["code"],
                "nom": t["nom"],
                "territoire_d_origine": t["origine"],
                "regions": t["regions"],
                "nb_communes": len(t["communes"]),
            }


def _communes():
    epcis = dict(Commune.objects.values_list("code", "epci_id"))
    noms = dict(Commune.objects.values_list("code", "nom"))
    for v in _versions():
        for t in v.territoires():
            for c in t["communes"]:
                yield {
                    "version": v.nom,
                    "date_version": v.date,
                    "phase": v.phase_id,
                    "territoire_code": t["code"],
                    "commune_code": c,
                    "commune_nom": noms.get(c),
                    "epci_siren": epcis.get(c),
                }


TERRITOIRES = Fichier(
    nom="versions-carte",
    titre="Versions de la carte publiées au CNI",
    description="Les territoires de chaque version de la carte nationale publiée au Conseil "
    "national de l'industrie (FAQ §2.3), figée le jour de sa publication.",
    champs=[
        VERSION,
        DATE,
        PHASE,
        CODE,
        champ("nom", "string", "Nom du territoire", requis=True),
        champ("territoire_d_origine", "string", "Territoire scindé dont il est issu"),
        REGIONS,
        champ("nb_communes", "integer", "Nombre de communes", minimum=0),
    ],
    lignes=_territoires,
    sources=SOURCES,
    cle_primaire=["version", "territoire_code"],
)

COMMUNES = Fichier(
    nom="versions-carte-communes",
    titre="Communes de chaque version de la carte",
    description="Le périmètre de chaque territoire dans chaque version publiée au CNI, "
    "commune par commune, avec l'EPCI de la commune au référentiel (COG 2026).",
    champs=[
        VERSION,
        DATE,
        PHASE,
        CODE,
        COMMUNE,
        champ("commune_nom", "string", "Nom de la commune"),
        SIREN,
    ],
    lignes=_communes,
    sources=SOURCES,
    cle_primaire=["version", "territoire_code", "commune_code"],
)
