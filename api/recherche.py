"""API of the platform's search (docs/adr/0018-recherche.md): what the pages' search finds,
with the same scope — anonymous, the public (map, measures, news, contracted fiches); with a
token, what the token's person may see. Never a secret field (referentiel.moteur and each
domain's `recherche.py`)."""

from django.core.exceptions import ValidationError
from ninja import Query, Router

from referentiel.moteur import chercher, fournisseurs

from .auth import utilisateur
from .erreurs import Erreur
from .schemas.recherche import FiltresRecherche, RechercheOut

router = Router(tags=["Recherche"])


@router.get(
    "/recherche",
    response={200: RechercheOut, 401: Erreur, 422: Erreur},
    summary="Chercher dans toute la plateforme",
)
def recherche(request, filtres: Query[FiltresRecherche]):
    """Territoires (par nom, code, ou nom ou code INSEE d'une de leurs communes), fiches,
    mesures, actualités et annuaire, groupés par sorte avec leur total ; `limit` et `offset`
    s'appliquent dans chaque sorte."""
    user = utilisateur(request)
    genres = {f.genre for f in fournisseurs(user)}
    if filtres.genre and filtres.genre not in genres:
        raise ValidationError(f"Sorte inconnue : choisir parmi {', '.join(sorted(genres))}.")
    requete, groupes = chercher(user, filtres.q, filtres.genre)
    fin = filtres.offset + filtres.limit
    return {
        "q": requete.texte,
        "groupes": [
            {
                "genre": g.genre,
                "libelle": g.libelle,
                "total": g.total,
                "resultats": [
                    {
                        "titre": r.titre,
                        "detail": r.detail,
                        "identifiant": r.identifiant,
                        "url": request.build_absolute_uri(r.url),
                        "demo": r.demo,
                    }
                    for r in g.presenter(g.objets[filtres.offset : fin])
                ],
            }
            for g in groupes
        ],
    }
