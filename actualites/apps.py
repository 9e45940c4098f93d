from django.apps import AppConfig


class ActualitesConfig(AppConfig):
    name = "actualites"
    verbose_name = "Actualités du réseau"

    def ready(self):
        from auditlog.registry import auditlog

        from .models import Actualite

        # Who published or changed a news item, like every other write.
        auditlog.register(Actualite)
