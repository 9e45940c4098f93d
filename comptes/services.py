"""Writes of the comptes floor: firm profiles (with optimistic locking), RGPD rights, tokens."""

from __future__ import annotations

import hashlib
import secrets as pysecrets
from datetime import timedelta

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import F, Q
from django.utils import timezone

from referentiel import saisie

from .models import Designation, JetonAPI, LectureSecret, Personne, ProfilEntreprise
from .permissions import autoriser, exiger
from .secrets import champs_secrets_admis

CHAMPS_PROFIL = ("activite",) + ProfilEntreprise.SECRETABLE
# What the firm declares for the EU state-aid rules (read by fiches.controles), dated.
CHAMPS_DECLARATION = ("en_difficulte",)


class ConflitEdition(Exception):
    """Someone saved in between: nothing was written; `differences` says what they changed."""

    def __init__(self, differences: list[tuple[str, object, object]]):
        self.differences = differences
        super().__init__("Modification concurrente")


@transaction.atomic
def modifier_profil_entreprise(
    *, user, profil: ProfilEntreprise, version: int, donnees: dict
) -> ProfilEntreprise:
    exiger(autoriser(user, "modifier", profil), "Vous ne pouvez pas modifier ce profil.")
    inconnus = set(donnees) - set(CHAMPS_PROFIL) - set(CHAMPS_DECLARATION) - {"champs_secrets"}
    if inconnus:
        raise ValidationError(f"Champs inconnus : {', '.join(sorted(inconnus))}.")
    saisie.refuser_nuls(ProfilEntreprise, donnees)
    # A conditional UPDATE first takes the row (PostgreSQL) or the database (SQLite) for this
    # transaction, and tells whether the version read is still the current one: of two
    # concurrent saves, the later finds the version moved and writes nothing.
    pris = ProfilEntreprise.objects.filter(pk=profil.pk, version=version).update(
        version=F("version")
    )
    actuel = ProfilEntreprise.objects.get(pk=profil.pk)
    if not pris:
        differences = [
            (nom, donnees[nom], getattr(actuel, nom))
            for nom in donnees
            if getattr(actuel, nom) != donnees[nom]
        ]
        raise ConflitEdition(differences)
    if "champs_secrets" in donnees:
        donnees["champs_secrets"] = champs_secrets_admis(
            ProfilEntreprise, donnees["champs_secrets"]
        )
    modifies = [nom for nom, v in donnees.items() if getattr(actuel, nom) != v]
    for nom, valeur in donnees.items():
        setattr(actuel, nom, valeur)
    if "en_difficulte" in modifies:
        # A declaration is dated the day it is made (the audit log says by whom).
        actuel.en_difficulte_declare_le = (
            timezone.localdate() if actuel.en_difficulte is not None else None
        )
    actuel.version = version + 1
    actuel.full_clean()
    actuel._champs_modifies = set(modifies) & set(ProfilEntreprise.SECRETABLE)
    actuel.save()
    return actuel


# --- RGPD ---------------------------------------------------------------------------------


def exporter_donnees(user) -> dict:
    """Everything the platform holds about the person, for their own download."""
    personne = Personne.objects.filter(compte=user).select_related("organisation").first()
    data = {
        "compte": {
            "email": user.email,
            "cree_le": user.date_joined.isoformat(),
            "derniere_connexion": user.last_login.isoformat() if user.last_login else None,
        },
        "personne": None,
        "designations": [],
        "lectures_de_secrets": [
            {
                "objet": f"{lec.content_type.model} {lec.object_id}",
                "champ": lec.champ,
                "le": lec.lu_le.isoformat(),
            }
            for lec in LectureSecret.objects.filter(lecteur=user).select_related("content_type")
        ],
        "jetons_api": [
            {"cree_le": j.cree_le.isoformat(), "expire_le": j.expire_le.isoformat()}
            for j in user.jetons.all()
        ],
    }
    if personne:
        data["personne"] = {
            "prenom": personne.prenom,
            "nom": personne.nom,
            "email": personne.email,
            "telephone": personne.telephone,
            "fonction": personne.fonction,
            "organisation": personne.organisation.nom if personne.organisation else None,
            "visible_dans_l_annuaire": personne.annuaire,
        }
        data["designations"] = [
            {
                "role": d.get_role_display(),
                "portee": str(d.territoire or d.region or ""),
                "debut": d.date_debut.isoformat(),
                "fin": d.date_fin.isoformat() if d.date_fin else None,
            }
            for d in Designation.objects.filter(personne=personne).select_related(
                "territoire", "region"
            )
        ]
    return data


