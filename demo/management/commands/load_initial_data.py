from django.conf import settings
from django.core.management import call_command
from django.core.management.base import BaseCommand

from territoires import officiel


class Command(BaseCommand):
    help = (
        "Charge le référentiel, la carte officielle (phase 1, puis phase 2 et ses mises à jour "
        "publiées par l'ANCT) et, en mode démonstration seulement, les données fictives de "
        "démonstration. Idempotent."
    )

    def handle(self, *args, **options):
        call_command("import_referentiel", stdout=self.stdout)
        for liste, rapport in officiel.charger():
            self.stdout.write(f"{liste.fichier} (phase {liste.phase}, au {liste.date:%d/%m/%Y}) :")
            for line in rapport.lignes_texte():
                self.stdout.write(f"  {line}")
        if settings.DEMO_MODE:
            from demo.loader import load_demo

            for line in load_demo():
                self.stdout.write(line)
        else:
            self.stdout.write("Mode production : aucune donnée de démonstration chargée.")
