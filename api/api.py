"""Public JSON API, version 1, at /api/v1/ (OpenAPI at /api/v1/openapi.json).

This module only assembles it: one router per domain (api/<domain>.py, shapes in
api/schemas/<domain>.py), the one set of error answers (api.erreurs) that the OpenAPI
document declares for every operation (api.document), the JSON-only parser.
Authentication is per endpoint (api.auth): reads anonymous or with a token, writes with one.
"""

from functools import partial

from . import (
    actualites,
    comptes,
    contrats,
    contrats_saisie,
    erreurs,
    evaluations,
    fiches,
    financements,
    gouvernance,
    gouvernance_reunions,
    gouvernance_saisie,  # noqa: F401 (its endpoints join gouvernance.router)
    mesures,
    organisations,
    parcours,
    recherche,
    suivi,
    territoires,
)
from .document import ApiDocumentee

api = ApiDocumentee(
    title="API Territoires d'industrie",
    version="1.0.0",
    description=(
        "Carte des Territoires d'industrie : territoires, intercommunalités, contours GeoJSON, "
        "carte à une date passée. Données publiques, lecture sans authentification."
    ),
    urls_namespace="api-v1",
    parser=erreurs.ParserJson(),
)

for _exc, _gestionnaire in erreurs.GESTIONNAIRES.items():
    api.add_exception_handler(_exc, partial(_gestionnaire, api=api))

api.add_router("", actualites.router)
api.add_router("", comptes.router)
api.add_router("", contrats.router)
api.add_router("", contrats_saisie.router)
api.add_router("", evaluations.router)
api.add_router("", financements.router)
api.add_router("", fiches.router)
api.add_router("", gouvernance.router)
api.add_router("", gouvernance_reunions.router)
api.add_router("", mesures.router)
api.add_router("", organisations.router)
api.add_router("", parcours.router)
api.add_router("", recherche.router)
api.add_router("", suivi.router)
api.add_router("", territoires.router)
