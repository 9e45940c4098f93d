"""Shapes of the writes on protocols, contracts and avenants (api.contrats_saisie): the
canvas of a draft and its version, annexed fiches by reference (8401-09), signatories with
their organisation by SIREN, région by code, EPCI by SIREN."""

from ninja import Field, Schema

from contrats.enums import NatureSignataire

from . import Cle, Entier, Identifiant, Jour


class CanevasIn(Schema):
    """The sections of the canvas; only those of the document's kind are admitted."""

    enjeux: Cle | None = Field(None, description="Contrat.")
    ambitions: Cle | None = Field(None, description="Protocole, contrat.")
    actions_engagees: Cle | None = Field(None, description="Contrat.")
    engagement_parties: Cle | None = Field(None, description="Contrat.")
    plan_actions: Cle | None = Field(None, description="Protocole, contrat.")
    pilotage: Cle | None = Field(None, description="Contrat.")
    objet: Cle | None = Field(None, description="Avenant.")
    annee_debut: Entier | None = Field(None, ge=2000, le=2100, description="Contrat.")
    annee_fin: Entier | None = Field(None, ge=2000, le=2100, description="Contrat.")
    epcis: list[Cle] | None = Field(
        None, description="SIREN des intercommunalités couvertes (contrat) ou ajoutées (avenant)."
    )


class DocumentIn(CanevasIn):
    phase: Identifiant | None = Field(None, description="Phase du territoire (courante sinon).")


class CanevasPatch(CanevasIn):
    version: Cle = Field(description="La version lue (GET …/canevas) : verrou optimiste.")


class CanevasOut(Schema):
    genre: str
    id: int
    etat: str
    sections: dict[str, str | int] = Field(description="Chaque section du canevas, par son nom.")
    epcis: list[str] | None = Field(description="SIREN des intercommunalités (contrat, avenant).")
    version: str = Field(description="À renvoyer avec la prochaine modification.")
    peut_modifier: bool


class AvenantIn(Schema):
    objet: Cle = ""
    epcis: list[Cle] = Field([], description="SIREN des intercommunalités ajoutées.")


class AnnexeIn(Schema):
    fiche: Cle = Field(description="Référence de la fiche (ex. 8401-09).")
    resume: Cle = Field("", description="Protocole : résumé, sans aucune mention financière.")


class SignataireIn(Schema):
    nature: NatureSignataire
    nom: Cle
    qualite: Cle = Field(description="Ex. : Préfète de la Drôme.")
    organisation: Cle | None = Field(None, description="SIREN de l'organisation représentée.")
    region: Cle | None = Field(None, description="Code de la région (président de région).")
    epci: Cle | None = Field(None, description="SIREN de l'intercommunalité (président d'EPCI).")
    motif_ministre: str = Field(
        "",
        description="Pour l'État, le préfet signe ; un ministre par exception, motivée ici "
        "(FAQ §4.3).",
    )


class AccordPartieIn(Schema):
    signataire: Identifiant = Field(description="Numéro du signataire (la partie) qui accorde.")
    donne_par: Cle = Field(description="Qui a donné l'accord, au nom de cette partie.")
    donne_le: Jour = Field(description="Le jour de l'accord (jamais dans le futur).")


class ValidationIn(Schema):
    decision: Identifiant | None = Field(
        None,
        description="Numéro de la décision du COPIL régional sur ce contrat "
        "(GET /gouvernance/decisions?territoire=…) : sa date et sa manière sont reprises, "
        "`date`, `reunion` et `texte` ignorés. Sans elle, la validation s'enregistre ici.",
    )
    date: Jour | None = Field(
        None, description="Sans décision : le jour de la validation (aujourd'hui si absent)."
    )
    reunion: bool = Field(
        True,
        description="Sans décision : validé en réunion du COPIL régional, ou (false) sans "
        "réunion, sur l'accord de la Région et des parties concernées (FAQ §4.2).",
    )
    texte: Cle = Field("", description="Sans décision : précisions.")
    accords: list[AccordPartieIn] = Field(
        default_factory=list,
        description="Validé sans réunion : l'accord de chaque Région et de chaque "
        "partie, qui l'a donné et quand (FAQ §4.2).",
    )
