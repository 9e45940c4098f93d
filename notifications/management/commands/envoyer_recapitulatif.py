"""For cron, each morning: the delays passed in the whole programme told to whom they concern,
the daily digest of every person, and the immediate notifications that a failing mail server
kept (docs/adr/0014, README « Commandes utiles »). The work is a task (notifications.taches)
handed to the worker's queue, or done here with --maintenant (docs/adr/0020)."""

from django.core.management.base import BaseCommand

from notifications.taches import envoyer_recapitulatifs
from referentiel.taches import OPTION_MAINTENANT, lancer


class Command(BaseCommand):
    help = (
        "Notifie les délais cibles dépassés, envoie à chacun le récapitulatif de ses "
        "notifications en attente, groupées par sorte, et relance les notifications immédiates "
        "dont l'envoi a échoué (par la file des tâches, ou ici avec --maintenant)."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "--relances-seulement",
            action="store_true",
            help=(
                "Ne relancer que les notifications immédiates en échec (ni délais dépassés, "
                "ni récapitulatif)."
            ),
        )
        parser.add_argument("--maintenant", **OPTION_MAINTENANT)

    def handle(self, *args, relances_seulement=False, maintenant=False, **options):
        lancer(
            self,
            envoyer_recapitulatifs,
            maintenant=maintenant,
            relances_seulement=relances_seulement,
        )
