"""What the attachments of fiches and meetings, and the imported sheets, admit: their size limit,
their types and how they are said in French. Recognising a file by its content and serving it
back (attachment, safe name, nosniff, sandbox, no-store) is `referentiel.fichiers`'s: the
services enforce this module's rule and the page forms ask it before them."""

from __future__ import annotations

from pathlib import PurePosixPath

from django.core.exceptions import ValidationError
from django.http import FileResponse

from referentiel import fichiers
from referentiel.fichiers import nom_sur

TAILLE_MAX_PIECE = 10 * fichiers.MEGA  # 10 Mo per attachment
TAILLE_MAX_LIBELLE = fichiers.taille_lisible(TAILLE_MAX_PIECE)
# Every type referentiel.fichiers recognises, the office formats before 2007 included.
TYPES_LIBELLE = "PDF, PNG, JPEG, DOCX, XLSX, PPTX, ODT, ODS, ODP, DOC, XLS, PPT, CSV ou TXT"


def erreur_contenu(fichier, admises: tuple[str, ...] = ()) -> str | None:
    """Whether the content is what the name says, among the extensions admitted (by default
    every type of a piece); in French."""
    nom = getattr(fichier, "name", "") or ""
    ext = PurePosixPath(nom).suffix.lower().lstrip(".")
    if not (ext in admises if admises else fichiers.type_du_nom(nom)):
        liste = ", ".join(admises).upper() if admises else TYPES_LIBELLE
        return f"Ce type de fichier n'est pas admis : {liste}."
    t = fichiers.reconnaitre(fichier)
    if t is None or f".{ext}" not in t.extensions:
        return f"Le contenu du fichier n'est pas celui d'un fichier .{ext} : il est refusé."
    return None


def erreur_fichier(fichier, taille_max: int = TAILLE_MAX_PIECE) -> str | None:
    """What is wrong with an uploaded file, in French; None when it may be stored."""
    return fichiers.erreur_de_taille(fichier, taille_max) or erreur_contenu(fichier)


def verifier_fichier(fichier) -> None:
    """Refuses the file (ValidationError on the field « fichier ») before anything is stored."""
    if erreur := erreur_fichier(fichier):
        raise ValidationError({"fichier": erreur})


def reponse_piece(champ, nom: str) -> FileResponse:
    """The stored piece as a download under the name a person gave it, with the type of its
    checked extension (never guessed from the name given); 404 when the file is gone."""
    t = fichiers.type_du_nom(champ.name)
    return fichiers.reponse_piece_jointe(champ, nom=nom_sur(nom, champ.name), t=t)
