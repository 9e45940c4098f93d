"""Publishing the network's news: the national delegation for the whole network, a Région's
pilot for its région (FAQ §3.3, §7.4). Anyone else is refused; an edit prepared on an old
version is refused too (nothing overwritten)."""

from __future__ import annotations

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone

from comptes.permissions import portee
from comptes.services import ConflitEdition
from referentiel import saisie

from .models import Actualite

CHAMPS = ("titre", "chapo", "corps")


def peut_publier(user, region=None) -> bool:
    """National news: the delegation; a région's news: that région's pilot."""
    p = portee(user)
    if region is None:
        return p.national
    return getattr(region, "pk", region) in p.regions_pilote


def regions_publiables(user) -> list[str]:
    return sorted(portee(user).regions_pilote)


def _verifier(donnees: dict) -> dict:
    propres = {c: str(donnees.get(c) or "").strip() for c in CHAMPS}
    saisie.verifier(**{c: (v, [saisie.valider_texte]) for c, v in propres.items()})
    manquants = [c for c, v in propres.items() if not v]
    if manquants:
        raise ValidationError(dict.fromkeys(manquants, "Ce champ est obligatoire."))
    return propres


@transaction.atomic
def publier(*, user, region=None, **donnees) -> Actualite:
    if not peut_publier(user, region):
        raise PermissionDenied("Vous ne pouvez pas publier d'actualité à ce niveau.")
    return Actualite.objects.create(
        region=region, publiee_le=timezone.now(), auteur=user, **_verifier(donnees)
    )


@transaction.atomic
def modifier(*, user, actualite: Actualite, version: int, **donnees) -> Actualite:
    a = Actualite.objects.select_for_update().get(pk=actualite.pk)
    if not peut_publier(user, a.region_id):
        raise PermissionDenied("Vous ne pouvez pas modifier cette actualité.")
    propres = _verifier(donnees)
    if a.version != version:
        raise ConflitEdition([(c, propres[c], getattr(a, c)) for c in CHAMPS])
    for c, v in propres.items():
        setattr(a, c, v)
    a.version += 1
    a.save()
    return a
