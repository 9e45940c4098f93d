from django.apps import AppConfig


class MesuresConfig(AppConfig):
    name = "mesures"
    verbose_name = "Panier de services"

    def ready(self):
        from auditlog.registry import auditlog

        from .models import Mesure

        # Every write to the catalogue is in the staff's audit trail, like the comptes floor.
        auditlog.register(Mesure)
