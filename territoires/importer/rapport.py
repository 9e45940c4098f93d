"""What an import reports: counts, changes per territory, differences of form; and the
sentences that name the EPCI and communes concerned."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field

from referentiel.models import EPCI, Commune

from .groupements import Ecart, Mouvement


@dataclass
class EcartDeForme:
    """Something a literal reading of a groupement file would change, but which the file's
    shape explains: reported, never applied."""

    territoire: str
    texte: str
    communes: list[str]


@dataclass
class Rapport:
    forme: str = ""
    lignes: int = 0
    territoires: int = 0
    communes: int = 0
    via_anciens_codes: int = 0
    partagees: int = 0
    crees: list[str] = field(default_factory=list)
    modifies: list[str] = field(default_factory=list)
    retires: list[str] = field(default_factory=list)
    renommes: list[str] = field(default_factory=list)
    # What changes for each modified or renamed territory, one sentence per change.
    changements: dict[str, list[str]] = field(default_factory=dict)
    ecarts: list[EcartDeForme] = field(default_factory=list)
    dry_run: bool = False
    secondes: float = 0.0

    @property
    def inchange(self) -> bool:
        return not (self.crees or self.modifies or self.retires or self.renommes)

    def noter(self, code: str, texte: str) -> None:
        self.changements.setdefault(code, []).append(texte)

    def noter_modification(self, code: str, texte: str) -> None:
        if code not in self.modifies:
            self.modifies.append(code)
        self.noter(code, texte)

    def lignes_texte(self) -> list[str]:
        out = [
            f"Forme du fichier : {self.forme} ({self.lignes} lignes).",
            f"{self.territoires} territoires, {self.communes} communes "
            f"(dont {self.via_anciens_codes} retrouvées par leur ancien code).",
        ]
        if self.partagees:
            out.append(f"{self.partagees} commune(s) dans plusieurs territoires de la phase.")
        if self.inchange:
            out.append("Aucun changement : la carte est déjà à jour.")
        out += self._changements_texte()
        if self.dry_run:
            out.append("Simulation : rien n'a été enregistré.")
        out.append(f"Durée : {self.secondes:.2f} s.")
        return out

    def _changements_texte(self) -> list[str]:
        out = []
        for label, items in (("créés", self.crees), ("retirés", self.retires)):
            if items:
                out.append(
                    f"Territoires {label} ({len(items)}) : {', '.join(items[:20])}"
                    + (" …" if len(items) > 20 else "")
                )
        if self.changements:
            out.append(f"Changements ({len(self.changements)} territoires) :")
            for code, textes in sorted(self.changements.items()):
                out.append(f"- {code} : " + " ".join(textes))
        if self.ecarts:
            out.append(f"Différences de forme, non appliquées ({len(self.ecarts)}) :")
            out.extend(f"- {e.territoire} : {e.texte}" for e in self.ecarts)
        return out


class Noms:
    """Names of the EPCI and communes a report speaks of, read once."""

    def __init__(self):
        self._epcis: dict[str, str] | None = None
        self._communes: dict[str, str] = {}

    def epci(self, siren: str | None) -> str:
        if self._epcis is None:
            self._epcis = dict(EPCI.objects.values_list("siren", "nom"))
        return f"{self._epcis.get(siren, 'groupement')} ({siren})"

    def communes(self, codes: set[str], ailleurs: Mapping[str, set[str]] | None = None) -> str:
        manquants = [c for c in codes if c not in self._communes]
        if manquants:
            self._communes.update(
                Commune.objects.filter(code__in=manquants).values_list("code", "nom")
            )
        items = []
        for c in sorted(codes, key=lambda c: (self._communes.get(c, ""), c)):
            texte = f"{self._communes.get(c, c)} ({c})"
            if ailleurs and ailleurs.get(c):
                texte += f", dans {' et '.join(sorted(ailleurs[c]))}"
            items.append(texte)
        if len(items) > 12:
            items = items[:12] + [f"et {len(items) - 12} autres"]
        return ", ".join(items)

    def mouvement(self, mv: Mouvement) -> tuple[str, dict]:
        """The description and details of the change a movement of the rule makes."""
        n = len(mv.communes)
        details = {"epci": [mv.siren]} if mv.siren else {}
        if mv.motif == "nommee":
            return (
                f"Entrée de {n} commune(s) nommée(s) par leur SIREN : "
                f"{self.communes(mv.communes)}.",
                {**details, "communes": sorted(mv.communes)},
            )
        if mv.motif == "hors_nommees":
            return (
                f"Sortie de {n} commune(s) de {self.epci(mv.siren)} : seules les "
                f"{len(mv.restantes)} communes nommées par leur SIREN restent.",
                details,
            )
        if mv.siren is None:
            return (
                f"Sortie de {n} commune(s) hors intercommunalité, absente(s) de la liste : "
                f"{self.communes(mv.communes)}.",
                {"communes": sorted(mv.communes)},
            )
        verbe = "Entrée" if mv.sens == "entree" else "Sortie"
        suite = "" if mv.sens == "entree" else ", absente de la liste"
        return f"{verbe} de {self.epci(mv.siren)}, {n} commune(s){suite}.", details

    def ecart(self, e: Ecart, code: str, tenue_par: Mapping[str, set[str]]) -> str:
        n = len(e.communes)
        if e.motif == "liste_entier":
            ailleurs = {c: tenue_par.get(c, set()) - {code} for c in e.communes}
            return (
                f"{self.epci(e.siren)} est listée entière, mais le territoire n'en comprend "
                f"pas {n} commune(s) : {self.communes(e.communes, ailleurs)} ; "
                "non ajoutée(s)."
            )
        raison = (
            "le territoire n'en comprend qu'une partie"
            if e.motif == "absent_en_partie"
            else "un groupement listé en couvre une partie"
        )
        return (
            f"{self.epci(e.siren)} n'est pas dans la liste, mais {raison} : "
            f"{self.communes(e.communes)} ; conservée(s)."
        )
