"""The lifecycle of a territory's evaluation: the one module that changes its state.

    (created by the territory's team) → en rédaction
    en rédaction ─soumettre (the team; every required question answered; the figures of the
                  day are kept with it)→ soumise
    soumise ─reviser (the Région's pilot and the State's referent, once each per submission,
             dated, with an opinion and comments)→ soumise, then revue once both are given
    soumise | revue ─renvoyer (the Région, the State or the national delegation, saying
                      why)→ en rédaction; the next submission opens a new round of reviews
    revue ─valider (the national delegation)→ validée: it no longer changes

Every move is logged (who, when, the date of the act, from, to, comment) in
TransitionEvaluation; a refused move changes nothing and says why in French.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date as Date

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone

from comptes.permissions import exiger
from referentiel import saisie

from . import chiffres
from .enums import AvisRevue, EtatEvaluation, RoleRevue
from .models import Evaluation, Revue, TransitionEvaluation
from .permissions import peut_rediger, peut_renvoyer, peut_valider, roles_de_revue
from .selectors import manquantes

E = EtatEvaluation


@dataclass(frozen=True)
class Mouvement:
    libelle: str
    depuis: tuple[str, ...]
    vers: str
    # Why the move is refused, from each state it cannot leave.
    refus: dict[str, str]


VALIDEE_FIGEE = "L'évaluation est validée : elle ne change plus."
MOUVEMENTS = {
    "soumettre": Mouvement(
        "Soumettre à la revue de la Région et de l'État",
        (E.REDACTION,),
        E.SOUMISE,
        {E.SOUMISE: "L'évaluation est déjà soumise.", E.REVUE: "L'évaluation est déjà soumise."},
    ),
    "renvoyer": Mouvement(
        "Renvoyer en rédaction",
        (E.SOUMISE, E.REVUE),
        E.REDACTION,
        {E.REDACTION: "L'évaluation est déjà en rédaction."},
    ),
    "valider": Mouvement(
        "Valider l'évaluation",
        (E.REVUE,),
        E.VALIDEE,
        {
            E.REDACTION: "L'évaluation est en rédaction : elle se valide après sa soumission et "
            "la revue de la Région et de l'État.",
            E.SOUMISE: "L'évaluation attend encore la revue de la Région et de l'État.",
        },
    ),
}
DEJA_REVUE = {
    RoleRevue.REGION: "La Région a déjà donné sa revue de cette soumission.",
    RoleRevue.ETAT: "L'État a déjà donné sa revue de cette soumission.",
}
LIBELLES = {
    "creer": "Création",
    "soumettre": "Soumission",
    "reviser_region": "Revue de la Région",
    "reviser_etat": "Revue de l'État",
    "renvoyer": "Renvoi en rédaction",
    "valider": "Validation",
}


def _verrouiller(evaluation: Evaluation) -> Evaluation:
    return (
        Evaluation.objects.select_for_update()
        .select_related("territoire", "cadre")
        .get(pk=evaluation.pk)
    )


def _depuis(evaluation: Evaluation, nom: str) -> None:
    m = MOUVEMENTS[nom]
    if evaluation.etat not in m.depuis:
        raise ValidationError(m.refus.get(evaluation.etat, VALIDEE_FIGEE))


def _date(evaluation: Evaluation, date: Date | None) -> Date:
    """The day of the act: not in the future (Europe/Paris), nor before the last move."""
    date = date or timezone.localdate()
    saisie.verifier(date=(date, [saisie.valider_date]))
    saisie.pas_dans_le_futur(date)
    derniere = evaluation.transitions.order_by("-date", "-le").first()
    if derniere and date < derniere.date:
        raise ValidationError(
            f"La date ne peut précéder le dernier mouvement de l'évaluation "
            f"({derniere.date:%d/%m/%Y})."
        )
    return date


def journaliser(
    *, evaluation, action: str, avant: str, user, date: Date, commentaire: str = ""
) -> TransitionEvaluation:
    t = TransitionEvaluation(
        evaluation=evaluation,
        action=action,
        etat_avant=avant,
        etat_apres=evaluation.etat,
        par=user,
        date=date,
        commentaire=commentaire.strip(),
    )
    t.full_clean(exclude=["evaluation", "par"])
    t.save()
    return t


def _changer(e: Evaluation, nom: str, *, user, date: Date, commentaire: str = "") -> None:
    avant, e.etat = e.etat, MOUVEMENTS[nom].vers
    e.save()
    journaliser(
        evaluation=e, action=nom, avant=avant, user=user, date=date, commentaire=commentaire
    )


@transaction.atomic
def soumettre(*, user, evaluation: Evaluation, date: Date | None = None, commentaire=""):
    e = _verrouiller(evaluation)
    exiger(peut_rediger(user, e.territoire), "Seule l'équipe du territoire soumet son évaluation.")
    _depuis(e, "soumettre")
    date = _date(e, date)
    manque = manquantes(e)
    if manque:
        raise ValidationError(
            "Des questions attendent encore une réponse : "
            + " ; ".join(f"« {q.intitule} »" for q in manque)
            + "."
        )
    # What the Région and the State review, the documents and the consolidation show: the
    # figures as they stand today, the day they are computed (whatever the act's date).
    e.chiffres = chiffres.calculer(e.territoire, e.cadre).en_json()
    e.tour += 1
    _changer(e, "soumettre", user=user, date=date, commentaire=commentaire)
    return e


@transaction.atomic
def reviser(
    *, user, evaluation: Evaluation, role: str, avis: str, commentaire: str, date=None
) -> Revue:
    """The review of the Région or of the State on the submitted evaluation; the second one
    makes it « revue »."""
    e = _verrouiller(evaluation)
    if role not in RoleRevue.values:
        raise ValidationError("Une revue est donnée au nom de la Région ou de l'État.")
    exiger(
        role in roles_de_revue(user, e.territoire),
        "La revue revient au pilote de la Région et au référent de l'État du territoire.",
    )
    if e.etat == E.REDACTION:
        raise ValidationError("L'évaluation est en rédaction : elle n'attend aucune revue.")
    if e.etat == E.VALIDEE:
        raise ValidationError(VALIDEE_FIGEE)
    if e.revues_du_tour().filter(role=role).exists():
        raise ValidationError(DEJA_REVUE[role])
    date = _date(e, date)
    revue = Revue(
        evaluation=e,
        tour=e.tour,
        role=role,
        par=user,
        date=date,
        avis=avis,
        commentaire=(commentaire or "").strip(),
    )
    revue.full_clean(exclude=["evaluation", "par"], validate_constraints=False)
    revue.save()
    avant = e.etat
    if set(e.revues_du_tour().values_list("role", flat=True)) == set(RoleRevue.values):
        e.etat = E.REVUE
        e.save()
    texte = f"{AvisRevue(avis).label}. {revue.commentaire}"
    journaliser(
        evaluation=e,
        action=f"reviser_{role}",
        avant=avant,
        user=user,
        date=date,
        commentaire=texte,
    )
    return revue


@transaction.atomic
def renvoyer(*, user, evaluation: Evaluation, commentaire: str, date: Date | None = None):
    e = _verrouiller(evaluation)
    exiger(
        peut_renvoyer(user, e.territoire),
        "Seules la Région, l'État et la délégation nationale renvoient une évaluation.",
    )
    _depuis(e, "renvoyer")
    if not (commentaire or "").strip():
        raise ValidationError("Dites pourquoi l'évaluation est renvoyée en rédaction.")
    date = _date(e, date)
    _changer(e, "renvoyer", user=user, date=date, commentaire=commentaire)
    return e


@transaction.atomic
def valider(*, user, evaluation: Evaluation, commentaire: str = "", date: Date | None = None):
    e = _verrouiller(evaluation)
    exiger(peut_valider(user), "Seule la délégation nationale valide une évaluation.")
    _depuis(e, "valider")
    date = _date(e, date)
    _changer(e, "valider", user=user, date=date, commentaire=commentaire)
    return e


def mouvements_possibles(user, evaluation: Evaluation) -> list[str]:
    """The moves this person may make now, for the page's buttons (the functions above check
    the same again)."""
    qui = {
        "soumettre": peut_rediger(user, evaluation.territoire),
        "renvoyer": peut_renvoyer(user, evaluation.territoire),
        "valider": peut_valider(user),
    }
    return [n for n, m in MOUVEMENTS.items() if evaluation.etat in m.depuis and qui[n]]
