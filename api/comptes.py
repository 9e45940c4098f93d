"""API of the comptes floor: tokens, the current account, organisations and firm profiles."""

from django.contrib.auth import authenticate
from django.core.exceptions import PermissionDenied
from django.http import Http404
from ninja import Router
from ninja.errors import HttpError

from comptes import permissions, secrets, services
from comptes.models import Personne, ProfilEntreprise

from .auth import Jeton, ecriture, utilisateur
from .erreurs import Conflit, Erreur, sans_ecraser
from .schemas import Identifiant
from .schemas.comptes import (
    Identifiants,
    JetonOut,
    MoiOut,
    OrganisationOut,
    ProfilIn,
    ProfilOut,
)

router = Router(tags=["Comptes et organisations"])

CONFLIT = "Le profil a été modifié entre-temps : rien n'a été écrasé."


@router.post(
    "/auth/token",
    response={200: JetonOut, 401: Erreur, 429: Erreur},
    summary="Obtenir un jeton d'accès",
    auth=None,
)
def jeton(request, data: Identifiants):
    """Échange une adresse et un mot de passe contre un jeton valable 30 jours, à envoyer
    dans l'en-tête `Authorization: Bearer <jeton>`."""
    # The address in any case: the backend and the failure count normalise it (comptes).
    user = authenticate(request, username=data.email, password=data.password)
    if getattr(request, "axes_locked_out", False):
        raise HttpError(429, "Trop d'échecs : réessayez dans quinze minutes.")
    if user is None:
        raise HttpError(401, "Adresse électronique ou mot de passe incorrect.")
    return {"token": services.creer_jeton(user)}


@router.get("/moi", response=MoiOut, auth=Jeton(), summary="Le compte du jeton et ses rôles")
def moi(request):
    personne = Personne.objects.filter(compte=request.auth).first()
    roles = []
    if personne:
        for d in personne.designations.actives().select_related("territoire", "organisation"):
            roles.append(
                {
                    "role": d.role,
                    "libelle": d.get_role_display(),
                    "territoire": d.territoire.code if d.territoire else None,
                    "region": d.region_id,
                    "organisation": d.organisation.nom if d.organisation else None,
                }
            )
    return {"email": request.auth.email, "nom": str(personne) if personne else None, "roles": roles}


def _organisation(pk: int, user):
    org = permissions.organisations_visibles(user).filter(pk=pk).select_related("commune").first()
    if org is None:
        raise Http404("Organisation introuvable.")
    return org


def _profil_out(user, profil: ProfilEntreprise) -> dict:
    valeurs, masques = secrets.valeurs(user, profil, services.CHAMPS_PROFIL, canal="api")
    if valeurs.get("chiffre_affaires") is not None:
        valeurs["chiffre_affaires"] = int(valeurs["chiffre_affaires"])
    rgec = secrets.situation_lisible(user, profil)
    if not rgec:
        masques = [*masques, "en_difficulte"]
    return {
        **valeurs,
        "version": profil.version,
        "en_difficulte": profil.en_difficulte if rgec else None,
        "en_difficulte_declare_le": profil.en_difficulte_declare_le if rgec else None,
        "champs_secrets": profil.champs_secrets,
        "masques": masques,
    }


@router.get(
    "/organisations/{pk}",
    response={200: OrganisationOut, 404: Erreur},
    summary="Une organisation ; le profil d'une entreprise, secrets masqués sans droit",
)
def organisation(request, pk: Identifiant):
    user = utilisateur(request)
    org = _organisation(pk, user)
    profil = ProfilEntreprise.objects.filter(organisation=org).first()
    return {
        "id": org.pk,
        "nom": org.nom,
        "type": org.type,
        "siren": org.siren,
        "commune": org.commune.code if org.commune else None,
        "profil": _profil_out(user, profil) if profil else None,
    }


@router.patch(
    "/organisations/{pk}/profil",
    auth=Jeton(),
    response={200: ProfilOut, 404: Erreur, 409: Conflit, 422: Erreur},
    summary="Modifier le profil d'une entreprise (version obligatoire)",
)
def modifier_profil(request, pk: Identifiant, data: ProfilIn):
    """Verrou optimiste : envoyer la `version` lue ; si quelqu'un a enregistré entre-temps,
    la réponse 409 liste ce qui a changé et rien n'est écrasé."""
    user = request.auth
    org = _organisation(pk, user)
    profil = ProfilEntreprise.objects.filter(organisation=org).first()
    if profil is None:
        raise Http404("Cette organisation n'a pas de profil d'entreprise.")
    donnees = data.dict(exclude_unset=True)
    version = donnees.pop("version")
    try:
        with sans_ecraser(CONFLIT), ecriture(user):
            profil = services.modifier_profil_entreprise(
                user=user, profil=profil, version=version, donnees=donnees
            )
    except PermissionDenied as exc:
        # A profile one may not edit answers like an organisation out of scope.
        raise Http404("Organisation introuvable.") from exc
    return _profil_out(user, profil)
