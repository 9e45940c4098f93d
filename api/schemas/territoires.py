"""Shapes of the map's answers (api.territoires)."""

from datetime import date

from ninja import Schema

from . import Identifiant, Jour


class FiltresCarte(Schema):
    # Without a phase: the phase in force at the date (territoires.selectors.phase_courante).
    phase: Identifiant | None = None
    region: str | None = None
    date: Jour | None = None


class FiltresTerritoires(FiltresCarte):
    interregional: bool | None = None
    pilote: bool | None = None
    q: str | None = None


class EpciPartOut(Schema):
    siren: str
    nom: str
    nature: str
    part_communes: float
    part_population: float
    communes_dans: int
    communes_total: int


class TerritoireOut(Schema):
    code: str
    nom: str
    phase: int
    regions: list[str]
    interregional: bool
    pilote: bool
    population: int
    nb_communes: int
    epcis: list[EpciPartOut]


class ChangementOut(Schema):
    date: date
    nature: str
    libelle: str
    description: str
    communes_ajoutees: int
    communes_retirees: int
    decision: str
    instance: str
    demo: bool


class CommuneOut(Schema):
    code: str
    nom: str
    population: int


class CommunePerimetreOut(CommuneOut):
    # Other territories of the phase holding this commune too (an official list may share it).
    partagee_avec: list[str] = []


class TerritoireDetailOut(TerritoireOut):
    date: date
    date_creation: date
    date_retrait: date | None
    communes: list[CommunePerimetreOut]
    historique: list[ChangementOut]


class AppartenanceOut(Schema):
    code: str
    nom: str
    phase: int
    part_communes: float
    part_population: float
    communes_dans: int
    communes_total: int


class EpciOut(Schema):
    siren: str
    nom: str
    nature: str
    parent: str | None
    population: int
    date: date
    phase: int | None
    communes: list[CommuneOut]
    territoires: list[AppartenanceOut]


class RegionOut(Schema):
    code: str
    nom: str
