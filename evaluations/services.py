"""Writes of an evaluation's content: its creation on the framework in force, its answers under
an optimistic lock. State changes are not here: they go through evaluations.cycle."""

from __future__ import annotations

from datetime import date as Date
from decimal import Decimal, InvalidOperation

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import F
from django.utils import timezone

from comptes.permissions import exiger
from comptes.services import ConflitEdition
from referentiel import saisie

from . import cycle
from .cadres import cadre_en_vigueur
from .enums import NATURES_A_MODALITES, EtatEvaluation, NatureEvaluation, NatureQuestion
from .models import Cadre, Evaluation, Question, Reponse
from .permissions import peut_rediger
from .selectors import texte_reponse

REFUS = "Seule l'équipe du territoire (binôme, chef de projet) rédige son évaluation."
NOMBRE_MAX = Decimal("999999999999.99")  # what the answer's field holds (14 digits, 2 after)


@transaction.atomic
def creer_evaluation(
    *, user, territoire, nature: str, date: Date | None = None, demo: bool = False
) -> Evaluation:
    """A mid-term or final evaluation of the territory, on the framework version in force;
    `date`: the day its writing begins (today by default)."""
    exiger(peut_rediger(user, territoire), REFUS)
    if nature not in NatureEvaluation.values:
        raise ValidationError("Une évaluation est à mi-parcours ou finale.")
    cadre = cadre_en_vigueur(territoire.phase_id)
    if cadre is None:
        raise ValidationError(
            f"La délégation nationale n'a pas encore publié le cadre d'évaluation de la phase "
            f"{territoire.phase_id}."
        )
    # Taken like an edit of the framework takes it: no edit slips in before this first use.
    Cadre.objects.select_for_update().get(pk=cadre.pk)
    date = date or timezone.localdate()
    saisie.verifier(date=(date, [saisie.valider_date]))
    saisie.pas_dans_le_futur(date)
    if date < cadre.publie_le:
        raise ValidationError(
            f"Le cadre en vigueur est publié le {cadre.publie_le:%d/%m/%Y} : l'évaluation ne "
            "peut commencer avant."
        )
    if Evaluation.objects.filter(territoire=territoire, nature=nature).exists():
        libelle = NatureEvaluation(nature).label.lower()
        raise ValidationError(f"Le territoire a déjà son {libelle}.")
    e = Evaluation.objects.create(
        territoire=territoire, cadre=cadre, nature=nature, cree_par=user, demo=demo
    )
    cycle.journaliser(evaluation=e, action="creer", avant="", user=user, date=date)
    return e


def _valeur(question: Question, valeur) -> dict:
    """The answer's fields from what was typed, checked by the question's form."""
    champs = {"texte": "", "modalite": "", "nombre": None}
    if valeur in (None, ""):
        return champs
    if question.nature == NatureQuestion.NOMBRE:
        try:
            nombre = Decimal(str(valeur).replace(",", ".").replace("\u202f", "").replace(" ", ""))
        except InvalidOperation:
            raise ValidationError("Un nombre est attendu.") from None
        if not nombre.is_finite() or abs(nombre) > NOMBRE_MAX:
            raise ValidationError("Ce nombre est hors des bornes admises.")
        champs["nombre"] = nombre.quantize(Decimal("0.01"))
    elif question.nature in NATURES_A_MODALITES:
        if valeur not in question.modalites:
            raise ValidationError(f"« {valeur} » n'est pas une réponse proposée.")
        champs["modalite"] = valeur
    else:
        texte = str(valeur).strip()
        saisie.valider_texte(texte)
        champs["texte"] = texte
    return champs


def _lire(questions: dict, reponses: dict) -> dict[int, dict]:
    """Every answer checked, all errors at once, each named by its question."""
    inconnues = set(reponses) - set(questions)
    if inconnues:
        raise ValidationError("Ces questions ne sont pas celles du cadre de l'évaluation.")
    lues, erreurs = {}, []
    for pk, valeur in reponses.items():
        try:
            lues[pk] = _valeur(questions[pk], valeur)
        except ValidationError as exc:
            erreurs += [f"« {questions[pk].intitule} » : {m}" for m in exc.messages]
    if erreurs:
        raise ValidationError(erreurs)
    return lues


@transaction.atomic
def enregistrer_reponses(
    *, user, evaluation: Evaluation, version: int, reponses: dict[int, object]
) -> Evaluation:
    """Writes the answers given (by question id); the later of two concurrent saves is
    refused, nothing written, with what the other changed (comptes.services.ConflitEdition)."""
    exiger(peut_rediger(user, evaluation.territoire), REFUS)
    # The conditional UPDATE takes the row for this transaction and tells whether the version
    # read is still the current one (the house's optimistic lock: fiches, firms' profiles).
    pris = Evaluation.objects.filter(pk=evaluation.pk, version=version).update(version=F("version"))
    actuel = Evaluation.objects.select_related("cadre", "territoire").get(pk=evaluation.pk)
    questions = {q.pk: q for q in actuel.cadre.questions()}
    lues = _lire(questions, reponses)
    existantes = {r.question_id: r for r in actuel.reponses.all()}
    if not pris:
        differences = []
        for pk, champs in lues.items():
            q, stockee = questions[pk], existantes.get(pk)
            mien = texte_reponse(q, Reponse(question=q, **champs))
            leur = texte_reponse(q, stockee)
            if mien != leur:
                differences.append((q.intitule, mien, leur))
        raise ConflitEdition(differences or [("version", version, actuel.version)])
    if actuel.etat != EtatEvaluation.REDACTION:
        raise ValidationError(
            "L'évaluation est soumise : elle ne se modifie plus, sauf si la Région, l'État ou "
            "la délégation nationale la renvoie en rédaction."
        )
    for pk, champs in lues.items():
        r = existantes.get(pk) or Reponse(evaluation=actuel, question=questions[pk])
        if r.pk and all(getattr(r, k) == v for k, v in champs.items()):
            continue
        for k, v in champs.items():
            setattr(r, k, v)
        r.modifie_par = user
        r.full_clean(exclude=["evaluation", "question", "modifie_par"], validate_constraints=False)
        r.save()
    actuel.version = version + 1
    actuel.save(update_fields=["version", "modifie_le"])
    return actuel
