"""Reads of the comptes floor, always through the permission layer."""

from django.db.models import Count, Q, Sum

from .enums import TypeOrganisation
from .models import Designation, Personne
from .permissions import portee
from .secrets import SEUIL_AGREGAT


def annuaire(user, q: str = ""):
    """The network's directory: people who agreed to appear (and oneself)."""
    if not portee(user).authentifie:
        return Personne.objects.none()
    qs = Personne.objects.filter(Q(annuaire=True) | Q(compte=user)).select_related("organisation")
    if q:
        qs = qs.filter(
            Q(nom__icontains=q)
            | Q(prenom__icontains=q)
            | Q(organisation__nom__icontains=q)
            | Q(fonction__icontains=q)
        )
    return qs


def gouvernance(territoire):
    """Active designations on a territory (binôme, referents), for its page."""
    return (
        Designation.objects.actives()
        .filter(Q(territoire=territoire) | Q(territoires=territoire))
        .select_related("personne", "personne__organisation", "organisation", "epci")
        .distinct()
        .order_by("role", "personne__nom")
    )


def agregats_entreprises(territoire) -> dict:
    """Aggregates anyone following the territory may see; below the threshold, nothing."""
    from territoires.models import Perimetre

    communes = Perimetre.objects.filter(date_fin__isnull=True, territoire=territoire).values(
        "commune_id"
    )
    from .models import ProfilEntreprise

    agg = ProfilEntreprise.objects.filter(
        organisation__type=TypeOrganisation.ENTREPRISE, organisation__commune_id__in=communes
    ).aggregate(n=Count("pk"), effectif=Sum("effectif"), ca=Sum("chiffre_affaires"))
    diffusable = agg["n"] >= SEUIL_AGREGAT
    return {
        "entreprises": agg["n"],
        "effectif": agg["effectif"] if diffusable else None,
        "chiffre_affaires": agg["ca"] if diffusable else None,
        "secret_statistique": not diffusable,
    }


def entreprises_du_territoire(user, territoire):
    """Firms located in the territory that the person may see (names only, no secret)."""
    from territoires.models import Perimetre

    from .permissions import organisations_visibles

    communes = Perimetre.objects.filter(date_fin__isnull=True, territoire=territoire).values(
        "commune_id"
    )
    return (
        organisations_visibles(user)
        .filter(type=TypeOrganisation.ENTREPRISE, commune_id__in=communes)
        .select_related("commune", "profil_entreprise")
        .order_by("nom")
    )
