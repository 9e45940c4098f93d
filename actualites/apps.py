from django.apps import AppConfig


class ActualitesConfig(AppConfig):
    name = "actualites"
    verbose_name = "Information du réseau"

    def ready(self):
        from auditlog.registry import auditlog

        from .models import Actualite, Evenement, Ressource

        # Who published or changed a news item, like every other write.
        auditlog.register(Actualite)
        auditlog.register(Ressource)
        auditlog.register(Evenement)
