"""API of governance (FAQ §2.3, §3, §4.2): bodies, their meetings (agenda, participants,
minutes, attachments), the decisions taken there or without a meeting, perimeter requests
with their history, and the versions of the national map published at each CNI.

Reads go through gouvernance.permissions, the pages' own sources: what a person may not see
on a page answers 404 here (an anonymous caller sees no body, meeting or request); the CNI
versions of the map are public. Territories are named by code (and phase), fiches by their
reference, EPCIs by their SIREN.
"""

from datetime import datetime, time, timedelta

from django.db.models import Q
from django.http import Http404
from django.utils import timezone
from ninja import Field, Query, Router, Schema
from ninja.pagination import paginate

from gouvernance import permissions
from gouvernance.enums import EtatDemande, TypeComite
from gouvernance.models import VersionCarte
from gouvernance.selectors import comites_de_la_region
from territoires.selectors import trouver_territoire

from .auth import utilisateur
from .erreurs import Erreur
from .schemas import Cle, Identifiant, Jour, Pagination
from .schemas.gouvernance import (
    ComiteDetailOut,
    ComiteOut,
    DecisionOut,
    DemandeDetailOut,
    DemandeOut,
    ReunionDetailOut,
    ReunionOut,
    VersionDetailOut,
    VersionOut,
)

router = Router(tags=["Gouvernance"])
LECTURE = {401: Erreur, 404: Erreur}


# --- Filters ------------------------------------------------------------------------------


class FiltresComites(Schema):
    territoire: Cle | None = Field(None, description="Code du territoire (ex. 8401).")
    phase: Identifiant | None = Field(None, description="Phase du territoire (courante sinon).")
    region: Cle | None = Field(
        None, description="Code INSEE d'une région : son COPIL et les comités de ses territoires."
    )
    nature: TypeComite | None = Field(None, description="Type d'instance.")


class FiltresReunions(Schema):
    comite: Identifiant | None = None
    territoire: Cle | None = Field(None, description="Code du territoire de l'instance.")
    phase: Identifiant | None = None
    du: Jour | None = Field(None, description="Réunions à partir de ce jour (Europe/Paris).")
    au: Jour | None = Field(None, description="Réunions jusqu'à ce jour inclus.")


class FiltresDecisions(Schema):
    comite: Identifiant | None = None
    territoire: Cle | None = Field(None, description="Code du territoire concerné.")
    phase: Identifiant | None = None


class FiltresDemandes(Schema):
    etat: EtatDemande | None = None
    territoire: Cle | None = None
    phase: Identifiant | None = None


class Page:
    """A queryset read a page at a time, each row shaped by `forme`: the paginator slices
    and counts it in SQL instead of shaping every row first."""

    def __init__(self, qs, forme):
        self.qs, self.forme = qs, forme

    def __len__(self) -> int:
        return self.qs.count()

    def __getitem__(self, tranche: slice) -> list:
        return [self.forme(o) for o in self.qs[tranche]]


def territoire_du_code(code: str, phase: int | None):
    t = trouver_territoire(code, phase)
    if t is None:
        raise Http404(f"Territoire {code} introuvable.")
    return t


# --- Outputs ------------------------------------------------------------------------------


def _t(t) -> dict | None:
    return None if t is None else {"code": t.code, "phase": t.phase_id, "nom": t.nom}


def _comite(c) -> dict:
    return {
        "id": c.pk,
        "type": c.type,
        "libelle_type": c.libelle_type,
        "nom": c.nom,
        "territoire": _t(c.territoire),
        "region": c.region_id,
        "regions_concernees": c.regions_concernees(),
        "suivi_depuis": c.suivi_depuis,
    }


def _reunion(r) -> dict:
    return {
        "id": r.pk,
        "uid": str(r.uid),
        "comite": r.comite_id,
        "comite_nom": r.nom_comite,
        "debut": r.debut,
        "fin": r.fin,
        "lieu": r.lieu,
        "annulee": r.annulee,
        "motif_annulation": r.motif_annulation,
        "reportee_du": r.reportee_du,
        "sequence": r.sequence,
    }


def decision_out(dr) -> dict:
    d = dr.decision
    return {
        "id": dr.pk,
        "date": d.date,
        "intitule": d.intitule,
        "texte": d.texte,
        "instance": d.instance,
        "objet": dr.objet,
        "reunion": dr.reunion_id,
        "point": dr.point_id,
        "hors_reunion": dr.hors_reunion,
        "motif_hors_reunion": dr.motif_hors_reunion,
        "territoire": _t(dr.territoire),
        "accords": [o.nom for o in dr.accords.all()],
    }


