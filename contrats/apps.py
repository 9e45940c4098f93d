from django.apps import AppConfig


class ContratsConfig(AppConfig):
    name = "contrats"
    verbose_name = "Contrats"

    def ready(self):
        from auditlog.registry import auditlog

        from .models import (
            AccordSansReunion,
            AnnexeProtocole,
            Avenant,
            Contrat,
            FicheAnnexee,
            ModificationFiche,
            Protocole,
            Signataire,
        )

        # Every write of the contracting is in the staff's audit trail, like the lower floors.
        for model in (
            AccordSansReunion,
            AnnexeProtocole,
            FicheAnnexee,
            ModificationFiche,
            Signataire,
        ):
            auditlog.register(model)
        for model in (Protocole, Contrat, Avenant):
            auditlog.register(model, m2m_fields={"epcis"} if model is not Protocole else None)
