"""Import of an official list of territories, in either shape the open data portal publishes.

- commune level: `insee_com,lib_com,id_ti,lib_ti` (phase 2) or `insee_com,code_ti,lib_ti`
  (the phase-1 list shipped in data/territoires). `id_ti` may hold several territories
  separated by « ; »: the commune belongs to each of them;
- groupement level: `id_ti,lib_ti,siren_groupement,lib_groupement[,nature_juridique]`, where
  `siren_groupement` names an EPCI, an EPT of the Grand Paris, or a commune by its own SIREN.

Territory ids are kept as the programme writes them (« 8401 » in phase 1, « ti-8401 » in
phase 2).

All or nothing: the whole file is checked first (`lecture`); any error names its line and
nothing is written (referentiel.imports). A second run of the same file changes nothing; a
newer file is applied as dated changes resting on one decision (`application`, through
territoires.services). A groupement file cannot say that a territory holds only part of an
EPCI: over a commune-level map it is read with the rule of docs/adr/0009 (`groupements`), and
what it cannot mean is reported as a difference of form, never applied (`rapport`).
"""

from referentiel.imports import ImportInvalide

from .application import importer
from .groupements import Ecart, Mouvement, Plan, regle_groupements
from .lecture import Index, Liste, TerritoireLu, parse
from .rapport import EcartDeForme, Rapport

__all__ = [
    "Ecart",
    "EcartDeForme",
    "ImportInvalide",
    "Index",
    "Liste",
    "Mouvement",
    "Plan",
    "Rapport",
    "TerritoireLu",
    "importer",
    "parse",
    "regle_groupements",
]
