"""The one permission layer: what a person may see and do, from their active designations.

Reads: every page, API endpoint, export and feed takes its objects from the `*_visibles(user)`
querysets below, so an object out of scope is simply not found (404). Actions: `autoriser()`
answers for one object, and `exiger()` is the one refusal of every floor: a PermissionDenied
with its French message, which the API answers 403 and pages 404 (no leak of existence).
Object context (territories, owning organisations, régions) comes from `contexte()`, which
later floors extend through the `contexte_acces()` method of their models.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from django.core.exceptions import PermissionDenied
from django.db.models import FilteredRelation, Q, QuerySet
from django.utils import timezone

from territoires.models import Perimetre, Territoire
from territoires.selectors import territoires_des_regions

from .enums import ROLES_EQUIPE, Role, TypeOrganisation
from .models import Organisation, Personne, ProfilEntreprise


@dataclass(frozen=True)
class Portee:
    """A person's scope, computed once per request from their active designations."""

    authentifie: bool = False
    national: bool = False
    regions_pilote: frozenset[str] = frozenset()
    territoires_role: frozenset[int] = frozenset()  # any role held on the territory
    territoires_equipe: frozenset[int] = frozenset()  # binôme, chef de projet
    territoires_etat: frozenset[int] = frozenset()  # référent / coordinateur de l'État
    operateurs: frozenset[int] = frozenset()  # operators the person is a referent for
    regions_operateur: frozenset[str] = frozenset()
    territoires_operateur: frozenset[int] = frozenset()
    organisations: frozenset[int] = frozenset()  # own organisation, firms borne


ANONYME = Portee()


def portee(user) -> Portee:
    if user is None or not user.is_authenticated:
        return ANONYME
    cached = getattr(user, "_portee", None)
    if cached is not None:
        return cached
    p = _calcul(user)
    user._portee = p
    return p


def _lignes_de_portee(user):
    """The person's organisation and one row per active designation and operator territory,
    in one query: the scope of every signed-in request costs one read, whatever the roles."""
    today = timezone.localdate()
    actives = Q(designations__date_debut__lte=today) & (
        Q(designations__date_fin__isnull=True) | Q(designations__date_fin__gt=today)
    )
    return (
        Personne.objects.filter(compte=user)
        .annotate(d=FilteredRelation("designations", condition=actives))
        .values_list(
            "organisation_id",
            "d__role",
            "d__region_id",
            "d__organisation_id",
            "d__territoire_id",
            "d__territoires__pk",
        )
    )


def _calcul(user) -> Portee:
    acc: dict[str, set] = {
        k: set()
        for k in (
            "regions_pilote",
            "territoires_role",
            "territoires_equipe",
            "territoires_etat",
            "operateurs",
            "regions_operateur",
            "territoires_operateur",
            "organisations",
        )
    }
    national = user.is_superuser
    for propre, role, region, organisation, territoire, suivi in _lignes_de_portee(user):
        if propre:
            acc["organisations"].add(propre)
        if role == Role.NATIONAL:
            national = True
        elif role == Role.PILOTE_REGION:
            acc["regions_pilote"].add(region)
        elif role == Role.REFERENT_OPERATEUR:
            acc["operateurs"].add(organisation)
            if region:
                acc["regions_operateur"].add(region)
            if suivi is not None:
                acc["territoires_operateur"].add(suivi)
        elif role == Role.PORTEUR:
            acc["organisations"].add(organisation)
        if territoire:
            acc["territoires_role"].add(territoire)
            if role in ROLES_EQUIPE:
                acc["territoires_equipe"].add(territoire)
            if role in (Role.REFERENT_ETAT, Role.COORDINATEUR_ETAT):
                acc["territoires_etat"].add(territoire)
    return Portee(authentifie=True, national=national, **{k: frozenset(v) for k, v in acc.items()})


# --- Territories --------------------------------------------------------------------------


def territoires_suivis(user) -> QuerySet[Territoire]:
    """Territories whose non-public objects the person works on."""
    p = portee(user)
    if p.national:
        return Territoire.objects.all()
    if not p.authentifie:
        return Territoire.objects.none()
    q = Q(pk__in=p.territoires_role | p.territoires_operateur)
    regions = p.regions_pilote | p.regions_operateur
    if regions:
        q |= Q(pk__in=territoires_des_regions(regions))
    return Territoire.objects.filter(q)


# --- Organisations ------------------------------------------------------------------------


def organisations_visibles(user) -> QuerySet[Organisation]:
    """Public bodies are public; a firm is seen by its own people and by those who follow
    one of its territories (or its région); nobody else, not even by guessing its id."""
    p = portee(user)
    qs = Organisation.objects.all()
    if p.national:
        return qs
    publiques = ~Q(type=TypeOrganisation.ENTREPRISE)
    if not p.authentifie:
        return qs.filter(publiques)
    # Firms of the territories one holds a role on; for a région-wide scope, the firms of the
    # région itself — not those of another région met in an interregional territory.
    communes = Perimetre.objects.filter(
        date_fin__isnull=True, territoire_id__in=p.territoires_role | p.territoires_operateur
    ).values("commune_id")
    regions = p.regions_pilote | p.regions_operateur
    return qs.filter(
        publiques
        | Q(pk__in=p.organisations)
        | Q(commune_id__in=communes)
        | Q(commune__region_id__in=regions)
    )


def organisation_visible(user, organisation: Organisation) -> bool:
    """Whether `organisations_visibles(user)` holds it; without a query for a public body,
    one's own organisation, or the national delegation."""
    p = portee(user)
    if organisation.type != TypeOrganisation.ENTREPRISE:
        return True
    if p.national or organisation.pk in p.organisations:
        return True
    if not p.authentifie:
        return False
    return organisations_visibles(user).filter(pk=organisation.pk).exists()


