"""Shapes of the comptes floor's answers and bodies (api.comptes)."""

from datetime import datetime as DateTime
from typing import Annotated

from ninja import Field, Schema

from comptes.models import Utilisateur

from . import Cle, Entier, Identifiant, Jour

# No account holds a longer address: refused at the door (422), before the sign-in lookup
# and the count of failed logins, whose column the database bounds.
LONGUEUR_EMAIL = Utilisateur._meta.get_field("email").max_length


class Identifiants(Schema):
    email: Annotated[Cle, Field(max_length=LONGUEUR_EMAIL)]
    password: str
    nom: str = Field("", max_length=100, description="Pour reconnaître le jeton dans la liste.")


class JetonOut(Schema):
    token: str
    id: int
    expire_le: DateTime


class JetonInfo(Schema):
    """A token as listed: never the token itself."""

    id: int
    nom: str
    debut: str = Field(description="Les premiers caractères du jeton, pour le reconnaître.")
    compte: str
    cree_le: DateTime
    expire_le: DateTime
    utilise_le: DateTime | None = Field(
        description="Dernière écriture faite avec ce jeton, au jour près (les lectures ne "
        "l'enregistrent pas)."
    )


class RoleOut(Schema):
    role: str
    libelle: str
    territoire: str | None
    region: str | None
    organisation: str | None


class MoiOut(Schema):
    email: str
    nom: str | None
    roles: list[RoleOut]


class ProfilOut(Schema):
    version: int
    activite: str
    en_difficulte: bool | None = Field(
        description="Entreprise en difficulté au sens du RGEC (art. 2.18), déclarée ; null : "
        "pas encore déclaré, ou réservé à qui a besoin d'en connaître (voir `masques`)."
    )
    en_difficulte_declare_le: Jour | None
    effectif: int | None
    chiffre_affaires: int | None
    contact_nom: str | None
    contact_email: str | None
    contact_telephone: str | None
    projet: str | None
    champs_secrets: list[str]
    masques: list[str]


class OrganisationOut(Schema):
    id: int
    nom: str
    type: str
    siren: str
    commune: str | None
    profil: ProfilOut | None


class ProfilIn(Schema):
    version: Identifiant
    activite: str | None = None
    en_difficulte: bool | None = None
    effectif: Entier | None = None
    chiffre_affaires: Entier | None = None
    contact_nom: str | None = None
    contact_email: str | None = None
    contact_telephone: str | None = None
    projet: str | None = None
    champs_secrets: list[str] | None = None
