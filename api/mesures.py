"""API of the panier de services (FAQ §5): the catalogue of measures, public like its pages,
filtered by operator (SIREN), phase, axis or priority, nature, source, région and validity
(mesures.selectors); a measure's detail with its rules; creation and edition by those who keep
the catalogue (mesures.permissions: the national delegation the national commitments, a
Région's pilot its région's measures), through mesures.services.

Writes need a token (401). Creating without keeping any part of the catalogue, or editing a
measure one does not keep, answers 403 (the measure is public: nothing to hide); a rule
refusing answers 422 with its French message; a stale `version` answers 409.
"""

from django.core.exceptions import ValidationError
from django.http import Http404
from django.utils import timezone
from ninja import Query, Router, Status
from ninja.pagination import paginate

from comptes.enums import TypeOrganisation
from comptes.models import Organisation
from comptes.permissions import exiger
from mesures import selectors, services
from mesures.enums import phase_de
from mesures.models import AXES, Mesure
from mesures.permissions import peut_creer_des_mesures, peut_gerer_mesure
from referentiel.models import Region

from .auth import Jeton, ecriture, utilisateur
from .erreurs import ERREURS_ECRITURE, Conflit, Erreur, sans_ecraser
from .schemas import Identifiant, Pagination
from .schemas.mesures import (
    FiltresMesures,
    MesureDetailOut,
    MesureIn,
    MesureModifiee,
    MesureOut,
    MesurePatch,
)

router = Router(tags=["Panier de services"])
CONFLIT = "La mesure a été modifiée entre-temps : rien n'a été écrasé."


def _mesure(m: Mesure) -> dict:
    op = m.operateur
    return {
        "id": m.pk,
        "nom": m.nom,
        "nature": m.nature,
        "libelle_nature": m.get_nature_display(),
        "source": m.source,
        "region": m.region_id,
        "operateur": op and {"nom": op.nom, "siren": op.siren or None},
        "axes": [{"code": a, "libelle": AXES.get(a, a)} for a in m.axes],
        "phase": phase_de(m.axes[0]) if m.axes else None,
        "date_debut": m.date_debut,
        "date_fin": m.date_fin,
        "valide": m.valide_le(timezone.localdate()),
    }


def _detail(user, m: Mesure) -> dict:
    m = Mesure.objects.select_related("operateur", "region").get(pk=m.pk)
    return {
        **_mesure(m),
        "description": m.description,
        "taux_max": m.taux_max,
        "plafond": m.plafond,
        "types_porteurs": m.types_porteurs,
        "accord_gouvernance": m.accord_gouvernance,
        "exclut_entreprises_en_difficulte": m.exclut_entreprises_en_difficulte,
        "reference": m.reference,
        "regles": m.regles(),
        "version": services.version(m),
        "peut_modifier": peut_gerer_mesure(user, m),
    }


def _donnees(data: MesurePatch) -> dict:
    """The fields sent; the operator by SIREN and the région by code, as people name them."""
    donnees = data.dict(exclude_unset=True, exclude={"version"})
    if "operateur" in donnees:
        siren = (donnees["operateur"] or "").strip()
        # The operators the page offers: any organisation but a firm.
        operateurs = Organisation.objects.exclude(type=TypeOrganisation.ENTREPRISE)
        donnees["operateur"] = siren and operateurs.filter(siren=siren).first()
        if donnees["operateur"] is None:
            raise ValidationError(f"Opérateur {siren} introuvable.")
        donnees["operateur"] = donnees["operateur"] or None
    if "region" in donnees:
        code = (donnees["region"] or "").strip()
        donnees["region"] = code and Region.objects.filter(code=code).first()
        if donnees["region"] is None:
            raise ValidationError(f"Région {code} introuvable.")
        donnees["region"] = donnees["region"] or None
    return donnees


@router.get("/mesures", response=list[MesureOut], summary="Le panier de services")
@paginate(Pagination)
def liste_mesures(request, filtres: Query[FiltresMesures]):
    """Public, comme sa page. `count` donne le total."""
    operateur = None
    if filtres.operateur:
        op = selectors.operateurs().filter(siren=filtres.operateur.strip()).first()
        if op is None:
            return []
        operateur = op.pk
    mesures = selectors.catalogue(
        q=filtres.q,
        axe=filtres.axe,
        nature=filtres.nature,
        source=filtres.source,
        region=filtres.region,
        operateur=operateur,
        valide_le=timezone.localdate() if filtres.valide else None,
        phase=filtres.phase,
    )
    return [_mesure(m) for m in mesures]


@router.get(
    "/mesures/{mesure_id}",
    response={200: MesureDetailOut, 401: Erreur, 404: Erreur},
    summary="Une mesure : ses règles, sa validité",
)
def detail_mesure(request, mesure_id: Identifiant):
    m = Mesure.objects.filter(pk=mesure_id).first()
    if m is None:
        raise Http404("Mesure introuvable.")
    return _detail(utilisateur(request), m)


@router.post(
    "/mesures",
    auth=Jeton(),
    response={201: MesureDetailOut, **ERREURS_ECRITURE},
    summary="Ajouter une mesure au panier de services",
)
def creer_mesure(request, data: MesureIn):
    """Par la délégation nationale (engagements nationaux) ou le pilote d'une Région (les
    mesures de sa région)."""
    user = request.auth
    exiger(peut_creer_des_mesures(user), "Vous ne tenez aucune partie du panier de services.")
    with ecriture(user):
        m = services.creer_mesure(user=user, donnees=_donnees(data))
    return Status(201, _detail(user, m))


@router.patch(
    "/mesures/{mesure_id}",
    auth=Jeton(),
    response={200: MesureDetailOut, 409: Conflit, **ERREURS_ECRITURE},
    summary="Modifier une mesure (version obligatoire)",
)
def modifier_mesure(request, mesure_id: Identifiant, data: MesureModifiee):
    """Seuls les champs envoyés changent. Verrou optimiste : envoyer la `version` lue ; si
    quelqu'un a enregistré entre-temps, 409 liste ce qui a changé et rien n'est écrasé."""
    user = request.auth
    m = Mesure.objects.filter(pk=mesure_id).first()
    if m is None:
        raise Http404("Mesure introuvable.")
    with sans_ecraser(CONFLIT), ecriture(user):
        m = services.modifier_mesure(
            user=user, mesure=m, donnees=_donnees(data), version=data.version
        )
    return _detail(user, m)
