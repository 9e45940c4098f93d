"""The rule of every uploaded attachment (fiches, meetings): one place, which the services
enforce and the page forms ask before them."""

from django.core.exceptions import ValidationError

TAILLE_MAX_PIECE = 10 * 1024 * 1024  # 10 Mo per attachment
TAILLE_MAX_LIBELLE = f"{TAILLE_MAX_PIECE // (1024 * 1024)} Mo"


def erreur_fichier(fichier) -> str | None:
    """What is wrong with an uploaded file, in French; None when it may be stored."""
    if fichier is None:
        return "Choisissez un fichier."
    if not fichier.size:
        return "Le fichier est vide."
    if fichier.size > TAILLE_MAX_PIECE:
        return f"Le fichier dépasse la taille maximale de {TAILLE_MAX_LIBELLE}."
    return None


def verifier_fichier(fichier) -> None:
    """Refuses the file (ValidationError on the field « fichier ») before anything is stored."""
    if erreur := erreur_fichier(fichier):
        raise ValidationError({"fichier": erreur})
