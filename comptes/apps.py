from django.apps import AppConfig


class ComptesConfig(AppConfig):
    name = "comptes"
    verbose_name = "Organisations, personnes et droits"

    def ready(self):
        from . import audit

        audit.register_models()
