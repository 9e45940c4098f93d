"""Public JSON API, version 1: the map of territories. OpenAPI at /api/v1/openapi.json."""

from datetime import date as Date

from django.core.exceptions import PermissionDenied
from django.db.models import Count, Sum
from django.http import Http404, HttpResponse
from ninja import NinjaAPI, Query, Schema
from ninja.errors import AuthenticationError, HttpError
from ninja.errors import ValidationError as ErreurSchema
from ninja.pagination import paginate

from referentiel.models import EPCI, Departement, NiveauContour, Region
from territoires import geo, selectors
from territoires.models import Changement, Territoire

from .comptes import router as comptes_router
from .erreurs import CORPS_ILLISIBLE, ParserJson, en_francais
from .schemas import (
    EpciOut,
    Erreur,
    Identifiant,
    Pagination,
    RegionOut,
    TerritoireDetailOut,
    TerritoireOut,
)

api = NinjaAPI(
    title="API Territoires d'industrie",
    version="1.0.0",
    description=(
        "Carte des Territoires d'industrie : territoires, intercommunalités, contours GeoJSON, "
        "carte à une date passée. Données publiques, lecture sans authentification."
    ),
    urls_namespace="api-v1",
    parser=ParserJson(),
)

GEOJSON = "application/geo+json"


class FiltresCarte(Schema):
    # Without a phase: the phase in force at the date (territoires.selectors.phase_courante).
    phase: Identifiant | None = None
    region: str | None = None
    date: Date | None = None


class FiltresTerritoires(FiltresCarte):
    interregional: bool | None = None
    pilote: bool | None = None
    q: str | None = None


def _territoire_out(vue: selectors.VueTerritoire) -> dict:
    t = vue.territoire
    return {
        "code": t.code,
        "nom": vue.nom,
        "phase": t.phase_id,
        "regions": vue.regions,
        "interregional": vue.interregional,
        "pilote": t.pilote,
        "population": vue.population,
        "nb_communes": vue.nb_communes,
        "epcis": [
            {
                "siren": e.siren,
                "nom": e.nom,
                "nature": e.nature,
                "part_communes": e.part_communes,
                "part_population": e.part_population,
                "communes_dans": e.communes_dans,
                "communes_total": e.communes_total,
            }
            for e in vue.epcis
        ],
    }


def _find_territoire(code: str, phase: int | None) -> Territoire:
    t = selectors.trouver_territoire(code, phase)
    if t is None:
        raise Http404(f"Territoire {code} introuvable.")
    return t


def _phase_id(phase: int | None, date: Date | None) -> int | None:
    """The phase asked for, or the phase in force at the date (today by default)."""
    if phase is not None:
        return phase
    courante = selectors.phase_courante(date)
    return courante.pk if courante else None


api.add_router("", comptes_router)
api.add_router("", "api.fiches.router")
api.add_router("", "api.suivi.router")


@api.exception_handler(AuthenticationError)
def non_authentifie(request, exc):
    response = api.create_response(
        request, {"detail": "Jeton absent, invalide ou expiré."}, status=401
    )
    response["WWW-Authenticate"] = "Bearer"
    return response


@api.exception_handler(PermissionDenied)
def refus(request, exc):
    # The object is visible but the action is not the caller's: 403 with the French message.
    return api.create_response(request, {"detail": str(exc) or "Action non autorisée."}, status=403)


@api.exception_handler(Http404)
def not_found(request, exc):
    return api.create_response(request, {"detail": str(exc) or "Introuvable."}, status=404)


@api.exception_handler(ErreurSchema)
def schema_invalide(request, exc):
    # The list of schema errors as before (type, place, context), each message in French.
    return api.create_response(
        request, {"detail": [en_francais(e) for e in exc.errors]}, status=422
    )


@api.exception_handler(HttpError)
def erreur_http(request, exc):
    detail = str(exc)
    if detail.startswith("Cannot parse request body"):  # django-ninja's own words
        detail = CORPS_ILLISIBLE
    return api.create_response(request, {"detail": detail}, status=exc.status_code)


@api.get(
    "/territoires",
    response=list[TerritoireOut],
    tags=["Territoires"],
    summary="Liste des territoires à une date",
)
@paginate(Pagination)
def liste_territoires(request, filtres: Query[FiltresTerritoires]):
    """Territoires en vigueur à `date` (aujourd'hui par défaut), filtrés par phase (par
    défaut, la phase en vigueur à cette date), région (code INSEE), caractère interrégional,
    pilote ou texte. `count` donne le total."""
    vues = selectors.vues_territoires(filtres.date, phase=_phase_id(filtres.phase, filtres.date))
    vues = selectors.filtrer(
        vues,
        region=filtres.region,
        interregional=filtres.interregional,
        pilote=filtres.pilote,
        q=filtres.q,
    )
    return [_territoire_out(v) for v in vues]


