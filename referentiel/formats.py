"""How numbers and amounts are written for people, the one French way of every page, document,
check and report: a narrow no-break space between thousands, a decimal comma.

Floor 1 (no import of another app), like the input rules (referentiel.saisie). Templates use
Django's own localisation (`floatformat`), which writes the same numbers."""

from __future__ import annotations

from decimal import Decimal

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
