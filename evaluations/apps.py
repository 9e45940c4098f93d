from django.apps import AppConfig


class EvaluationsConfig(AppConfig):
    name = "evaluations"
    verbose_name = "Évaluations des territoires"

    def ready(self):
        from auditlog.registry import auditlog

        from .models import Cadre, Evaluation, IndicateurCadre, Question, Reponse, Revue, Section

        # Every write of the framework and of the evaluations is in the staff's audit trail.
        for model in (Cadre, Section, Question, IndicateurCadre, Evaluation, Reponse, Revue):
            auditlog.register(model)
