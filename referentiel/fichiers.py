"""What an uploaded file is, by its content and not by the name it came with, and whether it
may be stored: one place, low enough for every app's uploads (the network's resources first).

A file is recognised by its signature (the first bytes; inside a ZIP, the entries that the
OpenDocument and Office Open XML formats require), then its extension must be one of that
type's: a program renamed « guide.pdf » is refused, so is a PDF renamed « tableau.xlsx ».
Nothing is written here: the services call `verifier_fichier` (or, for the attachments of
fiches and meetings, `comptes.pieces` on top of `reconnaitre`) before storing anything, and
pages and API serve it back by `reponse_piece_jointe`: an attachment under a safe name
(`nom_de_telechargement`, `nom_sur`), never inline, forbidden everything if opened anyway."""

from __future__ import annotations

import codecs
import re
import unicodedata
import uuid
import zipfile
from dataclasses import dataclass
from pathlib import PurePath, PurePosixPath

from django.core.exceptions import ValidationError
from django.http import FileResponse, Http404
from django.utils.text import slugify

ENTETE = 8192  # bytes read to recognise a text file
MEGA = 1024 * 1024


@dataclass(frozen=True)
class TypeFichier:
    code: str
    libelle: str
    extensions: tuple[str, ...]
    type_mime: str

    @property
    def extension(self) -> str:
        return self.extensions[0]


