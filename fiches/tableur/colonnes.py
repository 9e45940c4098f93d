"""The workbook's shape: its three sheets, their columns, what is only exported, what a file
may lack, widths and drop-down lists, and which column holds each field of a fiche."""

from __future__ import annotations

from mesures.enums import CHOIX_AXES

from ..enums import Section

FICHES, FINANCEMENTS, INDICATEURS = "Fiches", "Financements", "Indicateurs"
COLONNES = {
    FICHES: [
        "Référence",
        "Phase",
        "Territoire",
        "Titre",
        "Axe",
        "Contexte et objectifs",
        "Description",
        "Porteur",
        "Type de porteur",
        "Partenaires",
        "Périmètre",
        "Filière",
        "Collective",
        "Maturité",
        "Début",
        "Fin",
        "Coût total (€)",
        "Mesures",
        "Contrat valorisé",
        "Demande de simplification",
        "Problème",
        "Proposition",
        "Orientation",
        "État",
    ],
    FINANCEMENTS: [
        "Référence",
        "Financeur",
        "Mesure",
        "Section",
        "Montant (€)",
        "De minimis",
        "Statut",
    ],
    INDICATEURS: ["Référence", "Indicateur", "Unité", "Cible"],
}
EXPORT_SEUL = {"Type de porteur", "État", "Statut"}
# Columns a file may lack (files exported before they existed): read as empty.
OPTIONNELLES = {"Demande de simplification"}
LARGEURS = {
    "Titre": 45,
    "Contexte et objectifs": 60,
    "Description": 60,
    "Porteur": 35,
    "Partenaires": 45,
    "Mesures": 45,
    "Problème": 45,
    "Financeur": 35,
    "Mesure": 40,
    "Indicateur": 45,
}
# Drop-down lists offered in the sheet (a hint: other spellings stay accepted).
LISTES = {
    "Axe": [v for v, _ in CHOIX_AXES],
    "Demande de simplification": ["oui", "non"],
    "Collective": ["oui", "non"],
    "Section": Section.values,
    "De minimis": ["oui", "non"],
}
# Where each field of a fiche is, to name the column of an error found by the model.
COLONNE_DU_CHAMP = {
    "titre": "Titre",
    "axe": "Axe",
    "contexte": "Contexte et objectifs",
    "description": "Description",
    "porteur": "Porteur",
    "portee": "Périmètre",
    "filiere": "Filière",
    "collective": "Collective",
    "maturite": "Maturité",
    "date_debut": "Début",
    "date_fin": "Fin",
    "cout_total": "Coût total (€)",
    "contrat_valorise": "Contrat valorisé",
    "demande_simplification": "Demande de simplification",
    "probleme": "Problème",
    "nature_simplification": "Proposition",
    "orientation": "Orientation",
    "libelle": "Indicateur",
    "unite": "Unité",
    "cible": "Cible",
}
# Between the items of a cell that lists several (partners, measures).
SEPARATEUR = ";"
# A cell read as « Confidentiel »: the stored value stays.
CONFIDENTIEL = object()
