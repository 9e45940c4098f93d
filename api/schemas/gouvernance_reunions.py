"""Shapes of a meeting's participants, minutes and attachments (api.gouvernance_reunions).
People are named by their e-mail address or their name, organisations by SIREN or name."""

from datetime import datetime

from ninja import Field, Schema

from gouvernance.enums import Presence

from . import Cle


class ParticipantIn(Schema):
    personne: Cle | None = Field(
        None, description="Adresse électronique ou « Prénom Nom » de la personne invitée."
    )
    organisation: Cle | None = Field(None, description="SIREN ou nom de l'organisation.")
    presence: Presence = Presence.INVITE


class ParticipantDetailOut(Schema):
    id: int
    personne: str | None = Field(description="Prénom et nom.")
    organisation: str | None
    siren: str | None = Field(description="SIREN de l'organisation représentée.")
    presence: str
    libelle_presence: str


class CompteRenduIn(Schema):
    texte: Cle
    version: Cle = Field(description="La version lue (GET …/compte-rendu) : verrou optimiste.")


class CompteRenduOut(Schema):
    reunion: int
    texte: str
    version: str = Field(description="À renvoyer avec la prochaine modification.")
    peut_rediger: bool = Field(description="Vous animez l'instance : vous rédigez le compte rendu.")


class PieceOut(Schema):
    id: int
    nom: str
    taille: int = Field(description="Taille du fichier, en octets.")
    ajoutee_le: datetime
