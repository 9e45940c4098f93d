"""What waits on a person among the evaluations of a phase, and what they wait on from
others: for the work queue (notifications, a floor above, reads it). Computed from the
states and the permissions of evaluations.permissions, never stored."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date as Date

from django.db.models import Max

from .enums import EtatEvaluation, RoleRevue
from .models import Evaluation
from .permissions import evaluations_visibles, peut_rediger, peut_valider, roles_de_revue

E = EtatEvaluation
REVISEURS = {RoleRevue.REGION: "la Région", RoleRevue.ETAT: "l'État"}


@dataclass(frozen=True)
class Attente:
    evaluation: Evaluation
    libelle: str  # what is to be done, or awaited
    depuis: Date | None  # the day of the evaluation's last move
    aupres_de: str  # whom it waits on
    pour_soi: bool  # True: it waits on the person; False: the person waits on others


def a_faire(user, phase) -> list[Attente]:
    """The open evaluations of `phase` (a Phase or its number) the person writes, reviews or
    validates, or waits on; oldest first."""
    qs = (
        evaluations_visibles(user)
        .filter(territoire__phase_id=getattr(phase, "pk", phase))
        .exclude(etat=E.VALIDEE)
        .select_related("territoire")
        .prefetch_related("revues")
        .annotate(depuis=Max("transitions__date"))
        .order_by("depuis", "pk")
    )
    out = []
    valideur = peut_valider(user)
    for e in qs:
        faites = {r.role for r in e.revues.all() if r.tour == e.tour}
        manquent = [r for r in RoleRevue.values if r not in faites]
        equipe = peut_rediger(user, e.territoire)
        out += _pour(e, equipe, valideur, manquent, roles_de_revue(user, e.territoire))
    return out


def _pour(e, equipe: bool, valideur: bool, manquent: list[str], roles: list[str]):
    def a(libelle, aupres_de, pour_soi):
        return Attente(e, libelle, e.depuis, aupres_de, pour_soi)

    out = []
    if e.etat == E.REDACTION:
        if equipe:
            out.append(a("Rédiger et soumettre l'évaluation", "l'équipe du territoire", True))
    elif e.etat == E.SOUMISE:
        for r in roles:
            if r in manquent:
                out.append(a(f"Donner la revue de {REVISEURS[r]}", REVISEURS[r], True))
        if equipe:
            qui = " et ".join(REVISEURS[r] for r in manquent)
            out.append(a(f"Revue attendue de {qui}", qui, False))
    elif valideur:  # revue: the national delegation validates
        out.append(a("Valider l'évaluation", "la délégation nationale", True))
    elif equipe:
        out.append(a("Validation attendue", "la délégation nationale", False))
    return out
