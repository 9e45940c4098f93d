"""API of the organisations: the list and search (by SIREN or name) and the detail by SIREN,
through the pages' scope (comptes.permissions.organisations_visibles): public bodies for
everyone, a firm only for its own people and those who follow its territory or région,
404 for anyone else. No firm's secret in the list; the detail is the one of
GET /organisations/{pk}, its profile's secrets masked without the right to know them (and
each reading logged, comptes.secrets)."""

from django.core.exceptions import ValidationError
from django.db.models import Q
from django.http import Http404
from ninja import Query, Router
from ninja.pagination import paginate

from comptes.permissions import organisations_visibles

from . import comptes as api_comptes
from .auth import utilisateur
from .erreurs import Erreur
from .schemas import Cle, Pagination
from .schemas.comptes import OrganisationOut
from .schemas.organisations import FiltresOrganisations, OrganisationResumeOut

router = Router(tags=["Comptes et organisations"])


@router.get(
    "/organisations",
    response=list[OrganisationResumeOut],
    summary="Organisations visibles : recherche par nom ou SIREN",
)
@paginate(Pagination)
def liste_organisations(request, filtres: Query[FiltresOrganisations]):
    """Sans jeton : les organisations publiques (tout sauf les entreprises). Avec un jeton :
    celles de votre portée, comme l'annuaire des pages. `count` donne le total."""
    qs = organisations_visibles(utilisateur(request)).select_related("commune")
    if filtres.q:
        for mot in filtres.q.split():
            qs = qs.filter(nom__icontains=mot)
    if filtres.siren:
        qs = qs.filter(siren=filtres.siren.strip())
    if filtres.type:
        qs = qs.filter(type=filtres.type)
    if filtres.region:
        code = filtres.region.strip()
        qs = qs.filter(Q(region_id=code) | Q(region__isnull=True, commune__region_id=code))
    return qs.order_by("nom", "id")


@router.get(
    "/organisations/siren/{siren}",
    response={200: OrganisationOut, 401: Erreur, 404: Erreur, 422: Erreur},
    summary="Une organisation par son SIREN",
)
def organisation_par_siren(request, siren: Cle):
    """La même réponse que GET /organisations/{pk}. 404 si aucune organisation visible ne
    porte ce SIREN ; 422 si plusieurs le portent (passer alors par la liste)."""
    trouvees = list(organisations_visibles(utilisateur(request)).filter(siren=siren.strip())[:2])
    if not trouvees:
        raise Http404(f"Organisation au SIREN {siren} introuvable.")
    if len(trouvees) > 1:
        raise ValidationError(
            f"Plusieurs organisations portent le SIREN {siren} : cherchez-les par "
            "GET /organisations?siren=…"
        )
    return api_comptes.organisation(request, trouvees[0].pk)
