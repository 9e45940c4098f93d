from datetime import date

from ninja import Schema


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


class TerritoireDetailOut(TerritoireOut):
    date: date
    date_creation: date
    date_retrait: date | None
    communes: list[CommuneOut]
    historique: list[ChangementOut]


class AppartenanceOut(Schema):
    code: str
    nom: str
    phase: int
    part_communes: float


class EpciOut(Schema):
    siren: str
    nom: str
    nature: str
    parent: str | None
    population: int
    communes: list[CommuneOut]
    territoires: list[AppartenanceOut]


class RegionOut(Schema):
    code: str
    nom: str


class ErreurOut(Schema):
    detail: str
