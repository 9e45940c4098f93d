from django.apps import AppConfig


class FichesConfig(AppConfig):
    name = "fiches"
    verbose_name = "Fiches-actions"

    def ready(self):
        from auditlog.registry import auditlog

        from .models import FicheAction, LigneFinancement

        # Secret amounts and business details stay out of the audit trail (FAQ §7.3).
        auditlog.register(FicheAction, exclude_fields=list(FicheAction.SECRETABLE))
        auditlog.register(LigneFinancement, exclude_fields=list(LigneFinancement.SECRETABLE))
