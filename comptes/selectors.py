"""Reads of the comptes floor, always through the permission layer."""

from django.db.models import Q

from .enums import TypeOrganisation
from .models import Designation, Personne
from .permissions import contextes_organisations, portee
from .secrets import total


def nom_de_l_auteur(lecteur, compte) -> str | None:
    """Who made a move or wrote something, as `lecteur` may read it: the person's name (the
    address of an account without a person) for a signed-in reader; None for an anonymous one,
    since public fiches name no one."""
    if not portee(lecteur).authentifie:
        return None
    personne = getattr(compte, "personne", None) if hasattr(compte, "personne") else None
    return str(personne) if personne else compte.email


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
    """Active designations on a territory (binôme, referents), for its page; those of its
    phase's last day for a territory of a finished phase."""
    return (
        Designation.objects.actives_dans_la_phase(territoire.phase)
        .filter(Q(territoire=territoire) | Q(territoires=territoire))
        .select_related("personne", "personne__organisation", "organisation", "epci")
        .distinct()
        .order_by("role", "personne__nom")
    )


def agregats_entreprises(territoire, user=None) -> dict:
    """The firms of the territory in figures, as this person may see them: each figure's
    total through the statistical secrecy of comptes.secrets (per figure, only the firms that
    have a value count); exact for someone who may read every firm's value."""
    from territoires.models import Perimetre

    from .models import ProfilEntreprise

    communes = Perimetre.objects.filter(date_fin__isnull=True, territoire=territoire).values(
        "commune_id"
    )
    profils = list(
        ProfilEntreprise.objects.filter(
            organisation__type=TypeOrganisation.ENTREPRISE, organisation__commune_id__in=communes
        ).select_related("organisation__commune")
    )
    contextes = contextes_organisations([p.organisation for p in profils])
    return {
        "entreprises": len(profils),
        **{
            nom: total(
                user,
                profils,
                nom,
                unite=lambda p: p.organisation_id,
                contextes=lambda p: contextes[p.organisation_id],
            )
            for nom in ("effectif", "chiffre_affaires")
        },
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
