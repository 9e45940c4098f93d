from django.apps import AppConfig


class FinancementsConfig(AppConfig):
    name = "financements"
    verbose_name = "Financements"

    def ready(self):
        from auditlog.registry import auditlog

        from .models import Ajustement, Engagement, Paiement

        # Every euro's step is in the staff's audit trail, like the lower floors.
        for model in (Engagement, Paiement, Ajustement):
            auditlog.register(model)