@transaction.atomic
def effacer_donnees(user) -> None:
    """Right to erasure: the person's identity goes; the history of decisions stays, now
    anonymous (designations, audit and read logs keep their dates, not the name)."""
    personne = Personne.objects.filter(compte=user).first()
    if personne:
        personne.prenom, personne.nom = "Personne", "effacée"
        personne.email = personne.telephone = personne.fonction = ""
        personne.annuaire, personne.annuaire_accepte_le = False, None
        personne.compte = None
        personne.save()
    user.jetons.all().delete()
    user.email = f"efface-{user.pk}@invalid"
    user.first_name = user.last_name = ""
    user.is_active = False
    user.set_unusable_password()
    user.save()


@transaction.atomic
def regler_annuaire(*, personne: Personne, visible: bool) -> None:
    personne.annuaire = visible
    personne.annuaire_accepte_le = timezone.now() if visible else None
    personne.save(update_fields=["annuaire", "annuaire_accepte_le"])


# --- API tokens -----------------------------------------------------------------------------


class TropDeJetons(Exception):
    """The account already holds as many valid tokens as allowed: nothing was created."""

    def __init__(self, maximum: int):
        self.maximum = maximum
        super().__init__(
            f"Ce compte a déjà {maximum} jetons d'API valides, le maximum : révoquez-en un "
            "(page « Mon compte » ou DELETE /api/v1/auth/jetons/{id}) avant d'en créer un autre."
        )


def duree_jeton() -> timedelta:
    return timedelta(days=settings.API_JETON_DUREE_JOURS)


def empreinte(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


@transaction.atomic
def creer_jeton(user, nom: str = "") -> str:
    """A new token for the account, valid API_JETON_DUREE_JOURS days; refused (TropDeJetons)
    beyond API_JETONS_PAR_COMPTE valid ones. Expired ones go first: they no longer count."""
    nom = (nom or "").strip()
    saisie.valider_texte(nom)
    if len(nom) > 100:
        raise ValidationError({"nom": "Le nom d'un jeton tient en 100 caractères au plus."})
    maintenant = timezone.now()
    # Taking the account's row first: two creations at once cannot both pass the cap.
    type(user).objects.select_for_update().filter(pk=user.pk).exists()
    user.jetons.filter(expire_le__lte=maintenant).delete()
    if user.jetons.count() >= settings.API_JETONS_PAR_COMPTE:
        raise TropDeJetons(settings.API_JETONS_PAR_COMPTE)
    token = pysecrets.token_urlsafe(32)
    JetonAPI.objects.create(
        compte=user,
        empreinte=empreinte(token),
        nom=nom,
        prefixe=token[:8],
        expire_le=maintenant + duree_jeton(),
    )
    return token


def compte_du_jeton(token: str, *, ecriture: bool = False):
    """The active account of a valid token, else None, read with its person in one query (the
    scope of the request starts from it). A read writes nothing; a write records the token's
    use, at most once a day (one UPDATE that matches no row otherwise)."""
    maintenant = timezone.now()
    jeton = (
        JetonAPI.objects.select_related("compte__personne")
        .filter(empreinte=empreinte(token), expire_le__gt=maintenant, compte__is_active=True)
        .first()
    )
    if jeton is None:
        return None
    if ecriture:
        JetonAPI.objects.filter(pk=jeton.pk).filter(
            Q(utilise_le__isnull=True) | Q(utilise_le__lte=maintenant - timedelta(days=1))
        ).update(utilise_le=maintenant)
    return jeton.compte


def jetons_visibles(user):
    """The tokens a person may list and revoke: their own; all of them for the staff."""
    if not user.is_authenticated:
        return JetonAPI.objects.none()
    qs = JetonAPI.objects.select_related("compte").order_by("-cree_le", "-pk")
    return qs if user.is_staff else qs.filter(compte=user)


@transaction.atomic
def revoquer_jeton(*, user, pk: int) -> None:
    """Revokes a token of one's own, or anyone's for the staff; any other answers 404 upstream
    (JetonAPI.DoesNotExist), like an object out of scope."""
    jetons_visibles(user).get(pk=pk).delete()


def revoquer_jetons(compte) -> int:
    """Every token of the account: on a password change, a deactivation, or at its request."""
    return JetonAPI.objects.filter(compte=compte).delete()[0]
