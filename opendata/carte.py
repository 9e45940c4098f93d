"""The map as open data: each phase's territories with their EPCI and communes, at the phase's
last day (today for the current phase), and each version of the map published at a CNI."""

from __future__ import annotations

from territoires.models import Phase
from territoires.selectors import perimetres_a, today, vues_territoires

from .fichiers import Fichier, champ
from .sources import CARTE, COG, PLATEFORME

SOURCES = [PLATEFORME, CARTE, COG]
PHASE = champ(
    "phase", "integer", "Phase du programme", "1 : 2018-2023 ; 2 : 2023-2027.", requis=True
)
CODE = champ(
    "territoire_code",
    "string",
    "Identifiant du territoire",
    "L'identifiant du programme : « 8401 » en phase 1, « ti-8401 » en phase 2.",
    requis=True,
)
DATE = champ(
    "date_carte", "date", "Date de la carte", "La carte en vigueur ce jour-là.", requis=True
)


def phases() -> list[tuple[Phase, object]]:
    """Each phase begun, with the date of its map: its last day, or today if it runs."""
    jour = today()
    return [(p, min(jour, p.date_fin)) for p in Phase.objects.filter(date_debut__lte=jour)]


def _territoires():
    for phase, jour in phases():
        for v in vues_territoires(jour, phase=phase):
            yield {
                "phase": phase.numero,
                "territoire_code": v.code,
                "nom": v.nom,
                "date_carte": jour,
                "regions": v.regions,
                "interregional": v.interregional,
                "pilote": v.territoire.pilote,
                "population": v.population,
                "nb_communes": v.nb_communes,
                "nb_epci": len(v.epcis),
            }


def _epcis():
    for phase, jour in phases():
        for v in vues_territoires(jour, phase=phase):
            for e in v.epcis:
                yield {
                    "phase": phase.numero,
                    "territoire_code": v.code,
                    "date_carte": jour,
                    "epci_siren": e.siren,
                    "epci_nom": e.nom,
                    "nature": e.nature,
                    "communes_dans_le_territoire": e.communes_dans,
                    "communes_de_l_epci": e.communes_total,
                    "part_communes": e.part_communes,
                    "part_population": e.part_population,
                    "entier": e.entier,
                }


def _communes():
    for phase, jour in phases():
        rows = (
            perimetres_a(jour, phase)
            .values_list(
                "territoire__code",
                "commune_id",
                "commune__nom",
                "commune__epci_id",
                "commune__departement_id",
                "commune__region_id",
            )
            .order_by("territoire__code", "commune_id")
        )
        for code, commune, nom, epci, dep, region in rows.iterator(chunk_size=5000):
            yield {
                "phase": phase.numero,
                "territoire_code": code,
                "date_carte": jour,
                "commune_code": commune,
                "commune_nom": nom,
                "epci_siren": epci,
                "departement_code": dep,
                "region_code": region,
            }


REGIONS = champ(
    "regions", "string", "Régions", "Codes INSEE des régions, séparés par « ; ».", requis=True
)
SIREN = champ("epci_siren", "string", "SIREN de l'EPCI", pattern=r"^\d{9}$")
COMMUNE = champ(
    "commune_code", "string", "Code INSEE de la commune", requis=True, pattern=r"^[0-9AB]{5}$"
)

TERRITOIRES = Fichier(
    nom="territoires",
    titre="Territoires d'industrie, par phase",
    description="Chaque territoire de chaque phase tel qu'il est à la date de la carte : "
    "régions (déduites de ses communes), population, nombre de communes et d'EPCI.",
    champs=[
        PHASE,
        CODE,
        champ("nom", "string", "Nom du territoire", requis=True),
        DATE,
        REGIONS,
        champ("interregional", "boolean", "Interrégional", requis=True),
        champ("pilote", "boolean", "Territoire pilote (FAQ §6.3)", requis=True),
        champ("population", "integer", "Population municipale", minimum=0),
        champ("nb_communes", "integer", "Nombre de communes", minimum=0),
        champ("nb_epci", "integer", "Nombre d'EPCI (ou d'EPT) concernés", minimum=0),
    ],
    lignes=_territoires,
    sources=SOURCES,
    cle_primaire=["phase", "territoire_code"],
)

EPCIS = Fichier(
    nom="territoires-epci",
    titre="Intercommunalités de chaque territoire",
    description="La part de chaque EPCI (ou EPT dans la Métropole du Grand Paris) comprise "
    "dans chaque territoire : communes et population.",
    champs=[
        PHASE,
        CODE,
        DATE,
        {**SIREN, "constraints": {"required": True, "pattern": r"^\d{9}$"}},
        champ("epci_nom", "string", "Nom de l'EPCI", requis=True),
        champ("nature", "string", "Nature juridique (CC, CA, CU, METRO, EPT…)"),
        champ("communes_dans_le_territoire", "integer", "Communes de l'EPCI dans le territoire"),
        champ("communes_de_l_epci", "integer", "Communes de l'EPCI"),
        champ("part_communes", "number", "Part des communes", minimum=0, maximum=1),
        champ("part_population", "number", "Part de la population", minimum=0, maximum=1),
        champ("entier", "boolean", "EPCI entier dans le territoire"),
    ],
    lignes=_epcis,
    sources=SOURCES,
    cle_primaire=["phase", "territoire_code", "epci_siren"],
)

COMMUNES = Fichier(
    nom="territoires-communes",
    titre="Communes de chaque territoire",
    description="Le périmètre officiel, tenu à la commune : chaque commune de chaque "
    "territoire, avec son EPCI, son département et sa région (COG 2026).",
    champs=[
        PHASE,
        CODE,
        DATE,
        COMMUNE,
        champ("commune_nom", "string", "Nom de la commune", requis=True),
        SIREN,
        champ("departement_code", "string", "Code du département"),
        champ("region_code", "string", "Code de la région"),
    ],
    lignes=_communes,
    sources=SOURCES,
    cle_primaire=["phase", "territoire_code", "commune_code"],
)
