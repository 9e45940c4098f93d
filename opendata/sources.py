"""The sources and the licence the package cites (Frictionless `sources`, `licenses`)."""

LICENCE = {
    "name": "etalab-2.0",
    "title": "Licence Ouverte / Open Licence version 2.0",
    "path": "https://www.etalab.gouv.fr/licence-ouverte-open-licence/",
}

PLATEFORME = {
    "title": "Plateforme du programme Territoires d'industrie (ANCT, DGE)",
    "path": "https://territoires-industrie.anct.gouv.fr/",
}
CARTE = {
    "title": "Listes officielles des Territoires d'industrie (ANCT), Licence Ouverte 2.0",
    "path": "https://github.com/anct-carto/superposeur-anct",
}
COG = {
    "title": "Découpage administratif (COG 2026), @etalab/decoupage-administratif 6.0.0",
    "path": "https://github.com/etalab/decoupage-administratif",
}
SCDL_SUBVENTIONS = {
    "title": "Schéma SCDL « subventions » 1.1 (OpenDataFrance, schema.data.gouv.fr)",
    "path": "https://schema.data.gouv.fr/scdl/subventions/",
}
PROJETS_TERRITOIRE = {
    "title": "Schéma « projets-territoire » v0.1.0 des communs de la transition écologique",
    "path": "https://github.com/betagouv/schema-projet-collectivites-transition-ecologique",
}
