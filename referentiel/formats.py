"""How numbers and amounts are written for people, the one French way of every page, document,
check and report: a narrow no-break space between thousands, a decimal comma.

Floor 1 (no import of another app), like the input rules (referentiel.saisie). Templates use
Django's own localisation (`floatformat`), which writes the same numbers."""

from __future__ import annotations

import re
from decimal import Decimal, InvalidOperation

ESPACE_FINE = "\u202f"


def nombre(valeur, decimales: int | None = None) -> str:
    """`decimales`: that many; None: as many as needed, at most two (50 → « 50 »,
    33.5 → « 33,5 », 100000 → « 100 000 »)."""
    if decimales is None:
        texte = f"{Decimal(valeur):,.2f}".rstrip("0").rstrip(".")
    else:
        texte = f"{Decimal(valeur):,.{decimales}f}"
    return texte.replace(",", ESPACE_FINE).replace(".", ",")


def euros(montant, decimales: int | None = None) -> str:
    """An amount: `decimales` that many; None: the cents only when there are some
    (« 150 000 € », « 1 234,50 € »)."""
    if decimales is None:
        decimales = 0 if Decimal(montant) == Decimal(montant).to_integral_value() else 2
    return f"{nombre(montant, decimales)} €"


def pourcent(valeur) -> str:
    return f"{nombre(valeur)} %"


# --- Reading what people type, the French way, whatever their browser's language ------------

FORMAT_DATE = "%d/%m/%Y"
# jj/mm/aaaa first; the ISO form too (links, bookmarks, the API's dates pasted into a page).
FORMATS_DATE = ("%d/%m/%Y", "%d-%m-%Y", "%d.%m.%Y", "%Y-%m-%d")
AIDE_DATE = "Format attendu : jj/mm/aaaa"
FORMAT_HEURE = "%H:%M"
FORMATS_HEURE = ("%H:%M", "%Hh%M", "%H h %M", "%Hh", "%H:%M:%S")
HEURE_ILLISIBLE = "Saisissez une heure au format hh:mm, par exemple 09:30 ou 14h15."
DATE_ILLISIBLE = "Saisissez une date au format jj/mm/aaaa, par exemple 14/07/2025."
NOMBRE_ILLISIBLE = (
    "Saisissez un nombre écrit à la française, chiffres et virgule, par exemple 1 234,56."
)
# Spaces people (and copies from documents) put between thousands: plain, no-break, narrow.
_ESPACES = {" ", "\u00a0", "\u202f", "\u2009"}
_NOMBRE = re.compile(r"[+-]?(\d+(\.\d*)?|\.\d+)")


def lire_nombre(texte: str) -> Decimal:
    """« 1 234,56 », « 1 234,56 € », « 1234.56 » → Decimal("1234.56"); ValueError with
    NOMBRE_ILLISIBLE otherwise. A comma and a point together are refused: « 1,234.56 » and
    « 1.234,56 » say different numbers depending on who wrote them."""
    propre = "".join(c for c in str(texte).strip().removesuffix("€") if c not in _ESPACES)
    if propre.count(",") + propre.count(".") > 1:
        raise ValueError(NOMBRE_ILLISIBLE)
    propre = propre.replace(",", ".")
    if not _NOMBRE.fullmatch(propre):
        raise ValueError(NOMBRE_ILLISIBLE)
    try:
        return Decimal(propre)
    except InvalidOperation as exc:  # pragma: no cover - the pattern admits only decimals
        raise ValueError(NOMBRE_ILLISIBLE) from exc


def saisie_nombre(valeur) -> str:
    """A number as a field shows it for editing: thousands apart, decimal comma, the cents
    only when there are some (« 125 000 », « 1 234,50 »)."""
    valeur = Decimal(valeur)
    entier = valeur == valeur.to_integral_value()
    return nombre(valeur, 0 if entier else max(2, -valeur.normalize().as_tuple().exponent))
