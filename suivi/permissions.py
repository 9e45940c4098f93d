"""Who keeps the follow-up's settings and snapshots, on top of the one permission layer
(comptes.permissions). Refusals go through comptes.permissions.exiger (404 on pages, 403 in
the API)."""

from __future__ import annotations

from django.db.models import Q, QuerySet

from comptes.enums import TypeOrganisation
from comptes.permissions import portee
from mesures.permissions import peut_gerer_mesure

from .models import EngagementAnnonce, Instantane


def peut_gerer_cible(user, *, financeur=None, mesure=None) -> bool:
    """Target delays: the national delegation, any; a Région's pilot, those of its région's own
    measures and of the Région itself as a funder."""
    p = portee(user)
    if p.national:
        return True
    if mesure is not None:
        return peut_gerer_mesure(user, mesure)
    if financeur is not None:
        return financeur.type == TypeOrganisation.REGION and financeur.region_id in p.regions_pilote
    return False


def peut_gerer_des_cibles(user) -> bool:
    p = portee(user)
    return p.national or bool(p.regions_pilote)


def peut_annoncer(user) -> bool:
    """Operators' announced commitments are entered by the national delegation."""
    return portee(user).national


def engagements_annonces_visibles(user) -> QuerySet[EngagementAnnonce]:
    """Announced commitments: all of them for the national delegation; an operator's people
    read their own operator's."""
    p = portee(user)
    qs = EngagementAnnonce.objects.select_related("operateur", "phase", "par")
    if p.national:
        return qs
    return qs.filter(operateur_id__in=p.operateurs)


def peut_figer(user, region=None) -> bool:
    """National snapshots: the national delegation; a région's: its pilot."""
    p = portee(user)
    if region is None:
        return p.national
    return getattr(region, "pk", region) in p.regions_pilote


def regions_figeables(user) -> frozenset[str]:
    return portee(user).regions_pilote


def instantanes_visibles(user) -> QuerySet[Instantane]:
    """A snapshot holds figures as the one who froze it read them (a pilot reads its région's
    secrets): national ones for the national delegation, a région's for its pilot only."""
    p = portee(user)
    q = Q(pk__in=[])
    if p.national:
        q |= Q(region__isnull=True)
    if p.regions_pilote:
        q |= Q(region_id__in=p.regions_pilote)
    return Instantane.objects.filter(q).select_related("region", "par", "par__personne")
