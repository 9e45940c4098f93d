from django.apps import AppConfig


class FichesConfig(AppConfig):
    name = "fiches"
    verbose_name = "Fiches-actions"

    def ready(self):
        from auditlog.registry import auditlog

        from .models import (
            Commentaire,
            FicheAction,
            Filiere,
            Indicateur,
            LigneFinancement,
            NoteSuivi,
            PieceJointe,
            ValeurIndicateur,
        )

        # Every write of a fiche is in the staff's audit trail; its moves are in its own
        # history (Transition). Secret amounts and business details stay out (FAQ §7.3).
        auditlog.register(
            FicheAction,
            exclude_fields=[*FicheAction.SECRETABLE, "texte_recherche"],
            m2m_fields={"partenaires", "epcis", "communes", "mesures"},
        )
        auditlog.register(LigneFinancement, exclude_fields=list(LigneFinancement.SECRETABLE))
        for model in (Filiere, Indicateur, ValeurIndicateur, NoteSuivi, Commentaire, PieceJointe):
            auditlog.register(model)

        # A committee's decision on a fiche, recorded by the governance (a floor below), is
        # applied by the fiche's lifecycle: said here, so that governance never imports it.
        from gouvernance.enums import ObjetDecision
        from gouvernance.services import appliquer_les_decisions

        from .cycle import appliquer_decision_de_comite

        appliquer_les_decisions(ObjetDecision.FICHE, appliquer_decision_de_comite)

        # The index of the similar fiches follows each fiche's text, one fiche at a time,
        # whatever wrote it (page, API, spreadsheet, committee, demonstration).
        from django.db.models.signals import post_save, pre_delete

        post_save.connect(_indexer, sender=FicheAction, dispatch_uid="fiches.similarite")
        pre_delete.connect(_oublier, sender=FicheAction, dispatch_uid="fiches.similarite")


TEXTE_INDEXE = {"titre", "contexte", "probleme"}


def _indexer(sender, instance, update_fields=None, raw=False, **kwargs):
    from . import similarite

    # A raw save (a restore, a fixture) writes rows as they were: the index comes with them.
    if raw:
        return
    if update_fields is None or TEXTE_INDEXE & set(update_fields):
        similarite.indexer(instance)


def _oublier(sender, instance, **kwargs):
    from . import similarite

    similarite.oublier(instance)
