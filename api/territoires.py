"""API of the map: territories at a date, their perimeter and history, intercommunalities,
régions, GeoJSON contours. Public data, read without a token. Reads go through
territoires.selectors (the phase in force, names and perimeters at a date) and territoires.geo.

Operation ids are pinned as first published, when these endpoints lived in api.api: clients
generated from the OpenAPI document call them by these names.
"""

from django.http import Http404, HttpResponse
from ninja import Query, Router
from ninja.pagination import paginate

from referentiel.models import EPCI, Departement, NiveauContour, Region
from territoires import geo, selectors
from territoires.models import Changement, Territoire

from .erreurs import Erreur
from .listes import publique
from .schemas import Identifiant, Jour, Pagination
from .schemas.territoires import (
    EpciOut,
    FiltresCarte,
    FiltresTerritoires,
    RegionOut,
    TerritoireDetailOut,
    TerritoireOut,
)

router = Router()

GEOJSON = "application/geo+json"
REPONSE_GEOJSON = {
    "responses": {200: {"description": "FeatureCollection GeoJSON", "content": {GEOJSON: {}}}}
}


def _part(p) -> dict:
    return {
        "part_communes": p.part_communes,
        "part_population": p.part_population,
        "communes_dans": p.communes_dans,
        "communes_total": p.communes_total,
    }


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
            {"siren": e.siren, "nom": e.nom, "nature": e.nature, **_part(e)} for e in vue.epcis
        ],
    }


def _historique(territoire: Territoire) -> list[dict]:
    return [
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
        for c in Changement.objects.filter(territoire=territoire).select_related("decision")
    ]


def _find_territoire(code: str, phase: int | None) -> Territoire:
    t = selectors.trouver_territoire(code, phase)
    if t is None:
        raise Http404(f"Territoire {code} introuvable.")
    return t


def _phase_id(phase: int | None, date: Jour | None) -> int | None:
    """The phase asked for, or the phase in force at the date (today by default)."""
    if phase is not None:
        return phase
    courante = selectors.phase_courante(date)
    return courante.pk if courante else None


@router.get(
    "/territoires",
    response=list[TerritoireOut],
    tags=["Territoires"],
    summary="Liste des territoires à une date",
    operation_id="api_api_liste_territoires",
)
# Public, the same for every caller: written once per version of the data and of the map
# (a load of the referential changes populations outside the journal of writes).
@publique("api-territoires", TerritoireOut, selectors.version_carte)
@paginate(Pagination)
def liste_territoires(request, filtres: Query[FiltresTerritoires]):
    """Territoires en vigueur à `date` (aujourd'hui par défaut), filtrés par phase (par
    défaut, la phase en vigueur à cette date), région (code INSEE), caractère interrégional,
    pilote ou texte. `count` donne le total."""
    vues = selectors.vues_territoires_de_la_carte(
        filtres.date, phase=_phase_id(filtres.phase, filtres.date)
    )
    vues = selectors.filtrer(
        vues,
        region=filtres.region,
        interregional=filtres.interregional,
        pilote=filtres.pilote,
        q=filtres.q,
        date=filtres.date,
    )
    return [_territoire_out(v) for v in vues]


@router.get(
    "/territoires/{code}",
    response={200: TerritoireDetailOut, 404: Erreur},
    tags=["Territoires"],
    summary="Un territoire, son périmètre et son historique",
    operation_id="api_api_detail_territoire",
)
def detail_territoire(
    request, code: str, phase: Identifiant | None = None, date: Jour | None = None
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
    return {
        **_territoire_out(vue),
        "date": date,
        "date_creation": t.date_debut,
        "date_retrait": t.date_fin,
        "communes": communes,
        "historique": _historique(t),
    }


@router.get(
    "/territoires/{code}/geojson",
    tags=["Cartographie"],
    summary="Contours d'un territoire (GeoJSON)",
    openapi_extra=REPONSE_GEOJSON,
    operation_id="api_api_geojson_territoire",
)
def geojson_territoire(
    request, code: str, phase: Identifiant | None = None, date: Jour | None = None
):
    t = _find_territoire(code, phase)
    vue, _date = selectors.vue_montree(t, date)
    if vue is None:
        raise Http404(f"Le territoire {code} n'est pas sur la carte à cette date.")
    return HttpResponse(geo.territoire_geojson(vue), content_type=GEOJSON)


@router.get(
    "/carte",
    tags=["Cartographie"],
    summary="Carte nationale à une date (GeoJSON)",
    openapi_extra=REPONSE_GEOJSON,
    operation_id="api_api_carte",
)
def carte(request, filtres: Query[FiltresCarte]):
    """Une entité par intercommunalité (ou EPT du Grand Paris) et par territoire, avec la
    part des communes de l'intercommunalité comprise dans le territoire."""
    date = filtres.date or selectors.today()
    phase = _phase_id(filtres.phase, date)
    return HttpResponse(geo.carte_geojson(date, phase, filtres.region), content_type=GEOJSON)


@router.get(
    "/contours/{niveau}",
    tags=["Cartographie"],
    summary="Contours des régions ou des départements (GeoJSON)",
    operation_id="api_api_contours",
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


@router.get(
    "/epcis/{siren}",
    response={200: EpciOut, 404: Erreur},
    tags=["Référentiel"],
    summary="Une intercommunalité et les territoires qui la comprennent",
    operation_id="api_api_detail_epci",
)
def detail_epci(request, siren: str, phase: Identifiant | None = None, date: Jour | None = None):
    """Chaque territoire de la phase (par défaut, celle en vigueur à `date`) qui comprend tout
    ou partie de l'intercommunalité, avec la part de ses communes et de sa population. La
    Métropole du Grand Paris est partagée par ses EPT : chaque territoire qui en comprend une
    partie figure ici."""
    epci = EPCI.objects.filter(siren=siren).first()
    if epci is None:
        raise Http404(f"Intercommunalité {siren} introuvable.")
    date = date or selectors.today()
    vue = selectors.vue_epci(epci, date, _phase_id(phase, date))
    return {
        "siren": epci.siren,
        "nom": epci.nom,
        "nature": epci.nature,
        "parent": epci.parent_id,
        "population": vue.population,
        "date": vue.date,
        "phase": vue.phase,
        "communes": list(vue.communes.values("code", "nom", "population")),
        "territoires": [
            {"code": p.territoire.code, "nom": p.nom, "phase": p.territoire.phase_id, **_part(p)}
            for p in vue.territoires
        ],
    }


@router.get(
    "/regions",
    response=list[RegionOut],
    tags=["Référentiel"],
    summary="Régions",
    operation_id="api_api_regions",
)
def regions(request):
    return Region.objects.all()
