"""Shapes of the panier de services API (api.mesures): measures with their operator (SIREN),
axes or priorities, rules and validity, their version for an optimistic lock."""

from datetime import date
from decimal import Decimal

from ninja import Field, Schema

from mesures.enums import NatureMesure, SourceMesure

from . import Cle, Jour


class FiltresMesures(Schema):
    q: Cle | None = Field(None, description="Mots du nom, de la description ou de l'opérateur.")
    operateur: Cle | None = Field(None, description="SIREN de l'opérateur.")
    phase: int | None = Field(
        None, ge=1, le=9, description="Mesures servant les fiches de la phase."
    )
    axe: Cle | None = Field(None, description="Axe (phase 1) ou priorité (phase 2) servi.")
    nature: NatureMesure | None = None
    source: SourceMesure | None = None
    region: Cle | None = Field(None, description="Mobilisable dans la région (code).")
    valide: bool = Field(False, description="Valables aujourd'hui seulement.")


class OperateurOut(Schema):
    nom: str
    siren: str | None


class AxeOut(Schema):
    code: str
    libelle: str


class MesureOut(Schema):
    id: int
    nom: str
    nature: str
    libelle_nature: str
    source: str
    region: str | None = Field(description="Code de la région d'une mesure régionale.")
    operateur: OperateurOut | None
    axes: list[AxeOut] = Field(description="Vide : la mesure sert toutes les fiches.")
    phase: int | None = Field(description="Phase dont la mesure sert les axes ou priorités.")
    date_debut: date | None
    date_fin: date | None
    valide: bool = Field(description="Valable aujourd'hui.")


class MesureDetailOut(MesureOut):
    description: str
    taux_max: Decimal | None = Field(description="Taux maximal de cofinancement (%).")
    plafond: Decimal | None = Field(description="Plafond par fiche (€).")
    types_porteurs: list[str]
    accord_gouvernance: bool
    exclut_entreprises_en_difficulte: bool
    reference: str
    regles: list[str] = Field(description="Les règles que la plateforme vérifie, en français.")
    version: str = Field(description="À renvoyer avec la prochaine modification.")
    peut_modifier: bool


class MesurePatch(Schema):
    nom: Cle | None = None
    description: Cle | None = None
    operateur: Cle | None = Field(None, description="SIREN de l'opérateur ; vide : aucun.")
    axes: list[Cle] | None = None
    nature: NatureMesure | None = None
    # Bounds and step said in the document too (max_digits and decimal_places are not).
    taux_max: Decimal | None = Field(
        None, ge=0, le=100, multiple_of=Decimal("0.01"), max_digits=5, decimal_places=2
    )
    plafond: Decimal | None = Field(
        None,
        ge=0,
        le=Decimal("999999999999.99"),
        multiple_of=Decimal("0.01"),
        max_digits=14,
        decimal_places=2,
    )
    types_porteurs: list[Cle] | None = None
    accord_gouvernance: bool | None = None
    exclut_entreprises_en_difficulte: bool | None = None
    date_debut: Jour | None = None
    date_fin: Jour | None = None
    source: SourceMesure | None = None
    region: Cle | None = Field(None, description="Code de la région ; vide : aucune.")
    reference: Cle | None = None


class MesureIn(MesurePatch):
    nom: Cle
    nature: NatureMesure


class MesureModifiee(MesurePatch):
    version: Cle = Field(description="La version lue : verrou optimiste.")
