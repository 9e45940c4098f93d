"""Who may create and edit fiches, on top of the one permission layer (comptes.permissions):
the territory's team, or a bearer located in the territory (FAQ §4.6, §4.7). Pages, the API
and the XLSX import ask here; fiches.services checks again at each write."""

from __future__ import annotations

from django.db.models import Q, QuerySet

from comptes.models import Organisation
from comptes.permissions import autoriser, organisations_visibles, portee
from territoires.models import Perimetre, Territoire


def peut_creer(user, territoire, porteur) -> bool:
    """The territory's team, or a bearer located in the territory (FAQ §4.6, §4.7)."""
    p = portee(user)
    if territoire.pk in p.territoires_equipe:
        return True
    if porteur.pk not in p.organisations:
        return False
    lieu = Q(pk__in=[])
    if porteur.commune_id:
        lieu |= Q(commune_id=porteur.commune_id)
    if porteur.epci_id:
        lieu |= Q(commune__epci_id=porteur.epci_id) | Q(commune__ept_id=porteur.epci_id)
    return territoire.perimetre.filter(lieu, date_fin__isnull=True).exists()


def _candidats(user, territoire) -> QuerySet[Organisation]:
    # The team names any organisation it sees; anyone else, only its own (peut_creer).
    visibles = organisations_visibles(user).order_by("nom")
    p = portee(user)
    return (
        visibles
        if territoire.pk in p.territoires_equipe
        else visibles.filter(pk__in=p.organisations)
    )


def porteurs_possibles(user, territoire) -> QuerySet[Organisation]:
    """The organisations this person may name as the bearer of a fiche of `territoire`."""
    candidats = _candidats(user, territoire)
    ids = [o.pk for o in candidats if peut_creer(user, territoire, o)]
    return candidats.filter(pk__in=ids)


def peut_creer_ici(user, territoire) -> bool:
    """Whether the person may create a fiche in `territoire` at all (the « new fiche » link)."""
    return any(peut_creer(user, territoire, o) for o in _candidats(user, territoire))


def territoires_ou_creer(user) -> QuerySet:
    """The territories in force where the person may write a fiche (the « new fiche »
    entry points): those of their team, and those where one of their organisations lies,
    as peut_creer decides for a bearer."""
    p = portee(user)
    en_vigueur = Perimetre.objects.filter(date_fin__isnull=True)
    lieu = Q(pk__in=[])
    for commune, epci in Organisation.objects.filter(pk__in=p.organisations).values_list(
        "commune_id", "epci_id"
    ):
        if commune:
            lieu |= Q(commune_id=commune)
        if epci:
            lieu |= Q(commune__epci_id=epci) | Q(commune__ept_id=epci)
    return (
        Territoire.objects.filter(
            Q(pk__in=p.territoires_equipe)
            | Q(pk__in=en_vigueur.filter(lieu).values("territoire_id"))
        )
        .filter(pk__in=en_vigueur.values("territoire_id"))
        .select_related("phase")
        .order_by("phase_id", "code")
    )


def peut_modifier(user, fiche) -> bool:
    """Edit the fiche: a draft only (a submitted fiche comes back « à retravailler »)."""
    return fiche.modifiable and autoriser(user, "modifier", fiche)


def peut_suivre(user, fiche) -> bool:
    """Execution follow-up (phase, status, notes, indicators' measures): once inscribed in
    the contract, by the bearer or the territory's team (FAQ §4.6)."""
    return fiche.inscrite and autoriser(user, "suivre_fiche", fiche)
