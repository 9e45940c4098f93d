"""The rule of every uploaded file (attachments of fiches and meetings, imported sheets): one
place, which the services enforce and the page forms ask before them; and how a stored file
is served back — always as a download under a safe name, never rendered by the browser."""

from __future__ import annotations

import re
import unicodedata
import zipfile
from pathlib import PurePosixPath

from django.core.exceptions import ValidationError
from django.http import FileResponse

TAILLE_MAX_PIECE = 10 * 1024 * 1024  # 10 Mo per attachment
TAILLE_MAX_LIBELLE = f"{TAILLE_MAX_PIECE // (1024 * 1024)} Mo"

ZIP = b"PK\x03\x04"
OLE = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"  # the office formats before 2007
# Extension: (type served, the signatures its content may start with; None: plain text).
TYPES = {
    "pdf": ("application/pdf", (b"%PDF-",)),
    "png": ("image/png", (b"\x89PNG\r\n\x1a\n",)),
    "jpg": ("image/jpeg", (b"\xff\xd8\xff",)),
    "jpeg": ("image/jpeg", (b"\xff\xd8\xff",)),
    "docx": ("application/vnd.openxmlformats-officedocument.wordprocessingml.document", (ZIP,)),
    "xlsx": ("application/vnd.openxmlformats-officedocument.spreadsheetml.sheet", (ZIP,)),
    "pptx": ("application/vnd.openxmlformats-officedocument.presentationml.presentation", (ZIP,)),
    "odt": ("application/vnd.oasis.opendocument.text", (ZIP,)),
    "ods": ("application/vnd.oasis.opendocument.spreadsheet", (ZIP,)),
    "odp": ("application/vnd.oasis.opendocument.presentation", (ZIP,)),
    "doc": ("application/msword", (OLE,)),
    "xls": ("application/vnd.ms-excel", (OLE,)),
    "ppt": ("application/vnd.ms-powerpoint", (OLE,)),
    "csv": ("text/csv", None),
    "txt": ("text/plain", None),
}
# What a zip must hold to be the office document its extension says (OOXML, OpenDocument).
CONTENU_ZIP = {"docx": "[Content_Types].xml", "xlsx": "[Content_Types].xml"}
CONTENU_ZIP |= {"pptx": "[Content_Types].xml", "odt": "mimetype", "ods": "mimetype"}
CONTENU_ZIP |= {"odp": "mimetype"}
TYPES_LIBELLE = "PDF, PNG, JPEG, DOCX, XLSX, PPTX, ODT, ODS, ODP, DOC, XLS, PPT, CSV ou TXT"
ENTETE = 8192  # bytes read to recognise a content


def extension(nom: str) -> str:
    return PurePosixPath(nom or "").suffix.lower().lstrip(".")


def _debut(fichier) -> bytes:
    fichier.seek(0)
    debut = fichier.read(ENTETE)
    fichier.seek(0)
    return debut


def _zip_contient(fichier, membre: str) -> bool:
    try:
        with zipfile.ZipFile(fichier) as archive:
            return membre in archive.namelist()
    except (zipfile.BadZipFile, OSError, ValueError):
        return False
    finally:
        fichier.seek(0)


def erreur_contenu(fichier, admises=tuple(TYPES)) -> str | None:
    """Whether the content is what the name says, among the extensions admitted; in French."""
    ext = extension(getattr(fichier, "name", ""))
    if ext not in admises:
        liste = TYPES_LIBELLE if admises == tuple(TYPES) else ", ".join(admises).upper()
        return f"Ce type de fichier n'est pas admis : {liste}."
    debut = _debut(fichier)
    signatures = TYPES[ext][1]
    if signatures is None:
        # Plain text: no binary content, and no markup a browser could take for a page.
        texte_brut = b"\x00" not in debut and not debut.lstrip().startswith(b"<")
        ok = texte_brut
    else:
        ok = debut.startswith(signatures)
        if ok and ext in CONTENU_ZIP:
            ok = _zip_contient(fichier, CONTENU_ZIP[ext])
    if not ok:
        return f"Le contenu du fichier n'est pas celui d'un fichier .{ext} : il est refusé."
    return None


def erreur_fichier(fichier, taille_max: int = TAILLE_MAX_PIECE) -> str | None:
    """What is wrong with an uploaded file, in French; None when it may be stored."""
    if fichier is None:
        return "Choisissez un fichier."
    if not fichier.size:
        return "Le fichier est vide."
    if fichier.size > taille_max:
        libelle = f"{taille_max / (1024 * 1024):.0f} Mo"
        return f"Le fichier dépasse la taille maximale de {libelle}."
    return erreur_contenu(fichier)


def verifier_fichier(fichier) -> None:
    """Refuses the file (ValidationError on the field « fichier ») before anything is stored."""
    if erreur := erreur_fichier(fichier):
        raise ValidationError({"fichier": erreur})


def nom_sur(nom: str, stocke: str) -> str:
    """A download name that cannot mislead: no path, no quote or control character, the
    extension of the stored (checked) file, at most 120 characters."""
    ext = extension(stocke)
    base = unicodedata.normalize("NFC", PurePosixPath((nom or "").replace("\\", "/")).name)
    if extension(base) == ext:
        base = base[: -len(ext) - 1]
    base = re.sub(r"[^\w\- ().,]+", "_", base).strip(" ._")[:100] or "piece-jointe"
    return f"{base}.{ext}" if ext else base


def reponse_piece(champ, nom: str) -> FileResponse:
    """The stored file as a download: its type from its checked extension (never guessed
    from its name), nosniff, and a policy that forbids it anything if opened anyway."""
    ext = extension(champ.name)
    response = FileResponse(
        champ.open("rb"),
        as_attachment=True,
        filename=nom_sur(nom, champ.name),
        content_type=TYPES.get(ext, ("application/octet-stream",))[0],
    )
    response["X-Content-Type-Options"] = "nosniff"
    response["Content-Security-Policy"] = "default-src 'none'; sandbox"
    response["Cache-Control"] = "private, no-store"
    return response
