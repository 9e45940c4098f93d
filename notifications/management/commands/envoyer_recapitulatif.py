"""For cron, each morning: the delays passed in the whole programme told to whom they concern,
the daily digest of every person, and the immediate notifications that a failing mail server
kept (docs/adr/0014, README « Commandes utiles »)."""

from django.core.management.base import BaseCommand

from notifications import envoi
from notifications import retards as retards_


class Command(BaseCommand):
    help = (
        "Notifie les délais cibles dépassés, envoie à chacun le récapitulatif de ses "
        "notifications en attente, groupées par sorte, et relance les notifications immédiates "
        "dont l'envoi a échoué."
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

    def handle(self, *args, relances_seulement=False, **options):
        # The delays passed first: the immediate ones leave at once, the others join this
        # morning's digest. Each is written once (its key), however many runs see it.
        retards = 0 if relances_seulement else retards_.notifier_retards()
        relancees = envoi.relancer_immediates()
        recapitulatifs = 0 if relances_seulement else envoi.envoyer_recapitulatifs()
        restantes = envoi.a_envoyer().count()
        self.stdout.write(
            f"{retards} notification(s) de délai dépassé écrite(s), {relancees} notification(s) "
            f"immédiate(s) relancée(s), {recapitulatifs} récapitulatif(s) envoyé(s) ; "
            f"{restantes} notification(s) encore en attente."
        )