def _point(p) -> dict:
    prise = getattr(p, "decision_prise", None)
    return {
        "id": p.pk,
        "ordre": p.ordre,
        "nature": p.nature,
        "intitule": p.intitule,
        "fiche": p.fiche.reference if p.fiche_id else None,
        "demande": p.demande_id,
        "designation_personne": str(p.designation_personne) if p.designation_personne_id else None,
        "designation_role": p.designation_role,
        "territoire": _t(p.territoire),
        "decision": prise.pk if prise else None,
    }


def _demande(d) -> dict:
    return {
        "id": d.pk,
        "nature": d.nature,
        "etat": d.etat,
        "region": d.region_id,
        "territoire": _t(d.territoire),
        "epci": d.epci_id and d.epci.siren,
        "demandeur": str(d.demandeur),
        "deposee_le": d.deposee_le,
    }


def _par(user) -> str | None:
    personne = getattr(user, "personne", None)
    return str(personne) if personne else None


def _version(v) -> dict:
    return {
        "id": v.pk,
        "nom": v.nom,
        "date": v.date,
        "phase": v.phase_id,
        "reunion": v.reunion_id,
        "nb_territoires": v.nb_territoires,
    }


def reunion_detail(user, r) -> dict:
    """A meeting as its page shows it (also the answer of the writes on it)."""
    points = r.points.select_related(
        "fiche__territoire", "designation_personne", "territoire", "decision_prise"
    )
    decisions = r.decisions.select_related("decision", "territoire").prefetch_related("accords")
    return {
        **_reunion(r),
        "compte_rendu": r.compte_rendu,
        "regions_concernees": r.comite.regions_concernees(),
        "peut_animer": permissions.peut_animer(user, r.comite),
        "points": [_point(p) for p in points],
        "participants": [
            {
                "personne": str(p.personne) if p.personne_id else None,
                "organisation": p.organisation.nom if p.organisation_id else None,
                "presence": p.presence,
            }
            for p in r.participants.select_related("personne", "organisation")
        ],
        "pieces": [{"id": p.pk, "nom": p.nom, "ajoutee_le": p.ajoutee_le} for p in r.pieces.all()],
        "decisions": [decision_out(d) for d in decisions],
    }


def demande_detail(d) -> dict:
    """A request and its history, as its page shows them."""
    return {
        **_demande(d),
        "regions_concernees": sorted(d.regions_concernees.values_list("code", flat=True)),
        "accords": [
            {
                "region": a.region_id,
                "favorable": a.favorable,
                "date": a.date,
                "reunion": a.reunion_id,
                "motif": a.motif,
            }
            for a in d.accords_regions.all()
        ],
        "code_propose": d.code_propose,
        "nom_propose": d.nom_propose,
        "epcis_proposes": d.epcis_proposes,
        "parts": d.parts,
        "justification": d.justification,
        "decision": d.decision_id,
        "historique": [
            {
                "action": m.action,
                "libelle": m.get_action_display(),
                "etat_avant": m.etat_avant,
                "etat_apres": m.etat_apres,
                "date_effet": m.date_effet,
                "le": m.le,
                "par": _par(m.par),
                "motif": m.motif,
                "reunion": m.reunion_id,
                "decision": m.decision_id,
            }
            for m in d.transitions.historique()
        ],
    }


# --- Bodies and meetings ------------------------------------------------------------------


@router.get(
    "/gouvernance/comites",
    response=list[ComiteOut],
    summary="Instances : comités locaux, COPIL régionaux, instances nationales",
)
@paginate(Pagination)
def liste_comites(request, filtres: Query[FiltresComites]):
    """Les instances que vous suivez, filtrées par territoire, région ou type."""
    qs = permissions.comites_visibles(utilisateur(request)).select_related("territoire")
    if filtres.territoire:
        qs = qs.filter(territoire=territoire_du_code(filtres.territoire, filtres.phase))
    if filtres.region:
        qs = comites_de_la_region(qs, filtres.region)
    if filtres.nature:
        qs = qs.filter(type=filtres.nature)
    return Page(qs.distinct(), _comite)


@router.get(
    "/gouvernance/comites/{comite_id}",
    response={200: ComiteDetailOut, **LECTURE},
    summary="Une instance",
)
def detail_comite(request, comite_id: Identifiant):
    user = utilisateur(request)
    c = permissions.comites_visibles(user).select_related("territoire").filter(pk=comite_id).first()
    if c is None:
        raise Http404("Instance introuvable.")
    return {
        **_comite(c),
        "peut_animer": permissions.peut_animer(user, c),
        "nb_reunions": c.reunions.count(),
    }


