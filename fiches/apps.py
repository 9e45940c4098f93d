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
