"""What a request to split a territory names (FAQ §2.3): the territories born of it, each with
its code, its name and its intercommunalities by SIREN. Every EPCI of the old territory goes
to exactly one of them, so that the map applied on the decision's date has neither gap nor
overlap (territoires.services.scinder_territoire checks the communes again then)."""

from __future__ import annotations

from datetime import date as Date

from django.core.exceptions import ValidationError

from referentiel import saisie
from referentiel.models import EPCI
from territoires.models import Territoire
from territoires.selectors import vue_territoire


def _texte(valeur, quoi: str, n: int, longueur: int) -> str:
    texte = str(valeur or "").strip()
    if not texte:
        raise ValidationError(f"Territoire issu n° {n} : précisez son {quoi}.")
    if len(texte) > longueur or saisie.caracteres_interdits(texte):
        raise ValidationError(f"Territoire issu n° {n} : {quoi} invalide.")
    return texte


def _sirens(valeur, n: int) -> list[str]:
    if isinstance(valeur, str):
        valeur = valeur.replace(";", ",").split(",")
    sirens = [str(s).strip() for s in valeur or [] if str(s).strip()]
    if not sirens:
        raise ValidationError(
            f"Territoire issu n° {n} : nommez ses intercommunalités (SIREN, au moins une)."
        )
    return sirens


def lire_parts(territoire: Territoire, parts: list[dict], date: Date) -> list[dict]:
    """The parts as stored on the request, [{"code", "nom", "epcis": [SIREN…]}], checked
    against the territory's EPCI on `date`; a clear French message for what is wrong."""
    if not isinstance(parts, list) or len(parts) < 2:
        raise ValidationError("Une scission donne au moins deux territoires.")
    vue = vue_territoire(territoire, date)
    siens = {e.siren: e.nom for e in (vue.epcis if vue else [])}
    lues, codes, vus = [], set(), {}
    for n, part in enumerate(parts, start=1):
        if not isinstance(part, dict):
            raise ValidationError(f"Territoire issu n° {n} : code, nom et intercommunalités.")
        code = _texte(part.get("code"), "code", n, 12)
        nom = _texte(part.get("nom"), "nom", n, 200)
        if code.lower() in codes:
            raise ValidationError(f"Le code {code} est donné à deux territoires issus.")
        codes.add(code.lower())
        if Territoire.objects.filter(phase=territoire.phase, code__iexact=code).exists():
            raise ValidationError(
                f"Le code {code} est déjà pris dans la {territoire.phase.nom.lower()}."
            )
        sirens = _sirens(part.get("epcis"), n)
        for siren in sirens:
            if siren not in siens:
                nom_epci = EPCI.objects.filter(siren=siren).values_list("nom", flat=True).first()
                quoi = f"{nom_epci} ({siren})" if nom_epci else f"Le SIREN {siren}"
                raise ValidationError(
                    f"{quoi} ne fait pas partie du territoire {territoire.code} le {date:%d/%m/%Y}."
                )
            if siren in vus:
                raise ValidationError(
                    f"{siens[siren]} ({siren}) est donnée à deux territoires issus "
                    f"({vus[siren]} et {code}) : chaque intercommunalité va à un seul."
                )
            vus[siren] = code
        lues.append({"code": code, "nom": nom, "epcis": sirens})
    oubliees = sorted(set(siens) - set(vus))
    if oubliees:
        noms = ", ".join(f"{siens[s]} ({s})" for s in oubliees[:5])
        raise ValidationError(
            f"Chaque intercommunalité du territoire {territoire.code} doit aller à un "
            f"territoire issu ; oubliée(s) : {noms}."
        )
    return lues