def _jour(d: Jour, fin: bool = False):
    # A day of Europe/Paris, as the bound of a range of datetimes.
    return timezone.make_aware(datetime.combine(d + timedelta(days=int(fin)), time.min))


@router.get(
    "/gouvernance/reunions",
    response=list[ReunionOut],
    summary="Réunions des instances",
)
@paginate(Pagination)
def liste_reunions(request, filtres: Query[FiltresReunions]):
    """Les réunions des instances que vous suivez, les plus récentes d'abord."""
    qs = permissions.reunions_visibles(utilisateur(request)).select_related("comite")
    if filtres.comite:
        qs = qs.filter(comite_id=filtres.comite)
    if filtres.territoire:
        qs = qs.filter(comite__territoire=territoire_du_code(filtres.territoire, filtres.phase))
    if filtres.du:
        qs = qs.filter(debut__gte=_jour(filtres.du))
    if filtres.au:
        qs = qs.filter(debut__lt=_jour(filtres.au, fin=True))
    return Page(qs.order_by("-debut", "-id"), _reunion)


@router.get(
    "/gouvernance/reunions/{reunion_id}",
    response={200: ReunionDetailOut, **LECTURE},
    summary="Une réunion : ordre du jour, participants, compte rendu, pièces, décisions",
)
def detail_reunion(request, reunion_id: Identifiant):
    user = utilisateur(request)
    r = (
        permissions.reunions_visibles(user)
        .select_related("comite__territoire")
        .filter(pk=reunion_id)
        .first()
    )
    if r is None:
        raise Http404("Réunion introuvable.")
    return reunion_detail(user, r)


@router.get(
    "/gouvernance/decisions",
    response=list[DecisionOut],
    summary="Décisions des instances, en réunion ou sans réunion",
)
@paginate(Pagination)
def liste_decisions(request, filtres: Query[FiltresDecisions]):
    """Les décisions des réunions que vous voyez, et celles prises sans réunion (FAQ §4.2)
    sur un territoire que vous suivez ; les plus récentes d'abord."""
    qs = permissions.decisions_visibles(utilisateur(request)).select_related(
        "decision", "territoire"
    )
    if filtres.comite:
        qs = qs.filter(reunion__comite_id=filtres.comite)
    if filtres.territoire:
        t = territoire_du_code(filtres.territoire, filtres.phase)
        qs = qs.filter(Q(territoire=t) | Q(reunion__comite__territoire=t))
    return Page(qs.prefetch_related("accords"), decision_out)


# --- Perimeter requests ---------------------------------------------------------------------


@router.get(
    "/gouvernance/demandes",
    response=list[DemandeOut],
    summary="Demandes de modification du périmètre",
)
@paginate(Pagination)
def liste_demandes(request, filtres: Query[FiltresDemandes]):
    qs = permissions.demandes_visibles(utilisateur(request)).select_related(
        "territoire", "epci", "demandeur_organisation", "demandeur_territoire"
    )
    if filtres.etat:
        qs = qs.filter(etat=filtres.etat)
    if filtres.territoire:
        qs = qs.filter(territoire=territoire_du_code(filtres.territoire, filtres.phase))
    return Page(qs, _demande)


@router.get(
    "/gouvernance/demandes/{demande_id}",
    response={200: DemandeDetailOut, **LECTURE},
    summary="Une demande de périmètre et son historique",
)
def detail_demande(request, demande_id: Identifiant):
    d = (
        permissions.demandes_visibles(utilisateur(request))
        .select_related("territoire", "epci", "demandeur_organisation", "demandeur_territoire")
        .filter(pk=demande_id)
        .first()
    )
    if d is None:
        raise Http404("Demande introuvable.")
    return demande_detail(d)


# --- CNI versions of the map (public) -------------------------------------------------------


@router.get(
    "/gouvernance/versions",
    response=list[VersionOut],
    summary="Versions de la carte publiées en CNI",
)
@paginate(Pagination)
def liste_versions(request):
    """La carte nationale telle que publiée à chaque CNI (FAQ §2.3) : donnée publique."""
    utilisateur(request)
    return Page(VersionCarte.objects.all(), _version)


@router.get(
    "/gouvernance/versions/{version_id}",
    response={200: VersionDetailOut, **LECTURE},
    summary="Une version de la carte et ses territoires",
)
def detail_version(request, version_id: Identifiant):
    utilisateur(request)
    v = VersionCarte.objects.filter(pk=version_id).first()
    if v is None:
        raise Http404("Version de la carte introuvable.")
    return {**_version(v), "territoires": v.territoires()}
