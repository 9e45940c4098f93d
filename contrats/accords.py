"""Validation without a meeting of the regional COPIL (FAQ §4.2): « l'accord de la Région et
des parties concernées suffit à engager la signature ». The agreement of each party — each
signatory of the document, a Région's through its president's line, so every Région of an
interregional territory — is recorded with who gave it and when (AccordSansReunion): no
referent validates alone. contrats.cycle calls `verifier` then `enregistrer` in the
transaction of the validation; pages, API and documents read `mention` and `de`.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date as Date

from django.core.exceptions import ValidationError

from referentiel import saisie
from referentiel.models import Region
from territoires.selectors import regions_du_territoire

from .enums import NatureSignataire
from .models import AccordSansReunion, Signataire

SEUL = (
    "Sans réunion du comité de pilotage régional, le document est validé sur l'accord de la "
    "Région et de chaque partie concernée (FAQ §4.2) : une personne seule ne le valide pas."
)


@dataclass(frozen=True)
class Accord:
    """One party's agreement as given: its signatory (or its id), who gave it, when."""

    signataire: Signataire | int
    donne_par: str
    donne_le: Date | None

    @classmethod
    def de(cls, valeur) -> Accord:
        if isinstance(valeur, Accord):
            return valeur
        return cls(
            signataire=valeur.get("signataire"),
            donne_par=valeur.get("donne_par") or "",
            donne_le=valeur.get("donne_le"),
        )

    @property
    def signataire_id(self):
        return getattr(self.signataire, "pk", self.signataire)


def partie(s: Signataire, regions: dict[str, str]) -> str:
    """The party in words: « la Région Bretagne » for a Région's president, else the signatory."""
    if s.nature == NatureSignataire.PRESIDENT_REGION and s.region_id:
        return f"la Région {regions.get(s.region_id, s.region_id)}"
    return f"{s.nom} ({s.qualite})"


def _noms_des_regions(document) -> dict[str, str]:
    codes = regions_du_territoire(document.le_territoire)
    return dict(Region.objects.filter(code__in=codes).values_list("code", "nom"))


def verifier(document, accords, date_validation: Date) -> list[tuple[Signataire, Accord]]:
    """Each party's agreement, given, named and dated (not in the future, not after the
    validation); refused with the list of what is missing, nothing written."""
    accords = [Accord.de(a) for a in accords or ()]
    signataires = {s.pk: s for s in document.signataires.all()}
    regions = _noms_des_regions(document)
    par_id = {}
    for a in accords:
        if a.signataire_id not in signataires:
            raise ValidationError("Un accord porte sur un signataire qui n'est pas de ce document.")
        par_id[a.signataire_id] = a
    manque, retenus = [], []
    for s in signataires.values():
        a = par_id.get(s.pk)
        if a is None or not a.donne_par.strip() or a.donne_le is None:
            manque.append(partie(s, regions))
            continue
        saisie.verifier(donne_par=(a.donne_par, [saisie.valider_texte]))
        saisie.valider_date(a.donne_le)
        saisie.pas_dans_le_futur(a.donne_le, f"L'accord de {partie(s, regions)}")
        if a.donne_le > date_validation:
            raise ValidationError(
                f"L'accord de {partie(s, regions)} est daté du {a.donne_le:%d/%m/%Y}, après la "
                f"validation du {date_validation:%d/%m/%Y} : la validation le suit."
            )
        retenus.append((s, a))
    if manque or not signataires:
        quoi = " ; ".join(manque) or "aucune partie"
        raise ValidationError(f"{SEUL} Accord manquant (qui l'a donné, et quand) : {quoi}.")
    return retenus


def enregistrer(*, user, accords: list[tuple[Signataire, Accord]]) -> list[AccordSansReunion]:
    return [
        AccordSansReunion.objects.create(
            signataire=s,
            donne_par=a.donne_par.strip()[:200],
            donne_le=a.donne_le,
            enregistre_par=user,
        )
        for s, a in accords
    ]


def de(document) -> list[AccordSansReunion]:
    """The agreements a document was validated on, without a meeting; empty otherwise."""
    return list(
        AccordSansReunion.objects.filter(
            **{f"signataire__{type(document).__name__.lower()}": document}
        ).select_related("signataire", "signataire__region")
    )


def parties(document) -> list[tuple[AccordSansReunion, str]]:
    """Each agreement with its party in words (« la Région … » or the signatory)."""
    regions = _noms_des_regions(document)
    return [(a, partie(a.signataire, regions)) for a in de(document)]


def lignes(document) -> list[str]:
    """Each agreement in words, for the page and the documents alike."""
    return [
        f"{qui} : accord donné par {a.donne_par}, le {a.donne_le:%d/%m/%Y}"
        for a, qui in parties(document)
    ]


def mention(document, *, sans_reunion: bool) -> str | None:
    """What the page and the documents say of the validation: the date, and without a
    meeting, on whose agreement (FAQ §4.2)."""
    v = document.validation
    if v is None:
        return None
    if not sans_reunion:
        return f"Validé par le comité de pilotage régional le {v.date:%d/%m/%Y}."
    accords = lignes(document)
    sur = " ; ".join(accords) if accords else "accords non enregistrés"
    return (
        f"Validé sans réunion du comité de pilotage régional, le {v.date:%d/%m/%Y}, sur "
        f"l'accord de la Région et des parties concernées (FAQ §4.2) : {sur}."
    )