@api.get(
    "/territoires/{code}",
    response={200: TerritoireDetailOut, 404: Erreur},
    tags=["Territoires"],
    summary="Un territoire, son périmètre et son historique",
)
def detail_territoire(
    request, code: str, phase: Identifiant | None = None, date: Date | None = None
):
    """Sans phase, le territoire de ce code dans la phase en vigueur, sinon dans la plus
    récente. `partagee_avec` : les autres territoires de la phase qui comprennent la commune."""
    t = _find_territoire(code, phase)
    demandee = date or selectors.today()
    vue, date = selectors.vue_montree(t, demandee)
    if vue is None:
        raise Http404(f"Le territoire {code} n'est pas sur la carte au {demandee:%d/%m/%Y}.")
    partagees = selectors.communes_partagees(t, date)
    communes = list(selectors.communes_du_territoire(t, date).values("code", "nom", "population"))
    for c in communes:
        c["partagee_avec"] = [autre.code for autre in partagees.get(c["code"], [])]
    out = _territoire_out(vue)
    out.update(
        date=date,
        date_creation=t.date_debut,
        date_retrait=t.date_fin,
        communes=communes,
        historique=[
            {
                "date": c.date,
                "nature": c.nature,
                "libelle": c.get_nature_display(),
                "description": c.description,
                "communes_ajoutees": c.communes_ajoutees,
                "communes_retirees": c.communes_retirees,
                "decision": c.decision.intitule,
                "instance": c.decision.get_instance_display(),
                "demo": c.decision.demo,
            }
            for c in Changement.objects.filter(territoire=t).select_related("decision")
        ],
    )
    return out


@api.get(
    "/territoires/{code}/geojson",
    tags=["Cartographie"],
    summary="Contours d'un territoire (GeoJSON)",
    openapi_extra={
        "responses": {200: {"description": "FeatureCollection GeoJSON", "content": {GEOJSON: {}}}}
    },
)
def geojson_territoire(
    request, code: str, phase: Identifiant | None = None, date: Date | None = None
):
    t = _find_territoire(code, phase)
    vue, _date = selectors.vue_montree(t, date)
    if vue is None:
        raise Http404(f"Le territoire {code} n'est pas sur la carte à cette date.")
    return HttpResponse(geo.territoire_geojson(vue), content_type=GEOJSON)


@api.get(
    "/carte",
    tags=["Cartographie"],
    summary="Carte nationale à une date (GeoJSON)",
    openapi_extra={
        "responses": {200: {"description": "FeatureCollection GeoJSON", "content": {GEOJSON: {}}}}
    },
)
def carte(request, filtres: Query[FiltresCarte]):
    """Une entité par intercommunalité (ou EPT du Grand Paris) et par territoire, avec la
    part des communes de l'intercommunalité comprise dans le territoire."""
    date = filtres.date or selectors.today()
    phase = _phase_id(filtres.phase, date)
    return HttpResponse(geo.carte_geojson(date, phase, filtres.region), content_type=GEOJSON)


@api.get(
    "/contours/{niveau}",
    tags=["Cartographie"],
    summary="Contours des régions ou des départements (GeoJSON)",
)
def contours(request, niveau: str, region: str | None = None):
    if niveau not in (NiveauContour.REGION, NiveauContour.DEPARTEMENT):
        raise Http404("Niveau inconnu : « region » ou « departement ».")
    codes = None
    if region and niveau == NiveauContour.REGION:
        codes = [region]
    elif region:
        codes = list(Departement.objects.filter(region_id=region).values_list("code", flat=True))
    return HttpResponse(geo.fond_geojson(niveau, codes), content_type=GEOJSON)


@api.get(
    "/epcis/{siren}",
    response={200: EpciOut, 404: Erreur},
    tags=["Référentiel"],
    summary="Une intercommunalité et les territoires qui la comprennent",
)
def detail_epci(request, siren: str, phase: Identifiant | None = None, date: Date | None = None):
    """Chaque territoire de la phase (par défaut, celle en vigueur à `date`) qui comprend tout
    ou partie de l'intercommunalité, avec la part de ses communes et de sa population. La
    Métropole du Grand Paris est partagée par ses EPT : chaque territoire qui en comprend une
    partie figure ici."""
    epci = EPCI.objects.filter(siren=siren).first()
    if epci is None:
        raise Http404(f"Intercommunalité {siren} introuvable.")
    field = "ept" if epci.nature == "EPT" else "epci"
    communes = epci.communes_ept.all() if field == "ept" else epci.communes.all()
    total = communes.aggregate(n=Count("code"), pop=Sum("population"))
    n_total, pop_total = total["n"] or 0, total["pop"] or 0
    date = date or selectors.today()
    phase_id = _phase_id(phase, date)
    parts = (
        selectors.perimetres_a(date, phase_id)
        .filter(**{f"commune__{field}": epci})
        .values("territoire_id")
        .annotate(n=Count("id"), pop=Sum("commune__population"))
        .order_by()
    )
    parts = {p["territoire_id"]: p for p in parts}
    territoires = Territoire.objects.filter(id__in=list(parts)).order_by("phase_id", "code")
    noms = selectors.noms_a(date, list(parts))
    appartenances = []
    for t in territoires:
        p = parts[t.id]
        appartenances.append(
            {
                "code": t.code,
                "nom": noms.get(t.id, t.nom),
                "phase": t.phase_id,
                "communes_dans": p["n"],
                "communes_total": n_total,
                "part_communes": round(p["n"] / n_total, 4) if n_total else 0.0,
                "part_population": round((p["pop"] or 0) / pop_total, 4) if pop_total else 0.0,
            }
        )
    return {
        "siren": epci.siren,
        "nom": epci.nom,
        "nature": epci.nature,
        "parent": epci.parent_id,
        "population": pop_total,
        "date": date,
        "phase": phase_id,
        "communes": list(communes.order_by("nom").values("code", "nom", "population")),
        "territoires": appartenances,
    }


@api.get("/regions", response=list[RegionOut], tags=["Référentiel"], summary="Régions")
def regions(request):
    return Region.objects.all()
