from django.apps import AppConfig


class SuiviConfig(AppConfig):
    name = "suivi"
    verbose_name = "Suivi et tableaux de bord"

    def ready(self):
        from auditlog.registry import auditlog

        from .models import CibleDelai, EngagementAnnonce, Instantane

        # Targets, announced commitments and frozen figures are writes like any other; the
        # figures themselves stay out of the log: a Région's snapshot holds amounts that only
        # its pilots may read (suivi.permissions).
        for model in (CibleDelai, EngagementAnnonce):
            auditlog.register(model)
        auditlog.register(Instantane, exclude_fields=["donnees"])
