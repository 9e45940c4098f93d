"""Every write of every domain is in the staff's audit trail (comptes.audit): each model that
users can write is registered with django-auditlog, and its many-to-many fields with it. The
models left out are listed here, each with its reason."""

from pathlib import Path

import pytest
from auditlog.context import set_actor
from auditlog.models import LogEntry
from auditlog.registry import auditlog
from django.apps import apps
from django.conf import settings

REFERENTIEL = (
    "Référentiel officiel : écrit par l'import du snapshot livré (import_referentiel) et lui "
    "seul, en lecture seule dans l'administration ; chaque import est tracé (ImportReferentiel)."
)
HORS_JOURNAL = {
    "referentiel.Region": REFERENTIEL,
    "referentiel.Departement": REFERENTIEL,
    "referentiel.EPCI": REFERENTIEL,
    "referentiel.Commune": REFERENTIEL,
    "referentiel.AncienCode": REFERENTIEL,
    "referentiel.Contour": REFERENTIEL,
    "referentiel.ImportReferentiel": "Le journal des imports du référentiel lui-même.",
    "territoires.Phase": "Les phases du programme sont posées par les migrations ; personne ne "
    "les écrit.",
    "territoires.Perimetre": "Écrit en masse par territoires.services ; chaque écriture est "
    "tracée par son Changement, qui est journalisé.",
    "fiches.Terme": "Index des fiches similaires, dérivé des fiches (journalisées) et refait "
    "par indexer_fiches.",
    "fiches.TermeFiche": "Index des fiches similaires, dérivé des fiches (journalisées) et refait "
    "par indexer_fiches.",
    "fiches.MotFiche": "Index des mots cherchés, dérivé du texte cherché des fiches "
    "(journalisées) et refait par reindexer_recherche.",
    "comptes.LectureSecret": "Le journal des lectures des secrets : un journal, jamais modifié.",
    "fiches.Transition": "L'historique du parcours d'une fiche, écrit par fiches.cycle seul, "
    "jamais modifié.",
    "gouvernance.TransitionDemande": "L'historique d'une demande de périmètre, écrit par "
    "gouvernance.demandes seul, jamais modifié.",
    "contrats.TransitionContrat": "L'historique d'un protocole, d'un contrat ou d'un avenant, "
    "écrit par contrats.cycle seul, jamais modifié.",
    "evaluations.TransitionEvaluation": "L'historique d'une évaluation, écrit par "
    "evaluations.cycle seul, jamais modifié.",
    "fiches.ExportFiches": "Un fichier de travail de son auteur, supprimé après un délai ; "
    "l'export lit des fiches journalisées sans rien y écrire.",
    "notifications.Notification": "Le journal des avis envoyés, écrit par notifications seul à "
    "la suite d'une écriture déjà journalisée ; seul son envoi y est noté.",
}


def _modeles_du_projet():
    """The models of the project's own apps (not of the installed packages)."""
    racine = Path(settings.BASE_DIR)
    for config in apps.get_app_configs():
        if Path(config.path) == racine / config.label:
            yield from config.get_models()


def test_chaque_modele_que_l_on_ecrit_est_au_journal_des_ecritures():
    modeles = {m._meta.label: m for m in _modeles_du_projet()}
    absents = sorted(
        label
        for label, m in modeles.items()
        if not auditlog.contains(m) and label not in HORS_JOURNAL
    )
    assert absents == [], "Ni journalisés ni exclus avec leur raison : " + ", ".join(absents)
    # The list stays honest: each exclusion names a model that exists and is not registered.
    assert set(HORS_JOURNAL) <= set(modeles)
    assert [label for label in HORS_JOURNAL if auditlog.contains(modeles[label])] == []


def test_les_listes_d_un_modele_journalise_sont_journalisees_avec_lui():
    """A many-to-many field without a model of its own (a fiche's partners, a contract's
    EPCIs…) is written apart from its object: it is registered too."""
    oublies = [
        f"{m._meta.label}.{f.name}"
        for m in _modeles_du_projet()
        if auditlog.contains(m)
        for f in m._meta.many_to_many
        if f.remote_field.through._meta.auto_created
        # The registry says which lists it follows only in its own table.
        and f.name not in auditlog._registry[m]["m2m_fields"]
    ]
    assert oublies == []


@pytest.mark.django_db
def test_les_mesures_d_une_fiche_et_les_droits_d_un_compte_sont_au_journal():
    from fiches.tests.fabriques import equipe, fiche
    from mesures.models import Mesure

    p = equipe()
    f = fiche(p["chef"])
    mesure = Mesure.objects.order_by("pk").first()
    with set_actor(p["chef"]):
        f.mesures.add(mesure)
    entree = LogEntry.objects.get_for_object(f).order_by("-id").first()
    assert entree.actor == p["chef"] and entree.changes_dict["mesures"]["objects"] == [str(mesure)]

    compte = p["bpi"]
    with set_actor(p["national"]):
        compte.is_staff = True
        compte.set_password("un autre mot de passe")
        compte.save()
    entree = LogEntry.objects.get_for_object(compte).order_by("-id").first()
    assert entree.actor == p["national"] and entree.changes_dict == {"is_staff": ["False", "True"]}
