from django.db import models


class NatureSignataire(models.TextChoices):
    """Who signs a contract (FAQ §4.3); a protocol's signatories are free (FAQ §4.5)."""

    PRESIDENT_EPCI = "president_epci", "Président d'intercommunalité (EPCI)"
    INDUSTRIEL = "industriel", "Acteur industriel"
    PRESIDENT_REGION = "president_region", "Président du conseil régional"
    PREFET = "prefet", "État : préfet"
    MINISTRE = "ministre", "État : ministre (exceptionnellement)"
    OPERATEUR = "operateur", "Directeur (inter)régional d'un opérateur"
    DEPARTEMENT = "departement", "Département"
    COMMUNE = "commune", "Commune"
    PAYS_PETR = "pays_petr", "Pays / PETR"
    AUTRE = "autre", "Autre partenaire public ou privé"


# The State signs through its préfet or, exceptionally, a minister (FAQ §4.3).
NATURES_ETAT = {NatureSignataire.PREFET, NatureSignataire.MINISTRE}


class EtatDocument(models.TextChoices):
    """Derived, never stored: draft, validated by the regional COPIL, signed by all."""

    BROUILLON = "brouillon", "Projet en préparation"
    VALIDE = "valide", "Validé, en signature"
    SIGNE = "signe", "Signé"


class ActionDocument(models.TextChoices):
    """The moves of a document recorded by contrats.cycle (contrats.TransitionContrat)."""

    VALIDER = "valider", "Validé par le comité de pilotage régional"
    VALIDER_SANS_REUNION = (
        "valider_sans_reunion",
        "Validé sans réunion, par l'accord de la Région et des parties concernées",
    )
    SIGNER = "signer", "Signature enregistrée"
