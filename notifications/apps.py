from django.apps import AppConfig


class NotificationsConfig(AppConfig):
    name = "notifications"
    verbose_name = "File de travail et notifications"

    def ready(self):
        # The domain's writes that notify: their models' signals, connected from this floor
        # (the lower floors never import it, docs/adr/0002).
        from auditlog.registry import auditlog

        from .evenements import connecter
        from .models import Preference

        connecter()
        # A person's choice of mails is a write like any other (the staff's audit trail).
        auditlog.register(Preference)
