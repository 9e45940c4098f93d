"""Shapes of the network's information API (api.actualites): news, resources, events."""

from datetime import date, datetime

from ninja import Field, Schema

from actualites.enums import CategorieRessource

from . import Cle


class FiltresRegion(Schema):
    region: Cle | None = Field(None, description="Code de la région ; vide : toutes.")


class FiltresRessources(FiltresRegion):
    categorie: CategorieRessource | None = None


class FiltresEvenements(FiltresRegion):
    passes: bool = Field(False, description="Les événements passés (les à venir par défaut).")


class ActualiteOut(Schema):
    id: int
    titre: str
    chapo: str
    source: str = Field(description="La délégation nationale ou la Région qui publie.")
    region: str | None
    publiee_le: datetime
    modifiee_le: datetime


class ActualiteDetailOut(ActualiteOut):
    corps: str


class RessourceOut(Schema):
    id: int
    titre: str
    resume: str
    categorie: str
    libelle_categorie: str
    source: str
    region: str | None
    date: date
    publiee: bool = Field(description="Faux : un brouillon, vu de qui le publie seulement.")
    lien: str | None = Field(description="Le lien externe, si le document n'est pas déposé.")
    fichier: str | None = Field(description="L'adresse de téléchargement du fichier déposé.")
    type_fichier: str | None
    taille: int | None = Field(description="Taille du fichier, en octets.")


class EvenementOut(Schema):
    id: int
    titre: str
    debut: datetime = Field(description="Heure de Paris, avec son décalage.")
    fin: datetime
    lieu: str
    lien: str
    organisateur: str
    region: str | None
    public: bool = Field(description="Faux : réservé aux personnes du réseau connectées.")
    ics: str = Field(description="L'adresse du fichier ICS (Europe/Paris).")


class EvenementDetailOut(EvenementOut):
    description: str
    version: int