_TYPES = (
    TypeFichier("pdf", "PDF", (".pdf",), "application/pdf"),
    TypeFichier("odt", "texte OpenDocument", (".odt",), "application/vnd.oasis.opendocument.text"),
    TypeFichier(
        "ods",
        "tableur OpenDocument",
        (".ods",),
        "application/vnd.oasis.opendocument.spreadsheet",
    ),
    TypeFichier(
        "odp",
        "présentation OpenDocument",
        (".odp",),
        "application/vnd.oasis.opendocument.presentation",
    ),
    TypeFichier(
        "docx",
        "Word",
        (".docx",),
        "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
    ),
    TypeFichier(
        "xlsx",
        "Excel",
        (".xlsx",),
        "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    ),
    TypeFichier(
        "pptx",
        "PowerPoint",
        (".pptx",),
        "application/vnd.openxmlformats-officedocument.presentationml.presentation",
    ),
    TypeFichier("png", "image PNG", (".png",), "image/png"),
    TypeFichier("jpeg", "image JPEG", (".jpg", ".jpeg"), "image/jpeg"),
    TypeFichier("csv", "CSV", (".csv",), "text/csv; charset=utf-8"),
    TypeFichier("txt", "texte", (".txt",), "text/plain; charset=utf-8"),
    TypeFichier("doc", "Word 97-2003", (".doc",), "application/msword"),
    TypeFichier("xls", "Excel 97-2003", (".xls",), "application/vnd.ms-excel"),
    TypeFichier("ppt", "PowerPoint 97-2003", (".ppt",), "application/vnd.ms-powerpoint"),
)
TYPES = {t.code: t for t in _TYPES}
# The office formats before 2007 share one container (OLE): its extension tells them apart.
OLE = frozenset({"doc", "xls", "ppt"})
# The documents the network shares: every type above but the formats before 2007.
DOCUMENTS = frozenset(TYPES) - OLE

_SIGNATURES = ((b"%PDF-", "pdf"), (b"\x89PNG\r\n\x1a\n", "png"), (b"\xff\xd8\xff", "jpeg"))
_SIGNATURE_OLE = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"
_ODF = {
    "application/vnd.oasis.opendocument.text": "odt",
    "application/vnd.oasis.opendocument.spreadsheet": "ods",
    "application/vnd.oasis.opendocument.presentation": "odp",
}
_OOXML = {"word/document.xml": "docx", "xl/workbook.xml": "xlsx", "ppt/presentation.xml": "pptx"}
# Control characters a text file never holds (tab, line feed, form feed, carriage return may).
_CONTROLES = {chr(c) for c in range(32) if c not in (9, 10, 12, 13)} | {"\x7f"}


def _entete(fichier, n: int) -> bytes:
    fichier.seek(0)
    debut = fichier.read(n)
    fichier.seek(0)
    return debut


def _dans_le_zip(fichier) -> str | None:
    """ODF declares its type in a first « mimetype » entry; OOXML has its content types and
    its main part. Only names and that short entry are read: nothing is unpacked."""
    try:
        with zipfile.ZipFile(fichier) as z:
            noms = set(z.namelist())
            if "mimetype" in noms:
                with z.open("mimetype") as m:
                    return _ODF.get(m.read(100).decode("ascii", "replace").strip())
            if "[Content_Types].xml" in noms:
                return next((code for part, code in _OOXML.items() if part in noms), None)
    except (zipfile.BadZipFile, OSError, ValueError, KeyError):
        return None
    finally:
        fichier.seek(0)
    return None


def _est_du_texte(debut: bytes) -> bool:
    """UTF-8 or Windows-1252 (what a spreadsheet saves as CSV), without control characters,
    nor markup a browser could take for a page (HTML, SVG, XML)."""
    if b"\x00" in debut or debut.removeprefix(codecs.BOM_UTF8).lstrip().startswith(b"<"):
        return False
    try:
        texte = _utf8(debut)
    except UnicodeDecodeError:
        try:
            texte = debut.decode("cp1252")
        except UnicodeDecodeError:
            return False
    return not (set(texte) & _CONTROLES)


def _utf8(debut: bytes) -> str:
    try:
        return debut.decode("utf-8")
    except UnicodeDecodeError as exc:
        # The cut at ENTETE may split a character: an incomplete last one is not an error.
        if len(debut) >= ENTETE and exc.start >= len(debut) - 3:
            return debut[: exc.start].decode("utf-8")
        raise


def _extension(fichier) -> str:
    return PurePath(getattr(fichier, "name", "") or "").suffix.lower()


def type_du_nom(nom: str) -> TypeFichier | None:
    """The type a name's extension says: for a stored file, the one checked at upload."""
    ext = PurePosixPath(nom or "").suffix.lower()
    return next((t for t in _TYPES if ext in t.extensions), None)


def reconnaitre(fichier) -> TypeFichier | None:
    """The type of the file by its content (its extension only tells CSV from plain text, and
    the office formats before 2007 from one another)."""
    debut = _entete(fichier, ENTETE)
    for signature, code in _SIGNATURES:
        if debut.startswith(signature):
            return TYPES[code]
    if debut.startswith(b"PK\x03\x04"):
        code = _dans_le_zip(fichier)
        return TYPES[code] if code else None
    if debut.startswith(_SIGNATURE_OLE):
        t = type_du_nom(getattr(fichier, "name", ""))
        return t if t and t.code in OLE else None
    if debut and _est_du_texte(debut):
        return TYPES["csv"] if _extension(fichier) == ".csv" else TYPES["txt"]
    return None


def taille_lisible(octets: int) -> str:
    return f"{octets // MEGA} Mo" if octets >= MEGA else f"{max(octets // 1024, 1)} ko"


def libelle_des_types(types=DOCUMENTS) -> str:
    return ", ".join(e for t in _TYPES if t.code in types for e in t.extensions)


def erreur_de_taille(fichier, taille_max: int) -> str | None:
    """A missing, empty or too large file, in French; None otherwise."""
    if fichier is None:
        return "Choisissez un fichier."
    if not fichier.size:
        return "Le fichier est vide."
    if fichier.size > taille_max:
        return f"Le fichier dépasse la taille maximale de {taille_lisible(taille_max)}."
    return None


def erreur_fichier(fichier, *, taille_max: int, types=DOCUMENTS) -> str | None:
    """What is wrong with an uploaded file, in French; None when it may be stored."""
    if erreur := erreur_de_taille(fichier, taille_max):
        return erreur
    t = reconnaitre(fichier)
    if t is None or t.code not in types:
        return (
            "Ce type de fichier n'est pas accepté (son contenu a été examiné, pas seulement "
            f"son nom). Types acceptés : {libelle_des_types(types)}."
        )
    if _extension(fichier) not in t.extensions:
        return (
            f"Le contenu du fichier est celui d'un fichier {t.libelle} : son nom doit finir "
            f"par {' ou '.join(t.extensions)}."
        )
    return None


def verifier_fichier(
    fichier, *, taille_max: int, types=DOCUMENTS, champ: str = "fichier"
) -> TypeFichier:
    """The file's type, or a ValidationError on `champ` before anything is stored."""
    if erreur := erreur_fichier(fichier, taille_max=taille_max, types=types):
        raise ValidationError({champ: erreur})
    return reconnaitre(fichier)


def nom_de_stockage(dossier: str, t: TypeFichier) -> str:
    """A generated name: nothing of what the sender typed reaches the file system."""
    return f"{dossier.strip('/')}/{uuid.uuid4().hex}{t.extension}"


def nom_de_telechargement(titre: str, t: TypeFichier) -> str:
    """A name safe in a Content-Disposition header: ASCII letters, digits and hyphens."""
    return f"{slugify(titre)[:80].strip('-') or 'document'}{t.extension}"


def nom_sur(nom: str, stocke: str) -> str:
    """A download name that cannot mislead, from the name a person gave: no path, no quote or
    control character, the extension of the stored (checked) file, at most 100 characters
    before it."""
    ext = PurePosixPath(stocke or "").suffix.lower().lstrip(".")
    base = unicodedata.normalize("NFC", PurePosixPath((nom or "").replace("\\", "/")).name)
    if PurePosixPath(base).suffix.lower() == f".{ext}":
        base = base[: -len(ext) - 1]
    base = re.sub(r"[^\w\- ().,]+", "_", base).strip(" ._")[:100] or "piece-jointe"
    return f"{base}.{ext}" if ext else base


def reponse_piece_jointe(champ, *, nom: str, t: TypeFichier | None) -> FileResponse:
    """A stored file (the model's FieldFile) as an attachment, with the type recognised at
    upload (`None`: a file stored before any check, served as bytes) and `nosniff`: a browser
    neither renders it inline nor guesses another type; a policy that forbids it everything if
    opened anyway; kept by no cache (a file may be a draft's, or a closed meeting's)."""
    try:
        contenu = champ.open("rb")
    except (FileNotFoundError, ValueError) as exc:
        raise Http404("Fichier introuvable.") from exc
    type_mime = t.type_mime if t else "application/octet-stream"
    r = FileResponse(contenu, as_attachment=True, filename=nom, content_type=type_mime)
    r["X-Content-Type-Options"] = "nosniff"
    r["Content-Security-Policy"] = "default-src 'none'; sandbox"
    r["Cache-Control"] = "private, no-store"
    return r
