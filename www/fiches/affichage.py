"""A fiche's values as a page writes them: French dates and amounts, labels of choices."""

from __future__ import annotations

from decimal import Decimal

from fiches.enums import Section
from fiches.models import FicheAction
from referentiel import formats

from . import forms_etapes as fe


def affiche(field, valeur) -> str:
    """`valeur` of the model's field `field` (None: a bare value), as the page shows it."""
    if valeur is None or valeur == "":
        return "—"
    if isinstance(valeur, bool):
        return "Oui" if valeur else "Non"
    if getattr(field, "choices", None):
        return str(dict(field.flatchoices).get(valeur, valeur))
    if hasattr(valeur, "strftime"):
        return valeur.strftime("%d/%m/%Y")
    if isinstance(valeur, Decimal):
        return formats.euros(valeur, 2)
    return str(valeur)


def _libelles_des_listes() -> dict[str, str]:
    """The lists of a fiche (partners, places, measures) titled as the steps ask for them."""
    out = {}
    for form in (fe.EtapeActionForm, fe.EtapeContenuForm, fe.EtapePerimetreForm):
        out.update({nom: str(f.label) for nom, f in form.base_fields.items()})
    return out


def resume(assemblage) -> list[tuple[str, str]]:
    """The fiche as typed, for the last look before saving."""
    champs = {f.name: f for f in FicheAction._meta.get_fields()}
    out = [
        (str(champs[nom].verbose_name).capitalize(), affiche(champs[nom], valeur))
        for nom, valeur in assemblage.donnees.items()
    ]
    libelles = _libelles_des_listes()
    for nom, valeurs in assemblage.m2m.items():
        out.append((libelles[nom], ", ".join(str(v) for v in valeurs) or "—"))
    return out


def lignes_resume(assemblage) -> list[tuple]:
    """The lines of the financing plan as typed, one row each."""
    return [
        (
            li["financeur"],
            li["mesure"] or "—",
            Section(li["section"]).label,
            affiche(None, li["montant"]),
            "Oui" if li["de_minimis"] else "Non",
            "Oui" if li["champs_secrets"] else "Non",
        )
        for li in assemblage.lignes
    ]
