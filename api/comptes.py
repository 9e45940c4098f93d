"""API of the comptes floor: tokens, the current account, organisations and firm profiles."""

from typing import Annotated

from django.contrib.auth import authenticate
from django.core.exceptions import PermissionDenied
from django.http import Http404
from django.utils import timezone
from ninja import Query, Router, Status
from ninja.errors import HttpError

from comptes import connexion, permissions, secrets, services
from comptes.models import JetonAPI, Personne, ProfilEntreprise, normaliser_email

from .auth import Jeton, ecriture, utilisateur
from .erreurs import Conflit, Erreur, sans_ecraser
from .schemas import Identifiant
from .schemas.comptes import (
    LONGUEUR_EMAIL,
    Identifiants,
    JetonInfo,
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
    response={200: JetonOut, 401: Erreur, 422: Erreur, 429: Erreur},
    summary="Obtenir un jeton d'accès",
    auth=None,
)
def jeton(request, data: Identifiants):
    """Échange une adresse et un mot de passe contre un jeton, à envoyer dans l'en-tête
    `Authorization: Bearer <jeton>`. Il expire au bout de `API_JETON_DUREE_JOURS` jours (90 par
    défaut, date dans `expire_le`) ; un compte en détient au plus `API_JETONS_PAR_COMPTE` (10
    par défaut : 422 au-delà). Changer de mot de passe ou désactiver le compte les révoque tous.
    Trop d'échecs depuis une adresse ou pour un compte : 429, avec l'heure où réessayer."""
    # The address in any case: the backend and the failure count normalise it (comptes).
    user = authenticate(request, username=data.email, password=data.password)
    if getattr(request, "axes_locked_out", False):
        raise HttpError(429, connexion.message_verrou(request))
    if user is None:
        raise HttpError(401, "Adresse électronique ou mot de passe incorrect.")
    try:
        with ecriture(user):
            token = services.creer_jeton(user, data.nom)
    except services.TropDeJetons as exc:
        raise HttpError(422, str(exc)) from exc
    jeton = user.jetons.get(empreinte=services.empreinte(token))
    return {"token": token, "id": jeton.pk, "expire_le": jeton.expire_le}


@router.get(
    "/auth/jetons",
    response={200: list[JetonInfo], 401: Erreur},
    auth=Jeton(),
    summary="Les jetons d'API valides (les siens ; tous pour le personnel)",
)
def jetons(request, compte: Annotated[str | None, Query(max_length=LONGUEUR_EMAIL)] = None):
    """Jamais le jeton lui-même : son nom, ses premiers caractères, ses dates. Le personnel voit
    ceux de tous les comptes, filtrables par `compte` (adresse électronique)."""
    qs = services.jetons_visibles(request.auth).filter(expire_le__gt=timezone.now())
    if compte:
        qs = qs.filter(compte__email=normaliser_email(compte))
    return [
        {
            "id": j.pk,
            "nom": j.nom,
            "debut": j.prefixe,
            "compte": j.compte.email,
            "cree_le": j.cree_le,
            "expire_le": j.expire_le,
            "utilise_le": j.utilise_le,
        }
        for j in qs
    ]


@router.delete(
    "/auth/jetons/{pk}",
    response={204: None, 401: Erreur, 404: Erreur},
    auth=Jeton(),
    summary="Révoquer un jeton (le sien ; n'importe lequel pour le personnel)",
)
def revoquer_jeton(request, pk: Identifiant):
    """Le jeton révoqué ne sert plus, dès cette réponse ; celui d'un autre compte répond 404."""
    try:
        with ecriture(request.auth):
            services.revoquer_jeton(user=request.auth, pk=pk)
    except JetonAPI.DoesNotExist as exc:
        raise Http404("Jeton introuvable.") from exc
    return Status(204, None)


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
