from django.apps import AppConfig


class GouvernanceConfig(AppConfig):
    name = "gouvernance"
    verbose_name = "Gouvernance"

    def ready(self):
        from auditlog.registry import auditlog

        from .models import (
            AccordRegion,
            Comite,
            DecisionReunion,
            DemandePerimetre,
            JetonAgenda,
            Participant,
            PieceJointe,
            PointOrdreDuJour,
            Reunion,
            VersionCarte,
        )

        # Every write of the governance is in the staff's audit trail, like the lower floors;
        # neither the frozen map's bytes nor a calendar token's hash goes into it.
        for model in (Comite, Reunion, Participant, PieceJointe):
            auditlog.register(model)
        # Its decision is audited on its own; reading it here would leave the point believing,
        # for the rest of the request, that it has none.
        auditlog.register(PointOrdreDuJour, exclude_fields=["decision_prise"])
        auditlog.register(DemandePerimetre, m2m_fields={"regions_concernees"})
        # The position of another Région concerned (FAQ §2.3): who recorded it is in the trail.
        auditlog.register(AccordRegion)
        auditlog.register(DecisionReunion, m2m_fields={"accords"})
        auditlog.register(VersionCarte, exclude_fields=["donnees"])
        auditlog.register(JetonAgenda, exclude_fields=["empreinte"])
