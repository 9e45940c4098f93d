"""What every file import shares (official lists of territories, fiches workbooks): the file
is refused whole when anything is wrong, each error names its place in the file (line, and
sheet and column for a workbook), and checking stops after MAX_ERREURS, enough to fix a file
by. Messages in French, the same on every import.

Floor 1 (no import of another app), like the input rules (referentiel.saisie).
"""

from __future__ import annotations

MAX_ERREURS = 50


class ImportInvalide(Exception):
    """The file cannot be imported; `erreurs` lists each problem with its place."""

    def __init__(self, erreurs: list[str]):
        self.erreurs = erreurs
        super().__init__("\n".join(erreurs))

    def texte(self) -> str:
        """What a command prints of the refusal."""
        return "Fichier refusé, rien n'a été importé :\n" + "\n".join(self.erreurs)


def lieu(ligne: int, feuille: str | None = None, colonne: str | None = None) -> str:
    """« Ligne 4 » in a list, « Fiches, ligne 4, colonne Titre » in a workbook."""
    texte = f"Ligne {ligne}" if feuille is None else f"{feuille}, ligne {ligne}"
    return texte + (f", colonne {colonne}" if colonne else "")


class Erreurs(list):
    """Errors found so far, each with its place; once MAX_ERREURS are found, the others are
    not recorded and the refusal says checking stopped."""

    def ajouter(
        self,
        message: str,
        *,
        ligne: int | None = None,
        feuille: str | None = None,
        colonne: str | None = None,
    ) -> None:
        if not self.pleine:
            self.append(
                message if ligne is None else f"{lieu(ligne, feuille, colonne)} : {message}"
            )

    @property
    def pleine(self) -> bool:
        return len(self) >= MAX_ERREURS

    def refus(self) -> ImportInvalide:
        arret = [f"… arrêt après {MAX_ERREURS} erreurs."] if self.pleine else []
        return ImportInvalide([*self, *arret])
