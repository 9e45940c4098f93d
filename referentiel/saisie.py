"""Input rules shared by every channel that writes: pages, API and XLSX import.

One place per rule. The models attach them to their fields (validators, run by full_clean,
by model forms and by the import's checks); the forms reuse the same functions on their
fields; the API goes through the services, which run full_clean. A rule refused on one
channel is refused on the others, with the same French message.

Floor 1 (no import of another app) so that every domain app can use it.
"""

from __future__ import annotations

import unicodedata
from datetime import date

from django.core.exceptions import NON_FIELD_ERRORS, FieldDoesNotExist, ValidationError
from django.utils import timezone

# Dates of the programme and of what it funds, with a wide margin on both sides: a date out
# of this range is a typing error (year 1, 9999), and spreadsheets do not hold it either.
DATE_MIN = date(2000, 1, 1)
DATE_MAX = date(2100, 12, 31)

# The largest integer SQLite and PostgreSQL (bigint) hold: identifiers and counts given by
# a caller are refused beyond it instead of reaching the database.
ENTIER_MAX = 2**63 - 1

VIDE = "Ce champ ne peut pas être vide."
NUL = "Ce champ ne peut pas être nul (null)."
NUL_TEXTE = "Ce champ ne peut pas être nul (null) : pour le vider, envoyez une chaîne vide."
DATE_HORS_BORNES = (
    f"La date doit être comprise entre le {DATE_MIN:%d/%m/%Y} et le {DATE_MAX:%d/%m/%Y}."
)
MONTANT_NEGATIF = "Un montant ne peut pas être négatif."
VALEUR_NEGATIVE = "La valeur ne peut pas être négative."

# Line breaks and tabs are text; any other control character is invisible, breaks exports
# (XML refuses them) and PostgreSQL refuses NUL outright.
_PERMIS = {"\t", "\n", "\r"}


def caracteres_interdits(texte: str) -> list[str]:
    """The characters a text may not hold: control characters other than line breaks and
    tabs, lone surrogates, and the two non-characters XML refuses."""
    return sorted(
        {
            c
            for c in texte
            if c not in _PERMIS
            and (unicodedata.category(c) in ("Cc", "Cs") or c in ("\ufffe", "\uffff"))
        }
    )


def valider_texte(valeur) -> None:
    if not isinstance(valeur, str):
        return
    interdits = caracteres_interdits(valeur)
    if interdits:
        codes = ", ".join(f"U+{ord(c):04X}" for c in interdits)
        raise ValidationError(
            f"Le texte contient un caractère invisible ou invalide ({codes}) : retirez-le.",
            code="caractere_interdit",
        )


def valider_non_vide(valeur) -> None:
    """A required text holds something else than spaces."""
    if isinstance(valeur, str) and not valeur.strip():
        raise ValidationError(VIDE, code="blank")


def valider_date(valeur) -> None:
    if isinstance(valeur, date) and not DATE_MIN <= valeur <= DATE_MAX:
        raise ValidationError(DATE_HORS_BORNES, code="date_hors_bornes")


def pas_dans_le_futur(jour, quoi: str = "La date") -> None:
    """The date of something done (a decision, a signature, a measure, a note) is not after
    today, Europe/Paris: « La date de la décision ne peut pas être dans le futur. »"""
    if isinstance(jour, date) and jour > timezone.localdate():
        raise ValidationError(f"{quoi} ne peut pas être dans le futur.", code="futur")


def valider_montant(valeur) -> None:
    if valeur is not None and valeur < 0:
        raise ValidationError(MONTANT_NEGATIF, code="negatif")


def valider_positif(valeur) -> None:
    if valeur is not None and valeur < 0:
        raise ValidationError(VALEUR_NEGATIVE, code="negatif")


def cle(texte) -> str:
    """A text folded for matching what people type: case, accents and spacing do not count
    (« Emplois créés » and « emplois  crees » are the same indicator)."""
    texte = unicodedata.normalize("NFKD", str(texte).strip().lower())
    return " ".join("".join(c for c in texte if not unicodedata.combining(c)).split())


def entier(valeur) -> int | None:
    """A count or identifier typed in a URL or a form: the integer, or None if it is not one
    or exceeds what the database holds."""
    texte = str(valeur).strip()
    if not texte.isascii() or not texte.isdigit():
        return None
    texte = texte.lstrip("0") or "0"
    if len(texte) > len(str(ENTIER_MAX)):  # not even read: Python refuses very long ones
        return None
    n = int(texte)
    return n if n <= ENTIER_MAX else None


def verifier(**champs) -> None:
    """Checks values that are not (yet) a model's fields, each with its rules:
    `verifier(motif=(motif, [valider_texte]))`; every error at once, by name."""
    erreurs = {}
    for nom, (valeur, regles) in champs.items():
        for regle in regles:
            try:
                regle(valeur)
            except ValidationError as exc:
                erreurs.setdefault(nom, []).extend(exc.messages)
    if erreurs:
        raise ValidationError(erreurs)


def refuser_nuls(modele, donnees: dict) -> None:
    """`null` given for a field the model stores as never null: refused with the field's name
    (else the database would refuse it, or worse, a rule would read it as absent)."""
    erreurs = {}
    for nom, valeur in donnees.items():
        if valeur is not None:
            continue
        try:
            champ = modele._meta.get_field(nom)
        except FieldDoesNotExist:  # not a field of the model: the caller's own business
            continue
        if getattr(champ, "concrete", False) and not champ.many_to_many and not champ.null:
            vidable = champ.blank and champ.get_internal_type() in ("CharField", "TextField")
            erreurs[nom] = NUL_TEXTE if vidable else NUL
    if erreurs:
        raise ValidationError(erreurs)


def messages(exc: ValidationError, *, champs: bool = False) -> list[str]:
    """A refusal's French messages, in order: what every channel shows, from one reading.
    `champs`: each message named by its field, where no form shows it beside the field (the
    API's one sentence: « axe : … »)."""
    if not hasattr(exc, "error_dict"):
        return list(exc.messages)
    return [
        f"{champ} : {m}" if champs and champ != NON_FIELD_ERRORS else m
        for champ, erreurs in exc.message_dict.items()
        for m in erreurs
    ]
