"""Fiches-actions in a spreadsheet, in the shape of the kit's fiche model (FAQ §4.6, §7.4):
export, and an all-or-nothing import that a second run of the same file leaves unchanged.

Workbook (XLSX): three sheets, a header row each, then one row per item. On import, headers
are matched without regard to case, accents or « (€) », columns may come in any order, extra
columns are ignored, and the columns marked « export » are not read.

« Fiches », one row per fiche:
    Référence               8401-03 (territory code, number of the fiche); empty for a new fiche,
                            or a provisional label « nouvelle-1 » that the two other sheets use
                            to attach lines to a fiche that has no number yet
    Phase                   1 or 2
    Territoire              territory code (8401)
    Titre
    Axe                     phase 1: attirer, recruter, innover, simplifier; phase 2: the
                            priorities competences, transition, innovation, foncier (labels
                            accepted); a value of the other phase is refused with the
                            message of the pages and the API (mesures.enums.erreur_axe)
    Contexte et objectifs
    Description             may be secret
    Porteur                 SIREN or exact name of an organisation
    Type de porteur         export
    Partenaires             SIREN or names, separated by « ; »
    Périmètre               label or value (Tout le territoire, Certaines intercommunalités…)
    Filière                 name of a filière of the list
    Collective              oui / non
    Maturité                label or value (Idée, En émergence, Mature, Prêt à démarrer)
    Début, Fin              dates (date cells, JJ/MM/AAAA or AAAA-MM-JJ)
    Coût total (€)          may be secret
    Mesures                 names of measures of the panier de services, separated by « ; »
    Contrat valorisé        label or value (CTE, Action Cœur de Ville, CRTE…), empty: none
    Demande de simplification  oui / non: a phase-2 fiche carrying a simplification request
                            (optional column: absent, « non »)
    Problème, Proposition, Orientation    the « simplifier » fiches (labels or values)
    État                    export
« Financements », one row per line of the financing plan:
    Référence, Financeur (SIREN or name), Mesure, Section (fonctionnement / investissement),
    Montant (€) (may be secret), De minimis (oui / non), Statut (export)
« Indicateurs », one row per follow-up indicator:
    Référence, Indicateur, Unité, Cible

Export (`exporter`): the fiches of the queryset that the person may see, with their lines and
indicators, in a constant number of queries. A secret value (listed in the object's
`champs_secrets`) is read through comptes.secrets, which logs the read (canal « export »),
and only by those with the need to know; the others get « Confidentiel ». So does an
organisation the person may not see (a firm of another territory, FAQ §7.3).

Import (`importer`): every row of every sheet is checked first; the errors (at most 50) name
sheet, line and column, and any error means nothing is written (`ImportInvalide`). Then, in
one transaction, through fiches.services:
- a row with a Référence designates that fiche: modified if its content differs (drafts only;
  a submitted fiche is refused), left alone if identical;
- a row without one creates a fiche, unless a fiche of the same territory with the same title
  and bearer already exists: identical, it is the same fiche imported again (nothing is
  created twice); different, the row must give its Référence to modify it;
- the lines and indicators of a fiche are exactly the rows of the two other sheets that carry
  its Référence; they are rewritten only when they differ (indicators are matched by name so
  that the values measured on them stay);
- « Confidentiel » in a cell means « unchanged »: a round trip by someone who may not read
  the secrets never erases them, and the secrecy of a kept line stays with it.
Refused permissions (creating for another territory, modifying someone else's fiche) are
error lines like the others.

Modules: `colonnes` (sheets and columns), `cellules` (reading a cell, French refusals),
`annuaire` (organisations, territories, measures a file may name), `lecture` (the workbook
and its rows), `rapprochement` (rows against stored fiches, what each row will do),
`ecriture` (the import, all or nothing, and its report), `export`.
"""

from referentiel.imports import ImportInvalide

from .colonnes import COLONNES
from .ecriture import Rapport, importer
from .export import ecrire_xlsx, exporter, lignes_csv

__all__ = [
    "COLONNES",
    "ImportInvalide",
    "Rapport",
    "ecrire_xlsx",
    "exporter",
    "importer",
    "lignes_csv",
]
