"""Shapes of the contracts API: protocols, contracts, avenants, their signatories, annexed
fiches and history (api.contrats). Territories by code and phase, fiches by reference,
EPCIs by SIREN."""

from datetime import date, datetime

from ninja import Field, Schema

from .gouvernance import TerritoireRef


class ResumeDocumentOut(Schema):
    genre: str = Field(description="protocole, contrat ou avenant.")
    id: int
    titre: str
    etat: str = Field(description="brouillon, valide ou signe.")
    numero: int | None = Field(description="Numéro de l'avenant.")
    date_signature: date | None


class DocumentListeOut(ResumeDocumentOut):
    territoire: TerritoireRef


class DocumentsTerritoireOut(Schema):
    territoire: TerritoireRef
    protocole: ResumeDocumentOut | None
    contrat: ResumeDocumentOut | None
    avenants: list[ResumeDocumentOut]


class SectionOut(Schema):
    titre: str
    texte: str


class SignataireOut(Schema):
    id: int
    nature: str
    libelle: str
    nom: str
    qualite: str
    region: str | None
    epci: str | None = Field(description="SIREN de l'EPCI dont le président signe.")
    organisation: str | None
    signe_le: date | None
    exception_ministre: bool = Field(
        description="L'État signe par un ministre et non par le préfet (FAQ §4.3)."
    )
    motif_ministre: str = Field(description="Le motif de cette exception ; vide sinon.")


class FicheAnnexeeOut(Schema):
    reference: str = Field(description="Référence de la fiche (ex. 8401-09).")
    titre: str


class ModificationOut(Schema):
    fiche: str
    objet: str


class AccordOut(Schema):
    signataire: int = Field(description="Le signataire dont la partie a donné son accord.")
    partie: str = Field(description="La partie : « la Région … » ou le signataire.")
    donne_par: str = Field(description="Qui a donné l'accord : nom et qualité.")
    donne_le: date


class ValidationOut(Schema):
    date: date
    intitule: str
    sans_reunion: bool = Field(description="Validé sans réunion du COPIL (FAQ §4.2).")
    mention: str = Field(description="Ce que disent la page et les documents de la validation.")
    accords: list[AccordOut] = Field(
        description="Sans réunion : l'accord de chaque Région et de chaque partie (FAQ §4.2)."
    )


class TransitionContratOut(Schema):
    action: str
    libelle: str
    etat_avant: str
    etat_apres: str
    date_effet: date
    le: datetime
    par: str | None
    motif: str


class DocumentOut(ResumeDocumentOut):
    territoire: TerritoireRef
    contrat: int | None = Field(description="Le contrat qu'un avenant complète.")
    sections: list[SectionOut]
    epcis: list[str] = Field(description="SIREN des EPCI couverts (contrat, avenant).")
    validation: ValidationOut | None
    signataires: list[SignataireOut]
    signataires_manquants: list[str]
    fiches: list[FicheAnnexeeOut]
    modifications: list[ModificationOut]
    avenants: list[ResumeDocumentOut]
    historique: list[TransitionContratOut]
    peut_modifier: bool
    peut_valider: bool
    peut_signer: bool
