from django.apps import AppConfig


class NotificationsConfig(AppConfig):
    name = "notifications"
    verbose_name = "File de travail et notifications"

    def ready(self):
        # The domain's writes that notify: their models' signals, connected from this floor
        # (the lower floors never import it, docs/adr/0002).
        from .evenements import connecter

        connecter()