# --- Object context and actions -----------------------------------------------------------


@dataclass
class Contexte:
    """What an object belongs to, for need-to-know decisions."""

    territoires: set[int] = field(default_factory=set)
    organisations: set[int] = field(default_factory=set)
    regions: set[str] = field(default_factory=set)
    financeurs: set[int] = field(default_factory=set)


def contexte(obj) -> Contexte:
    if hasattr(obj, "contexte_acces"):
        return obj.contexte_acces()
    if isinstance(obj, ProfilEntreprise):
        obj = obj.organisation
    if isinstance(obj, Organisation):
        return contextes_organisations([obj])[obj.pk]
    if isinstance(obj, Territoire):
        return Contexte(territoires={obj.pk})
    raise TypeError(f"Pas de contexte d'accès pour {type(obj).__name__}")


def contextes_organisations(organisations) -> dict[int, Contexte]:
    """`contexte()` of many organisations (their commune loaded) in one query: a firm
    belongs to the territories of its commune's current map and to its commune's région."""
    communes = {o.commune_id for o in organisations if o.commune_id}
    territoires: dict[str, set[int]] = {c: set() for c in communes}
    for commune, t in Perimetre.objects.filter(
        date_fin__isnull=True, commune_id__in=communes
    ).values_list("commune_id", "territoire_id"):
        territoires[commune].add(t)
    out = {}
    for o in organisations:
        ctx = Contexte(organisations={o.pk})
        if o.commune_id:
            ctx.territoires = set(territoires[o.commune_id])
            ctx.regions = {o.commune.region_id}
        out[o.pk] = ctx
    return out


def peut_lire_secrets(user, obj, ctx: Contexte | None = None) -> bool:
    """Need to know (FAQ §7.3): the bearer, the territory team, the State référent, the
    Région's pilot, a funder for what is addressed to it. Not the national delegation."""
    p = portee(user)
    if not p.authentifie:
        return False
    ctx = ctx or contexte(obj)
    return bool(
        ctx.organisations & p.organisations
        or ctx.territoires & (p.territoires_equipe | p.territoires_etat)
        or ctx.regions & p.regions_pilote
        or ctx.financeurs & p.operateurs
    )


# Who may do each action of `autoriser`, in words, for what pages and the API document: kept
# beside the rule, so that one does not change without the other.
QUI_PEUT = {
    "modifier": "le porteur ou l'équipe du territoire (chef de projet, binôme)",
    "soumettre_fiche": "le porteur ou l'équipe du territoire (chef de projet, binôme)",
    "suivre_fiche": "le porteur ou l'équipe du territoire (chef de projet, binôme)",
    "avis_local": "l'équipe du territoire, qui anime son comité de projet local",
    "avis_copil": "le pilote de la Région, qui préside le comité de pilotage régional",
    "arbitrer_fiche": "le référent de l'État du territoire ou le pilote de la Région",
    "inscrire_fiche": "l'équipe du territoire ou le référent de l'État",
    "decider_ligne": "le financeur de la ligne (son référent là où il intervient)",
    "financer_ligne": "le financeur de la ligne (son référent là où il intervient)",
}


def autoriser(user, action: str, obj) -> bool:
    """The one answer to « may this person do this to this object? »."""
    p = portee(user)
    ctx = contexte(obj)
    if action == "voir_secrets":
        return peut_lire_secrets(user, obj, ctx)
    if action == "voir_journal_secrets":
        # The territory's team (and the State référent) sees who read its secrets.
        return bool(ctx.territoires & (p.territoires_equipe | p.territoires_etat))
    porteur_ou_equipe = bool(
        ctx.organisations & p.organisations or ctx.territoires & p.territoires_equipe
    )
    if action in ("modifier", "soumettre_fiche", "suivre_fiche"):
        # The bearer writes with the territory's team (chef de projet, binôme), FAQ §4.6.
        return porteur_ou_equipe
    if action == "avis_local":
        # The team records the opinion of the local project committee it runs.
        return bool(ctx.territoires & p.territoires_equipe)
    if action == "avis_copil":
        # The regional COPIL is chaired by the Région (FAQ §3.3).
        return bool(ctx.regions & p.regions_pilote)
    if action == "arbitrer_fiche":
        return bool(ctx.territoires & p.territoires_etat or ctx.regions & p.regions_pilote)
    if action == "inscrire_fiche":
        return bool(ctx.territoires & (p.territoires_equipe | p.territoires_etat))
    if action in ("decider_ligne", "financer_ligne"):
        # Who decides on a line records its money too: commitments, payments, reductions.
        if ctx.financeurs & p.organisations:
            return True  # one's own organisation's money (self-financing, a collectivity)
        # An operator's referent decides on the lines addressed to it, where it works.
        couvre = bool(
            ctx.territoires & (p.territoires_role | p.territoires_operateur)
            or ctx.regions & (p.regions_operateur | p.regions_pilote)
        )
        return couvre and bool(ctx.financeurs & p.operateurs)
    raise ValueError(f"Action inconnue : {action}")


def exiger(autorise: bool, message: str = "Vous ne pouvez pas faire cela.") -> None:
    """The one refusal of an action, for every floor: PermissionDenied, with its French
    message. The API answers 403 with it; pages answer 404, like an object out of scope
    (www.commun.erreurs.refus): existence is not disclosed."""
    if not autorise:
        raise PermissionDenied(message)
