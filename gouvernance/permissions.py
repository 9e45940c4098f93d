"""Who sees and who runs governance objects, on top of comptes.permissions.portee.

Reads: `comites_visibles`, `reunions_visibles`, `demandes_visibles`, `decisions_visibles` are
the only sources of pages, feeds and the API, so that an object out of scope answers 404.
Actions: `peut_animer` (create meetings, record decisions), `peut_versionner_carte`,
`peut_deposer_demande`.
"""

from __future__ import annotations

from django.db.models import Q, QuerySet

from comptes.models import Designation, Personne
from comptes.permissions import organisations_visibles, portee, territoires_suivis
from territoires.models import Perimetre, Territoire
from territoires.selectors import territoires_des_regions, today

from .enums import AD_HOC, NATIONAUX, TypeComite
from .models import Comite, DecisionReunion, DemandePerimetre, Reunion


def _regions_suivies(p) -> Q:
    """Régions whose COPIL a person follows: the Région's pilot, operators' referents of the
    région, and the people of its territories, who present their fiches there (FAQ §4.6).
    The territories' régions as a subquery (the rule of regions_des_territoires), not read
    apart: one query less on every page that counts the person's meetings."""
    territoires = p.territoires_role | p.territoires_operateur
    q = Q(region_id__in=set(p.regions_pilote) | set(p.regions_operateur))
    if territoires:
        regions = (
            Perimetre.objects.a_date(today())
            .filter(territoire_id__in=territoires)
            .values("commune__region_id")
        )
        q |= Q(region_id__in=regions)
    return q


def comites_visibles(user) -> QuerySet[Comite]:
    p = portee(user)
    if p.national:
        return Comite.objects.all()
    if not p.authentifie:
        return Comite.objects.none()
    q = Q(territoire__in=territoires_suivis(user)) | (
        Q(territoire__isnull=True) & _regions_suivies(p)
    )
    # The national COPIL gathers Régions and operators (FAQ §7.1).
    if p.regions_pilote or p.operateurs:
        q |= Q(type__in=NATIONAUX)
    return Comite.objects.filter(q)


def reunions_visibles(user) -> QuerySet[Reunion]:
    return Reunion.objects.filter(comite__in=comites_visibles(user))


def demandes_visibles(user) -> QuerySet[DemandePerimetre]:
    """A request is seen by whoever follows its territory or its région, and by its EPCI."""
    p = portee(user)
    if p.national:
        return DemandePerimetre.objects.all()
    if not p.authentifie:
        return DemandePerimetre.objects.none()
    suivis = territoires_suivis(user)
    regions = set(p.regions_pilote) | set(p.regions_operateur)
    # Every Région concerned sees it: it takes position on it (FAQ §2.3).
    concernees = DemandePerimetre.regions_concernees.through.objects.filter(
        region_id__in=regions
    ).values("demandeperimetre_id")
    return DemandePerimetre.objects.filter(
        Q(territoire__in=suivis)
        | Q(demandeur_territoire__in=suivis)
        | Q(region_id__in=regions)
        | Q(pk__in=concernees)
        | Q(demandeur_organisation_id__in=p.organisations)
    )


def comites_siege(user) -> QuerySet[Comite]:
    """Bodies a person sits on: the committees of the territories one holds a role on, of
    the territories of one's Région (FAQ §3.4), the COPIL of one's région, the national ones
    for the delegation."""
    p = portee(user)
    if not p.authentifie:
        return Comite.objects.none()
    regions = set(p.regions_pilote) | set(p.regions_operateur)
    q = Q(territoire_id__in=p.territoires_role | p.territoires_operateur) | Q(
        territoire__isnull=True, region_id__in=regions
    )
    if p.regions_pilote:
        q |= Q(territoire__in=territoires_des_regions(p.regions_pilote))
    if p.national:
        q |= Q(type__in=NATIONAUX)
    return Comite.objects.filter(q)


def peut_animer(user, comite: Comite) -> bool:
    """Create meetings and record decisions: the territory's team (chef de projet, binôme)
    for its local committee, the Région's pilot for its COPIL (FAQ §3.3), the national
    delegation for the national bodies."""
    p = portee(user)
    if not p.authentifie:
        return False
    if comite.type in NATIONAUX:
        return p.national
    if comite.type == TypeComite.COPIL_REGIONAL:
        return comite.region_id in p.regions_pilote
    if comite.type == TypeComite.COMITE_LOCAL:
        return comite.territoire_id in p.territoires_equipe
    if comite.type in AD_HOC:
        if comite.region_id:
            return comite.region_id in p.regions_pilote
        return comite.territoire_id in p.territoires_equipe
    return False


def peut_versionner_carte(user) -> bool:
    return portee(user).national


def peut_deposer_demande(
    user, *, territoire: Territoire | None = None, organisation=None, region: str | None = None
) -> bool:
    """Local actors request (FAQ §2.3): the territory's team for its territory, an EPCI's own
    people for their EPCI, the Région's pilot for its région."""
    p = portee(user)
    if not p.authentifie:
        return False
    if territoire is not None and territoire.pk in p.territoires_equipe:
        return True
    if organisation is not None and organisation.pk in p.organisations:
        return True
    return bool(region and region in p.regions_pilote)


def decisions_visibles(user) -> QuerySet[DecisionReunion]:
    """Decisions taken in a meeting one sees, and those taken without a meeting (FAQ §4.2)
    on a territory one follows."""
    p = portee(user)
    if p.national:
        return DecisionReunion.objects.all()
    if not p.authentifie:
        return DecisionReunion.objects.none()
    return DecisionReunion.objects.filter(
        Q(reunion__in=reunions_visibles(user))
        | Q(reunion__isnull=True, territoire__in=territoires_suivis(user))
    )


def personnes_nommables(user) -> QuerySet[Personne]:
    """People one may name on an agenda (a proposed designation, a participant), pages and API
    alike: of an organisation one sees, designated on a territory one follows, in the
    network's directory, or oneself. Never anyone else, whatever is typed."""
    designees = Designation.objects.filter(territoire__in=territoires_suivis(user)).values(
        "personne_id"
    )
    return Personne.objects.filter(
        Q(organisation__in=organisations_visibles(user))
        | Q(pk__in=designees)
        | Q(annuaire=True)
        | Q(compte=user)
    ).select_related("organisation")
