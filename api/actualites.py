"""API of the network's information (FAQ §7.4): news, the library of resources, events. Reads
are scoped like their pages (actualites.ressources, actualites.evenements): a draft resource
is found only by those who publish it, a network event only with a token; anything else is
404. A resource's file is served as an attachment with `nosniff`, an event's calendar file in
Paris time (TZID Europe/Paris)."""

from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404
from django.urls import reverse
from django.utils import timezone
from ninja import Query, Router
from ninja.pagination import paginate

from actualites import evenements, ressources, selectors
from actualites.models import Actualite, Evenement, Ressource
from referentiel.calendrier import PARIS

from .auth import utilisateur
from .erreurs import Erreur
from .schemas import Identifiant, Pagination
from .schemas.actualites import (
    ActualiteDetailOut,
    ActualiteOut,
    EvenementDetailOut,
    EvenementOut,
    FiltresEvenements,
    FiltresRegion,
    FiltresRessources,
    RessourceOut,
)

router = Router(tags=["Information du réseau"])
LECTURE = {401: Erreur, 404: Erreur}
ICS = "text/calendar; charset=utf-8"


def _introuvable(qs, pk: int, quoi: str):
    try:
        return get_object_or_404(qs, pk=pk)
    except Http404:
        raise Http404(f"{quoi} introuvable.") from None


def _actualite(a: Actualite, detail: bool = False) -> dict:
    out = {
        **{c: getattr(a, c) for c in ("id", "titre", "chapo", "source", "publiee_le")},
        **{"region": a.region_id, "modifiee_le": a.modifiee_le},
    }
    return out | {"corps": a.corps} if detail else out


def _ressource(r: Ressource) -> dict:
    return {
        **{c: getattr(r, c) for c in ("id", "titre", "resume", "categorie", "source", "date")},
        **{"libelle_categorie": r.get_categorie_display(), "region": r.region_id},
        "publiee": r.publiee,
        "lien": r.lien or None,
        "fichier": reverse("api-v1:ressource-fichier", args=[r.pk]) if r.fichier else None,
        "type_fichier": r.type_fichier or None,
        "taille": r.taille if r.fichier else None,
    }


def _evenement(e: Evenement, detail: bool = False) -> dict:
    out = {
        **{c: getattr(e, c) for c in ("id", "titre", "lieu", "lien")},
        "debut": timezone.localtime(e.debut, PARIS),
        "fin": timezone.localtime(e.fin, PARIS),
        **{"organisateur": e.organisateur, "region": e.region_id, "public": e.public},
        "ics": reverse("api-v1:evenement-ics", args=[e.pk]),
    }
    return out | {"description": e.description, "version": e.version} if detail else out


@router.get("/actualites", response=list[ActualiteOut], summary="Les actualités du réseau")
@paginate(Pagination)
def liste_actualites(request, filtres: Query[FiltresRegion]):
    """Publiques. `count` donne le total."""
    return [_actualite(a) for a in selectors.actualites(filtres.region)]


@router.get(
    "/actualites/{actualite_id}",
    response={200: ActualiteDetailOut, **LECTURE},
    summary="Une actualité",
)
def detail_actualite(request, actualite_id: Identifiant):
    return _actualite(_introuvable(selectors.actualites(), actualite_id, "Actualité"), True)


@router.get("/ressources", response=list[RessourceOut], summary="La bibliothèque de ressources")
@paginate(Pagination)
def liste_ressources(request, filtres: Query[FiltresRessources]):
    """Les ressources publiées, et les brouillons de qui les publie (avec son jeton)."""
    qs = ressources.ressources(
        utilisateur(request), region=filtres.region, categorie=filtres.categorie
    )
    return [_ressource(r) for r in qs]


@router.get(
    "/ressources/{ressource_id}",
    response={200: RessourceOut, **LECTURE},
    summary="Une ressource",
)
def detail_ressource(request, ressource_id: Identifiant):
    qs = ressources.ressources_visibles(utilisateur(request))
    return _ressource(_introuvable(qs, ressource_id, "Ressource"))


@router.get(
    "/ressources/{ressource_id}/fichier",
    response=LECTURE,
    summary="Télécharger le fichier d'une ressource",
    url_name="ressource-fichier",
    openapi_extra={"responses": {200: {"description": "Le fichier, en pièce jointe."}}},
)
def fichier_ressource(request, ressource_id: Identifiant):
    qs = ressources.ressources_visibles(utilisateur(request))
    reponse = ressources.telecharger(_introuvable(qs, ressource_id, "Ressource"))
    if reponse is None:
        raise Http404("Cette ressource n'a pas de fichier : voir son lien.")
    return reponse


@router.get("/evenements", response=list[EvenementOut], summary="Les événements du réseau")
@paginate(Pagination)
def liste_evenements(request, filtres: Query[FiltresEvenements]):
    """Les événements à venir, le plus proche d'abord, ou passés (`passes`), le plus récent
    d'abord ; ceux réservés au réseau avec un jeton seulement."""
    lecture = evenements.passes if filtres.passes else evenements.a_venir
    return [_evenement(e) for e in lecture(utilisateur(request), region=filtres.region)]


@router.get(
    "/evenements/{evenement_id}",
    response={200: EvenementDetailOut, **LECTURE},
    summary="Un événement",
)
def detail_evenement(request, evenement_id: Identifiant):
    qs = evenements.evenements_visibles(utilisateur(request))
    return _evenement(_introuvable(qs, evenement_id, "Événement"), True)


@router.get(
    "/evenements/{evenement_id}/ics",
    response=LECTURE,
    summary="Le fichier ICS d'un événement (Europe/Paris)",
    url_name="evenement-ics",
    openapi_extra={"responses": {200: {"description": "Le fichier ICS, en pièce jointe."}}},
)
def ics_evenement(request, evenement_id: Identifiant):
    e = _introuvable(
        evenements.evenements_visibles(utilisateur(request)), evenement_id, "Événement"
    )
    url = request.build_absolute_uri(reverse("actualites:evenement", args=[e.pk]))
    r = HttpResponse(evenements.calendrier(e, url=url), content_type=ICS)
    r["Content-Disposition"] = f'attachment; filename="evenement-{e.pk}.ics"'
    if not e.public:
        r["Cache-Control"] = "private, no-store"
    return r
