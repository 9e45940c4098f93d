"""The network's events (FAQ §7.4): forums, webinars, regional meetings of project leaders.
Organised like the news are published: by the national delegation for everyone, by a Région's
pilot in its région (actualites.services.peut_publier). A public event is read by anyone; a
network event only by signed-in people, and is not found (404) for anyone else. Edits take an
optimistic lock (the version read); each calendar file carries Paris times with their zone."""

from __future__ import annotations

from datetime import datetime

from django.core.exceptions import PermissionDenied, ValidationError
from django.core.validators import URLValidator
from django.db import transaction
from django.db.models import QuerySet
from django.utils import timezone

from comptes.permissions import portee
from comptes.services import ConflitEdition
from referentiel import calendrier as ics
from referentiel import saisie

from .models import Evenement
from .services import peut_publier

CHAMPS = ("titre", "description", "debut", "fin", "lieu", "lien", "organisateur", "public")
_URL = URLValidator(schemes=["http", "https"], message="Saisissez une adresse web (https://…).")


def evenements_visibles(user) -> QuerySet[Evenement]:
    qs = Evenement.objects.select_related("region")
    return qs if portee(user).authentifie else qs.filter(public=True)


def a_venir(user, *, region: str | None = None) -> QuerySet[Evenement]:
    """Events not yet over, the nearest first."""
    qs = evenements_visibles(user).filter(fin__gte=timezone.now())
    return qs.filter(region_id=region) if region else qs


def passes(user, *, region: str | None = None) -> QuerySet[Evenement]:
    """Events over, the latest first."""
    qs = evenements_visibles(user).filter(fin__lt=timezone.now()).order_by("-debut", "-id")
    return qs.filter(region_id=region) if region else qs


def _verifier(donnees: dict) -> dict:
    textes = ("titre", "description", "lieu", "lien", "organisateur")
    propres = {c: str(donnees.get(c) or "").strip() for c in textes}
    propres |= {"debut": donnees.get("debut"), "fin": donnees.get("fin")}
    propres["public"] = bool(donnees.get("public"))
    requis = [saisie.valider_texte, saisie.valider_non_vide]
    saisie.verifier(
        titre=(propres["titre"], requis),
        description=(propres["description"], requis),
        organisateur=(propres["organisateur"], requis),
        lieu=(propres["lieu"], [saisie.valider_texte]),
        lien=(propres["lien"], [saisie.valider_texte] + ([_URL] if propres["lien"] else [])),
    )
    debut, fin = propres["debut"], propres["fin"]
    if not isinstance(debut, datetime) or not isinstance(fin, datetime):
        raise ValidationError({"debut": "Saisissez le début et la fin de l'événement."})
    saisie.verifier(debut=(debut.date(), [saisie.valider_date]))
    if fin <= debut:
        raise ValidationError({"fin": "La fin de l'événement doit suivre son début."})
    if not propres["lieu"] and not propres["lien"]:
        raise ValidationError({"lieu": "Donnez le lieu de l'événement ou son lien de connexion."})
    return propres


@transaction.atomic
def organiser(*, user, region=None, **donnees) -> Evenement:
    if not peut_publier(user, region):
        raise PermissionDenied("Vous ne pouvez pas annoncer d'événement à ce niveau.")
    e = Evenement(region=region, auteur=user, **_verifier(donnees))
    e.full_clean(exclude=["auteur", "region"])
    e.save()
    return e


@transaction.atomic
def modifier(*, user, evenement: Evenement, version: int, **donnees) -> Evenement:
    e = Evenement.objects.select_for_update().get(pk=evenement.pk)
    if not peut_publier(user, e.region_id):
        raise PermissionDenied("Vous ne pouvez pas modifier cet événement.")
    propres = _verifier(donnees)
    if e.version != version:
        raise ConflitEdition([(c, propres[c], getattr(e, c)) for c in CHAMPS])
    for c, v in propres.items():
        setattr(e, c, v)
    e.version += 1
    e.full_clean(exclude=["auteur", "region"])
    e.save()
    return e


def calendrier(e: Evenement, *, url: str = "") -> bytes:
    """The event's calendar file; its version is the sequence calendar apps follow."""
    lignes = [e.description, f"Organisé par : {e.organisateur}"]
    if e.lien:
        lignes.append(f"Pour participer en ligne : {e.lien}")
    ev = ics.evenement(
        uid=f"evenement-{e.uid}",
        debut=e.debut,
        fin=e.fin,
        resume=e.titre,
        horodatage=e.modifie_le,
        sequence=e.version - 1,
        lieu=e.lieu or e.lien,
        description="\n\n".join(lignes),
        url=url,
    )
    return ics.calendrier([ev], nom=e.titre, domaine="Réseau")
