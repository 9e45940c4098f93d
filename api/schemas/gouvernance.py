"""Shapes of the governance API: bodies, meetings, decisions, perimeter requests, CNI map
versions (api.gouvernance). Territories are named by their code and phase, fiches by their
reference (8401-09), EPCIs by their SIREN."""

from datetime import date, datetime

from ninja import Field, Schema

from . import Cle, Identifiant, Jour, Moment


class TerritoireRef(Schema):
    code: str = Field(description="Code du territoire (ex. 8401).")
    phase: int
    nom: str


class ComiteOut(Schema):
    id: int
    type: str
    libelle_type: str = Field(description="« Comité de suivi » après la signature du contrat.")
    nom: str
    territoire: TerritoireRef | None
    region: str | None = Field(description="Code INSEE de la région (COPIL régional).")
    regions_concernees: list[str]
    suivi_depuis: date | None


class ComiteDetailOut(ComiteOut):
    peut_animer: bool = Field(description="Vous créez ses réunions et y enregistrez décisions.")
    nb_reunions: int


class ReunionOut(Schema):
    id: int
    uid: str
    comite: int
    comite_nom: str = Field(description="Nom de l'instance le jour de la réunion.")
    debut: datetime
    fin: datetime | None
    lieu: str
    annulee: bool
    motif_annulation: str
    reportee_du: datetime | None = Field(description="Jour initiale d'une réunion reportée.")
    sequence: int = Field(description="Version de la réunion, augmentée à chaque report.")


class PointOut(Schema):
    id: int
    ordre: int
    nature: str
    intitule: str
    fiche: str | None = Field(description="Référence de la fiche présentée (ex. 8401-09).")
    demande: int | None = Field(description="Numéro de la demande de périmètre examinée.")
    designation_personne: str | None
    designation_role: str
    territoire: TerritoireRef | None
    decision: int | None = Field(description="Numéro de la décision prise sur ce point.")


class ParticipantOut(Schema):
    personne: str | None
    organisation: str | None
    presence: str


class PieceOut(Schema):
    id: int
    nom: str
    ajoutee_le: datetime


class DecisionOut(Schema):
    id: int
    date: date
    intitule: str
    texte: str
    instance: str
    objet: str
    reunion: int | None
    point: int | None
    hors_reunion: bool
    motif_hors_reunion: str
    territoire: TerritoireRef | None
    accords: list[str] = Field(description="Organisations dont l'accord a été recueilli.")


class ReunionDetailOut(ReunionOut):
    compte_rendu: str
    regions_concernees: list[str]
    peut_animer: bool
    points: list[PointOut]
    participants: list[ParticipantOut]
    pieces: list[PieceOut]
    decisions: list[DecisionOut]


class DemandeOut(Schema):
    id: int
    nature: str
    etat: str
    region: str = Field(description="Région dont le COPIL régional décide.")
    territoire: TerritoireRef | None
    epci: str | None = Field(description="SIREN de l'intercommunalité visée.")
    demandeur: str
    deposee_le: date


class TransitionOut(Schema):
    action: str
    libelle: str
    etat_avant: str
    etat_apres: str
    date_effet: date = Field(description="Jour de l'acte.")
    le: datetime = Field(description="Enregistré le.")
    par: str | None
    motif: str
    reunion: int | None
    decision: int | None


class AccordOut(Schema):
    region: str = Field(description="Code INSEE de la région.")
    favorable: bool
    date: date
    reunion: int | None = Field(description="Réunion de son COPIL, ou null : hors réunion.")
    motif: str


class DemandeDetailOut(DemandeOut):
    regions_concernees: list[str] = Field(
        description="Régions concernées : chacune prend position (FAQ §2.3)."
    )
    accords: list[AccordOut] = Field(description="Positions des autres régions concernées.")
    code_propose: str
    nom_propose: str
    epcis_proposes: list[str]
    parts: list[dict] = Field(description="Scission : territoires issus, leur nom et EPCI.")
    justification: str
    decision: int | None
    historique: list[TransitionOut]


class VersionOut(Schema):
    id: int
    nom: str
    date: date
    phase: int
    reunion: int | None
    nb_territoires: int


class TerritoireVersionOut(Schema):
    code: str
    nom: str
    origine: str | None
    regions: list[str]
    communes: list[str]


class VersionDetailOut(VersionOut):
    territoires: list[TerritoireVersionOut]


# --- Writes (api.gouvernance_saisie) -----------------------------------------------------------


class PartIn(Schema):
    code: Cle = Field(description="Code du territoire issu.")
    nom: Cle
    epcis: list[Cle] = Field(description="SIREN de ses intercommunalités.")


class ScissionIn(Schema):
    phase: Identifiant | None = Field(None, description="Phase du territoire (courante sinon).")
    parts: list[PartIn] = Field(description="Les territoires issus, au moins deux.")
    justification: Cle = ""
    date: Jour | None = Field(None, description="Déposée le ; aujourd'hui si absente.")


class AccordIn(Schema):
    region: Cle = Field(description="Code INSEE de la région qui prend position.")
    favorable: bool = True
    date: Jour | None = Field(None, description="Jour de la position ; aujourd'hui si absente.")
    motif: Cle = Field(description="Sur quoi elle repose (courrier, délibération…).")


class ReportIn(Schema):
    debut: Moment = Field(description="Nouveau début (heure de Paris si sans fuseau).")
    fin: Moment | None = None
    lieu: Cle | None = Field(None, description="Nouveau lieu ; inchangé si absent.")
    sequence: int | None = Field(None, ge=0, description="La `sequence` lue (409 si dépassée).")


class AnnulationIn(Schema):
    motif: Cle = Field(description="Motif, envoyé aux participants.")
    sequence: int | None = Field(None, ge=0, description="La `sequence` lue (409 si dépassée).")
