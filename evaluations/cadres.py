"""Writes of the evaluation framework, by the national delegation: sections, questions and
indicators of a version, its publication, a new version.

A version used by an evaluation is frozen: what the territories answered stays readable
against the questions they were asked. Every write here takes the framework's row first, as
the creation of an evaluation does (evaluations.services), so that no edit slips in between
the check and a first evaluation.
"""

from __future__ import annotations

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Max
from django.utils import timezone

from comptes.permissions import exiger
from referentiel import saisie

from .models import Cadre, IndicateurCadre, Question, Section
from .permissions import peut_editer_cadre

FIGE = (
    "Ce cadre est utilisé par au moins une évaluation : il ne change plus. Créez-en une "
    "nouvelle version pour le modifier."
)
REFUS = "Seule la délégation nationale tient le cadre d'évaluation."
CHAMPS = {
    Section: ("ordre", "titre", "aide"),
    Question: (
        "section",
        "ordre",
        "intitule",
        "aide",
        "nature",
        "modalites",
        "unite",
        "obligatoire",
    ),
    IndicateurCadre: ("ordre", "libelle", "unite", "aide"),
}


def _modifiable(user, cadre: Cadre) -> Cadre:
    exiger(peut_editer_cadre(user), REFUS)
    cadre = Cadre.objects.select_for_update().get(pk=cadre.pk)
    if cadre.fige:
        raise ValidationError(FIGE)
    return cadre


def cadre_en_vigueur(phase) -> Cadre | None:
    """The version the territories' new evaluations follow: the latest published one."""
    return Cadre.objects.filter(phase=phase, publie_le__isnull=False).order_by("-version").first()


@transaction.atomic
def creer_cadre(*, user, phase, titre: str, introduction: str = "", demo: bool = False) -> Cadre:
    exiger(peut_editer_cadre(user), REFUS)
    if Cadre.objects.filter(phase=phase).exists():
        raise ValidationError(
            f"La phase {phase.pk} a déjà son cadre d'évaluation : créez-en une nouvelle version."
        )
    cadre = Cadre(phase=phase, version=1, titre=titre, introduction=introduction, demo=demo)
    cadre.cree_par = user
    cadre.full_clean()
    cadre.save()
    return cadre


@transaction.atomic
def modifier_cadre(*, user, cadre: Cadre, titre: str, introduction: str = "") -> Cadre:
    cadre = _modifiable(user, cadre)
    cadre.titre, cadre.introduction = titre, introduction
    cadre.full_clean()
    cadre.save()
    return cadre


@transaction.atomic
def enregistrer(*, user, cadre: Cadre, modele, donnees: dict, element=None):
    """Adds (`element` None) or changes a section, a question or an indicator of `cadre`."""
    cadre = _modifiable(user, cadre)
    if element is not None and _cadre_de(element) != cadre.pk:
        raise ValidationError("Cet élément n'appartient pas à ce cadre.")
    saisie.refuser_nuls(modele, donnees)
    objet = element or modele()
    if modele is not Question:
        objet.cadre = cadre
    for nom in CHAMPS[modele]:
        if nom in donnees:
            setattr(objet, nom, donnees[nom])
    if modele is Question:
        if objet.section_id is None or objet.section.cadre_id != cadre.pk:
            raise ValidationError("Choisissez une section de ce cadre.")
        objet.modalites = [str(m).strip() for m in objet.modalites or [] if str(m).strip()]
    if modele is IndicateurCadre:
        _indicateur_unique(cadre, objet)
    if element is None and "ordre" not in donnees:
        objet.ordre = _suivant(cadre, modele, objet)
    objet.full_clean()
    objet.save()
    return objet


def _cadre_de(element) -> int:
    return element.section.cadre_id if isinstance(element, Question) else element.cadre_id


def _suivant(cadre: Cadre, modele, objet) -> int:
    if modele is Question:
        qs = Question.objects.filter(section=objet.section)
    else:
        qs = modele.objects.filter(cadre=cadre)
    return (qs.aggregate(m=Max("ordre"))["m"] or 0) + 1


def _indicateur_unique(cadre: Cadre, objet: IndicateurCadre) -> None:
    for autre in cadre.indicateurs.exclude(pk=objet.pk):
        if autre.cle == objet.cle:
            raise ValidationError(f"Le cadre demande déjà l'indicateur « {autre} ».")


@transaction.atomic
def supprimer(*, user, cadre: Cadre, element) -> None:
    cadre = _modifiable(user, cadre)
    if _cadre_de(element) != cadre.pk:
        raise ValidationError("Cet élément n'appartient pas à ce cadre.")
    element.delete()


@transaction.atomic
def publier(*, user, cadre: Cadre, date=None) -> Cadre:
    """From its publication, the territories' new evaluations follow this version."""
    exiger(peut_editer_cadre(user), REFUS)
    cadre = Cadre.objects.select_for_update().get(pk=cadre.pk)
    if cadre.publie_le:
        raise ValidationError(f"Cette version est publiée depuis le {cadre.publie_le:%d/%m/%Y}.")
    if not cadre.questions().exists():
        raise ValidationError("Un cadre sans question ne se publie pas.")
    if Cadre.objects.filter(phase=cadre.phase, version__gt=cadre.version).exists():
        raise ValidationError("Une version plus récente de ce cadre existe.")
    date = date or timezone.localdate()
    saisie.pas_dans_le_futur(date, "La date de publication")
    cadre.publie_le = date
    cadre.save(update_fields=["publie_le", "modifie_le"])
    return cadre


@transaction.atomic
def nouvelle_version(*, user, cadre: Cadre) -> Cadre:
    """A copy of the latest version, to change: unpublished until the delegation publishes it;
    the evaluations begun keep the version they follow."""
    exiger(peut_editer_cadre(user), REFUS)
    derniere = (
        Cadre.objects.select_for_update().filter(phase=cadre.phase).order_by("-version").first()
    )
    if derniere.pk != cadre.pk:
        raise ValidationError(
            f"La version {derniere.version} est la plus récente : partez de celle-ci."
        )
    if not derniere.publie_le:
        raise ValidationError("Cette version n'est pas publiée : elle se modifie encore.")
    copie = Cadre.objects.create(
        phase=derniere.phase,
        version=derniere.version + 1,
        titre=derniere.titre,
        introduction=derniere.introduction,
        cree_par=user,
        demo=derniere.demo,
    )
    for section in derniere.sections.prefetch_related("questions"):
        questions = list(section.questions.all())
        section.pk, section.cadre = None, copie
        section.save()
        for q in questions:
            q.pk, q.section = None, section
        Question.objects.bulk_create(questions)
    indicateurs = list(derniere.indicateurs.all())
    for i in indicateurs:
        i.pk, i.cadre = None, copie
    IndicateurCadre.objects.bulk_create(indicateurs)
    return copie
