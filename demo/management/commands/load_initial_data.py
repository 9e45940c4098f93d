from datetime import date

from django.conf import settings
from django.core.management import call_command
from django.core.management.base import BaseCommand

OFFICIAL_PHASE_1 = settings.DATA_DIR / "territoires" / "territoires-industrie-2019-communes.csv"


class Command(BaseCommand):
    help = (
        "Charge le référentiel, la carte officielle de la phase 1 et, en mode démonstration "
        "seulement, les données fictives de démonstration. Idempotent."
    )

    def handle(self, *args, **options):
        call_command("import_referentiel", stdout=self.stdout)
        call_command(
            "import_territoires",
            str(OFFICIAL_PHASE_1),
            phase=1,
            date=date(2018, 11, 22),
            instance="cni",
            intitule="Carte dévoilée au Conseil national de l'industrie du 22 novembre 2018",
            stdout=self.stdout,
        )
        if settings.DEMO_MODE:
            from demo.loader import load_demo

            for line in load_demo():
                self.stdout.write(line)
        else:
            self.stdout.write("Mode production : aucune donnée de démonstration chargée.")
