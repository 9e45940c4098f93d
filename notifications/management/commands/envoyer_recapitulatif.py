"""For cron, each morning: the daily digest of every person, and the immediate notifications
that a failing mail server kept (docs/adr/0014, README « Commandes utiles »)."""

from django.core.management.base import BaseCommand

from notifications import envoi


class Command(BaseCommand):
    help = (
        "Envoie à chacun le récapitulatif de ses notifications en attente, groupées par sorte, "
        "et relance les notifications immédiates dont l'envoi a échoué."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "--relances-seulement",
            action="store_true",
            help="Ne relancer que les notifications immédiates en échec (pas de récapitulatif).",
        )

    def handle(self, *args, relances_seulement=False, **options):
        # Not yet: the lines past their target delay (suivi.delais) handed to
        # retards.notifier_depassements before the digest (docs/adr/0014, « Reste à faire »).
        relancees = envoi.relancer_immediates()
        recapitulatifs = 0 if relances_seulement else envoi.envoyer_recapitulatifs()
        restantes = envoi.a_envoyer().count()
        self.stdout.write(
            f"{relancees} notification(s) immédiate(s) relancée(s), {recapitulatifs} "
            f"récapitulatif(s) envoyé(s) ; {restantes} notification(s) encore en attente."
        )
